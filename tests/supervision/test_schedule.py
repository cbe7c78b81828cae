"""The status engine: 序时进度, status, light and reason, and the display vocabularies."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest

from duban.supervision.schedule import (
    DEFAULT_WORDS,
    VOCABULARIES,
    Direction,
    IndicatorKind,
    IndicatorState,
    Light,
    MilestoneState,
    ScheduleResult,
    ShareBasis,
    Status,
    TaskFacts,
    display,
    evaluate,
    percent_text,
    schedule_share,
)


def d(text: str) -> dt.date:
    return dt.date.fromisoformat(text)


def facts(today: str = "2026-07-01", start: str = "2026-01-01", end: str = "2026-12-31", **kw: Any) -> TaskFacts:
    """A task planned for 2026 (t = 182/365 = 49.9% on 1 July), with a report unless told otherwise."""
    kw.setdefault("has_report", True)
    for name in ("deadline", "report_as_of"):
        if isinstance(kw.get(name), str):
            kw[name] = d(kw[name])
    return TaskFacts(today=d(today), start=d(start), end=d(end), **kw)


def cum(target: float | None, actual: float | None, direction: str = ">=", name: str = "") -> IndicatorState:
    return IndicatorState(target, actual, Direction(direction), IndicatorKind.CUMULATIVE, name)


def growth(target: float, actual: float | None, direction: str = ">=", name: str = "") -> IndicatorState:
    return IndicatorState(target, actual, Direction(direction), IndicatorKind.GROWTH_RATE, name)


def ms(due: str, reached: str | None = None) -> MilestoneState:
    return MilestoneState(d(due), d(reached) if reached else None)


# Three quarterly milestones (季度形象进度) of a qualitative task.
Q1, Q2, Q3 = "2026-03-31", "2026-06-30", "2026-09-30"
MONTHS = ShareBasis.MONTHS


@pytest.mark.parametrize(
    ("start", "end", "on", "basis", "expected"),
    [
        ("2026-01-01", "2026-12-31", "2025-12-31", ShareBasis.DAYS, 0.0),        # before the start
        ("2026-01-01", "2026-12-31", "2026-01-01", ShareBasis.DAYS, 1 / 365),    # the first day counts
        ("2026-01-01", "2026-12-31", "2026-11-30", ShareBasis.DAYS, 334 / 365),
        ("2026-01-01", "2026-12-31", "2026-12-31", ShareBasis.DAYS, 1.0),
        ("2026-01-01", "2026-12-31", "2027-03-01", ShareBasis.DAYS, 1.0),        # after the end
        ("2026-01-01", "2026-12-31", "2026-11-01", MONTHS, 11 / 12),             # 宣城: November = 11/12
        ("2026-01-01", "2026-12-31", "2026-11-30", MONTHS, 11 / 12),
        ("2025-10-01", "2026-03-31", "2026-01-10", MONTHS, 4 / 6),               # across a year end
        ("2028-01-01", "2028-12-31", "2028-02-29", ShareBasis.DAYS, 60 / 366),   # leap year
        ("2026-01-01", "2026-12-31", "2026-03-01", ShareBasis.DAYS, 60 / 365),   # same day, common year
        ("2026-05-10", "2026-05-10", "2026-05-10", ShareBasis.DAYS, 1.0),        # one-day plan: no 0/0
        ("2026-05-10", "2026-05-10", "2026-05-09", ShareBasis.DAYS, 0.0),
        ("2026-05-10", "2026-05-01", "2026-05-05", ShareBasis.DAYS, 0.0),        # end before start: no crash
        ("2026-05-10", "2026-05-01", "2026-05-20", ShareBasis.DAYS, 1.0),
    ],
)
def test_schedule_share(start: str, end: str, on: str, basis: ShareBasis, expected: float) -> None:
    assert schedule_share(d(start), d(end), d(on), basis) == pytest.approx(expected)


@pytest.mark.parametrize(
    ("share", "text"),
    [(0.62, "62%"), (11 / 12, "91.7%"), (10 / 12, "83.3%"), (1.0, "100%"), (0.0, "0%"), (12.5, "1250%"),
     (0.0004, "0%")],
)
def test_percent_text(share: float, text: str) -> None:
    assert percent_text(share) == text


CASES: list[Any] = [
    # --- overrides: suspended, then done, then overdue -------------------------------------------------------
    pytest.param(facts(suspended=True, done=True, today="2027-02-01"), Status.SUSPENDED, Light.GREY, "暂缓推进",
                 id="suspended-beats-done-and-overdue"),
    pytest.param(facts(done=True, today="2027-02-01", percent=30), Status.DONE, Light.BLUE, "已完成",
                 id="done-beats-overdue"),
    pytest.param(facts(done=True, ongoing=True), Status.DONE_ONGOING, Light.BLUE, "已完成,长期坚持",
                 id="done-and-ongoing"),
    pytest.param(facts(ongoing=True, percent=50), Status.ON_SCHEDULE, Light.GREEN, "进度 50%,序时 49.9%",
                 id="ongoing-without-done-is-ignored"),
    pytest.param(facts(today="2026-06-30", end="2026-06-30", percent=100), Status.ON_SCHEDULE, Light.GREEN,
                 "进度 100%,序时 100%", id="deadline-day-itself-is-not-overdue"),
    pytest.param(facts(today="2026-06-30", end="2026-06-30", percent=90), Status.BEHIND, Light.YELLOW,
                 "进度 90%,序时 100%", id="deadline-day-behind-not-overdue"),
    pytest.param(facts(today="2026-07-01", end="2026-06-30", percent=100), Status.OVERDUE, Light.RED,
                 "逾期 1 个工作日(完成时限 2026年6月30日)", id="day-after-deadline"),
    pytest.param(facts(today="2026-06-27", end="2026-06-26"), Status.OVERDUE, Light.RED,
                 "逾期 1 天(完成时限 2026年6月26日)", id="overdue-on-a-saturday"),
    pytest.param(facts(today="2026-10-13", end="2026-09-30"), Status.OVERDUE, Light.RED,
                 "逾期 5 个工作日(完成时限 2026年9月30日)", id="overdue-counts-working-days-over-national-day"),
    pytest.param(facts(today="2026-12-15", end="2026-06-30", deadline="2026-12-31", percent=100),
                 Status.ON_SCHEDULE, Light.GREEN, "进度 100%,序时 100%", id="extended-deadline-not-overdue"),
    pytest.param(facts(today="2026-07-01", end="2026-12-31", deadline="2026-06-30", has_report=False),
                 Status.OVERDUE, Light.RED, "逾期 1 个工作日(完成时限 2026年6月30日)",
                 id="deadline-before-planned-end"),
    # --- not started -------------------------------------------------------------------------------------------
    pytest.param(facts(today="2025-12-20", has_report=False), Status.NOT_STARTED, Light.GREY,
                 "计划于 2026年1月1日 开始", id="before-the-start"),
    pytest.param(facts(has_report=False), Status.NOT_STARTED, Light.YELLOW, "尚未报送进展,序时 49.9%",
                 id="nothing-reported-half-way"),
    pytest.param(facts(has_report=False, indicators=(cum(100, 0),), percent=0), Status.NOT_STARTED,
                 Light.YELLOW, "尚未报送进展,序时 49.9%", id="zeros-are-no-work"),
    pytest.param(facts(has_report=False, indicators=(cum(100, 55),)), Status.ON_SCHEDULE, Light.GREEN,
                 "指标完成 55%,序时 49.9%", id="imported-actuals-count-without-a-report"),
    pytest.param(facts(percent=0), Status.BEHIND, Light.YELLOW, "进度 0%,序时 49.9%",
                 id="reported-zero-is-behind-not-not-started"),
    pytest.param(facts(), Status.ON_SCHEDULE, Light.GREEN, "已报送进展,暂无可比较的指标、节点或完成比例",
                 id="report-without-figures"),
    # --- cumulative targets (宣城: November, monthly data) -------------------------------------------------------
    pytest.param(facts(today="2026-11-20", share_basis=MONTHS, indicators=(cum(100, 91),)), Status.BEHIND,
                 Light.YELLOW, "指标完成 91%,序时 91.7%", id="xuancheng-below-11-12"),
    pytest.param(facts(today="2026-11-20", share_basis=MONTHS, indicators=(cum(12, 11),)), Status.ON_SCHEDULE,
                 Light.GREEN, "指标完成 91.7%,序时 91.7%", id="exactly-on-t"),
    pytest.param(facts(today="2026-11-20", share_basis=MONTHS, indicators=(cum(120, 110),)), Status.ON_SCHEDULE,
                 Light.GREEN, "指标完成 91.7%,序时 91.7%", id="exactly-on-t-despite-float-noise"),
    pytest.param(facts(today="2026-06-10", share_basis=MONTHS, indicators=(cum(100, 60),)), Status.AHEAD,
                 Light.GREEN, "指标完成 60%,序时 50%", id="ahead-by-exactly-10-points"),
    pytest.param(facts(today="2026-06-10", share_basis=MONTHS, indicators=(cum(100, 59.9),)), Status.ON_SCHEDULE,
                 Light.GREEN, "指标完成 59.9%,序时 50%", id="just-under-the-ahead-margin"),
    pytest.param(facts(today="2026-06-10", share_basis=MONTHS, indicators=(cum(Decimal("3.5"), Decimal("1.5"),
                 name="新建道路(公里)"),)), Status.BEHIND, Light.YELLOW, "新建道路(公里)完成 42.9%,序时 50%",
                 id="decimal-values-and-a-name"),
    pytest.param(facts(today="2026-06-10", share_basis=MONTHS, indicators=(cum(3, 3, "="),)), Status.AHEAD,
                 Light.GREEN, "指标完成 100%,序时 50%", id="equal-amount-reached-early"),
    pytest.param(facts(today="2026-06-10", share_basis=MONTHS,
                       indicators=(cum(100, 55, name="投资"), cum(50, 20, name="就业"))),
                 Status.BEHIND, Light.YELLOW, "就业完成 40%,序时 50%", id="worst-indicator-decides"),
    # --- '<=' caps compare the other way ------------------------------------------------------------------------
    pytest.param(facts(today="2026-06-10", share_basis=MONTHS, indicators=(cum(100, 55, "<=", "能耗"),)),
                 Status.BEHIND, Light.YELLOW, "能耗已达上限的 55%,序时 50%", id="cap-used-too-fast"),
    pytest.param(facts(today="2026-06-10", share_basis=MONTHS, indicators=(cum(100, 50, "<=", "能耗"),)),
                 Status.ON_SCHEDULE, Light.GREEN, "能耗已达上限的 50%,序时 50%", id="cap-exactly-on-t"),
    pytest.param(facts(today="2026-06-10", share_basis=MONTHS, indicators=(cum(100, 40, "<=", "能耗"),)),
                 Status.AHEAD, Light.GREEN, "能耗已达上限的 40%,序时 50%", id="cap-well-under"),
    # --- division by zero and missing data ----------------------------------------------------------------------
    pytest.param(facts(indicators=(cum(0, 0, "<=", "较大安全事故"),)), Status.ON_SCHEDULE, Light.GREEN,
                 "较大安全事故 0,目标 ≤0", id="zero-target-cap-met"),
    pytest.param(facts(indicators=(cum(0, 1, "<=", "较大安全事故"),)), Status.BEHIND, Light.YELLOW,
                 "较大安全事故 1,目标 ≤0", id="zero-target-cap-broken"),
    pytest.param(facts(indicators=(cum(0, 3),)), Status.ON_SCHEDULE, Light.GREEN, "指标 3,目标 ≥0",
                 id="zero-target-at-least"),
    pytest.param(facts(indicators=(cum(None, 5), cum(100, None)), percent=55), Status.ON_SCHEDULE, Light.GREEN,
                 "进度 55%,序时 49.9%", id="incomplete-indicators-fall-back-to-percent"),
    pytest.param(facts(indicators=(cum(-10, 5),), percent=20), Status.BEHIND, Light.YELLOW,
                 "进度 20%,序时 49.9%", id="negative-amount-target-ignored"),
    # --- growth-rate targets compare with the target growth, not with t --------------------------------------
    pytest.param(facts(indicators=(growth(8, 6.5),)), Status.BEHIND, Light.YELLOW, "增速 6.5%,目标 ≥8%",
                 id="growth-below-target"),
    pytest.param(facts(indicators=(growth(8, 8),)), Status.ON_SCHEDULE, Light.GREEN, "增速 8%,目标 ≥8%",
                 id="growth-on-target"),
    pytest.param(facts(indicators=(growth(8, 8.8, name="规上工业增加值增速"),)), Status.AHEAD, Light.GREEN,
                 "规上工业增加值增速 8.8%,目标 ≥8%", id="growth-10-percent-above"),
    pytest.param(facts(indicators=(growth(0, 5),)), Status.ON_SCHEDULE, Light.GREEN, "增速 5%,目标 ≥0%",
                 id="growth-target-zero-never-ahead"),
    pytest.param(facts(indicators=(growth(3, 3.2, "<=", "CPI涨幅"),)), Status.BEHIND, Light.YELLOW,
                 "CPI涨幅 3.2%,目标 ≤3%", id="growth-cap-exceeded"),
    pytest.param(facts(indicators=(growth(6, 5.8, "="),)), Status.ON_SCHEDULE, Light.GREEN, "增速 5.8%,目标 6%",
                 id="growth-about-target"),
    pytest.param(facts(indicators=(growth(6, 5.6, "="),)), Status.BEHIND, Light.YELLOW, "增速 5.6%,目标 6%",
                 id="growth-off-target"),
    pytest.param(facts(indicators=(growth(-2, -3.5, "<=", "能耗强度下降"),)), Status.AHEAD, Light.GREEN,
                 "能耗强度下降 -3.5%,目标 ≤-2%", id="negative-growth-target"),
    pytest.param(facts(indicators=(IndicatorState(90, 88.5, Direction.AT_LEAST, IndicatorKind.LEVEL, "空气优良率"),)),
                 Status.BEHIND, Light.YELLOW, "空气优良率 88.5,目标 ≥90", id="level-indicator"),
    # --- milestones (qualitative tasks) -------------------------------------------------------------------------
    pytest.param(facts(today="2026-07-10", milestones=(ms(Q1, "2026-03-20"), ms(Q2, "2026-06-30"), ms(Q3))),
                 Status.ON_SCHEDULE, Light.GREEN, "节点 2/3 已完成,应完成 2", id="milestones-on-schedule"),
    pytest.param(facts(today="2026-07-10", milestones=(ms(Q1, "2026-03-20"), ms(Q2), ms(Q3))),
                 Status.BEHIND, Light.YELLOW, "节点 1/3 已完成,应完成 2", id="milestone-missed"),
    pytest.param(facts(today="2026-07-10", milestones=(ms(Q1, "2026-03-20"), ms(Q2, "2026-07-05"), ms(Q3))),
                 Status.ON_SCHEDULE, Light.GREEN, "节点 2/3 已完成,应完成 2", id="milestone-reached-late"),
    pytest.param(facts(today="2026-07-10", milestones=(ms(Q1, "2026-03-20"), ms(Q2, "2026-06-01"),
                                                        ms(Q3, "2026-07-08"))),
                 Status.AHEAD, Light.GREEN, "节点 3/3 已完成,应完成 2", id="milestone-reached-early"),
    pytest.param(facts(today=Q2, milestones=(ms(Q1, "2026-03-20"), ms(Q2), ms(Q3))),
                 Status.ON_SCHEDULE, Light.GREEN, "节点 1/3 已完成,应完成 1", id="milestone-due-today-not-missed"),
    pytest.param(facts(today=Q2, milestones=(ms(Q1, "2026-03-20"), ms(Q2, Q2), ms(Q3))),
                 Status.ON_SCHEDULE, Light.GREEN, "节点 2/3 已完成,应完成 1", id="milestone-reached-on-due-day"),
    pytest.param(facts(today="2026-07-10", milestones=(ms(Q1, "2026-03-20"), ms(Q2, "2026-07-20"), ms(Q3))),
                 Status.BEHIND, Light.YELLOW, "节点 1/3 已完成,应完成 2", id="milestone-dated-in-the-future"),
    pytest.param(facts(today="2026-07-10", indicators=(cum(100, 90),), milestones=(ms(Q1, "2026-03-20"), ms(Q2))),
                 Status.BEHIND, Light.YELLOW, "节点 1/2 已完成,应完成 2", id="missed-milestone-beats-good-figures"),
    # --- percent complete against t at the date the report refers to ----------------------------------------
    pytest.param(facts(percent=40), Status.BEHIND, Light.YELLOW, "进度 40%,序时 49.9%", id="percent-behind"),
    pytest.param(facts(percent=42, report_as_of="2026-05-31"), Status.ON_SCHEDULE, Light.GREEN,
                 "进度 42%,序时 41.4%", id="percent-judged-at-its-own-date"),
    pytest.param(facts(percent=55, report_as_of="2026-09-30"), Status.ON_SCHEDULE, Light.GREEN,
                 "进度 55%,序时 49.9%", id="report-date-in-the-future-is-today"),
    pytest.param(facts(percent=16.4, today="2028-02-29", start="2028-01-01", end="2028-12-31"),
                 Status.ON_SCHEDULE, Light.GREEN, "进度 16.4%,序时 16.4%", id="leap-day"),
    pytest.param(facts(percent=16, today="2028-02-29", start="2028-01-01", end="2028-12-31"),
                 Status.BEHIND, Light.YELLOW, "进度 16%,序时 16.4%", id="leap-day-behind"),
    pytest.param(facts(percent=100, indicators=(cum(100, 30),)), Status.BEHIND, Light.YELLOW,
                 "指标完成 30%,序时 49.9%", id="figures-beat-a-self-assessed-percent"),
]


@pytest.mark.parametrize(("task", "status", "light", "reason"), CASES)
def test_evaluate(task: TaskFacts, status: Status, light: Light, reason: str) -> None:
    result = evaluate(task)
    assert (result.status, result.light, result.reason) == (status, light, reason)


def test_result_shares() -> None:
    result = evaluate(facts(today="2026-07-01", percent=42, report_as_of="2026-05-31"))
    assert result == ScheduleResult(
        Status.ON_SCHEDULE, Light.GREEN, schedule_share=182 / 365, achieved_share=0.42, expected_share=151 / 365,
        reason="进度 42%,序时 41.4%",
    )


def test_shares_are_kept_for_done_and_overdue_tasks() -> None:
    result = evaluate(facts(today="2027-01-05", indicators=(cum(200, 150),)))
    assert result.status == Status.OVERDUE
    assert (result.schedule_share, result.achieved_share) == (1.0, 0.75)


def test_milestone_shares() -> None:
    result = evaluate(facts(today="2026-07-10", milestones=(ms(Q1, "2026-03-20"), ms(Q2), ms(Q3), ms("2026-12-31"))))
    assert (result.achieved_share, result.expected_share) == (0.25, 0.5)


def test_statuses_match_the_task_model() -> None:
    model = {"not_started", "on_schedule", "ahead", "behind", "overdue", "done", "suspended"}
    assert {s.value for s in Status} == model | {"done_ongoing"}


@pytest.mark.parametrize(
    ("status", "vocabulary", "words"),
    [
        (Status.NOT_STARTED, "default", "未启动"),
        (Status.ON_SCHEDULE, "default", "序时推进"),
        (Status.AHEAD, "default", "超序时"),
        (Status.BEHIND, "default", "滞后"),
        (Status.OVERDUE, "default", "逾期"),
        (Status.DONE, "default", "已完成"),
        (Status.DONE_ONGOING, "default", "已完成并长期坚持"),
        (Status.SUSPENDED, "default", "暂缓"),
        (Status.BEHIND, "tuijin", "推进中"),
        (Status.DONE_ONGOING, "tuijin", "已完成并长期坚持"),
        (Status.AHEAD, "shouxian", "序时推进"),
        (Status.BEHIND, "shouxian", "滞后序时"),
        (Status.DONE, "shouxian", "已完成年度目标"),
        (Status.AHEAD, "jinzhai", "超进度"),
        (Status.ON_SCHEDULE, "jinzhai", "达进度"),
        (Status.BEHIND, "jinzhai", "欠进度"),
        (Status.DONE, "jinzhai", "已完成"),          # words a family lacks fall back to the default
        (Status.ON_SCHEDULE, "anxushi", "按序时"),
        (Status.OVERDUE, "anxushi", "慢序时"),
        (Status.DONE, "12345", "已办结"),
        (Status.ON_SCHEDULE, "12345", "正在办理"),
        (Status.OVERDUE, "12345", "进展滞后"),
        (Status.DONE, "zhenggai", "已完成整改"),
        (Status.DONE_ONGOING, "zhenggai", "基本完成并持续整改"),
        (Status.BEHIND, "zhenggai", "未完成"),
        (Status.SUSPENDED, "zhenggai", "暂缓"),
        ("on_schedule", "default", "序时推进"),       # plain strings from the database work too
    ],
)
def test_display(status: Status | str, vocabulary: str, words: str) -> None:
    assert display(status, vocabulary) == words


def test_every_vocabulary_names_every_status() -> None:
    for name, words in VOCABULARIES.items():
        assert set(words) == set(Status), name
        assert all(words.values()), name


def test_custom_vocabulary_falls_back_to_the_default_words() -> None:
    custom = {Status.BEHIND: "慢于序时", Status.ON_SCHEDULE: "快于序时"}
    assert display(Status.BEHIND, custom) == "慢于序时"
    assert display(Status.OVERDUE, custom) == DEFAULT_WORDS[Status.OVERDUE]


def test_unknown_vocabulary() -> None:
    with pytest.raises(KeyError, match="known: default"):
        display(Status.DONE, "nowhere")
