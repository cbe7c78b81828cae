"""Working days on the official Chinese calendar (deadlines count working days).

The `chinese_calendar` package knows the State Council's holidays and 调休 make-up workdays for the years
it was released with (2004–2026 in 1.11). An office must not wait for a new release when the next year's
notice is published, so a `WorkCalendar` carries admin overrides (extra holidays, extra workdays) that win
over the library. For a year the library does not cover, the calendar falls back to "Monday to Friday, plus
overrides" instead of failing: a reminder job must never crash on 1 January.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

import chinese_calendar

ONE_DAY = dt.timedelta(days=1)


def _official_is_workday(d: dt.date) -> bool:
    """The library's answer, or plain weekdays for a year it does not know."""
    try:
        return chinese_calendar.is_workday(d)
    except NotImplementedError:
        return d.weekday() < 5


@dataclass(frozen=True, slots=True)
class WorkCalendar:
    """The official calendar plus overrides; an override always wins over the library."""

    extra_holidays: frozenset[dt.date] = frozenset()
    extra_workdays: frozenset[dt.date] = frozenset()

    def __post_init__(self) -> None:
        clash = self.extra_holidays & self.extra_workdays
        if clash:
            days = ", ".join(d.isoformat() for d in sorted(clash))
            raise ValueError(f"dates both holiday and workday: {days}")

    @classmethod
    def with_overrides(
        cls, holidays: Iterable[dt.date] = (), workdays: Iterable[dt.date] = ()
    ) -> WorkCalendar:
        return cls(frozenset(holidays), frozenset(workdays))

    def is_workday(self, d: dt.date) -> bool:
        if d in self.extra_workdays:
            return True
        if d in self.extra_holidays:
            return False
        return _official_is_workday(d)

    def next_workday(self, d: dt.date) -> dt.date:
        """`d` itself if it is a working day, else the first working day after it (a due date on a holiday
        moves to the next working day)."""
        while not self.is_workday(d):
            d += ONE_DAY
        return d

    def add_workdays(self, d: dt.date, n: int) -> dt.date:
        """The n-th working day after `d` (before it when n < 0); `d` itself when n == 0.

        `d` need not be a working day: 1 working day after Saturday is Monday (when Monday works)."""
        step = ONE_DAY if n > 0 else -ONE_DAY
        remaining = abs(n)
        while remaining:
            d += step
            if self.is_workday(d):
                remaining -= 1
        return d

    def workdays_between(self, a: dt.date, b: dt.date) -> int:
        """Working days in (a, b]: how many working days `b` is after `a` (negative when b < a).

        So a deadline on Friday and today the following Monday is 1 working day late, and
        `add_workdays(a, workdays_between(a, b)) == b` whenever b is a working day."""
        if b < a:
            return -self.workdays_between(b, a)
        count = 0
        d = a
        while d < b:
            d += ONE_DAY
            if self.is_workday(d):
                count += 1
        return count


OFFICIAL = WorkCalendar()


def is_workday(d: dt.date, calendar: WorkCalendar = OFFICIAL) -> bool:
    return calendar.is_workday(d)


def next_workday(d: dt.date, calendar: WorkCalendar = OFFICIAL) -> dt.date:
    return calendar.next_workday(d)


def add_workdays(d: dt.date, n: int, calendar: WorkCalendar = OFFICIAL) -> dt.date:
    return calendar.add_workdays(d, n)


def workdays_between(a: dt.date, b: dt.date, calendar: WorkCalendar = OFFICIAL) -> int:
    return calendar.workdays_between(a, b)
