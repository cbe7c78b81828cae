"""How unit names as written resolve against the unit directory, for the preview and for the import itself.

Exact names and aliases resolve directly; other spellings go through the tolerant matcher (区卫健委 ~
区卫生健康委员会); collective names (各街道) expand to the units of that kind; anything else becomes a new unit.
The import uses the same answers the preview showed, and remembers a tolerant match as a new alias.
"""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from duban.ingest.suggest import LeadSuggester, Suggestion, with_heading
from duban.ingest.unitmatch import UnitDirectory
from duban.tasks.models import Task, TaskUnit
from duban.units.models import Unit, UnitAlias
from duban.units.names import normalise_name
from duban.units.services import add_aliases, create_unit

GROUP_KINDS = {
    "subdistricts": Unit.Kind.STREET,
    "towns": Unit.Kind.STREET,
    "districts": Unit.Kind.GOVERNMENT,
    "departments": Unit.Kind.DEPARTMENT,
}
SUGGESTION_EXAMPLES = 5000


@dataclass
class Resolved:
    name: str
    state: str  # known | matched | ambiguous | group | new
    unit: Unit | None = None
    members: list[Unit] = field(default_factory=list)
    candidates: list[Unit] = field(default_factory=list)
    score: float = 1.0


class Resolver:
    """The directory loaded once (two queries), then any number of lookups."""

    def __init__(self) -> None:
        names: dict[int, list[str]] = defaultdict(list)
        self.exact: dict[str, Unit] = {}
        for alias in UnitAlias.objects.select_related("unit").filter(unit__active=True):
            names[alias.unit_id].append(alias.name)
            self.exact[alias.key] = alias.unit
        self.units = {u.pk: u for u in self.exact.values()}
        self.directory = UnitDirectory.of(names.items())
        self.by_kind: dict[str, list[Unit]] = defaultdict(list)
        for unit in sorted(self.units.values(), key=lambda u: u.name):
            self.by_kind[unit.kind].append(unit)

    def resolve(self, name: str) -> Resolved:
        if unit := self.exact.get(normalise_name(name)):
            return Resolved(name, "known", unit)
        match = self.directory.match(name)
        if match.kind == "group":
            return Resolved(name, "group", members=self.by_kind.get(GROUP_KINDS.get(match.group, ""), []))
        if match.kind == "unit":
            return Resolved(name, "matched", self.units[match.unit_id], score=match.score)
        if match.reason == "ambiguous":
            return Resolved(name, "ambiguous", candidates=[self.units[c] for c in match.candidates])
        return Resolved(name, "new")

    def linked(self, name: str) -> list[Unit | None]:
        """The units the import would link for ``name``, without creating any (None: a unit to be created)."""
        found = self.resolve(name)
        if found.state == "group":
            return list(found.members)
        return [found.unit]

    def units_for(self, actor: Any, name: str) -> list[Unit]:
        """What the import links for a name: the unit (remembering a new spelling), a group's members, or a
        new unit."""
        found = self.resolve(name)
        if found.state == "known":
            return [found.unit]
        if found.state == "matched":
            add_aliases(actor, found.unit, [name])
            self.exact[normalise_name(name)] = found.unit
            return [found.unit]
        if found.state == "group":
            return found.members
        unit = create_unit(actor, name.strip())
        self.exact[normalise_name(name)] = unit
        return [unit]


def lead_suggester() -> LeadSuggester | None:
    """Learned from the tasks already in the database: their text and their first lead unit."""
    rows = (TaskUnit.objects.filter(role=TaskUnit.Role.LEAD, order=0, task__kind__in=(Task.Kind.TASK, Task.Kind.SUBTASK))
            .order_by("-task_id").values_list("task__heading", "task__text", "unit_id")[:SUGGESTION_EXAMPLES])
    examples = [(with_heading(heading, text), unit) for heading, text, unit in rows]
    return LeadSuggester.train(examples) if examples else None


def suggestions(suggester: LeadSuggester | None, item: dict[str, Any], units: dict[int, Unit]) -> list[tuple[Unit, Suggestion]]:
    if suggester is None or item.get("lead_units"):
        return []
    found = suggester.suggest(with_heading(item.get("heading"), item.get("text", "")), k=3)
    return [(units[s.unit_id], s) for s in found if s.unit_id in units]
