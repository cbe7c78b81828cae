"""Importing the unit directory from a list (duban.units.rows): a preview of what each row will do, then all
of it in one transaction. A row matches an existing unit by its full name, short name or any alias; a match
gets the 简称, 类别, 上级单位 and 别名 the list gives (a blank cell changes nothing) and is never renamed, so
a re-import of the same list changes nothing."""
from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.db.models import Count, Max, Sum
from django.utils.translation import gettext as _

from duban.core.errors import ActionRefused
from duban.units.models import Unit
from duban.units.names import normalise_name
from duban.units.rows import UnitRow, guess_kind
from duban.units.services import create_unit, find_unit, other_names, update_unit


@dataclass
class Planned:
    row: UnitRow
    unit: Unit | None  # the existing unit the row matched
    kind: str  # the kind the unit will have
    changes: list[str] = field(default_factory=list)  # what an existing unit gets, in words
    matched_as: str = ""  # the existing unit's full name when the row named it otherwise

    @property
    def action(self) -> str:
        if self.row.errors:
            return "error"
        if self.unit is None:
            return "create"
        return "update" if self.changes else "same"

    @property
    def kind_label(self) -> str:
        return str(Unit.Kind(self.kind).label)


def plan(rows: list[UnitRow]) -> list[Planned]:
    """What each row will do; a row that cannot be applied gets its reason in ``row.errors``."""
    in_file = {normalise_name(r.name) for r in rows if r.name}
    planned = []
    for row in rows:
        unit = find_unit(row.name) if row.name else None
        kind = row.kind or (unit.kind if unit else guess_kind(row.name))
        item = Planned(row, unit, kind)
        if row.parent and normalise_name(row.parent) not in in_file and find_unit(row.parent) is None:
            row.errors.append(_("Higher-level unit %(name)s is neither in the directory nor in this list.")
                              % {"name": row.parent})
        if row.parent and normalise_name(row.parent) == normalise_name(row.name):
            row.errors.append(_("A unit cannot be its own higher-level unit."))
        for other in [row.short_name, *row.aliases]:
            owner = find_unit(other) if other else None
            if owner is not None and owner != unit:
                row.errors.append(_("%(name)s already stands for %(unit)s.") % {"name": other, "unit": owner.name})
        if unit is not None:
            if normalise_name(unit.name) != normalise_name(row.name):
                item.matched_as = unit.name
            if row.short_name and row.short_name != unit.short_name:
                item.changes.append(_("short name %(value)s") % {"value": row.short_name})
            if row.kind and row.kind != unit.kind:
                item.changes.append(_("kind %(value)s") % {"value": item.kind_label})
            parent = find_unit(row.parent) if row.parent else None
            if row.parent and (parent is None or parent.pk != unit.parent_id):
                item.changes.append(_("higher-level unit %(value)s") % {"value": row.parent})
            known = {a.key for a in unit.aliases.all()}
            new_aliases = [a for a in row.aliases if normalise_name(a) not in known]
            if new_aliases:
                item.changes.append(_("other names %(value)s") % {"value": "、".join(new_aliases)})
            if not unit.active:
                row.errors.append(_("%(name)s is deactivated; reactivate it in the directory first.")
                                  % {"name": unit.name})
        planned.append(item)
    return planned


def fingerprint() -> str:
    """A digest of the directory's state: an import confirmed after someone changed it is refused."""
    state = Unit.objects.aggregate(n=Count("pk"), v=Sum("version"), last=Max("pk"))
    return hashlib.sha256(repr(sorted(state.items())).encode()).hexdigest()[:16]


@dataclass
class Outcome:
    created: int = 0
    updated: int = 0
    unchanged: int = 0


@transaction.atomic
def apply(actor: Any, rows: list[UnitRow], *, expected: str | None = None) -> Outcome:
    """Apply the whole list or nothing; ``expected`` is the fingerprint the preview was made at."""
    if expected is not None and expected != fingerprint():
        raise ActionRefused(_("The unit directory changed after the preview; please preview the list again."))
    planned = plan(rows)
    bad = [p.row for p in planned if p.row.errors]
    if bad:
        raise ActionRefused(_("Nothing was imported: %(n)d rows have errors, for example row %(line)d: "
                              "%(error)s") % {"n": len(bad), "line": bad[0].line, "error": bad[0].errors[0]})
    outcome = Outcome()
    pending = list(planned)
    while pending:  # parents first: a row waits while its higher-level unit is still to be created
        ready = [p for p in pending if not p.row.parent or find_unit(p.row.parent) is not None]
        if not ready:
            raise ActionRefused(_("The higher-level units in the list go round in a circle: %(names)s.")
                                % {"names": "、".join(p.row.name for p in pending)})
        for item in ready:
            _apply_one(actor, item, outcome)
        pending = [p for p in pending if p not in ready]
    return outcome


def _apply_one(actor: Any, item: Planned, outcome: Outcome) -> None:
    row = item.row
    parent = find_unit(row.parent) if row.parent else None
    if item.unit is None:
        create_unit(actor, row.name, short_name=row.short_name, aliases=row.aliases, kind=item.kind,
                    parent=parent)
        outcome.created += 1
        return
    unit = item.unit
    if not item.changes:
        outcome.unchanged += 1
        return
    unit.refresh_from_db()
    update_unit(actor, unit, version=None, name=unit.name, short_name=row.short_name or unit.short_name,
                kind=item.kind, parent=parent if row.parent else unit.parent,
                aliases=[*other_names(unit), *row.aliases])
    outcome.updated += 1
