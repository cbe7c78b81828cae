"""Filling the materialised figures of the task chart (duban.dashboard.models).

Counting the reports of each month live reads every report and every period (at province scale a million
reports, over a second per page). The figures of a month only move while its periods fall due and are
answered, so they are counted here, set-based, and stored per month: the daily supervision run refreshes the
months the chart shows, the demo loader and ``duban refresh-figures --all`` everything.

The definitions are those of the task list's drill-down filters (``reports_due=YYYY-MM&report=…``), as the
live figures were: a report counts in the month its period fell due unless it is a draft; a period is missing
when it fell due before today, its task is still open, and nobody sent a report for it.

Not audited: the rows are derived from data whose every change is already in the log, and are rebuilt from it.
"""
from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable

from django.db import transaction
from django.db.models import Count, Exists, Max, Min, OuterRef
from django.db.models.functions import TruncMonth
from django.utils import timezone

from duban.dashboard.figures import TREND_MONTHS
from duban.dashboard.models import MonthlyReporting
from duban.tasks.filters import CLOSED, month_span
from duban.tasks.models import Task, TaskUnit
from duban.tasks.reporting.models import ProgressReport, ReportingPeriod

ACTIONABLE = (Task.Kind.TASK, Task.Kind.SUBTASK)
OPEN = tuple(s for s in Task.Status if s not in CLOSED)

Key = tuple[dt.date, "int | None"]  # (first day of the month, unit id or None for the office)


def first_of(month: dt.date | str) -> dt.date:
    """'2026-11', or any day of it → 1 November 2026."""
    if isinstance(month, str):
        return month_span(month)[0]
    return month.replace(day=1)


def recent_months(today: dt.date, n: int = TREND_MONTHS) -> list[dt.date]:
    """The first days of the ``n`` months ending with today's: what the daily run refreshes. Older months no
    longer change, but a month on the chart may: a period counts as missing only while its task is open, so
    closing a task takes its unanswered periods out of the months behind it too."""
    firsts = [today.replace(day=1)]
    while len(firsts) < n:
        firsts.append((firsts[-1] - dt.timedelta(days=1)).replace(day=1))
    return firsts[::-1]


def _all_months() -> list[dt.date]:
    span = ReportingPeriod.objects.aggregate(first=Min("due"), last=Max("due"))
    if span["first"] is None:
        return []
    months, month = [], span["first"].replace(day=1)
    while month <= span["last"]:
        months.append(month)
        month = month_span(f"{month:%Y-%m}")[1] + dt.timedelta(days=1)
    return months


def count_monthly(months: Iterable[dt.date], today: dt.date,
                  unit_ids: Iterable[int] | None = None) -> dict[Key, list[int]]:
    """[on time, late, missing] per (month, unit) — unit None for the office — in four GROUP BY queries.

    ``unit_ids``: only those units' figures (and not the office's).
    """
    wanted = set(months)
    if not wanted:
        return {}
    units = None if unit_ids is None else set(unit_ids)
    start, end = min(wanted), month_span(f"{max(wanted):%Y-%m}")[1]
    counts: dict[Key, list[int]] = defaultdict(lambda: [0, 0, 0])

    sent = (ProgressReport.objects.filter(task__kind__in=ACTIONABLE, period__due__gte=start, period__due__lte=end)
            .exclude(state=ProgressReport.State.DRAFT).order_by().annotate(month=TruncMonth("period__due")))
    # A unit's chart counts its own reports on the tasks it takes part in (visible_reports ∩ visible_tasks).
    own = sent.filter(Exists(TaskUnit.objects.filter(task=OuterRef("task_id"), unit=OuterRef("unit_id"))))
    if units is not None:
        own = own.filter(unit_id__in=units or [0])
    queries = [own.values("month", "unit_id", "late")]
    if units is None:
        queries.append(sent.values("month", "late"))
    for query in queries:
        for r in query.annotate(n=Count("pk")):
            counts[(_day(r["month"]), r.get("unit_id"))][1 if r["late"] else 0] += r["n"]

    unanswered = ProgressReport.objects.filter(period=OuterRef("pk")).exclude(state=ProgressReport.State.DRAFT)
    missing = (ReportingPeriod.objects.filter(task__kind__in=ACTIONABLE, task__status__in=OPEN, due__gte=start,
                                              due__lte=end, due__lt=today)
               .exclude(Exists(unanswered)).order_by().annotate(month=TruncMonth("due")))
    # TaskUnit is unique per (task, unit), so the join counts each period once per unit taking part.
    for r in missing.values("month", "task__task_units__unit_id").annotate(n=Count("pk")):
        unit = r["task__task_units__unit_id"]
        if unit is not None and (units is None or unit in units):
            counts[(_day(r["month"]), unit)][2] += r["n"]
    if units is None:
        for r in missing.values("month").annotate(n=Count("pk")):
            counts[(_day(r["month"]), None)][2] += r["n"]
    return {key: value for key, value in counts.items() if key[0] in wanted}


def _day(value: dt.date | dt.datetime) -> dt.date:
    return value.date() if isinstance(value, dt.datetime) else value


def refresh_monthly(months: Iterable[dt.date | str] | None = None, unit_ids: Iterable[int] | None = None, *,
                    today: dt.date | None = None) -> int:
    """Recount and store the figures of ``months`` (None: every month with a reporting period, and rows of
    other months are dropped) for the office and every unit, or only for ``unit_ids``. Returns rows stored.

    Idempotent; one transaction, so the chart never shows a half-refreshed month."""
    today = today or timezone.localdate()
    firsts = _all_months() if months is None else sorted({first_of(m) for m in months})
    units = None if unit_ids is None else sorted(set(unit_ids))
    counts = count_monthly(firsts, today, units)
    now = timezone.now()
    rows = [MonthlyReporting(month=month, unit_id=unit, on_time=c[0], late=c[1], missing=c[2], refreshed_at=now)
            for (month, unit), c in sorted(counts.items(), key=lambda kv: (kv[0][0], kv[0][1] or 0)) if any(c)]
    with transaction.atomic():
        stale = MonthlyReporting.objects.all()
        if months is not None:
            stale = stale.filter(month__in=firsts)
        if units is not None:
            stale = stale.filter(unit_id__in=units)
        stale.delete()
        MonthlyReporting.objects.bulk_create(rows, batch_size=2000)
    return len(rows)
