"""The task-list filters the dashboard drills down with (duban.tasks.filters)."""
from __future__ import annotations

import datetime as dt

from duban.tasks.filters import TaskFilter, month_span, week_of
from duban.tasks.models import Task, TaskUnit
from duban.units.services import find_unit

TODAY = dt.date(2026, 11, 18)  # a Wednesday


def _tasks():
    return Task.objects.actionable()


def _count(**params: str) -> int:
    return TaskFilter.from_params(params).apply(_tasks()).count()


def test_nonsense_is_ignored() -> None:
    f = TaskFilter.from_params({"status": "bogus,behind", "role": "boss", "light": "pink", "leader": "x",
                                "reports_due": "2026-13", "report": "soon", "due_within": "-3"})
    assert (f.status, f.role, f.light, f.leader, f.reports_due, f.report, f.due_within) == (
        "behind", "", "", "", "", "", None)
    assert not TaskFilter.from_params({}).active
    assert TaskFilter.from_params({"overdue": "1"}).active


def test_week_and_month_spans() -> None:
    assert week_of(TODAY) == (dt.date(2026, 11, 16), dt.date(2026, 11, 22))
    assert month_span("2026-12") == (dt.date(2026, 12, 1), dt.date(2026, 12, 31))
    assert month_span("2026-02") == (dt.date(2026, 2, 1), dt.date(2026, 2, 28))


def test_status_lists_and_pseudo_statuses(db) -> None:
    tasks = _tasks()
    assert _count(status="on_schedule,ahead") == tasks.filter(status__in=("on_schedule", "ahead")).count()
    assert _count(status="done_only") == 4 and _count(status="ongoing") == 44
    assert _count(status="open") == tasks.exclude(status__in=("done", "suspended")).count() == 30


def test_unit_role_leader_area_light(db, user) -> None:
    zhujian = find_unit("区住建局")
    lead = TaskUnit.objects.filter(unit=zhujian, role="lead").count()
    support = TaskUnit.objects.filter(unit=zhujian, role="support").count()
    assert _count(unit=str(zhujian.pk), role="lead") == lead
    assert _count(unit=str(zhujian.pk), role="support") == support
    assert _count(unit=str(zhujian.pk)) == lead + support == 9
    leader = user("leader")
    assert _count(leader=str(leader.pk)) == _tasks().filter(leader=leader).count() == 44
    assert _count(leader="none") == 34
    Task.objects.filter(pk=_tasks().first().pk).update(area="")
    assert _count(area="none") == 1
    assert _count(light="red") == _tasks().filter(light="red").count()


def test_relative_deadlines(db) -> None:
    t = _tasks().exclude(status__in=("done", "suspended")).order_by("pk")
    a, b, c = t[0], t[1], t[2]
    Task.objects.filter(pk=a.pk).update(deadline=TODAY - dt.timedelta(days=1))  # overdue
    Task.objects.filter(pk=b.pk).update(deadline=TODAY + dt.timedelta(days=4))  # Sunday 22nd: this week
    Task.objects.filter(pk=c.pk).update(deadline=TODAY + dt.timedelta(days=6))  # next week
    base = _tasks().filter(pk__in=(a.pk, b.pk, c.pk))

    def ids(**kw: object) -> set[int]:
        return set(TaskFilter(today=TODAY, **kw).apply(base).values_list("pk", flat=True))

    assert ids(overdue=True) == {a.pk}
    assert ids(due="week") == {a.pk, b.pk}  # Monday to Sunday, including the day before today
    assert ids(due_within=5) == {b.pk}
    assert ids(due_within=6) == {b.pk, c.pk}
    assert ids(due_from=TODAY, due_to=TODAY + dt.timedelta(days=4)) == {b.pk}


def test_reports_due_in_a_month_by_outcome(db) -> None:
    f = TaskFilter.from_params({"reports_due": "2026-11"})
    assert f.apply(_tasks()).count() == _tasks().filter(periods__due__month=11, periods__due__year=2026).count()
    late = TaskFilter(reports_due="2026-11", report="late", today=TODAY).apply(_tasks()).count()
    assert late == _tasks().filter(reports__late=True, reports__period__due__month=11).exclude(
        reports__state="draft").distinct().count()
    missing = TaskFilter(reports_due="2026-11", report="missing", today=TODAY).apply(_tasks())
    assert all(t.status not in ("done", "suspended") for t in missing)
    assert not missing.filter(reports__period__due__month=11).exclude(reports__state="draft").exists()
