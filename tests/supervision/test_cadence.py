"""Reporting periods and due dates, moved off holidays on the 2026 calendar."""

from __future__ import annotations

import datetime as dt
import itertools

import pytest

from duban.supervision.cadence import (
    DEFAULT_RULE,
    Cadence,
    CadenceRule,
    Period,
    current_period,
    effective_cadence,
    periods,
)
from duban.supervision.workdays import WorkCalendar


def d(text: str) -> dt.date:
    return dt.date.fromisoformat(text)


def p(start: str, end: str, due: str, key: str) -> Period:
    return Period(d(start), d(end), d(due), key)


MONTHLY = CadenceRule(Cadence.MONTHLY)  # 每月5日前报送上月进展
MONTHLY_25_SAME = CadenceRule(Cadence.MONTHLY, due_day=25, due_next=False)  # 每月25日前报送当月
QUARTERLY = CadenceRule(Cadence.QUARTERLY)  # 季后次月5日前
QUARTERLY_25_LAST = CadenceRule(Cadence.QUARTERLY, due_day=25, due_next=False)  # 季末月25日前
WEEKLY_MON = CadenceRule(Cadence.WEEKLY)  # 每周一报送上周
WEEKLY_FRI = CadenceRule(Cadence.WEEKLY, due_weekday=4, due_next=False)  # 每周五报送本周
BIWEEKLY = CadenceRule(Cadence.BIWEEKLY)
ONCE = CadenceRule(Cadence.ONCE)


@pytest.mark.parametrize(
    ("rule", "start", "end", "expected"),
    [
        pytest.param(MONTHLY, "2026-01-15", "2026-04-20", [
            p("2026-01-15", "2026-01-31", "2026-02-05", "2026-01"),
            p("2026-02-01", "2026-02-28", "2026-03-05", "2026-02"),
            p("2026-03-01", "2026-03-31", "2026-04-07", "2026-03"),   # 04-05 Sunday + 清明 04-06 → 04-07
            p("2026-04-01", "2026-04-20", "2026-05-06", "2026-04"),   # clipped, still due after April; 劳动节
        ], id="monthly-5th-next-month"),
        pytest.param(MONTHLY, "2026-09-01", "2026-09-30", [
            p("2026-09-01", "2026-09-30", "2026-10-08", "2026-09"),   # 10-05 in National Day → 10-08
        ], id="monthly-over-national-day"),
        pytest.param(MONTHLY_25_SAME, "2026-01-01", "2026-02-28", [
            p("2026-01-01", "2026-01-31", "2026-01-26", "2026-01"),   # 01-25 Sunday → Monday
            p("2026-02-01", "2026-02-28", "2026-02-25", "2026-02"),
        ], id="monthly-25th-same-month"),
        pytest.param(MONTHLY_25_SAME, "2026-03-28", "2026-04-30", [
            p("2026-03-28", "2026-03-31", "2026-03-30", "2026-03"),   # 03-25 before the start → start (Sat) → Mon
            p("2026-04-01", "2026-04-30", "2026-04-27", "2026-04"),
        ], id="due-before-a-clipped-start"),
        pytest.param(CadenceRule(Cadence.MONTHLY, due_day=31, due_next=False), "2026-02-01", "2026-04-30", [
            p("2026-02-01", "2026-02-28", "2026-02-28", "2026-02"),   # 31 → last day; 02-28 is a make-up Saturday
            p("2026-03-01", "2026-03-31", "2026-03-31", "2026-03"),
            p("2026-04-01", "2026-04-30", "2026-04-30", "2026-04"),
        ], id="day-31-clamped"),
        pytest.param(QUARTERLY, "2026-01-01", "2026-12-31", [
            p("2026-01-01", "2026-03-31", "2026-04-07", "2026-Q1"),
            p("2026-04-01", "2026-06-30", "2026-07-06", "2026-Q2"),   # 07-05 Sunday
            p("2026-07-01", "2026-09-30", "2026-10-08", "2026-Q3"),
            p("2026-10-01", "2026-12-31", "2027-01-05", "2026-Q4"),   # 2027: weekday fallback
        ], id="quarterly-next-month"),
        pytest.param(QUARTERLY_25_LAST, "2026-02-10", "2026-09-30", [
            p("2026-02-10", "2026-03-31", "2026-03-25", "2026-Q1"),
            p("2026-04-01", "2026-06-30", "2026-06-25", "2026-Q2"),
            p("2026-07-01", "2026-09-30", "2026-09-28", "2026-Q3"),   # 09-25 Mid-Autumn → Monday 09-28
        ], id="quarterly-last-month"),
        pytest.param(WEEKLY_MON, "2026-02-04", "2026-02-22", [
            p("2026-02-04", "2026-02-08", "2026-02-09", "2026-W06"),
            p("2026-02-09", "2026-02-15", "2026-02-24", "2026-W07"),  # Monday 02-16 in the Spring Festival
            p("2026-02-16", "2026-02-22", "2026-02-24", "2026-W08"),  # 02-23 holiday too
        ], id="weekly-monday-after"),
        pytest.param(WEEKLY_FRI, "2026-02-07", "2026-02-22", [
            p("2026-02-07", "2026-02-08", "2026-02-09", "2026-W06"),  # Friday before the Saturday start
            p("2026-02-09", "2026-02-15", "2026-02-13", "2026-W07"),
            p("2026-02-16", "2026-02-22", "2026-02-24", "2026-W08"),  # Friday 02-20 is a holiday
        ], id="weekly-friday-same-week"),
        pytest.param(BIWEEKLY, "2026-02-01", "2026-03-15", [
            p("2026-02-01", "2026-02-08", "2026-02-09", "2026-W05+W06"),
            p("2026-02-09", "2026-02-22", "2026-02-24", "2026-W07+W08"),
            p("2026-02-23", "2026-03-08", "2026-03-09", "2026-W09+W10"),
            p("2026-03-09", "2026-03-15", "2026-03-23", "2026-W11+W12"),
        ], id="biweekly"),
        pytest.param(BIWEEKLY, "2026-12-21", "2027-01-10", [
            p("2026-12-21", "2026-12-27", "2026-12-28", "2026-W51+W52"),
            p("2026-12-28", "2027-01-10", "2027-01-11", "2026-W53+W01"),  # 2026 has an ISO week 53
        ], id="biweekly-iso-53-weeks"),
        pytest.param(ONCE, "2026-03-01", "2026-10-01", [
            p("2026-03-01", "2026-10-01", "2026-10-08", "once"),      # due at the deadline, moved off the holiday
        ], id="once"),
        pytest.param(MONTHLY, "2026-05-10", "2026-05-10", [
            p("2026-05-10", "2026-05-10", "2026-06-05", "2026-05"),
        ], id="one-day-task"),
        pytest.param(MONTHLY, "2026-05-10", "2026-05-09", [], id="end-before-start"),
        pytest.param(MONTHLY, "2028-01-20", "2028-02-29", [
            p("2028-01-20", "2028-01-31", "2028-02-07", "2028-01"),   # 02-05 Saturday (fallback) → Monday
            p("2028-02-01", "2028-02-29", "2028-03-06", "2028-02"),   # leap February
        ], id="uncovered-leap-year"),
    ],
)
def test_periods(rule: CadenceRule, start: str, end: str, expected: list[Period]) -> None:
    assert periods(rule, d(start), d(end)) == expected


def test_periods_use_the_overrides() -> None:
    calendar = WorkCalendar.with_overrides(holidays=[d("2028-02-07"), d("2028-02-08")])
    [first] = periods(MONTHLY, d("2028-01-01"), d("2028-01-31"), calendar)
    assert first.due == d("2028-02-09")


@pytest.mark.parametrize(
    ("rule", "start", "end"),
    [(MONTHLY, "2026-01-15", "2026-12-20"), (WEEKLY_FRI, "2026-01-01", "2026-12-31"),
     (BIWEEKLY, "2025-11-11", "2026-06-30"), (QUARTERLY, "2026-02-01", "2027-11-30")],
)
def test_periods_cover_the_life_without_gaps(rule: CadenceRule, start: str, end: str) -> None:
    found = periods(rule, d(start), d(end))
    assert found[0].start == d(start) and found[-1].end == d(end)
    for before, after in itertools.pairwise(found):
        assert after.start == before.end + dt.timedelta(days=1)
    assert len({x.key for x in found}) == len(found)


@pytest.mark.parametrize(
    ("rule", "today", "start", "end", "expected"),
    [
        (MONTHLY, "2026-03-15", None, None, p("2026-03-01", "2026-03-31", "2026-04-07", "2026-03")),
        (MONTHLY, "2026-03-15", "2026-03-10", "2026-03-20", p("2026-03-10", "2026-03-20", "2026-04-07", "2026-03")),
        (MONTHLY, "2026-03-05", "2026-03-10", None, None),                                  # before the task
        (MONTHLY, "2026-03-25", None, "2026-03-20", None),                                  # after the task
        (QUARTERLY, "2026-05-01", None, None, p("2026-04-01", "2026-06-30", "2026-07-06", "2026-Q2")),
        (WEEKLY_FRI, "2026-02-18", None, None, p("2026-02-16", "2026-02-22", "2026-02-24", "2026-W08")),
        (BIWEEKLY, "2026-02-10", None, None, p("2026-02-09", "2026-02-22", "2026-02-24", "2026-W07+W08")),
        (ONCE, "2026-05-01", None, None, None),
        (ONCE, "2026-05-01", "2026-03-01", "2026-06-30", p("2026-03-01", "2026-06-30", "2026-06-30", "once")),
    ],
)
def test_current_period(rule: CadenceRule, today: str, start: str | None, end: str | None,
                        expected: Period | None) -> None:
    found = current_period(rule, d(today), d(start) if start else None, d(end) if end else None)
    assert found == expected


def test_current_period_matches_periods() -> None:
    start, end = d("2026-01-15"), d("2026-12-20")
    listed = periods(MONTHLY, start, end)
    day = start
    while day <= end:
        found = current_period(MONTHLY, day, start, end)
        assert found in listed and day in found
        day += dt.timedelta(days=1)


@pytest.mark.parametrize(
    ("own", "parent", "source", "expected"),
    [
        (WEEKLY_FRI, MONTHLY, QUARTERLY, WEEKLY_FRI),
        (None, MONTHLY_25_SAME, QUARTERLY, MONTHLY_25_SAME),
        (None, None, QUARTERLY, QUARTERLY),
        (None, None, None, DEFAULT_RULE),
        (ONCE, None, None, ONCE),
    ],
)
def test_effective_cadence(own: CadenceRule | None, parent: CadenceRule | None, source: CadenceRule | None,
                           expected: CadenceRule) -> None:
    assert effective_cadence(own, parent, source) == expected


def test_default_is_monthly_by_the_fifth() -> None:
    assert DEFAULT_RULE == CadenceRule(Cadence.MONTHLY, due_day=5, due_next=True)


@pytest.mark.parametrize(("field", "value"), [("due_day", 0), ("due_day", 32), ("due_weekday", 7)])
def test_invalid_rules(field: str, value: int) -> None:
    with pytest.raises(ValueError):
        CadenceRule(Cadence.MONTHLY, **{field: value})


def test_cadence_values_match_the_task_model() -> None:
    assert [c.value for c in Cadence] == ["weekly", "biweekly", "monthly", "quarterly", "once"]
