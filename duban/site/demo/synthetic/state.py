"""What one generation carries from step to step: its parameters, the rows written so far, each task's plan.

The steps (units and people, tasks, reports, letters) each fill in their part of `Run` for the later ones;
ids are assigned here rather than by the database, so the steps refer to each other's rows by id alone."""
from __future__ import annotations

import datetime as dt
import random
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, NamedTuple

from duban.supervision import cadence
from duban.supervision.workdays import WorkCalendar

from .scales import Scale
from .writer import Writer


class LeadReport(NamedTuple):
    """What the ladder reads of the lead unit's report for one period, as the worker would find it."""

    submitted_on: dt.date | None  # None while a draft
    returned_on: tuple[dt.date, ...]


@dataclass
class Plan:
    """One actionable task as generated: what it will look like, before it is written."""

    id: int
    doc: int
    area: str
    start: dt.date
    deadline: dt.date
    cadence: str
    lead: int
    supports: list[int]
    fate: str  # done, ongoing, overdue, ahead, on, behind, idle, suspended
    periods: list[cadence.Period] = field(default_factory=list)
    milestones: list[tuple[str, dt.date, dt.date | None]] = field(default_factory=list)
    extra: dict[str, Any] = field(default_factory=dict)
    row: tuple = ()
    status: str = ""
    ongoing: bool = False
    light: str = ""
    reason: str = ""
    share: float | None = None
    latest_end: dt.date | None = None  # the latest accepted report: its period's end, percent complete
    latest_percent: int | None = None
    has_report: bool = False  # any report beyond a draft
    lead_reports: dict[str, LeadReport] = field(default_factory=dict)  # by period key; absent: never written


@dataclass
class Run:
    """One generation: its parameters, and what each step has written that the later steps refer to."""

    scale: Scale
    seed: int
    today: dt.date
    log: Callable[[str], None]
    rng: random.Random  # one stream for units and tasks, so a seed gives the same office every time
    calendar: WorkCalendar
    batch: str = "gen-"  # username prefix of this run
    counts: dict[str, int] = field(default_factory=dict)
    # units and people
    unit_ids: list[int] = field(default_factory=list)
    unit_names: list[str] = field(default_factory=list)
    head_approval: set[int] = field(default_factory=set)  # units whose head approves reports
    supervisors: list[int] = field(default_factory=list)
    leaders: dict[str, int] = field(default_factory=dict)  # area of work -> leader
    liaison: dict[int, int] = field(default_factory=dict)  # unit -> its liaison
    head: dict[int, int] = field(default_factory=dict)  # unit -> its head
    # documents and tasks
    doc_ids: list[int] = field(default_factory=list)
    doc_dates: list[dt.date] = field(default_factory=list)
    doc_kinds: dict[int, str] = field(default_factory=dict)
    plans: list[Plan] = field(default_factory=list)
    indicators: dict[int, tuple[int, float]] = field(default_factory=dict)  # task -> (indicator id, target)
    task_writer: Writer | None = None  # tasks are written once their reports are known

    def unit_name(self, unit: int) -> str | None:
        """The unit's short name for texts, in offices small enough that naming it helps (else None)."""
        return self.unit_names[self.unit_ids.index(unit)] if len(self.unit_ids) < 300 else None
