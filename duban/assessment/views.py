"""Assessment pages: schemes, rankings by unit / area / leader, a unit's score items, and the office's actions.

Who sees what: supervisors, admins and leaders read everything; unit staff see their own unit's score, and other
units' scores only when the scheme's public rankings are on (off by default)."""
from __future__ import annotations

from decimal import Decimal, InvalidOperation

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Count, Sum
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from duban.assessment import services
from duban.assessment.models import Scheme, ScoreItem, ScoreRun, ScoreTotal
from duban.core.navigation import attempt
from duban.core.pagination import page_of
from duban.people.access import is_manager, managers_only, reads_all
from duban.units.models import Unit
from duban.units.options import display_names, unit_options


def _sees_all(user, scheme: Scheme) -> bool:
    return reads_all(user) or scheme.public_rankings


def _run(scheme: Scheme) -> ScoreRun | None:
    return ScoreRun.objects.filter(scheme=scheme).select_related("ran_by").first()


@login_required
def scheme_list(request: HttpRequest) -> HttpResponse:
    schemes = Scheme.objects.select_related("run")
    own: dict[int, ScoreTotal] = {}
    if request.user.is_unit_staff and request.user.unit_id:
        own = {t.run.scheme_id: t for t in ScoreTotal.objects.filter(
            subject=ScoreTotal.Subject.UNIT, unit_id=request.user.unit_id).select_related("run")}
    page = page_of(schemes, request.GET.get("page"))
    for scheme in page:
        scheme.own = own.get(scheme.pk)
    return render(request, "assessment/scheme_list.html", {"page": page})


@login_required
def scheme_detail(request: HttpRequest, pk: int) -> HttpResponse:
    scheme = get_object_or_404(Scheme, pk=pk)
    run = _run(scheme)
    totals = ScoreTotal.objects.filter(run__scheme=scheme).select_related("unit")
    sees_all = _sees_all(request.user, scheme)
    context: dict = {"scheme": scheme, "run": run, "sees_all": sees_all,
                     "manager": is_manager(request.user)}
    if sees_all:
        units = totals.filter(subject=ScoreTotal.Subject.UNIT).order_by("rank", "name")
        context.update(
            page=page_of(units, request.GET.get("page")),
            areas=list(totals.filter(subject=ScoreTotal.Subject.AREA).order_by("rank", "name")[:100]),
            leaders=list(totals.filter(subject=ScoreTotal.Subject.LEADER).order_by("rank", "name")[:100]),
        )
        if scheme.lists_enabled:
            context.update(honour=list(units.filter(honour=True)[:100]), warning=list(units.filter(warning=True)[:100]))
    elif request.user.is_unit_staff and request.user.unit_id:
        context["own"] = totals.filter(subject=ScoreTotal.Subject.UNIT, unit_id=request.user.unit_id).first()
    if context["manager"]:
        context["unit_options"] = unit_options(display_names(Unit.objects.filter(active=True)))
        context["bonuses"] = list(scheme.bonuses.select_related("unit", "created_by").order_by("-id")[:50])
    return render(request, "assessment/scheme_detail.html", context)


@login_required
def unit_score(request: HttpRequest, pk: int, unit_id: int) -> HttpResponse:
    scheme = get_object_or_404(Scheme, pk=pk)
    own = request.user.is_unit_staff and request.user.unit_id == unit_id
    if not (own or _sees_all(request.user, scheme)):
        raise Http404
    unit = get_object_or_404(Unit, pk=unit_id)
    run = _run(scheme)
    total = (ScoreTotal.objects.filter(run=run, subject=ScoreTotal.Subject.UNIT, unit=unit).first()
             if run else None)
    # Items are written in the rules' order (components, then deductions, then bonuses), so id order reads well.
    items = ScoreItem.objects.filter(run=run, unit=unit).order_by("id") if run else ScoreItem.objects.none()
    kinds = list(ScoreItem.Kind)
    summary = sorted(items.order_by().values("kind").annotate(points=Sum("points"), n=Count("id")),
                     key=lambda row: kinds.index(row["kind"]) if row["kind"] in kinds else len(kinds))
    for row in summary:
        row["label"] = ScoreItem.Kind(row["kind"]).label if row["kind"] in kinds else row["kind"]
    return render(request, "assessment/unit_score.html", {
        "scheme": scheme, "run": run, "unit": unit, "total": total, "summary": summary,
        "sees_rank": _sees_all(request.user, scheme),
        "page": page_of(items, request.GET.get("page"), 100),
    })


@login_required
@require_POST
@managers_only
def run_scoring(request: HttpRequest, pk: int) -> HttpResponse:
    scheme = get_object_or_404(Scheme, pk=pk)
    attempt(request, lambda: services.run_scoring(scheme, request.user), _("Scores recalculated."))
    return redirect("assessment-scheme", pk=scheme.pk)


@login_required
@require_POST
@managers_only
def add_bonus(request: HttpRequest, pk: int) -> HttpResponse:
    scheme = get_object_or_404(Scheme, pk=pk)
    unit = Unit.objects.filter(pk=request.POST.get("unit") or 0).first() if (
        request.POST.get("unit", "").isdigit()) else None
    try:
        points = Decimal(request.POST.get("points", "").strip())
    except InvalidOperation:
        points = None
    if unit is None or points is None or not points.is_finite() or abs(points) >= 1000:
        messages.error(request, _("Choose a unit and enter the points."))
    else:
        attempt(request, lambda: services.add_bonus(request.user, scheme, unit, points,
                                                    request.POST.get("reason", "")),
                _("Saved. It counts from the next scoring run."))
    return redirect("assessment-scheme", pk=scheme.pk)
