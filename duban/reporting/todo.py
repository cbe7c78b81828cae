"""A unit's to-do list (待办): what it must acknowledge, report, correct, approve or answer — in a fixed
number of queries, so the home page stays fast however many tasks a unit has."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.db.models import Exists, OuterRef, Q
from django.utils import timezone

from duban.letters.models import Letter
from duban.people.models import Role, User
from duban.reporting.models import ProgressReport, ReportingPeriod
from duban.tasks.models import Task, TaskUnit


@dataclass
class Todo:
    acknowledge: list[Task] = field(default_factory=list)
    report: list[tuple[Task, ReportingPeriod]] = field(default_factory=list)
    returned: list[ProgressReport] = field(default_factory=list)
    approve: list[ProgressReport] = field(default_factory=list)
    letters: list[Letter] = field(default_factory=list)

    @property
    def total(self) -> int:
        return sum(len(x) for x in (self.acknowledge, self.report, self.returned, self.approve, self.letters))


def unit_todo(user: User, today: dt.date | None = None) -> Todo:
    todo = Todo()
    if not (user.is_unit_staff and user.unit_id):
        return todo
    today = today or timezone.localdate()
    unit = user.unit_id
    mine = Task.objects.actionable().filter(
        Exists(TaskUnit.objects.filter(task=OuterRef("pk"), unit_id=unit))).with_units()
    todo.acknowledge = list(mine.filter(dispatch_state=Task.Dispatch.DISPATCHED,
                                        task_units__unit_id=unit, task_units__role=TaskUnit.Role.LEAD))
    active = mine.exclude(dispatch_state=Task.Dispatch.DRAFT).exclude(
        status__in=(Task.Status.DONE, Task.Status.SUSPENDED))
    # Only the periods still owed, found in SQL: loading every started period and report of a unit with a
    # thousand tasks (a province's 发改委) cost over a second.
    owed = (ReportingPeriod.objects.filter(task__in=active.values("pk"), start__lte=today)
            .filter(Q(end__lt=today) | Q(due__lte=today))
            .exclude(Exists(ProgressReport.objects.filter(period=OuterRef("pk"), unit_id=unit)
                            .exclude(state=ProgressReport.State.DRAFT)))
            .order_by("task_id", "start"))
    first: dict[int, ReportingPeriod] = {}
    for period in owed:
        first.setdefault(period.task_id, period)
    if first:
        todo.report = [(task, first[task.pk]) for task in active.filter(pk__in=list(first))]
    reports = ProgressReport.objects.filter(unit_id=unit).select_related("task", "period")
    todo.returned = list(reports.filter(state=ProgressReport.State.RETURNED))
    if user.role == Role.UNIT_HEAD:
        todo.approve = list(reports.filter(state=ProgressReport.State.PENDING_APPROVAL))
    # Reminders inform; urging and supervision letters ask for an answer.
    todo.letters = list(Letter.objects.filter(unit_id=unit, acknowledged_at__isnull=True).exclude(
        kind=Letter.Kind.REMINDER).select_related("task"))
    todo.report.sort(key=lambda pair: pair[1].due)
    return todo
