"""The unit directory: every unit with its short names and its part in tasks, so liaisons and supervisors
agree on who is who."""
from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.db.models import Count, Exists, OuterRef, Prefetch, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from duban.core.pagination import page_of
from duban.tasks.models import TaskUnit
from duban.units.models import Unit, UnitAlias


@login_required
def unit_list(request: HttpRequest) -> HttpResponse:
    q = request.GET.get("q", "").strip()[:50]
    units = Unit.objects.select_related("parent").prefetch_related(
        Prefetch("aliases", queryset=UnitAlias.objects.order_by("name"))
    ).order_by("-active", "name")
    if q:
        units = units.filter(Q(name__icontains=q) | Exists(UnitAlias.objects.filter(unit=OuterRef("pk"),
                                                                                  name__icontains=q)))
    page = page_of(units, request.GET.get("page"), 100)
    # Task counts for this page's units only: counting for every unit before paging grouped all 140,000
    # task-unit rows of a province on each request.
    rows = list(page.object_list)
    counts = {row["unit"]: row for row in TaskUnit.objects.filter(unit__in=[u.pk for u in rows]).order_by().values("unit")
              .annotate(lead=Count("pk", filter=Q(role=TaskUnit.Role.LEAD)), total=Count("pk"))}
    for unit in rows:
        unit.lead_count = counts.get(unit.pk, {}).get("lead", 0)
        unit.task_count = counts.get(unit.pk, {}).get("total", 0)
    page.object_list = rows
    return render(request, "site/unit_list.html", {"page": page, "q": q})
