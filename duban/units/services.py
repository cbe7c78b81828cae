"""Writes to the unit directory. Every unit is findable by its full name, short name and aliases."""
from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from typing import Any

from django.db import transaction
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
