"""/api/v1/units: the unit directory with its short names; the office adds and changes units (as the directory
pages do, through duban.units.services), an edit refused with 409 when ``version`` is no longer the unit's."""
from __future__ import annotations

from django.db.models import Prefetch
from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from ninja import Router, Schema, Status
from pydantic import ConfigDict

from duban.api.pagination import page
from duban.api.schemas import ErrorOut, Page, UnitOut
from duban.core.errors import ActionRefused
from duban.people.access import is_manager
from duban.units import services
from duban.units.models import Unit, UnitAlias
from duban.units.rows import NAME_MAX, SHORT_MAX

router = Router(tags=["units"])


def _unit(u: Unit) -> dict:
    return {**{f: getattr(u, f) for f in ("id", "name", "short_name", "kind", "parent_id", "active", "version")},
            "aliases": [a.name for a in u.aliases.all()]}


def _with_aliases():  # noqa: ANN202
    return Unit.objects.prefetch_related(Prefetch("aliases", queryset=UnitAlias.objects.order_by("name")))


@router.get("", response=Page[UnitOut])
def list_units(request: HttpRequest):  # noqa: ANN201
    meta, items = page(request, _with_aliases().order_by("name"))
    return {**meta, "results": [_unit(u) for u in items]}


class UnitIn(Schema):
    """A unit to add. ``kind``: department, street, soe, superior, vertical, government or other; ``parent``
    by id or name."""

    model_config = ConfigDict(extra="forbid")
    name: str
    short_name: str = ""
    kind: str = Unit.Kind.DEPARTMENT
    parent: int | str | None = None
    aliases: list[str] = []


class UnitPatch(Schema):
    """The fields to change, with the ``version`` the caller read; ``aliases`` replaces the other names (a
    renamed unit keeps its old names either way); ``active`` false deactivates."""

    model_config = ConfigDict(extra="forbid")
    version: int
    name: str | None = None
    short_name: str | None = None
    kind: str | None = None
    parent: int | str | None = None
    aliases: list[str] | None = None
    active: bool | None = None


def _checked(name: str, short_name: str, kind: str) -> None:
    if not name.strip():
        raise ActionRefused(_("A unit needs its full name."))
    if len(name) > NAME_MAX or len(short_name) > SHORT_MAX:
        raise ActionRefused(_("A full name may have at most %(name)d characters, a short name %(short)d.")
                            % {"name": NAME_MAX, "short": SHORT_MAX})
    if kind not in Unit.Kind.values:
        raise ActionRefused(_("Unknown kind %(value)s; use one of: %(choices)s.")
                            % {"value": kind, "choices": ", ".join(Unit.Kind.values)})


def _parent(given: int | str | None) -> Unit | None:
    if given in (None, ""):
        return None
    unit = Unit.objects.filter(pk=given).first() if isinstance(given, int) else services.find_unit(given)
    if unit is None:
        raise ActionRefused(_("Not in the unit directory: %(name)s.") % {"name": given})
    return unit


@router.post("", response={201: UnitOut, 400: ErrorOut, 403: ErrorOut})
def create_unit(request: HttpRequest, payload: UnitIn):  # noqa: ANN201
    """Add a unit to the directory (the office only)."""
    if not is_manager(request.user):
        return Status(403, {"detail": _("Only the supervision office changes the unit directory.")})
    try:
        _checked(payload.name, payload.short_name, payload.kind)
        unit = services.create_unit(request.user, payload.name.strip(), short_name=payload.short_name.strip(),
                                    aliases=payload.aliases, kind=payload.kind, parent=_parent(payload.parent))
    except ActionRefused as exc:
        return Status(400, {"detail": str(exc)})
    return Status(201, _unit(_with_aliases().get(pk=unit.pk)))


@router.patch("/{int:unit_id}", response={200: UnitOut, 400: ErrorOut, 403: ErrorOut, 404: ErrorOut,
                                          409: ErrorOut})
def patch_unit(request: HttpRequest, unit_id: int, payload: UnitPatch):  # noqa: ANN201
    """Rename, reclassify, move or (de)activate a unit (the office only)."""
    if not is_manager(request.user):
        return Status(403, {"detail": _("Only the supervision office changes the unit directory.")})
    unit = get_object_or_404(Unit.objects.select_related("parent"), pk=unit_id)
    given = payload.dict(exclude_unset=True)
    if given["version"] != unit.version:
        return Status(409, {"detail": _("This unit was changed by someone else since you read it; read it again.")})
    try:
        name, short = given.get("name", unit.name), given.get("short_name", unit.short_name)
        kind = given.get("kind", unit.kind)
        _checked(name or "", short or "", kind or "")
        if given.keys() - {"version", "active"}:
            unit = services.update_unit(
                request.user, unit, version=payload.version, name=name, short_name=short or "", kind=kind,
                parent=_parent(given["parent"]) if "parent" in given else unit.parent,
                aliases=given.get("aliases"))
        if given.get("active") is not None:
            services.set_active(request.user, unit, given["active"])
    except services.StaleUnit as exc:
        return Status(409, {"detail": str(exc)})
    except ActionRefused as exc:
        return Status(400, {"detail": str(exc)})
    return Status(200, _unit(_with_aliases().get(pk=unit.pk)))
