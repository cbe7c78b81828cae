"""What the preview shows for each proposed task: how its unit names resolve, and how it compares with an
earlier import. Built with a fixed number of queries whatever the number of tasks."""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from duban.imports.models import ImportDraft
from duban.tasks.importer import Change, compare
from duban.units.models import Unit, UnitAlias
from duban.units.names import normalise_name

SPLIT = re.compile(r"[、,，;；\s]+")
GROUP = re.compile(r"^(各|区直各|市直各|县直各|全体|所有)|各(有关|相关|成员)?(单位|部门)$")


def split_units(text: str) -> list[str]:
    """A unit field as typed by the supervisor: names separated by 、 , ; or spaces."""
    return [name for name in SPLIT.split(text.strip()) if name]


class Directory:
    """The unit directory in memory for one preview: one query, then lookups by normalised name."""

    def __init__(self) -> None:
        self.by_key = {a.key: a.unit for a in UnitAlias.objects.select_related("unit")}

    def find(self, name: str) -> Unit | None:
        return self.by_key.get(normalise_name(name))


@dataclass
class UnitName:
    name: str
    unit: Unit | None
    is_group: bool

    @property
    def state(self) -> str:
        return "known" if self.unit else ("group" if self.is_group else "new")


@dataclass
class Row:
    index: int
    item: dict[str, Any]
    lead: list[UnitName]
    support: list[UnitName]
    change: Change

    @property
    def flagged(self) -> bool:
        return bool(self.item.get("needs_review")) or not self.lead or any(
            u.state != "known" for u in self.lead + self.support)


def build_rows(draft: ImportDraft) -> tuple[list[Row], list, dict[str, int]]:
    directory = Directory()

    def named(names: list[str]) -> list[UnitName]:
        return [UnitName(n, directory.find(n), bool(GROUP.search(n))) for n in names]

    items = draft.parsed["tasks"]
    changes, removed = compare(items, draft.previous, directory.find)
    rows = [Row(i, item, named(item.get("lead_units", [])), named(item.get("support_units", [])), change)
            for i, (item, change) in enumerate(zip(items, changes))]
    new_units = {u.name for r in rows for u in r.lead + r.support if u.state == "new"}
    summary = {
        "tasks": len(rows),
        "included": sum(1 for r in rows if r.item.get("include", True)),
        "flagged": sum(1 for r in rows if r.flagged),
        "new_units": len(new_units),
        "new": sum(1 for c in changes if c.state == "new"),
        "changed": sum(1 for c in changes if c.state == "changed"),
        "unchanged": sum(1 for c in changes if c.state == "unchanged"),
        "removed": len(removed),
    }
    return rows, removed, summary
