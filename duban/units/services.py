"""Writes to the unit directory. Every unit is findable by its full name, short name and aliases."""
from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from typing import Any

from django.db import models, transaction
from django.db.models import Exists, F, OuterRef
from django.utils.translation import gettext as _

from duban.core import audit
from duban.core.actions import Action
from duban.core.errors import ActionRefused
from duban.units.models import Unit, UnitAlias
from duban.units.names import normalise_name


def find_unit(name: str) -> Unit | None:
    """The unit known by ``name`` (full name, short name or alias, punctuation width ignored)."""
    alias = UnitAlias.objects.select_related("unit").filter(key=normalise_name(name)).first()
    return alias.unit if alias else None


SEPARATORS = re.compile(r"[、，,；;\s]+")  # unit lists as documents and clerks write them: 区住建局、区发改委


def resolve_units(given: Sequence[Any] | str) -> list[Unit]:
    """Units in the order given (a list, or one text separated by 、，；or spaces), by id or by full name,
    short name or alias, without repeats. Unknown and deactivated ones are refused by name (ActionRefused):
    every form, bulk action and API call that names units goes through here."""
    items = SEPARATORS.split(given) if isinstance(given, str) else list(given)
    ids = [int(v) for v in items if isinstance(v, int) or (isinstance(v, str) and v.strip().isdigit())]
    by_id = Unit.objects.in_bulk(ids) if ids else {}
    units: list[Unit] = []
    unknown, inactive = [], []
    for item in items:
        name = str(item).strip()
        if not name:
            continue
        unit = by_id.get(int(name)) if name.isdigit() else find_unit(name)
        if unit is None:
            unknown.append(name)
        elif not unit.active:
            inactive.append(unit.display_name)
        elif unit not in units:
            units.append(unit)
    if unknown:
        raise ActionRefused(_("Not in the unit directory: %(names)s. Add them there first, or check the spelling.")
                            % {"names": "、".join(unknown)})
    if inactive:
        raise ActionRefused(_("Deactivated units cannot take on work: %(names)s.") % {"names": "、".join(inactive)})
    return units


@transaction.atomic
def create_unit(
    actor: Any,
    name: str,
    *,
    short_name: str = "",
    aliases: Iterable[str] = (),
    kind: str = Unit.Kind.DEPARTMENT,
    parent: Unit | None = None,
) -> Unit:
    aliases = list(aliases)
    _check_names(None, [name, short_name, *aliases])
    unit = Unit.objects.create(name=name, short_name=short_name, kind=kind, parent=parent)
    names = _add_aliases(unit, [name, short_name, *aliases])
    audit.record(actor, Action.UNIT_CREATE, unit, summary=name,
                 after={**audit.snapshot(unit, ("name", "short_name", "kind", "parent")), "aliases": names})
    return unit


@transaction.atomic
def add_aliases(actor: Any, unit: Unit, aliases: Iterable[str]) -> list[str]:
    added = _add_aliases(unit, aliases)
    if added:
        audit.record(actor, Action.UNIT_ALIAS, unit, summary=unit.name, after={"aliases": added})
    return added


def _add_aliases(unit: Unit, names: Iterable[str]) -> list[str]:
    existing = set(UnitAlias.objects.filter(unit=unit).values_list("key", flat=True))
    added = []
    for name in names:
        key = normalise_name(name or "")
        if key and key not in existing:
            UnitAlias.objects.create(unit=unit, name=name.strip())
            existing.add(key)
            added.append(name.strip())
    return added


def resolve_or_create(actor: Any, name: str) -> Unit:
    """The unit for a name as written, creating it when the directory does not know it yet."""
    return find_unit(name) or create_unit(actor, name.strip())


FIELDS = ("name", "short_name", "kind", "parent", "active")


class StaleUnit(ActionRefused):
    """Someone else saved the unit since the editor loaded it."""


def other_names(unit: Unit) -> list[str]:
    """The unit's aliases apart from its full and short names, as the edit form lists them."""
    own = {normalise_name(unit.name), normalise_name(unit.short_name)}
    return [a.name for a in unit.aliases.order_by("name") if a.key not in own]


def _check_parent(unit: Unit, parent: Unit | None) -> None:
    seen = parent
    while seen is not None:
        if seen.pk == unit.pk:
            raise ActionRefused(_("A unit cannot be placed under itself or one of its own sub-units."))
        seen = seen.parent


def _check_names(unit: Unit | None, names: Iterable[str]) -> None:
    """Refuse a name that already stands for another unit: one name, one unit, or imports cannot match."""
    keys = {normalise_name(n): n.strip() for n in names if n and n.strip()}
    taken = UnitAlias.objects.filter(key__in=keys).exclude(unit_id=unit.pk if unit else None).select_related("unit")
    clash = [f"{keys[a.key]}({a.unit.name})" for a in taken]
    if clash:
        raise ActionRefused(_("These names already stand for another unit: %(names)s. Merge the two units "
                              "instead.") % {"names": "、".join(clash)})


def _bump(unit: Unit, version: int | None) -> None:
    """Claim the edit with a conditional UPDATE on the version it was loaded at (concurrent edits refused)."""
    claimed = Unit.objects.filter(pk=unit.pk, **({"version": version} if version is not None else {})
                                  ).update(version=F("version") + 1)
    if not claimed:
        raise StaleUnit(_("This unit was changed by someone else since you opened it; please check it "
                              "and save again."))


@transaction.atomic
def update_unit(
    actor: Any,
    unit: Unit,
    *,
    version: int | None,
    name: str,
    short_name: str = "",
    kind: str = Unit.Kind.DEPARTMENT,
    parent: Unit | None = None,
    aliases: Iterable[str] | None = None,
) -> Unit:
    """Rename or reclassify a unit. The old full and short names stay as aliases, so documents written
    before the change still find it. ``aliases`` (if given) replaces the other names; None keeps them."""
    name, short_name = name.strip(), short_name.strip()
    _bump(unit, version)
    _check_parent(unit, parent)
    kept = other_names(unit) if aliases is None else [a.strip() for a in aliases if a.strip()]
    names = [name, short_name, *kept, unit.name, unit.short_name]
    _check_names(unit, names)
    before = {**audit.snapshot(unit, FIELDS), "aliases": sorted(a.name for a in unit.aliases.all())}
    unit.name, unit.short_name, unit.kind, unit.parent = name, short_name, kind, parent
    unit.save(update_fields=["name", "short_name", "kind", "parent"])
    wanted = {normalise_name(n) for n in names if n}
    UnitAlias.objects.filter(unit=unit).exclude(key__in=wanted).delete()
    _add_aliases(unit, names)
    unit.refresh_from_db()
    old, new = audit.changed(before, {**audit.snapshot(unit, FIELDS),
                                      "aliases": sorted(a.name for a in unit.aliases.all())})
    if new:
        audit.record(actor, Action.UNIT_UPDATE, unit, summary=unit.name, before=old, after=new)
    return unit


@transaction.atomic
def set_active(actor: Any, unit: Unit, active: bool, *, version: int | None = None) -> Unit:
    """Deactivate a unit (it takes no new work; its tasks stay and show it is deactivated) or bring it back."""
    if unit.active == active:
        return unit
    _bump(unit, version)
    Unit.objects.filter(pk=unit.pk).update(active=active)
    unit.refresh_from_db()
    audit.record(actor, Action.UNIT_ACTIVATE if active else Action.UNIT_DEACTIVATE, unit, summary=unit.name,
                 before={"active": not active}, after={"active": active})
    return unit


def _references(unit: Unit) -> list[models.ForeignObjectRel]:
    """Every relation that points at a unit from another model (tasks, people, letters, …), found through
    the model registry so this layer need not import the layers above it."""
    return [r for r in Unit._meta.related_objects if r.related_model not in (Unit, UnitAlias)]


def _collisions(rel: models.ForeignObjectRel, keep: Unit, gone: Unit) -> int:
    """Rows of ``gone`` that would duplicate a row of ``keep`` under a uniqueness rule of their model."""
    model, fk = rel.related_model, rel.field.name
    groups = [c.fields for c in model._meta.constraints if isinstance(c, models.UniqueConstraint) and c.fields]
    groups += [tuple(t) for t in model._meta.unique_together]
    count = 0
    for fields in groups:
        others = [f for f in fields if f != fk]
        if fk in fields and others:
            twin = model._default_manager.filter(**{fk: keep}, **{f: OuterRef(f) for f in others})
            count += model._default_manager.filter(**{fk: gone}).filter(Exists(twin)).count()
    return count


@transaction.atomic
def merge_units(actor: Any, keep: Unit, gone: Unit, *, version: int | None = None) -> Unit:
    """Merge ``gone`` into ``keep``: its tasks, people, letters and other records move over, its names
    become aliases of ``keep`` (old documents still match) and it is removed. Refused when both have the
    same record (e.g. both are units of one task), which a person has to settle first."""
    if keep.pk == gone.pk:
        raise ActionRefused(_("Choose another unit to merge with."))
    _bump(keep, None)
    _bump(gone, version)
    clashes = [(rel, _collisions(rel, keep, gone)) for rel in _references(gone) if not rel.many_to_many]
    clashes = [(rel, n) for rel, n in clashes if n]
    if clashes:
        what = "、".join(f"{rel.related_model._meta.verbose_name} {n}" for rel, n in clashes)
        raise ActionRefused(_("Both units have the same records (%(what)s), for example both are units of one "
                              "task; settle those first, then merge.") % {"what": what})
    moved: dict[str, int] = {}
    for rel in _references(gone):
        model = rel.related_model
        if rel.many_to_many:
            for obj in model._default_manager.filter(**{rel.field.name: gone}):
                getattr(obj, rel.field.name).remove(gone)
                getattr(obj, rel.field.name).add(keep)
                key = f"{model._meta.label_lower}.{rel.field.name}"
                moved[key] = moved.get(key, 0) + 1
            continue
        n = model._default_manager.filter(**{rel.field.name: gone}).update(**{rel.field.name: keep})
        if n:
            moved[model._meta.label_lower] = n
    Unit.objects.filter(parent=gone).exclude(pk=keep.pk).update(parent=keep)
    if keep.parent_id == gone.pk:
        Unit.objects.filter(pk=keep.pk).update(parent=gone.parent_id)
    names = sorted(a.name for a in gone.aliases.all())
    UnitAlias.objects.filter(unit=gone).update(unit=keep)
    before = {"merged": audit.snapshot(gone, FIELDS), "aliases": names}
    gone.delete()
    keep.refresh_from_db()
    audit.record(actor, Action.UNIT_MERGE, keep, summary=f"{gone.name} → {keep.name}", before=before,
                 after={"moved": moved})
    return keep
