"""Which of the task list's drill-down filters the filter form has no field for, and the links that drop them.

The task chart links to the list with filters such as ``unit=7&role=lead`` or ``reports_due=2026-11&report=late``
(duban.tasks.filters). The form must resend them when a field changes (hidden inputs), and show them, so that a
leader who came from the chart sees what the list is limited to and can drop each one (chips). Pure: works on
any object with TaskFilter's attributes.
"""
from __future__ import annotations

from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

NONE = "none"


@dataclass(frozen=True)
class Chip:
    key: str  # role, status, area, leader, light, overdue, due, due_within, reports_due
    drops: tuple[str, ...]  # the query parameters removing the chip takes away


def carried(f: Any) -> list[tuple[str, str]]:
    """The filters without a form field, as (name, value) in their normalised form; role only with a unit and
    report only with reports_due, since neither means anything alone."""
    out: list[tuple[str, str]] = []
    if f.unit and f.role:
        out.append(("role", f.role))
    if f.leader:
        out.append(("leader", f.leader))
    if f.light:
        out.append(("light", f.light))
    if f.overdue:
        out.append(("overdue", "1"))
    if f.due:
        out.append(("due", f.due))
    if f.due_within is not None:
        out.append(("due_within", str(f.due_within)))
    if f.reports_due:
        out.append(("reports_due", f.reports_due))
        if f.report:
            out.append(("report", f.report))
    return out


def unlisted_status(f: Any, listed: Collection[str]) -> bool:
    """The status filter is one the status dropdown cannot show (on_schedule,ahead; done_only; open)."""
    return bool(f.status) and f.status not in listed


def chips(f: Any, listed_statuses: Collection[str]) -> list[Chip]:
    """The active filters to show as removable chips, in the order of the form."""
    out: list[Chip] = []
    if f.unit and f.role:
        out.append(Chip("role", ("unit", "role")))
    if unlisted_status(f, listed_statuses):
        out.append(Chip("status", ("status",)))
    if f.area == NONE:
        out.append(Chip("area", ("area",)))
    for key in ("leader", "light", "overdue", "due"):
        if getattr(f, key):
            out.append(Chip(key, (key,)))
    if f.due_within is not None:
        out.append(Chip("due_within", ("due_within",)))
    if f.reports_due:
        out.append(Chip("reports_due", ("reports_due", "report")))
    return out


def without(path: str, query: Iterable[tuple[str, str]], drop: Sequence[str]) -> str:
    """``path`` with ``query`` less the ``drop`` parameters (and the page number, which no longer applies)."""
    kept = [(k, v) for k, v in query if k not in drop and k != "page" and v != ""]
    return f"{path}?{urlencode(kept)}" if kept else path
