"""The unit directory: every unit with its short names, so liaisons and supervisors agree on who is who."""
from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.db.models import Count, Prefetch, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from duban.core.pagination import page_of
from duban.units.models import Unit, UnitAlias


@login_required
def unit_list(request: HttpRequest) -> HttpResponse:
    q = request.GET.get("q", "").strip()[:50]
    units = Unit.objects.select_related("parent").prefetch_related(
        Prefetch("aliases", queryset=UnitAlias.objects.order_by("name"))
    ).annotate(
        lead_count=Count("task_units", filter=Q(task_units__role="lead")),
        task_count=Count("task_units"),
    ).order_by("-active", "name")
    if q:
        units = units.filter(Q(name__icontains=q) | Q(aliases__name__icontains=q)).distinct()
    return render(request, "units/unit_list.html", {"page": page_of(units, request.GET.get("page"), 100), "q": q})
