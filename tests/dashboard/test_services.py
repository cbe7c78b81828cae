"""The stored monthly reporting figures equal the live counts they replace, for the office and every unit."""
from __future__ import annotations

import datetime as dt
import io

from django.core.management import call_command
from django.db.models import Sum
from django.utils import timezone

from duban.dashboard import charts, figures, services
from duban.dashboard.models import MonthlyReporting
from duban.people.models import Role, User
from duban.tasks.access import visible_reports, visible_tasks
from duban.tasks.models import Task, TaskUnit
from duban.tasks.reporting.models import ProgressReport, ReportingPeriod
from duban.units.services import find_unit

TODAY = dt.date(2026, 11, 18)


def _stored(unit_id: int | None, months: list[str]) -> tuple[dict[str, int], dict[str, int], dict[str, int]]:
    rows = MonthlyReporting.objects.filter(unit_id=unit_id) if unit_id else MonthlyReporting.objects.filter(
        unit__isnull=True)
    out: tuple[dict[str, int], dict[str, int], dict[str, int]] = ({}, {}, {})
    for r in rows:
        key = f"{r.month:%Y-%m}"
        if key in months:
            for counts, value in zip(out, (r.on_time, r.late, r.missing)):
                if value:
                    counts[key] = value
    return out


def _live(user: User, months: list[str]) -> tuple[dict[str, int], dict[str, int], dict[str, int]]:
    scope = visible_tasks(user, Task.objects.actionable())
    live = figures.live_reporting(scope, visible_reports(user), months, TODAY)
    return tuple({k: v for k, v in counts.items() if v} for counts in live)  # type: ignore[return-value]


def _months() -> list[str]:
    return [f"{m:%Y-%m}" for m in services._all_months()]


def test_demo_figures_equal_the_live_counts_for_the_office_and_every_unit(db) -> None:
    months = _months()
    assert len(months) >= 3 and "2026-11" in months
    office = User(role=Role.SUPERVISOR)
    stored = _stored(None, months)
    assert stored == _live(office, months)
    assert sum(stored[0].values()) > 0 and sum(stored[1].values()) > 0 and sum(stored[2].values()) > 0
    units = set(TaskUnit.objects.values_list("unit_id", flat=True))
    assert len(units) > 20
    for unit in units:
        assert _stored(unit, months) == _live(User(role=Role.LIAISON, unit_id=unit), months), unit


def test_refresh_follows_new_reports_and_is_idempotent(db) -> None:
    """A missing report that arrives late moves from 'missing' to 'late' for the office and its units."""
    period = (ReportingPeriod.objects.filter(task__kind__in=("task", "subtask"), due__lt=TODAY,
                                             task__status__in=services.OPEN)
              .exclude(reports__state__in=("submitted", "accepted", "returned", "pending_approval")).first())
    assert period is not None
    task = period.task
    unit = task.lead_units[0]
    month = period.due.replace(day=1)

    def figure(unit_id: int | None) -> tuple[int, int, int]:
        row = MonthlyReporting.objects.filter(month=month, unit_id=unit_id).first() if unit_id else \
            MonthlyReporting.objects.filter(month=month, unit__isnull=True).first()
        return (row.on_time, row.late, row.missing) if row else (0, 0, 0)

    before_office, before_unit = figure(None), figure(unit.pk)
    ProgressReport.objects.filter(period=period).delete()
    ProgressReport.objects.create(task=task, period=period, unit=unit, period_start=period.start,
                                  period_end=period.end, state="submitted", late=True,
                                  submitted_at=timezone.now())
    assert figure(None) == before_office  # stored: unchanged until refreshed
    services.refresh_monthly([month], today=TODAY)
    assert figure(None) == (before_office[0], before_office[1] + 1, before_office[2] - 1)
    assert figure(unit.pk) == (before_unit[0], before_unit[1] + 1, before_unit[2] - 1)
    rows = MonthlyReporting.objects.count()
    services.refresh_monthly([month], today=TODAY)
    assert MonthlyReporting.objects.count() == rows


def test_refresh_of_some_units_leaves_the_others(db) -> None:
    zhujian = find_unit("区住建局")
    other = MonthlyReporting.objects.exclude(unit=zhujian).filter(unit__isnull=False).first().unit
    before = {r.pk: (r.unit_id, r.month) for r in MonthlyReporting.objects.all()}
    MonthlyReporting.objects.filter(unit=zhujian).update(on_time=999)
    MonthlyReporting.objects.filter(unit=other).update(on_time=999)
    MonthlyReporting.objects.filter(unit__isnull=True).update(on_time=999)
    services.refresh_monthly(None, unit_ids=[zhujian.pk], today=TODAY)
    assert not MonthlyReporting.objects.filter(unit=zhujian, on_time=999).exists()
    assert MonthlyReporting.objects.filter(unit=other, on_time=999).exists()
    assert MonthlyReporting.objects.filter(unit__isnull=True, on_time=999).exists()  # the office's untouched
    assert {(r.unit_id, r.month) for r in MonthlyReporting.objects.all()} == set(before.values())


def test_command_refreshes_everything_or_recent_months(db) -> None:
    total = MonthlyReporting.objects.aggregate(n=Sum("on_time"))["n"]
    MonthlyReporting.objects.all().delete()
    call_command("refresh-figures", "--today", TODAY.isoformat(), stdout=io.StringIO())
    recent = {f"{m:%Y-%m}" for m in MonthlyReporting.objects.values_list("month", flat=True)}
    assert recent and recent <= set(charts.months_back(TODAY, figures.TREND_MONTHS))
    call_command("refresh-figures", "--all", "--today", TODAY.isoformat(), stdout=io.StringIO())
    assert MonthlyReporting.objects.aggregate(n=Sum("on_time"))["n"] == total


def test_recent_months_cross_the_year() -> None:
    assert services.recent_months(dt.date(2026, 2, 14), 3) == [
        dt.date(2025, 12, 1), dt.date(2026, 1, 1), dt.date(2026, 2, 1)]
    assert services.first_of("2026-11") == services.first_of(dt.date(2026, 11, 30)) == dt.date(2026, 11, 1)


def test_daily_run_refreshes_the_chart(db) -> None:
    from duban.site.jobs import daily_supervision

    MonthlyReporting.objects.all().delete()
    result = daily_supervision(TODAY)
    assert result["figures"] == MonthlyReporting.objects.count() > 0
