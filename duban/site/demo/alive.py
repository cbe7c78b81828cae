"""Bring the demo district to life: seed 001's tasks become this year's work, dispatched with a monthly
cadence, with a few months of reports behind them — most accepted, some late, one returned, a few missing —
and the escalation ladder replayed over the past weeks, so that statuses, reminders and letters show what a
real office sees. Everything goes through the same services as the pages, with the dates they happened on.

Which tasks get which story is chosen by their position, never by their content, so any imported document
can be brought to life the same way.
"""
from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.utils import timezone

from duban.core.workdays import work_calendar
from duban.letters.services import run_ladder
from duban.people.models import Role, User
from duban.people.services import create_user
from duban.tasks import services, workflow
from duban.tasks.models import SourceDocument, Task
from duban.tasks.reporting.models import ProgressReport, ReportingPeriod
from duban.tasks.reporting.services import ensure_periods, review_report, submit_report
from duban.tasks.status import recompute_open
from duban.units.models import Unit

LADDER_REPLAY_DAYS = 45
RETURN_NOTE = "请补充本月完成的具体工程量、资金到位情况和存在的问题。"


def demo_dates(today: dt.date) -> tuple[dt.date, dt.date, dt.date]:
    """(document date, planned start, deadline): the report covers up to the end of the month three months
    back; the remaining work started the day after and is due at the end of the year (or mid next year in
    December)."""
    first = today.replace(day=1)
    for _ in range(2):
        first = (first - dt.timedelta(days=1)).replace(day=1)
    document_date = first - dt.timedelta(days=1)
    deadline = dt.date(today.year, 12, 31) if today.month < 12 else dt.date(today.year + 1, 6, 30)
    return document_date, first, deadline


def _at(day: dt.date, hour: int = 10) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour)))


def _liaisons(units: set[int]) -> dict[int, User]:
    """One liaison per unit: the demo accounts where they exist, else an account without a password."""
    people = {u.unit_id: u for u in User.objects.filter(role=Role.LIAISON, unit_id__in=units).order_by("pk")}
    for unit in Unit.objects.filter(pk__in=units - people.keys()):
        people[unit.pk] = create_user(None, f"liaison{unit.pk}", None, role=Role.LIAISON, unit=unit,
                                      display_name=f"{unit.display_name}联络员")
    return people


def bring_to_life(source: SourceDocument, today: dt.date) -> dict[str, Any]:
    tasks = list(source.tasks.actionable().with_units().order_by("path"))
    if any(t.dispatch_state != Task.Dispatch.DRAFT for t in tasks):
        return {}
    calendar = work_calendar()
    supervisor = User.objects.get(username="supervisor")
    _, start, deadline = demo_dates(today)
    liaisons = _liaisons({u.pk for t in tasks for u in t.lead_units + t.support_units})
    open_tasks = [t for t in tasks if t.status != Task.Status.DONE]
    zhujian = Unit.objects.get(aliases__name="区住建局")
    own = [t for t in open_tasks if t.lead_units and t.lead_units[0] == zhujian]

    for task in tasks:
        changes = {"start_date": start, "cadence": Task.Cadence.MONTHLY, "report_due_day": 5}
        if task.status != Task.Status.DONE:
            changes["deadline"] = deadline
        services.update_task(supervisor, task, version=task.version, **changes)
    # Two deadlines that make today's letters: one near (blue) and one overdue (red).
    near, late = own[0], open_tasks[1]
    services.update_task(supervisor, near, version=near.version, deadline=calendar.add_workdays(today, 5))
    services.update_task(supervisor, late, version=late.version, deadline=calendar.add_workdays(today, -5))
    fresh = own[-1]  # dispatched yesterday, still to acknowledge

    first_workday = calendar.next_workday(start)
    workflow.dispatch(supervisor, [t for t in tasks if t != fresh], at=_at(first_workday, 9))
    workflow.dispatch(supervisor, [fresh], at=_at(calendar.add_workdays(today, -1), 9))
    for task in tasks:
        task.refresh_from_db()
        if task != fresh and task.lead_units:
            workflow.acknowledge(liaisons[task.lead_units[0].pk], task,
                                 at=_at(calendar.add_workdays(first_workday, 1)))
    for task in tasks:
        ensure_periods(task, today, calendar)

    for position, task in enumerate(open_tasks):
        if task == fresh:
            continue
        liaison = liaisons[task.lead_units[0].pk]
        final = 35 + (position * 7) % 45
        finished = list(ReportingPeriod.objects.filter(task=task, end__lt=today).order_by("start"))
        for index, period in enumerate(finished):
            last = index == len(finished) - 1
            if last and (position % 9 == 4 or task == own[2]):
                continue  # this month's report is missing: the ladder urges
            on_time = not (last and position % 7 == 3)
            sent = calendar.add_workdays(period.due, -2 if on_time else 3)
            percent = round(final * (index + 1) / len(finished))
            report = submit_report(liaison, task, period, at=_at(sent), content={
                "progress": f"{period.key}:{_progress(task)}", "percent": percent,
                "indicator_actuals": _actuals(task, percent),
                "next_steps": "按计划推进,确保年底前完成。"})
            if last and task == own[1]:
                review_report(supervisor, report, accept=False, note=RETURN_NOTE,
                              at=_at(calendar.add_workdays(sent, 1), 15))
            elif on_time:
                review_report(supervisor, report, accept=True, at=_at(calendar.add_workdays(sent, 1), 15))
    letters, since = 0, None
    for days in range(LADDER_REPLAY_DAYS, 0, -1):
        day = today - dt.timedelta(days=days)
        if calendar.is_workday(day):
            letters += len(run_ladder(day, since, calendar))
            since = day
    return {"letters": letters, "changed": recompute_open(today)}


def _actuals(task: Task, percent: int) -> dict[str, str]:
    """Indicator figures that move with the reported share of the work, as a liaison would fill them in."""
    return {str(i.pk): format((i.target * percent / 100).quantize(Decimal("0.1")).normalize(), "f")
            for i in task.indicators.all()}


def _progress(task: Task) -> str:
    latest = task.reports.filter(state=ProgressReport.State.ACCEPTED, period__isnull=True).first()
    return (latest.progress if latest else task.text)[:300]
