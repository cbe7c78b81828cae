"""The task chart page: figures equal independent counts, every drill link lists exactly the tasks it counts,
unit staff see only their unit's chart, and the page costs a fixed number of queries."""
from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from duban.tasks import services
from duban.tasks.models import Indicator, Milestone, Task, TaskUnit
from duban.tasks.reporting.models import ProgressReport, ReportingPeriod
from duban.units.services import find_unit

URL = "/dashboard/"


def _list_count(client: Client, url: str) -> int:
    response = client.get(url)
    assert response.status_code == 200, url
    return response.context["page"].paginator.count


def _elements(data: dict[str, Any]) -> Iterator[tuple[str, int, str]]:
    """Every clickable chart element that counts tasks: (where, value, drill URL)."""
    for chart in ("area", "unit", "leader"):
        block = data[chart]
        for series in block["series"]:
            for category, item in zip(block["categories"], series["data"]):
                yield f"{chart}/{category}/{series['key']}", item["value"], item["url"]
        for category, total, url in zip(block["categories"], block["totals"], block["urls"]):
            yield f"{chart}/{category}", total, url
    for piece in data["pie"]:
        yield f"pie/{piece['name']}", piece["value"], piece["url"]


def test_anonymous_is_sent_to_login(client: Client) -> None:
    response = client.get(URL)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


@pytest.mark.parametrize("username", ["admin", "supervisor", "leader", "zhujian", "renshe"])
def test_every_role_gets_the_page(login, username: str) -> None:
    response = login(username).get(URL)
    assert response.status_code == 200
    assert "dashboard-data" in response.content.decode()


def test_headline_figures_equal_independent_counts(login) -> None:
    response = login("supervisor").get(URL)
    figures = {h.key: h.value for h in response.context["headlines"]}
    tasks = Task.objects.filter(kind__in=("task", "subtask"))
    assert figures["total"] == tasks.count() == 78
    assert figures["done"] == tasks.filter(status="done").count() == 48
    assert figures["on_track"] == tasks.filter(status__in=("on_schedule", "ahead")).count()
    assert figures["behind"] == tasks.filter(status="behind").count()
    assert figures["overdue"] == tasks.filter(status="overdue").count() == response.context["overdue_total"]
    today = timezone.localdate()
    monday = today - dt.timedelta(days=today.weekday())
    due_week = ReportingPeriod.objects.filter(due__gte=monday, due__lte=monday + dt.timedelta(days=6))
    assert figures["reports_due"] == len({p.task_id for p in due_week})
    assert "2026年11月18日" in response.content.decode()


def test_pie_and_bars_add_up(login) -> None:
    data = login("supervisor").get(URL).context["data"]
    assert sum(p["value"] for p in data["pie"]) == 78
    assert sum(data["area"]["totals"]) == 78
    assert sum(data["leader"]["totals"]) == 78
    areas = dict(zip(data["area"]["categories"], data["area"]["totals"]))
    assert areas["城市建设"] == Task.objects.filter(kind__in=("task", "subtask"), area="城市建设").count()
    zhujian = find_unit("区住建局")
    units = dict(zip(data["unit"]["categories"], data["unit"]["totals"]))
    assert units[zhujian.display_name] == TaskUnit.objects.filter(unit=zhujian, role="lead").count()


def test_each_headline_drills_down_to_as_many_tasks(login) -> None:
    client = login("supervisor")
    for h in client.get(URL).context["headlines"]:
        assert _list_count(client, h.url) == h.value, h.key


def test_each_chart_element_drills_down_to_as_many_tasks(login) -> None:
    client = login("leader")
    data = client.get(URL).context["data"]
    checked = 0
    for where, value, url in _elements(data):
        assert _list_count(client, url) == value, where
        checked += 1
    assert checked > 40


def test_report_trends_drill_down(login) -> None:
    """Monthly reporting: one period per task and month, so each bar's tasks equal its count."""
    client = login("supervisor")
    trends = client.get(URL).context["data"]["trends"]
    assert trends["keys"][-1] == "2026-11"
    assert sum(i["value"] for i in trends["on_time"]) > 0
    for state in ("on_time", "late", "missing"):
        for key, item in zip(trends["keys"], trends[state]):
            assert f"reports_due={key}" in item["url"]
            assert _list_count(client, item["url"]) == item["value"], (state, key)
    assert trends["done"][-1]["value"] == 48


def test_overdue_and_timeline_lists(login) -> None:
    response = login("supervisor").get(URL)
    overdue = response.context["overdue"]
    assert [t.status for t in overdue] == ["overdue"] * response.context["overdue_total"]
    gantt = response.context["data"]["gantt"]["rows"]
    today = timezone.localdate()
    ahead = Task.objects.filter(kind__in=("task", "subtask"), deadline__gte=today).exclude(
        status__in=("done", "suspended"))
    assert len(gantt) == min(30, ahead.count())
    assert [r["end"] for r in gantt] == sorted(r["end"] for r in gantt)
    assert _list_count(login("supervisor"), response.context["gantt_all_url"]) == ahead.count()


def test_indicators_against_schedule(login, user) -> None:
    """An accepted report's actual is read against the target and the share of time elapsed."""
    task = Task.objects.filter(indicators__isnull=False).exclude(status__in=("done", "suspended")).first()
    indicator = task.indicators.order_by("id").first()
    period = task.periods.order_by("start").first()
    ProgressReport.objects.update_or_create(
        task=task, unit=task.lead_units[0], period_start=period.start, defaults={
            "period": period, "period_end": period.end, "state": "accepted",
            "indicator_actuals": {str(indicator.pk): float(indicator.target) / 2}})
    rows = login("leader").get(URL).context["data"]["indicators"]["rows"]
    row = next(r for r in rows if r["label"].endswith(indicator.name))
    assert row["actual"] == 50.0
    assert 0 < row["schedule"] <= 100
    assert row["url"] == reverse("task-detail", args=[task.pk])


def test_liaison_sees_only_own_unit(login) -> None:
    client = login("zhujian")
    response = client.get(URL)
    figures = {h.key: h.value for h in response.context["headlines"]}
    own = Task.objects.filter(kind__in=("task", "subtask"), task_units__unit=find_unit("区住建局")).distinct()
    assert figures["total"] == own.count() == 9
    assert sum(p["value"] for p in response.context["data"]["pie"]) == 9
    assert "区住建局" in response.content.decode()
    for h in response.context["headlines"]:
        assert _list_count(client, h.url) == h.value, h.key
    for where, value, url in _elements(response.context["data"]):
        assert _list_count(client, url) == value, where
    assert all(t.pk in set(own.values_list("pk", flat=True)) for t in response.context["overdue"])


def _add_tasks(k: int, today: dt.date) -> None:
    """k more tasks touching every part of the page: new areas, units, a leader, indicators, milestones,
    periods and reports, some overdue."""
    from duban.people.models import User

    leader = User.objects.get(username="leader")
    unit_names = ["区住建局", "区人社局", "区商务局"]
    for i in range(k):
        unit = find_unit(unit_names[i % len(unit_names)])
        task = services.create_task(
            None, text=f"新增任务{i}", number=f"9{i}", area=f"新领域{i}", leader=leader if i % 2 else None,
            deadline=today + dt.timedelta(days=10 + i) if i % 3 else today - dt.timedelta(days=3),
            start_date=today - dt.timedelta(days=60), status="overdue" if i % 3 == 0 else "behind",
            lead_units=[unit], support_units=[find_unit("区财政局")])
        Indicator.objects.create(task=task, name=f"指标{i}", target=100)
        Milestone.objects.create(task=task, title="节点", due=today + dt.timedelta(days=5))
        period = ReportingPeriod.objects.create(task=task, key="2026-10", start=dt.date(2026, 10, 1),
                                                end=dt.date(2026, 10, 31), due=dt.date(2026, 11, 5))
        ProgressReport.objects.create(task=task, period=period, unit=unit, period_start=period.start,
                                      period_end=period.end, state="accepted", late=bool(i % 2),
                                      indicator_actuals={})


@pytest.mark.parametrize(("username", "total"), [("supervisor", 85), ("zhujian", 12)])
def test_query_count_does_not_grow_with_data(login, username: str, total: int) -> None:
    client = login(username)
    client.get(URL)  # warm caches (session, content types)
    with CaptureQueriesContext(connection) as before:
        assert client.get(URL).status_code == 200
    _add_tasks(7, timezone.localdate())
    with CaptureQueriesContext(connection) as after:
        response = client.get(URL)
    assert response.context["headlines"][0].value == total
    assert len(after) == len(before), "\n".join(
        ["BEFORE"] + [q["sql"][:90] for q in before.captured_queries]
        + ["AFTER"] + [q["sql"][:90] for q in after.captured_queries])
    assert len(before) <= 25


def test_figures_are_reused_for_a_while_and_say_when_they_were_computed(login, settings) -> None:
    from django.core.cache import caches

    caches["shared"].clear()
    settings.DUBAN_DASHBOARD_CACHE_SECONDS = 300
    client = login("leader")
    first = client.get(URL)
    with CaptureQueriesContext(connection) as again:
        second = login("supervisor").get(URL)
    assert second.context["computed_at"] == first.context["computed_at"]
    assert not any("reporting_progressreport" in q["sql"] for q in again.captured_queries)
    # A unit's chart is its own: never served from the office's.
    liaison = login("zhujian").get(URL)
    assert liaison.context["headlines"][0].value == 9
    assert first.context["headlines"][0].value == 78
    caches["shared"].clear()


def test_trends_read_the_stored_figures_and_say_when_they_were_counted(login) -> None:
    """The monthly report bars come from the stored figures (one row per month), not from the reports."""
    from duban.dashboard.models import MonthlyReporting

    client = login("supervisor")
    response = client.get(URL)
    assert "data-reporting-as-of" in response.content.decode()
    assert response.context["reporting_as_of"].startswith("2026年11月18日")
    MonthlyReporting.objects.filter(unit__isnull=True, month=dt.date(2026, 11, 1)).update(on_time=777)
    trends = client.get(URL).context["data"]["trends"]
    assert trends["on_time"][-1]["value"] == 777
    # A unit's chart reads its own row, never the office's.
    liaison = login("zhujian").get(URL).context["data"]["trends"]
    assert liaison["on_time"][-1]["value"] != 777


def test_the_worker_keeps_the_office_chart_fresh_so_no_view_computes_it(login, settings) -> None:
    """warm() (called on every worker pass) recomputes the office-wide chart once it is half its lifetime old;
    the pages then read it from the shared cache without touching the tasks."""
    import time_machine
    from django.core.cache import caches
    from django.utils import timezone

    from duban.dashboard import figures

    caches["shared"].clear()
    settings.DUBAN_DASHBOARD_CACHE_SECONDS = 300
    today = timezone.localdate()
    assert figures.warm(today) and not figures.warm(today)
    computed = caches["shared"].get(figures.cache_key("all", today)).computed_at
    with CaptureQueriesContext(connection) as served:
        response = login("leader").get(URL)
    assert response.context["computed_at"] == computed
    assert not any("tasks_task" in q["sql"] for q in served.captured_queries)
    with time_machine.travel(timezone.now() + dt.timedelta(seconds=149)):
        assert not figures.warm(today)
    with time_machine.travel(timezone.now() + dt.timedelta(seconds=151)):
        assert figures.warm(today)
        assert caches["shared"].get(figures.cache_key("all", today)).computed_at > computed
    settings.DUBAN_DASHBOARD_CACHE_SECONDS = 0
    assert not figures.warm(today)  # no cache, nothing to keep fresh
    caches["shared"].clear()
