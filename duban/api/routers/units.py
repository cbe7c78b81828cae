"""/api/v1/units: the unit directory with its short names."""
from __future__ import annotations

from django.db.models import Prefetch
from django.http import HttpRequest
from ninja import Router

from duban.api.pagination import page
from duban.api.schemas import Page, UnitOut
from duban.units.models import Unit, UnitAlias

router = Router(tags=["units"])


@router.get("", response=Page[UnitOut])
def list_units(request: HttpRequest):  # noqa: ANN201
    qs = Unit.objects.prefetch_related(Prefetch("aliases", queryset=UnitAlias.objects.order_by("name")))
    meta, items = page(request, qs.order_by("name"))
    return {**meta, "results": [{**{f: getattr(u, f) for f in ("id", "name", "short_name", "kind", "parent_id",
                                                              "active")},
                                 "aliases": [a.name for a in u.aliases.all()]} for u in items]}
