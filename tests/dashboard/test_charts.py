"""The pure shaping of the task chart: tables of plain values in, chart data with drill URLs out."""
from __future__ import annotations

import datetime as dt
from urllib.parse import parse_qs, urlsplit

import pytest

from duban.dashboard import charts
from duban.supervision.dates import chinese_date

BASE = "/tasks/"
GROUPS = {"done": "已完成", "on_track": "序时推进", "behind": "滞后", "overdue": "逾期",
          "not_started": "未启动", "suspended": "暂缓"}


def _params(url: str) -> dict[str, str]:
    return {k: v[0] for k, v in parse_qs(urlsplit(url).query).items()}


def test_drill_leaves_out_empty_values() -> None:
    assert charts.drill(BASE) == BASE
    assert _params(charts.drill(BASE, area="城市建设", status="", overdue=False)) == {"area": "城市建设"}


def test_headlines_count_on_schedule_with_ahead_and_link_to_the_same_set() -> None:
    totals = {"done": 4, "on_schedule": 3, "ahead": 2, "behind": 1, "overdue": 5}
    labels = dict.fromkeys(("total", "done", "on_track", "behind", "overdue", "reports_due"), "x")
    h = {x.key: x for x in charts.headlines(totals, 7, BASE, labels)}
    assert h["total"].value == 15 and h["total"].url == BASE
    assert h["on_track"].value == 5 and _params(h["on_track"].url) == {"status": "on_schedule,ahead"}
    assert h["done"].note == "27%"
    assert h["reports_due"].value == 7 and _params(h["reports_due"].url) == {"reports_due": "week"}


def test_stacked_groups_statuses_orders_and_caps() -> None:
    rows = [("a", "done", 2), ("a", "ahead", 1), ("a", "on_schedule", 1), ("b", "overdue", 5), ("c", "done", 1)]
    block = charts.stacked(rows, {"a": "甲", "b": "乙", "c": "丙"}, BASE, GROUPS, lambda k: {"unit": k}, limit=2)
    assert block["categories"] == ["乙", "甲"]  # most tasks first, cut to two
    assert block["totals"] == [5, 4] and (block["shown"], block["all"]) == (2, 3)
    series = {s["key"]: s for s in block["series"]}
    assert set(series) == {"done", "on_track", "overdue"}  # empty groups stay out of the legend
    assert [d["value"] for d in series["on_track"]["data"]] == [0, 2]
    assert _params(series["on_track"]["data"][1]["url"]) == {"unit": "a", "status": "on_schedule,ahead"}
    assert _params(block["urls"][0]) == {"unit": "b"}


def test_pie_splits_done_and_ongoing() -> None:
    labels = {"not_started": "未启动", "on_schedule": "序时", "ahead": "超序时", "behind": "滞后",
              "overdue": "逾期", "done_only": "已完成", "ongoing": "长期坚持", "suspended": "暂缓"}
    pie = charts.status_pie({"done": 48, "behind": 11}, 44, BASE, labels)
    assert [(p["name"], p["value"], _params(p["url"])["status"]) for p in pie] == [
        ("滞后", 11, "behind"), ("已完成", 4, "done_only"), ("长期坚持", 44, "ongoing")]


@pytest.mark.parametrize(("start", "end", "on", "share"), [
    (dt.date(2026, 1, 1), dt.date(2026, 12, 31), dt.date(2025, 12, 31), 0.0),
    (dt.date(2026, 1, 1), dt.date(2026, 12, 31), dt.date(2026, 12, 31), 1.0),
    (dt.date(2026, 1, 1), dt.date(2026, 1, 10), dt.date(2026, 1, 5), 0.5),
    (dt.date(2026, 1, 1), dt.date(2026, 1, 1), dt.date(2026, 1, 1), 1.0),
])
def test_schedule_share(start: dt.date, end: dt.date, on: dt.date, share: float) -> None:
    assert charts.schedule_share(start, end, on) == share


def _ind(n: str, target: float, actual: float | None, direction: str = ">=") -> charts.IndicatorRow:
    return charts.IndicatorRow(task_id=int(n), number=n, name=f"指标{n}", target=target, actual=actual,
                               direction=direction, unit_of_measure="亩", start=dt.date(2026, 1, 1),
                               end=dt.date(2026, 1, 10), as_of=dt.date(2026, 1, 5))


def test_indicators_worst_first_against_schedule_at_report_date() -> None:
    rows = [_ind("1", 100, 80), _ind("2", 100, 20), _ind("3", 100, None), _ind("4", 10, 20, "<=")]
    chart = charts.indicator_chart(rows, dt.date(2026, 1, 9), lambda pk: f"/tasks/{pk}/", limit=3)
    got = [(r["label"], r["actual"], r["schedule"], r["behind"]) for r in chart["rows"]]
    # t at the report's date (5 of 10 days) is 50%, not today's 90%; a '≤' ceiling used at 150% by mid-term
    # is the furthest behind (its bar is capped at 150%).
    assert got == [("4. 指标4", 150.0, 50.0, True), ("2. 指标2", 20.0, 50.0, True), ("1. 指标1", 80.0, 50.0, False)]
    assert (chart["shown"], chart["all"]) == (3, 4)
    unreported = charts.indicator_chart(rows[2:3], dt.date(2026, 1, 9), str)["rows"][0]
    assert unreported["actual"] is None and unreported["value"] is None


def test_gantt_places_milestones_on_their_rows() -> None:
    d = dt.date(2026, 3, 1)
    tasks = [{"id": 5, "number": "1", "text": "修路" * 20, "start": d, "end": d.replace(month=6),
              "status": "behind", "light": "yellow"},
             {"id": 9, "number": "", "text": "建园", "start": d, "end": d.replace(month=9),
              "status": "on_schedule", "light": "green"}]
    marks = [{"task_id": 9, "title": "开工", "due": d.replace(month=4), "done_on": None},
             {"task_id": 77, "title": "别的任务", "due": d, "done_on": None}]
    g = charts.gantt(tasks, marks, lambda pk: f"/tasks/{pk}/")
    assert [r["label"] for r in g["rows"]] == ["1. " + ("修路" * 7), "建园"]
    assert g["rows"][0]["color"] == charts.LIGHT_COLORS["yellow"]
    assert g["milestones"] == [{"row": 1, "date": "2026-04-01", "title": "开工", "done": False, "url": "/tasks/9/"}]


def test_months_back_crosses_the_year() -> None:
    assert charts.months_back(dt.date(2026, 2, 14), 4) == ["2025-11", "2025-12", "2026-01", "2026-02"]


def test_trends_accumulate_done_and_link_each_bar() -> None:
    months = ["2026-09", "2026-10", "2026-11"]
    t = charts.trends(months, {"2026-10": 5}, {"2026-10": 1}, {"2026-11": 2},
                      {"2026-08": 1, "2026-10": 3}, 10, BASE)
    assert [d["value"] for d in t["done"]] == [11, 14, 14]
    assert [d["value"] for d in t["on_time"]] == [0, 5, 0]
    assert _params(t["missing"][2]["url"]) == {"reports_due": "2026-11", "report": "missing"}


def test_chinese_date() -> None:
    assert chinese_date(dt.date(2026, 11, 22)) == "2026年11月22日"
