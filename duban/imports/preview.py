"""What the preview shows for each proposed task: how its unit names resolve, a suggested lead unit where it
has none, and how it compares with an earlier import. A fixed number of queries whatever the number of tasks."""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from duban.imports.models import ImportDraft
from duban.imports.resolution import Resolved, Resolver, lead_suggester, suggestions
from duban.tasks.importer import Change, compare

SPLIT = re.compile(r"[、,，;；\s]+")


def split_units(text: str) -> list[str]:
    """A unit field as typed by the supervisor: names separated by 、 , ; or spaces."""
    return [name for name in SPLIT.split(text.strip()) if name]


@dataclass
class Row:
    index: int
    item: dict[str, Any]
    lead: list[Resolved]
    support: list[Resolved]
    change: Change
    suggested: list = field(default_factory=list)

    @property
    def flagged(self) -> bool:
        return bool(self.item.get("needs_review")) or not self.lead or any(
            u.state not in ("known", "group") for u in self.lead + self.support)


def build_rows(draft: ImportDraft) -> tuple[list[Row], list, dict[str, int]]:
    resolver = Resolver()
    suggester = lead_suggester()
    items = draft.parsed["tasks"]

    changes, removed = compare(items, draft.previous, resolver.linked)
    rows = [Row(i, item, [resolver.resolve(n) for n in item.get("lead_units", [])],
                [resolver.resolve(n) for n in item.get("support_units", [])], change,
                suggestions(suggester, item, resolver.units))
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
