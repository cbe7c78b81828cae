"""The one owner of task status: computing it (with the pure engine, duban.supervision.schedule), recomputing
it on events and daily, and its history.

Recompute is called after every change that can move a status (a report accepted, an extension, a closure) and
daily by the worker; only real changes are written. Every move of a status, here or by a deliberate act
(closing, reopening, suspending, an edit), goes through :func:`log_change`, which writes the activity-log entry
and a :class:`~duban.tasks.models.StatusChange` row in the caller's transaction; :func:`statuses_on` reads the
past back from those rows.
"""
from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from django.db.models import F, Prefetch, Window
from django.db.models.functions import RowNumber
from django.utils import timezone

from duban.core import audit
from duban.core.actions import Action
from duban.core.clock import day_end
from duban.core.workdays import work_calendar
from duban.supervision import schedule
from duban.supervision.workdays import WorkCalendar
from duban.tasks.models import Indicator, StatusChange, Task
from duban.tasks.reporting.models import ProgressReport

STATUS_FROM_ENGINE = {
    schedule.Status.NOT_STARTED: Task.Status.NOT_STARTED,
    schedule.Status.ON_SCHEDULE: Task.Status.ON_SCHEDULE,
    schedule.Status.AHEAD: Task.Status.AHEAD,
    schedule.Status.BEHIND: Task.Status.BEHIND,
    schedule.Status.OVERDUE: Task.Status.OVERDUE,
    schedule.Status.DONE: Task.Status.DONE,
    schedule.Status.DONE_ONGOING: Task.Status.DONE,
    schedule.Status.SUSPENDED: Task.Status.SUSPENDED,
}
DIRECTIONS = {">=": schedule.Direction.AT_LEAST, "<=": schedule.Direction.AT_MOST, "=": schedule.Direction.EQUAL}
FIELDS = ("status", "ongoing", "light", "status_reason", "schedule_share")


def planned_period(task: Task, today: dt.date) -> tuple[dt.date, dt.date]:
    """The span the 序时进度 is measured over: planned start (else dispatch, else 1 January) to the deadline
    (else 31 December of that year)."""
    start = task.start_date or (timezone.localdate(task.dispatched_at) if task.dispatched_at else None)
    if start is None:
        start = dt.date((task.deadline or today).year, 1, 1)
    end = task.deadline or dt.date(start.year, 12, 31)
    return start, max(end, start)


def facts_for(task: Task, today: dt.date) -> schedule.TaskFacts:
    """The engine's input. Needs ``task`` loaded with :func:`with_status_facts`."""
    start, end = planned_period(task, today)
    accepted = [r for r in task.reports.all() if r.state == ProgressReport.State.ACCEPTED]
    latest = max(accepted, key=lambda r: r.period_end, default=None)
    actuals = latest.indicator_actuals if latest else {}
    return schedule.TaskFacts(
        today=today, start=start, end=end, deadline=task.deadline,
        suspended=task.status == Task.Status.SUSPENDED,
        done=task.status == Task.Status.DONE, ongoing=task.ongoing,
        indicators=tuple(
            schedule.IndicatorState(target=float(i.target), actual=_number(actuals.get(str(i.pk))),
                                    direction=DIRECTIONS.get(i.direction, schedule.Direction.AT_LEAST), name=i.name)
            for i in task.indicators.all()),
        milestones=tuple(schedule.MilestoneState(due=m.due, reached=m.done_on) for m in task.milestones.all()),
        percent=float(latest.percent) if latest and latest.percent is not None else None,
        report_as_of=latest.period_end if latest else None,
        has_report=bool(task.reports.all()),
    )


def _number(value: Any) -> float | None:
    try:
        return float(value) if value not in (None, "") else None
    except (TypeError, ValueError):
        return None


def with_status_facts(qs: Any) -> Any:
    return qs.prefetch_related(
        Prefetch("indicators", queryset=Indicator.objects.order_by("id")), "milestones",
        Prefetch("reports", queryset=ProgressReport.objects.exclude(state=ProgressReport.State.DRAFT)),
    )


def recompute(tasks: Iterable[Task], today: dt.date | None = None, *, actor: Any = None,
              calendar: WorkCalendar | None = None) -> int:
    """Re-derive status for ``tasks`` (loaded with :func:`with_status_facts`); returns how many changed."""
    today = today or timezone.localdate()
    calendar = calendar or work_calendar()
    changed = 0
    for task in tasks:
        result = schedule.evaluate(facts_for(task, today), calendar=calendar)
        new = {
            "status": STATUS_FROM_ENGINE[result.status],
            "ongoing": task.ongoing or result.status == schedule.Status.DONE_ONGOING,
            "light": result.light.value,
            "status_reason": result.reason[:200],
            "schedule_share": round(result.schedule_share, 4),
        }
        before = audit.snapshot(task, FIELDS)
        if all(before[k] == v for k, v in new.items()):
            continue
        Task.objects.filter(pk=task.pk).update(**new)
        for name, value in new.items():
            setattr(task, name, value)
        if before["status"] != new["status"]:
            log_change(actor, Action.TASK_STATUS, task, before["status"], new["status"], reason=result.reason)
        changed += 1
    return changed


def recompute_one(task: Task, *, actor: Any = None, today: dt.date | None = None) -> None:
    recompute(with_status_facts(Task.objects.filter(pk=task.pk)), today, actor=actor)
    task.refresh_from_db(fields=list(FIELDS))


def recompute_open(today: dt.date | None = None, batch: int = 500) -> int:
    """The daily pass over every open task, in batches with a fixed number of queries each."""
    calendar = work_calendar()
    qs = Task.objects.actionable().exclude(status__in=(Task.Status.DONE, Task.Status.SUSPENDED)).order_by("pk")
    changed, last = 0, 0
    while True:
        chunk = list(with_status_facts(qs.filter(pk__gt=last))[:batch])
        if not chunk:
            return changed
        changed += recompute(chunk, today, calendar=calendar)
        last = chunk[-1].pk


def log_change(actor: Any, action: Action, task: Task, before: str, after: str, *, reason: str = "",
               extra: dict[str, Any] | None = None) -> None:
    """Record that ``task``'s status moved from ``before`` to ``after``: the activity-log entry ``action`` and
    the task's status history, in the caller's transaction."""
    entry = audit.record(actor, action, task, summary=reason[:200], before={"status": before},
                         after={"status": after, **(extra or {})})
    keep_history(task, before, after, at=entry.at, reason=reason)


def keep_history(task: Task, before: str, after: str, *, at: dt.datetime, reason: str = "") -> None:
    """The status-history row alone, for a write that logs the move in an entry of its own (an edit)."""
    if before != after:
        StatusChange.objects.create(task_id=task.pk, at=at, day=timezone.localdate(at), before=before, after=after,
                                    reason=reason[:200])


def statuses_on(day: dt.date, task_ids: Iterable[int] | None = None) -> dict[int, str]:
    """The status at the end of ``day`` of each task (of ``task_ids``, or any) whose status has changed since;
    tasks not in the result still have the status they had then. One query, over the changes after ``day``."""
    if day_end(day) > timezone.now():
        return {}
    changes = StatusChange.objects.filter(day__gt=day)
    if task_ids is not None:
        changes = changes.filter(task_id__in=list(task_ids))
    # Only each task's first change after the day comes back (a year of daily recomputes is many rows).
    first = changes.annotate(n=Window(RowNumber(), partition_by=F("task_id"), order_by=(F("at").asc(),
                                                                                     F("id").asc())))
    return dict(first.filter(n=1).values_list("task_id", "before"))
