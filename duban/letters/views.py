"""Letters of the escalation ladder: the overview, one letter, and its acknowledgement by the recipient."""
from __future__ import annotations

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from duban.core.navigation import attempt
from duban.letters import services
from duban.letters.access import can_answer_letter, visible_letters
from duban.letters.models import Letter


@login_required
def letter_list(request: HttpRequest) -> HttpResponse:
    letters = visible_letters(request.user).select_related("task", "unit")
    level = request.GET.get("level", "")
    if level in {c.value for c in Letter.Level}:
        letters = letters.filter(level=level)
    opened = bool(request.GET.get("open"))
    if opened:
        letters = letters.filter(acknowledged_at__isnull=True)
    counts = visible_letters(request.user).aggregate(
        total=Count("pk"), open=Count("pk", filter=Q(acknowledged_at__isnull=True)),
        blue=Count("pk", filter=Q(level="blue")), yellow=Count("pk", filter=Q(level="yellow")),
        red=Count("pk", filter=Q(level="red")))
    paginator = Paginator(letters, settings.DUBAN_PAGE_SIZE)
    # The figures above already hold the list's length unless both filters apply: no second COUNT.
    known = {(False, ""): counts["total"], (True, ""): counts["open"],
             **{(False, lv): counts[lv] for lv in ("blue", "yellow", "red")}}.get((opened, level))
    if known is not None:
        paginator.count = known
    return render(request, "letters/letter_list.html", {
        "page": paginator.get_page(request.GET.get("page")), "counts": counts, "level": level,
    })


@login_required
def letter_detail(request: HttpRequest, pk: int) -> HttpResponse:
    letter = get_object_or_404(visible_letters(request.user).select_related(
        "task", "unit", "acknowledged_by").prefetch_related("addressees"), pk=pk)
    return render(request, "letters/letter_detail.html", {
        "letter": letter, "can_answer": can_answer_letter(request.user, letter)})


@login_required
@require_POST
def letter_acknowledge(request: HttpRequest, pk: int) -> HttpResponse:
    letter = get_object_or_404(visible_letters(request.user), pk=pk)
    if not can_answer_letter(request.user, letter):
        raise PermissionDenied
    attempt(request, lambda: services.acknowledge_letter(request.user, letter,
                                                         request.POST.get("response", "").strip()[:2000]),
            _("Letter acknowledged."))
    return redirect("letter-detail", pk=letter.pk)
