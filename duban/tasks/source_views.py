"""The source documents (来源): each with its kind, date and how its tasks stand, and the office's correction of
its title, short title, kind and date."""
from __future__ import annotations

import hashlib

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Count, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from duban.core.pagination import page_of
from duban.people.access import is_manager, managers_only, reads_all
from duban.tasks import services
from duban.tasks.forms import Styled
from duban.tasks.models import SourceDocument, Task

EDITABLE = ("title", "short_title", "kind", "date", "issuer")
S = Task.Status


def _fingerprint(doc: SourceDocument) -> str:
    """What the editor loaded, so a save over someone else's change is refused rather than overwriting it."""
    return hashlib.sha256(repr([getattr(doc, f) for f in EDITABLE]).encode()).hexdigest()[:16]


class SourceForm(Styled, forms.ModelForm):
    loaded = forms.CharField(widget=forms.HiddenInput)

    class Meta:
        model = SourceDocument
        fields = EDITABLE
        widgets = {"date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")}


@login_required
def source_list(request: HttpRequest) -> HttpResponse:
    """For those who read everything: unit staff see their tasks' sources through the task list."""
    if not reads_all(request.user):
        raise PermissionDenied
    page = page_of(SourceDocument.objects.order_by("-date", "-id"), request.GET.get("page"), 50)
    rows = list(page.object_list)
    counts = {row["source"]: row for row in Task.objects.actionable().filter(source__in=rows).order_by()
              .values("source").annotate(
                  total=Count("pk"), done=Count("pk", filter=Q(status=S.DONE)),
                  on_schedule=Count("pk", filter=Q(status__in=(S.ON_SCHEDULE, S.AHEAD))),
                  behind=Count("pk", filter=Q(status=S.BEHIND)), overdue=Count("pk", filter=Q(status=S.OVERDUE)),
                  not_started=Count("pk", filter=Q(status=S.NOT_STARTED)),
                  drafts=Count("pk", filter=Q(dispatch_state=Task.Dispatch.DRAFT)))}
    for doc in rows:
        doc.counts = counts.get(doc.pk, {})
    page.object_list = rows
    return render(request, "tasks/source_list.html", {"page": page, "is_manager": is_manager(request.user)})


@login_required
@managers_only
def source_edit(request: HttpRequest, pk: int) -> HttpResponse:
    doc = get_object_or_404(SourceDocument, pk=pk)
    form = SourceForm(request.POST or None, instance=doc, initial={"loaded": _fingerprint(doc)})
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():
            current = SourceDocument.objects.select_for_update().get(pk=pk)
            fresh = form.cleaned_data["loaded"] == _fingerprint(current)
            if fresh:
                services.revise_source_document(request.user, current,
                                                **{f: form.cleaned_data[f] for f in EDITABLE})
        if not fresh:
            messages.error(request, _("This source was changed by someone else while you were editing it; the form "
                                      "now shows the current values."))
            form = SourceForm(instance=current, initial={"loaded": _fingerprint(current)})
            return render(request, "tasks/source_edit.html", {"form": form, "doc": current}, status=409)
        messages.success(request, _("Saved."))
        return redirect("source-list")
    return render(request, "tasks/source_edit.html", {"form": form, "doc": doc},
                  status=400 if request.method == "POST" else 200)
