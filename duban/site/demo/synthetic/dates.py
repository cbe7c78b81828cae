"""Dates and times of the synthetic timeline, and a calendar fast enough to ask a million times."""
from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from duban.core.workdays import work_calendar
from duban.supervision.workdays import WorkCalendar

LOCAL = ZoneInfo("Asia/Shanghai")
ONE_DAY = dt.timedelta(days=1)


def at(day: dt.date, hour: int = 10, minute: int = 0) -> dt.datetime:
    """A moment of office hours on ``day``, local time: what people's actions are stamped with."""
    return dt.datetime.combine(day, dt.time(hour, minute), LOCAL)


def month_end(year: int, month: int) -> dt.date:
    """The last day of ``month`` (1-12) of ``year``."""
    return dt.date(year + month // 12, month % 12 + 1, 1) - ONE_DAY


def add_months(d: dt.date, months: int) -> dt.date:
    """The last day of the month ``months`` after ``d``'s: deadlines read "by the end of the month"."""
    m = d.month - 1 + months
    return month_end(d.year + m // 12, m % 12 + 1)


def fast_calendar(today: dt.date) -> WorkCalendar:
    """The calendar in force with every day of ten years spelt out as an override: the same answers, from a
    set lookup instead of the holiday library's per-call validation (a hundred thousand calls here)."""
    base = work_calendar()
    days = [today + dt.timedelta(days=n) for n in range(-6 * 366, 4 * 366)]
    work = [d for d in days if base.is_workday(d)]
    return WorkCalendar.with_overrides(holidays=set(days) - set(work), workdays=work)
