"""Task list filtering and sorting, shared by the web list, the API and the task chart's drill-down links, so all
three answer the same question: a number on the dashboard links to exactly the tasks that make it up."""
from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from dataclasses import dataclass

from django.db import connection
from django.db.models import Exists, F, OuterRef, Q, QuerySet
from django.utils import timezone

from duban.tasks.models import Task, TaskUnit
from duban.tasks.reporting.models import ProgressReport, ReportingPeriod
from duban.units.models import Unit

# Tasks without a deadline go last whichever way deadlines are sorted (PostgreSQL and SQLite differ by default).
SORTS = {
    "number": ("path",),
    "deadline": (F("deadline").asc(nulls_last=True), "path"),
    "-deadline": (F("deadline").desc(nulls_last=True), "path"),
    "status": ("status", "path"),
    "updated": ("-updated_at", "path"),
}
# "ongoing" is done-and-kept-under-watch, "done_only" done and not kept under watch, "open" anything neither
# done nor suspended; several values may be
# given comma-separated (status=on_schedule,ahead) and mean any of them.
STATUS_VALUES = {choice.value for choice in Task.Status} | {"ongoing", "done_only", "open"}
LIGHT_VALUES = {choice.value for choice in Task.Light}
ROLE_VALUES = {choice.value for choice in TaskUnit.Role}
REPORT_STATES = ("on_time", "late", "missing")
NONE = "none"  # leader=none, area=none: tasks without one
CLOSED = (Task.Status.DONE, Task.Status.SUSPENDED)
_MONTH = re.compile(r"^(\d{4})-(\d{2})$")


def _date(value: str | None) -> dt.date | None:
    try:
        return dt.date.fromisoformat(value) if value else None
    except (TypeError, ValueError):
        return None


def date_or_today(value: str | None) -> dt.date:
    """An ISO date from a query string (an as-of date, say); today when absent or not a date."""
    return _date(value) or timezone.localdate()


def _int(value: str | None) -> int | None:
    """A plain ASCII number that fits the database (not "²", which isdigit() accepts, nor 20 digits)."""
    return int(value) if value and value.isascii() and value.isdigit() and len(value) <= 15 else None


def _statuses(value: str) -> str:
    parts = [p for p in dict.fromkeys(value.split(",")) if p in STATUS_VALUES]
    return ",".join(parts)


def _month(value: str) -> str:
    m = _MONTH.match(value)
    return value if m and 1 <= int(m.group(2)) <= 12 else ""


def week_of(day: dt.date) -> tuple[dt.date, dt.date]:
    """Monday to Sunday of the week ``day`` falls in."""
    monday = day - dt.timedelta(days=day.weekday())
    return monday, monday + dt.timedelta(days=6)


def month_span(key: str) -> tuple[dt.date, dt.date]:
    """'2026-11' → 1 and 30 November 2026."""
    year, month = int(key[:4]), int(key[5:7])
    first = dt.date(year, month, 1)
    following = dt.date(year + month // 12, month % 12 + 1, 1)
    return first, following - dt.timedelta(days=1)


def all_areas() -> list[str]:
    """Every area of work among the actionable tasks, in order: the task list's choices for those who see all.

    Read as a loose index scan, a recursive query that jumps from each area to the next in the (area, kind)
    index: one probe per area (there are a handful) instead of a DISTINCT over all 50,000 tasks of a province,
    which cost a fifth of the list's time."""
    table = Task._meta.db_table
    kinds = (Task.Kind.TASK, Task.Kind.SUBTASK)
    sql = f"""WITH RECURSIVE areas(area) AS (
        SELECT MIN(area) FROM {table} WHERE area > '' AND kind IN (%s, %s)
        UNION ALL
        SELECT (SELECT MIN(t.area) FROM {table} t WHERE t.area > areas.area AND t.kind IN (%s, %s))
        FROM areas WHERE areas.area IS NOT NULL
    ) SELECT area FROM areas WHERE area IS NOT NULL"""
    with connection.cursor() as cursor:
        cursor.execute(sql, [*kinds, *kinds])
        return [row[0] for row in cursor.fetchall()]


@dataclass(frozen=True)
class TaskFilter:
    unit: int | None = None
    role: str = ""  # with unit: only where the unit is lead, or support
    status: str = ""
    area: str = ""
    q: str = ""
    due_from: dt.date | None = None
    due_to: dt.date | None = None
    leader: str = ""  # a user id, or "none"
    light: str = ""
    overdue: bool = False  # past the deadline and neither done nor suspended
    due_within: int | None = None  # deadline between today and today + N days
    due: str = ""  # "week": deadline this week (Monday to Sunday)
    reports_due: str = ""  # "week" or "YYYY-MM": a reporting period falls due then
    report: str = ""  # with reports_due: that period's report came on_time, late, or is missing
    source: int | None = None  # tasks from one source document (来源)
    sort: str = "number"
    today: dt.date | None = None  # for the relative filters; the local date when None

    @classmethod
    def from_params(cls, params: Mapping[str, str]) -> TaskFilter:
        """Read filters from query parameters, ignoring values that make no sense instead of failing."""
        sort = params.get("sort", "number")
        role = params.get("role", "")
        light = params.get("light", "")
        leader = params.get("leader", "")
        within = _int(params.get("due_within"))
        reports_due = params.get("reports_due", "")
        report = params.get("report", "")
        return cls(
            unit=_int(params.get("unit")),
            role=role if role in ROLE_VALUES else "",
            status=_statuses(params.get("status", "")),
            area=params.get("area", "").strip(),
            q=params.get("q", "").strip()[:100],
            due_from=_date(params.get("due_from")),
            due_to=_date(params.get("due_to")),
            leader=leader if leader == NONE or leader.isdigit() else "",
            light=light if light in LIGHT_VALUES else "",
            overdue=params.get("overdue") in ("1", "true", "on"),
            due_within=min(within, 3660) if within is not None else None,
            due="week" if params.get("due") == "week" else "",
            reports_due="week" if reports_due == "week" else _month(reports_due),
            report=report if report in REPORT_STATES else "",
            source=_int(params.get("source")),
            sort=sort if sort in SORTS else "number",
        )

    @property
    def active(self) -> bool:
        return any((self.unit, self.status, self.area, self.q, self.due_from, self.due_to, self.leader,
                    self.light, self.overdue, self.due_within is not None, self.due, self.reports_due,
                    self.source))

    def _today(self) -> dt.date:
        return self.today or timezone.localdate()

    def _status_q(self) -> Q:
        q = Q()
        for value in self.status.split(","):
            if value == "ongoing":
                q |= Q(status=Task.Status.DONE, ongoing=True)
            elif value == "done_only":
                q |= Q(status=Task.Status.DONE, ongoing=False)
            elif value == "open":
                q |= ~Q(status__in=CLOSED)
            else:
                q |= Q(status=value)
        return q

    def _period_span(self) -> tuple[dt.date, dt.date]:
        return week_of(self._today()) if self.reports_due == "week" else month_span(self.reports_due)

    def _reports_q(self) -> Q:
        """A period due in the span (and, with ``report``, whose report was on time, late or is missing)."""
        start, end = self._period_span()
        periods = ReportingPeriod.objects.filter(task=OuterRef("pk"), due__gte=start, due__lte=end)
        if self.report:
            sent = ProgressReport.objects.filter(period=OuterRef("pk")).exclude(state=ProgressReport.State.DRAFT)
            if self.report == "missing":  # only open tasks still owe reports (as in the unit's to-do list)
                periods = periods.filter(due__lt=self._today()).exclude(Exists(sent))
                return Q(Exists(periods)) & ~Q(status__in=CLOSED)
            periods = periods.filter(Exists(sent.filter(late=self.report == "late")))
        return Q(Exists(periods))

    def apply(self, qs: QuerySet[Task]) -> QuerySet[Task]:
        today = self._today()
        if self.unit:
            units = TaskUnit.objects.filter(task=OuterRef("pk"), unit_id=self.unit)
            if self.role:
                units = units.filter(role=self.role)
            qs = qs.filter(Exists(units))
        if self.source:
            qs = qs.filter(source_id=self.source)
        if self.status:
            qs = qs.filter(self._status_q())
        if self.area == NONE:
            qs = qs.filter(area="")
        elif self.area:
            qs = qs.filter(area=self.area)
        if self.leader == NONE:
            qs = qs.filter(leader__isnull=True)
        elif self.leader:
            qs = qs.filter(leader_id=int(self.leader))
        if self.light:
            qs = qs.filter(light=self.light)
        if self.q:
            qs = qs.filter(Q(text__icontains=self.q) | Q(number=self.q) | Q(heading__icontains=self.q))
        if self.due_from:
            qs = qs.filter(deadline__gte=self.due_from)
        if self.due_to:
            qs = qs.filter(deadline__lte=self.due_to)
        if self.overdue:
            qs = qs.filter(deadline__lt=today).exclude(status__in=CLOSED)
        if self.due_within is not None:
            qs = qs.filter(deadline__gte=today, deadline__lte=today + dt.timedelta(days=self.due_within))
        if self.due == "week":
            monday, sunday = week_of(today)
            qs = qs.filter(deadline__gte=monday, deadline__lte=sunday)
        if self.reports_due:
            qs = qs.filter(self._reports_q())
        return qs.order_by(*SORTS[self.sort])


def units_with_tasks() -> QuerySet[Unit]:
    """Active units with a part in some task: a semi-join, since DISTINCT over the join would read every task's
    units (140,000 rows in a province)."""
    return Unit.objects.filter(active=True).filter(Exists(TaskUnit.objects.filter(unit=OuterRef("pk"))))
