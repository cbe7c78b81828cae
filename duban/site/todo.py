"""A unit's to-do list (待办): what it must acknowledge, report, correct, approve or answer — in a fixed
number of queries, so the home page stays fast however many tasks a unit has.

A province's busiest unit owes over a thousand reports at once, so each section lists at most ``LIMIT`` items,
most urgent first, with the full count beside it; the reports section pages through the rest."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.core.paginator import Page, Paginator
from django.db.models import Exists, F, OuterRef, Q, QuerySet
from django.utils import timezone

from duban.letters.models import Letter
from duban.people.models import Role, User
from duban.tasks.models import Task, TaskUnit
from duban.tasks.reporting.models import ProgressReport, ReportingPeriod

LIMIT = 20
SECTIONS = ("acknowledge", "report", "returned", "approve", "letters")


@dataclass
class Todo:
    acknowledge: list[Task] = field(default_factory=list)
    report: list[tuple[Task, ReportingPeriod]] = field(default_factory=list)
    returned: list[ProgressReport] = field(default_factory=list)
    approve: list[ProgressReport] = field(default_factory=list)
    letters: list[Letter] = field(default_factory=list)
    counts: dict[str, int] = field(default_factory=lambda: dict.fromkeys(SECTIONS, 0))
    report_page: Page | None = None

    @property
    def total(self) -> int:
        return sum(self.counts.values())

    def more(self) -> dict[str, int]:
        """How many items of each section are not listed (beyond ``LIMIT``)."""
        return {name: self.counts[name] - len(getattr(self, name)) for name in SECTIONS if name != "report"}


@dataclass
class _Sources:
    acknowledge: QuerySet[Task]
    active: QuerySet[Task]
    owed: QuerySet[ReportingPeriod]  # started periods still without a sent report, of open tasks
    returned: QuerySet[ProgressReport]
    approve: QuerySet[ProgressReport] | None
    letters: QuerySet[Letter]


def _sources(user: User, today: dt.date) -> _Sources:
    unit = user.unit_id
    mine = Task.objects.actionable().filter(Exists(TaskUnit.objects.filter(task=OuterRef("pk"), unit_id=unit)))
    lead = TaskUnit.objects.filter(task=OuterRef("pk"), unit_id=unit, role=TaskUnit.Role.LEAD)
    active = mine.exclude(dispatch_state=Task.Dispatch.DRAFT).exclude(
        status__in=(Task.Status.DONE, Task.Status.SUSPENDED))
    # Only the periods still owed, found in SQL: loading every started period and report of a unit with a
    # thousand tasks cost over a second.
    owed = (ReportingPeriod.objects.filter(task__in=active.values("pk"), start__lte=today)
            .filter(Q(end__lt=today) | Q(due__lte=today))
            .exclude(Exists(ProgressReport.objects.filter(period=OuterRef("pk"), unit_id=unit)
                            .exclude(state=ProgressReport.State.DRAFT))))
    reports = ProgressReport.objects.filter(unit_id=unit).select_related("task", "period")
    return _Sources(
        acknowledge=mine.filter(Exists(lead), dispatch_state=Task.Dispatch.DISPATCHED),
        active=active,
        owed=owed,
        returned=reports.filter(state=ProgressReport.State.RETURNED),
        approve=reports.filter(state=ProgressReport.State.PENDING_APPROVAL) if user.role == Role.UNIT_HEAD else None,
        # Reminders inform; urging and supervision letters ask for an answer.
        letters=Letter.objects.filter(unit_id=unit, acknowledged_at__isnull=True).exclude(kind=Letter.Kind.REMINDER),
    )


def todo_counts(user: User, today: dt.date | None = None) -> dict[str, int]:
    """The size of each section, for the home page's summary: counts only, nothing listed."""
    counts = dict.fromkeys(SECTIONS, 0)
    if not (user.is_unit_staff and user.unit_id):
        return counts
    src = _sources(user, today or timezone.localdate())
    counts["acknowledge"] = src.acknowledge.count()
    counts["report"] = src.owed.values("task_id").distinct().count()
    counts["returned"] = src.returned.count()
    counts["approve"] = src.approve.count() if src.approve is not None else 0
    counts["letters"] = src.letters.count()
    return counts


def _capped(qs: QuerySet) -> tuple[list, int]:
    """The first ``LIMIT`` rows and the total, counting in SQL only when there are more."""
    rows = list(qs[:LIMIT + 1])
    return rows[:LIMIT], (len(rows) if len(rows) <= LIMIT else qs.count())


def unit_todo(user: User, today: dt.date | None = None, page: str | int | None = 1) -> Todo:
    """The to-do list with each section's most urgent items; ``page`` pages through the reports owed."""
    todo = Todo()
    if not (user.is_unit_staff and user.unit_id):
        return todo
    today = today or timezone.localdate()
    src = _sources(user, today)
    todo.acknowledge, todo.counts["acknowledge"] = _capped(
        src.acknowledge.with_units().order_by(F("ack_due").asc(nulls_last=True), "path"))
    # A task owes its earliest unreported period first; tasks are listed by that period's due date.
    first: dict[int, tuple[dt.date, int]] = {}
    for task_id, period_id, due in src.owed.order_by("task_id", "start").values_list("task_id", "pk", "due"):
        first.setdefault(task_id, (due, period_id))
    owed = sorted(first.items(), key=lambda item: (item[1][0], item[0]))
    todo.counts["report"] = len(owed)
    todo.report_page = Paginator(owed, LIMIT).get_page(page)
    shown = todo.report_page.object_list
    if shown:
        tasks = src.active.with_units().in_bulk([task_id for task_id, _ in shown])
        periods = ReportingPeriod.objects.in_bulk([period_id for _, (_, period_id) in shown])
        todo.report = [(tasks[task_id], periods[period_id]) for task_id, (_, period_id) in shown if task_id in tasks]
    todo.returned, todo.counts["returned"] = _capped(src.returned.order_by("reviewed_at", "pk"))
    if src.approve is not None:
        todo.approve, todo.counts["approve"] = _capped(src.approve.order_by("submitted_at", "pk"))
    todo.letters, todo.counts["letters"] = _capped(src.letters.select_related("task").order_by("issued_on", "pk"))
    return todo
