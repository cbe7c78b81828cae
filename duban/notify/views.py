"""The inbox pages: the list (unread first), marking read, and the person's own preferences."""
from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import BooleanField, ExpressionWrapper, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from duban.core.pagination import page_of
from duban.notify import services
from duban.notify.forms import PreferenceForm

UNREAD_FIRST = ExpressionWrapper(Q(read_at__isnull=True), output_field=BooleanField())


@login_required
def inbox(request: HttpRequest) -> HttpResponse:
    only_unread = request.GET.get("unread") == "1"
    qs = services.mine(request.user)
    if only_unread:
        qs = qs.filter(read_at__isnull=True)
    page = page_of(qs.order_by(UNREAD_FIRST.desc(), "-created_at", "-id"), request.GET.get("page"))
    return render(request, "notify/inbox.html", {"page": page, "only_unread": only_unread})


@login_required
@require_POST
def read(request: HttpRequest, pk: int) -> HttpResponse:
    """Mark one read; with ``open`` go on to the notification's own link (never to an address posted)."""
    note = services.mark_read(request.user, pk)
    safe = note.link and url_has_allowed_host_and_scheme(note.link, allowed_hosts=None)
    if request.POST.get("open") and safe:
        return redirect(note.link)
    return redirect("notify-inbox")


@login_required
@require_POST
def read_all(request: HttpRequest) -> HttpResponse:
    count = services.mark_all_read(request.user)
    if count:
        messages.success(request, _("Marked %(count)d notifications as read.") % {"count": count})
    return redirect("notify-inbox")


@login_required
@require_http_methods(["GET", "POST"])
def preferences(request: HttpRequest) -> HttpResponse:
    pref = services.preference_for(request.user)
    form = PreferenceForm(request.POST if request.method == "POST" else None,
                          initial={"email": pref.email and bool(request.user.email)})
    if request.method == "POST" and form.is_valid():
        services.set_preferences(request.user, email=form.cleaned_data["email"])
        messages.success(request, _("Your notification settings were saved."))
        return redirect("notify-settings")
    return render(request, "notify/settings.html", {"form": form, "has_email": bool(request.user.email)})
