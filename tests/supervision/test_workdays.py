"""Working days on the official calendar: real 2025/2026 holidays and 调休, overrides, uncovered years."""

from __future__ import annotations

import datetime as dt

import pytest

from duban.supervision.workdays import (
    WorkCalendar,
    add_workdays,
    is_workday,
    next_workday,
    workdays_between,
)


def d(text: str) -> dt.date:
    return dt.date.fromisoformat(text)


# 2028 is past the library's data: an admin enters the (hypothetical) Spring Festival and its make-up Saturday.
OVERRIDES_2028 = WorkCalendar.with_overrides(
    holidays=[d("2028-01-26"), d("2028-01-27"), d("2028-01-28"), d("2028-01-31"), d("2028-02-01")],
    workdays=[d("2028-01-22")],
)


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        ("2026-02-13", True),   # Friday before the Spring Festival
        ("2026-02-14", True),   # Saturday, 调休 make-up workday
        ("2026-02-16", False),  # Monday in the Spring Festival (除夕 eve holiday week)
        ("2026-02-23", False),  # Monday, last day of the nine-day holiday
        ("2026-02-24", True),   # back to work
        ("2026-02-28", True),   # Saturday, make-up workday
        ("2026-01-04", True),   # Sunday, make-up workday for New Year
        ("2026-01-02", False),  # Friday, New Year holiday
        ("2026-09-20", True),   # Sunday, make-up workday for National Day
        ("2026-10-01", False),  # National Day
        ("2026-10-07", False),
        ("2026-10-10", True),   # Saturday, make-up workday
        ("2026-10-11", False),  # ordinary Sunday
        ("2025-01-26", True),   # Sunday, make-up workday for the 2025 Spring Festival
        ("2025-01-28", False),  # 2025 除夕
        ("2025-02-08", True),   # Saturday, make-up workday
        ("2025-10-08", False),  # 2025 National Day + Mid-Autumn, eight days
        ("2025-10-11", True),   # Saturday, make-up workday
        ("2028-02-29", True),   # uncovered leap-year Tuesday: weekday fallback
        ("2028-10-02", True),   # uncovered: the fallback does not know National Day
        ("2028-10-01", False),  # uncovered Sunday
        ("2003-06-02", True),   # before the library's range: weekday fallback, no crash
    ],
)
def test_is_workday_official(day: str, expected: bool) -> None:
    assert is_workday(d(day)) is expected


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        ("2028-01-26", False),  # override holiday on a Wednesday
        ("2028-01-22", True),   # override workday on a Saturday
        ("2028-01-23", False),  # plain Sunday
        ("2028-01-25", True),   # plain Tuesday
        ("2026-02-16", False),  # covered years still follow the library
        ("2026-02-14", True),
    ],
)
def test_is_workday_with_overrides(day: str, expected: bool) -> None:
    assert OVERRIDES_2028.is_workday(d(day)) is expected


def test_overrides_win_over_the_library() -> None:
    calendar = WorkCalendar.with_overrides(holidays=[d("2026-03-02")], workdays=[d("2026-10-07")])
    assert not calendar.is_workday(d("2026-03-02"))
    assert calendar.is_workday(d("2026-10-07"))


def test_a_date_cannot_be_both_holiday_and_workday() -> None:
    with pytest.raises(ValueError, match="2027-01-01"):
        WorkCalendar.with_overrides(holidays=[d("2027-01-01")], workdays=[d("2027-01-01")])


@pytest.mark.parametrize(
    ("start", "n", "expected"),
    [
        ("2026-02-13", 0, "2026-02-13"),
        ("2026-02-15", 0, "2026-02-15"),   # n = 0 leaves even a holiday alone
        ("2026-02-13", 1, "2026-02-14"),   # onto the make-up Saturday
        ("2026-02-14", 1, "2026-02-24"),   # over the whole Spring Festival
        ("2026-02-24", -1, "2026-02-14"),
        ("2026-02-15", 1, "2026-02-24"),   # from inside a holiday
        ("2026-02-15", -1, "2026-02-14"),
        ("2026-09-30", 1, "2026-10-08"),   # over National Day
        ("2026-10-09", 1, "2026-10-10"),   # onto the make-up Saturday
        ("2026-10-12", -3, "2026-10-08"),  # back over 10-10 (Saturday, worked) to 10-08
        ("2026-06-30", 5, "2026-07-07"),
        ("2026-12-31", 1, "2027-01-01"),   # into an uncovered year: weekday fallback (Friday)
        ("2028-02-28", 1, "2028-02-29"),   # leap day
        ("2028-02-25", 1, "2028-02-28"),   # Friday → Monday
    ],
)
def test_add_workdays(start: str, n: int, expected: str) -> None:
    assert add_workdays(d(start), n) == d(expected)


@pytest.mark.parametrize(
    ("start", "n", "expected"),
    [
        ("2028-01-25", 1, "2028-02-02"),   # over the override holidays and a plain weekend
        ("2028-01-21", 1, "2028-01-22"),   # Friday → make-up Saturday
        ("2028-01-25", 2, "2028-02-03"),
        ("2028-02-02", -1, "2028-01-25"),
    ],
)
def test_add_workdays_with_overrides(start: str, n: int, expected: str) -> None:
    assert OVERRIDES_2028.add_workdays(d(start), n) == d(expected)


@pytest.mark.parametrize(
    ("a", "b", "expected"),
    [
        ("2026-02-13", "2026-02-13", 0),
        ("2026-02-13", "2026-02-24", 2),    # 02-14 and 02-24
        ("2026-02-24", "2026-02-13", -2),
        ("2026-09-30", "2026-10-12", 4),    # 10-08, 10-09, 10-10, 10-12
        ("2026-10-09", "2026-10-11", 1),    # Friday to Sunday: only the make-up Saturday
        ("2026-06-26", "2026-06-29", 1),    # Friday deadline, Monday: 1 working day late
        ("2026-01-01", "2026-12-31", 248),  # the whole of 2026 (2026-01-01 itself is a holiday)
        ("2025-12-31", "2025-12-31", 0),
        ("2028-02-27", "2028-03-01", 3),    # uncovered leap year: 28, 29, 1
    ],
)
def test_workdays_between(a: str, b: str, expected: int) -> None:
    assert workdays_between(d(a), d(b)) == expected


def test_workdays_between_with_overrides_2028() -> None:
    # (Jan 24, Feb 4]: Jan 25, Feb 2, 3, 4 — Jan 26/27/28/31 and Feb 1 are override holidays
    assert OVERRIDES_2028.workdays_between(d("2028-01-24"), d("2028-02-04")) == 4
    assert WorkCalendar().workdays_between(d("2028-01-24"), d("2028-02-04")) == 9


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        ("2026-02-14", "2026-02-14"),  # already a working day
        ("2026-02-15", "2026-02-24"),
        ("2026-10-01", "2026-10-08"),
        ("2026-09-26", "2026-09-28"),  # Mid-Autumn weekend
        ("2026-04-05", "2026-04-07"),  # 清明: Sunday, then Monday 04-06 off
        ("2028-10-01", "2028-10-02"),  # uncovered Sunday → Monday
    ],
)
def test_next_workday(day: str, expected: str) -> None:
    assert next_workday(d(day)) == d(expected)


@pytest.mark.parametrize(
    ("a", "b"),
    [("2026-02-13", "2026-03-02"), ("2026-09-18", "2026-10-15"), ("2027-12-20", "2028-01-10")],
)
def test_add_workdays_undoes_workdays_between(a: str, b: str) -> None:
    assert add_workdays(d(a), workdays_between(d(a), d(b))) == d(b)
