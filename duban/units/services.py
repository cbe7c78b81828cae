"""Writes to the unit directory. Every unit is findable by its full name, short name and aliases."""
from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db import transaction

from duban.core import audit
from duban.core.actions import Action
from duban.units.models import Unit, UnitAlias
from duban.units.names import normalise_name


def find_unit(name: str) -> Unit | None:
    """The unit known by ``name`` (full name, short name or alias, punctuation width ignored)."""
    alias = UnitAlias.objects.select_related("unit").filter(key=normalise_name(name)).first()
    return alias.unit if alias else None


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
