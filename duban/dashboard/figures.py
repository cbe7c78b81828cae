"""The task chart's numbers, counted in the database: a fixed number of GROUP BY queries and capped lists, so
the page costs the same number of queries with 78 tasks or 50,000. The monthly report figures, which would
read every one of a million reports, are read from their stored monthly counts (duban.dashboard.services).

Every count uses the same definitions as the task-list filters (duban.tasks.filters), so each figure's drill-down
link lists exactly the tasks it counts.
"""
from __future__ import annotations

import datetime as dt
import json
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from types import SimpleNamespace
from typing import Any

from django.conf import settings
from django.core.cache import caches
from django.db.models import Count, Exists, OuterRef, QuerySet, Subquery
from django.db.models.functions import TruncMonth
from django.utils import timezone

from duban.dashboard import charts
from duban.dashboard.models import MonthlyReporting
from duban.people.models import User
from duban.tasks.filters import CLOSED, TaskFilter, month_span, week_of
from duban.tasks.models import Indicator, Milestone, Task, TaskUnit
from duban.tasks.reporting.models import ProgressReport, ReportingPeriod
from duban.tasks.status import planned_period
from duban.units.models import Unit

GANTT_ROWS = 30
OVERDUE_ROWS = 10
BAR_ROWS = 20
INDICATOR_ROWS = 15
INDICATOR_SCAN = 300  # indicators read to pick the worst INDICATOR_ROWS from
TREND_MONTHS = 6
OPEN = tuple(s for s in Task.Status if s not in CLOSED)


@dataclass
class Figures:
    """Raw counts and capped lists for one scope of tasks on one day."""

    today: dt.date
    computed_at: dt.datetime | None = None
    by_status: dict[str, int] = field(default_factory=dict)
    ongoing: int = 0
    area_rows: list[tuple[str, str, int]] = field(default_factory=list)
    leader_rows: list[tuple[int | None, str, int]] = field(default_factory=list)
    leader_names: dict[int | None, str] = field(default_factory=dict)
    unit_rows: list[tuple[int, str, int]] = field(default_factory=list)
    unit_names: dict[int, str] = field(default_factory=dict)
    reports_due_week: int = 0
    indicators: list[charts.IndicatorRow] = field(default_factory=list)
    gantt_tasks: list[dict[str, Any]] = field(default_factory=list)
    milestones: list[dict[str, Any]] = field(default_factory=list)
    overdue: list[Task] = field(default_factory=list)
    months: list[str] = field(default_factory=list)
    on_time: dict[str, int] = field(default_factory=dict)
    late: dict[str, int] = field(default_factory=dict)
    missing: dict[str, int] = field(default_factory=dict)
    done_by_month: dict[str, int] = field(default_factory=dict)
    done_before: int = 0
    reporting_as_of: dt.datetime | None = None  # when the monthly report figures were last counted


def _month_key(value: dt.date | dt.datetime | None) -> str:
    return f"{value.year:04d}-{value.month:02d}" if value else ""


def collect(scope: QuerySet[Task], today: dt.date, *, everything: bool = False,
            unit_id: int | None = None) -> Figures:
    """All figures for the actionable tasks in ``scope`` (already limited to what the user may see).
    ``everything``: the scope is every actionable task, so the big joins can filter on the task's kind instead
    of a subquery over all tasks (at province scale several times faster), and the monthly report figures are
    the office's; else those of ``unit_id`` (the unit staff's own unit; none: no report figures)."""
    f = Figures(today=today, computed_at=timezone.now())
    _status_matrix(f, scope)
    _units(f, scope, everything)
    f.reports_due_week = _reports_due_week(scope, today, everything)
    _indicators(f, scope, today, everything)
    _gantt(f, scope, today)
    f.overdue = _overdue(scope)
    _trends(f, scope, today, unit_id, everything)
    return f


def cache_seconds() -> int:
    """How long a computed chart is reused (DUBAN_DASHBOARD_CACHE_SECONDS, default 300; 0 turns it off).

    A cold chart of a province costs about a quarter of a second (BENCHMARKS.md), most of it the breakdowns
    over 50,000 tasks and their lead units. Leaders open the chart many times a day while statuses change a
    few times a day, so a few minutes' reuse spares the database; the page says when it was computed, and the
    worker keeps the office-wide chart fresh (``warm``) so no page view pays for it.
    """
    return settings.DUBAN_DASHBOARD_CACHE_SECONDS


def cache_key(scope_key: str, today: dt.date) -> str:
    return f"duban:dashboard:v3:{scope_key}:{today.isoformat()}"


def cached(scope_key: str, today: dt.date, compute: Callable[[], Figures]) -> Figures:
    """The figures of one scope ('all', or one unit's) for today, from the cache when fresh enough."""
    seconds = cache_seconds()
    if seconds <= 0:
        return compute()
    found = caches["shared"].get(cache_key(scope_key, today))
    if isinstance(found, Figures):
        return found
    f = compute()
    caches["shared"].set(cache_key(scope_key, today), f, seconds)
    return f


def office(today: dt.date) -> Figures:
    """The office-wide chart: every actionable task, with the office's monthly report figures."""
    return collect(Task.objects.actionable(), today, everything=True)


def warm(today: dt.date) -> bool:
    """Recompute the office-wide chart once its cached copy is half its lifetime old, so that page views find
    it fresh; the worker calls this on every pass. True when it recomputed."""
    seconds = cache_seconds()
    if seconds <= 0:
        return False
    found = caches["shared"].get(cache_key("all", today))
    if isinstance(found, Figures) and timezone.now() - found.computed_at < dt.timedelta(seconds=seconds / 2):
        return False
    caches["shared"].set(cache_key("all", today), office(today), seconds)
    return True


def _status_matrix(f: Figures, scope: QuerySet[Task]) -> None:
    """One GROUP BY gives the headline totals, the pie, and the area and leader breakdowns."""
    rows = (scope.order_by().values("area", "leader_id", "status", "ongoing").annotate(n=Count("pk")))
    by_status: dict[str, int] = defaultdict(int)
    area: dict[tuple[str, str], int] = defaultdict(int)
    leader: dict[tuple[int | None, str], int] = defaultdict(int)
    for r in rows:
        by_status[r["status"]] += r["n"]
        area[(r["area"], r["status"])] += r["n"]
        leader[(r["leader_id"], r["status"])] += r["n"]
        if r["status"] == Task.Status.DONE and r["ongoing"]:
            f.ongoing += r["n"]
    f.by_status = dict(by_status)
    f.area_rows = [(a, s, n) for (a, s), n in area.items()]
    f.leader_rows = [(lid, s, n) for (lid, s), n in leader.items()]
    ids = {lid for lid, _s in leader if lid is not None}
    # `or [0]`: an empty IN list skips the query, and the page should cost the same whatever the data.
    f.leader_names = {u.pk: str(u) for u in User.objects.filter(pk__in=ids or [0]).only(
        "pk", "display_name", "first_name", "last_name", "username")}


def _reports_due_week(scope: QuerySet[Task], today: dt.date, everything: bool) -> int:
    """Tasks with a period falling due this week — the set of ``reports_due=week`` — counted from the week's
    periods (read by their due-date index) rather than by probing every task for one."""
    monday, sunday = week_of(today)
    tasks = _actionable("task__") if everything else {"task__in": scope.order_by().values("pk")}
    return (ReportingPeriod.objects.filter(due__gte=monday, due__lte=sunday, **tasks).order_by()
            .values("task_id").distinct().count())


def _actionable(prefix: str) -> dict[str, Any]:
    return {f"{prefix}kind__in": (Task.Kind.TASK, Task.Kind.SUBTASK)}


def _units(f: Figures, scope: QuerySet[Task], everything: bool) -> None:
    """Tasks per lead unit and status (a task with two lead units counts for each). Grouped on ids only and
    named in a second query: grouping on the names as well slowed the aggregate over every lead unit."""
    tasks = _actionable("task__") if everything else {"task__in": scope.order_by().values("pk")}
    f.unit_rows = list(TaskUnit.objects.filter(role=TaskUnit.Role.LEAD, **tasks).order_by()
                       .values_list("unit_id", "task__status").annotate(n=Count("pk")))
    # Every unit's name (Unit.display_name): a plain read of a small table, cheaper than an IN list of the
    # two thousand ids of a province.
    ids = {unit for unit, _s, _n in f.unit_rows}
    f.unit_names = {pk: short or name for pk, name, short in Unit.objects.order_by().values_list(
        "pk", "name", "short_name") if pk in ids}


def _indicators(f: Figures, scope: QuerySet[Task], today: dt.date, everything: bool = False) -> None:
    """Indicators of open tasks, nearest deadline first, with the actuals of their task's latest accepted
    report. Three queries: the indicators; the latest accepted report of each of their tasks (one subquery per
    task, not two per indicator, and only for the tasks shown); those reports' actuals."""
    tasks = ({**_actionable("task__"), "task__status__in": OPEN} if everything
             else {"task__in": scope.exclude(status__in=CLOSED).order_by().values("pk")})
    rows = list(Indicator.objects.filter(**tasks)
                .order_by("task__deadline", "task__path", "pk")
                .values("pk", "name", "target", "direction", "unit_of_measure", "task_id", "task__number",
                        "task__start_date", "task__dispatched_at", "task__deadline")[:INDICATOR_SCAN])
    latest = (ProgressReport.objects.filter(task=OuterRef("pk"), state=ProgressReport.State.ACCEPTED)
              .order_by("-period_end", "-pk").values("pk")[:1])
    report_of = dict(Task.objects.filter(pk__in={r["task_id"] for r in rows} or [0]).order_by()
                     .annotate(report=Subquery(latest)).values_list("pk", "report"))
    reports = {r["pk"]: r for r in ProgressReport.objects.filter(
        pk__in=[pk for pk in report_of.values() if pk] or [0]).values("pk", "indicator_actuals", "period_end")}
    for r in rows:
        task = SimpleNamespace(start_date=r["task__start_date"], dispatched_at=r["task__dispatched_at"],
                               deadline=r["task__deadline"])
        start, end = planned_period(task, today)  # type: ignore[arg-type]
        report = reports.get(report_of.get(r["task_id"]) or 0) or {}
        actuals = report.get("indicator_actuals") or {}
        if isinstance(actuals, str):  # some backends hand back JSON as text
            actuals = json.loads(actuals) if actuals else {}
        f.indicators.append(charts.IndicatorRow(
            task_id=r["task_id"], number=r["task__number"], name=r["name"], target=float(r["target"]),
            actual=_number(actuals.get(str(r["pk"]))), direction=r["direction"],
            unit_of_measure=r["unit_of_measure"], start=start, end=end, as_of=report.get("period_end")))


def _overdue(scope: QuerySet[Task]) -> list[Task]:
    """The longest overdue first, each with ``lead_line`` (its lead units); two queries even when empty."""
    tasks = list(scope.filter(status=Task.Status.OVERDUE).select_related("leader")
                 .order_by("deadline", "path")[:OVERDUE_ROWS])
    leads: dict[int, list[str]] = defaultdict(list)
    for tu in (TaskUnit.objects.filter(task_id__in=[t.pk for t in tasks] or [0], role=TaskUnit.Role.LEAD)
               .select_related("unit").order_by("order")):
        leads[tu.task_id].append(tu.unit.display_name)
    for t in tasks:
        t.lead_line = "、".join(leads[t.pk])
    return tasks


def _number(value: Any) -> float | None:
    try:
        return float(value) if value not in (None, "") else None
    except (TypeError, ValueError):
        return None


def gantt_queryset(scope: QuerySet[Task], today: dt.date) -> QuerySet[Task]:
    """Open tasks whose deadline is still ahead, nearest first — the same set the 'all' link lists."""
    return TaskFilter(status="open", due_from=today, sort="deadline").apply(scope)


def _gantt(f: Figures, scope: QuerySet[Task], today: dt.date) -> None:
    tasks = list(gantt_queryset(scope, today).only(
        "pk", "number", "text", "start_date", "dispatched_at", "deadline", "status", "light")[:GANTT_ROWS])
    for t in tasks:
        start, end = planned_period(t, today)
        f.gantt_tasks.append({"id": t.pk, "number": t.number, "text": t.text, "start": start, "end": end,
                              "status": t.status, "light": t.light})
    f.milestones = list(Milestone.objects.filter(task_id__in=[t.pk for t in tasks] or [0])
                        .values("task_id", "title", "due", "done_on")[:GANTT_ROWS * 12])


def _trends(f: Figures, scope: QuerySet[Task], today: dt.date, unit_id: int | None, everything: bool) -> None:
    """Reports on time, late and missing by the month their period fell due, read from the monthly figures
    (the office's row, or the unit's; at most TREND_MONTHS rows); tasks done by the month they closed."""
    f.months = charts.months_back(today, TREND_MONTHS)
    first = month_span(f.months[0])[0]
    if everything or unit_id:
        rows = MonthlyReporting.objects.filter(month__gte=first, month__lte=today.replace(day=1))
        rows = rows.filter(unit__isnull=True) if everything else rows.filter(unit_id=unit_id)
        for r in rows.values("month", "on_time", "late", "missing", "refreshed_at"):
            key = _month_key(r["month"])
            f.on_time[key], f.late[key], f.missing[key] = r["on_time"], r["late"], r["missing"]
            f.reporting_as_of = max(f.reporting_as_of or r["refreshed_at"], r["refreshed_at"])
    done = (scope.filter(status=Task.Status.DONE).order_by().annotate(month=TruncMonth("closed_at"))
            .values("month").annotate(n=Count("pk")))
    for r in done:
        if r["month"] is None:
            f.done_before += r["n"]
        else:
            f.done_by_month[_month_key(r["month"])] = r["n"]


def live_reporting(scope: QuerySet[Task], reports: QuerySet[ProgressReport], months: list[str],
                   today: dt.date) -> tuple[dict[str, int], dict[str, int], dict[str, int]]:
    """The monthly report figures counted live from the visible tasks and reports, as the chart did before
    they were materialised: the reference the stored figures are checked against (tests), far too slow for
    a page at province scale (it reads every report)."""
    first, last = month_span(months[0])[0], month_span(months[-1])[1]
    on_time: dict[str, int] = {}
    late: dict[str, int] = {}
    sent = (reports.filter(task__in=scope.order_by().values("pk"), period__due__gte=first, period__due__lte=last)
            .exclude(state=ProgressReport.State.DRAFT).order_by()
            .annotate(month=TruncMonth("period__due")).values("month", "late").annotate(n=Count("pk")))
    for r in sent:
        (late if r["late"] else on_time)[_month_key(r["month"])] = r["n"]
    unanswered = ProgressReport.objects.filter(period=OuterRef("pk")).exclude(state=ProgressReport.State.DRAFT)
    missing = (ReportingPeriod.objects.filter(task__in=scope.exclude(status__in=CLOSED).order_by().values("pk"),
                                              due__gte=first, due__lt=today)
               .exclude(Exists(unanswered)).order_by()
               .annotate(month=TruncMonth("due")).values("month").annotate(n=Count("pk")))
    return on_time, late, {_month_key(r["month"]): r["n"] for r in missing}
