"""Reporting cadences (报送周期) and the periods a task reports on (cadence belongs to the task).

A period is a calendar week, fortnight, month or quarter, clipped to the task's life; a 'once' task reports
once, at its end. Each period has a due date computed from the *calendar* period (so a clipped last period is
still due after the month ends) and moved to the next working day when it falls on a holiday or weekend.

Keys (`2026-03`, `2026-Q1`, `2026-W09`, `2026-W09+W10`, `once`) name a period independently of the task's
dates; the reminder ladder builds its idempotency keys from them.
"""

from __future__ import annotations

import datetime as dt
from calendar import monthrange
from dataclasses import dataclass
from enum import StrEnum

from .workdays import OFFICIAL, WorkCalendar

# Fortnights count from a fixed Monday, so every biweekly task of an office reports in the same weeks.
BIWEEKLY_EPOCH = dt.date(2001, 1, 1)  # a Monday
WEEK = dt.timedelta(days=7)


class Cadence(StrEnum):
    WEEKLY = "weekly"
    BIWEEKLY = "biweekly"
    MONTHLY = "monthly"
    QUARTERLY = "quarterly"
    ONCE = "once"


@dataclass(frozen=True, slots=True)
class CadenceRule:
    """When reports are due.

    - due_next=True: the report is due *after* the period — weekly on `due_weekday` of the next week,
      monthly on `due_day` of the next month (每月5日前报送上月进展), quarterly on `due_day` of the
      month after the quarter (季后5日).
    - due_next=False: due *within* the period's last week or month — weekly on `due_weekday` of the
      week itself (每周五报送本周), monthly on `due_day` of the month (每月25日前报送当月), quarterly on
      `due_day` of the quarter's last month (每季度末月25日前).
    - once: due on the task's end (its deadline); the other fields are ignored.

    `due_day` past the month's end means its last day; `due_weekday` is 0 = Monday … 6 = Sunday.
    """

    cadence: Cadence
    due_day: int = 5
    due_weekday: int = 0
    due_next: bool = True

    def __post_init__(self) -> None:
        if not 1 <= self.due_day <= 31:
            raise ValueError(f"due_day must be 1..31, not {self.due_day}")
        if not 0 <= self.due_weekday <= 6:
            raise ValueError(f"due_weekday must be 0..6, not {self.due_weekday}")


# Common practice: the 5th of the next month for the previous month's progress.
DEFAULT_RULE = CadenceRule(Cadence.MONTHLY)


@dataclass(frozen=True, slots=True)
class Period:
    start: dt.date
    end: dt.date
    due: dt.date
    key: str

    def __contains__(self, d: object) -> bool:
        return isinstance(d, dt.date) and self.start <= d <= self.end


def _day_of_month(year: int, month: int, day: int) -> dt.date:
    return dt.date(year, month, min(day, monthrange(year, month)[1]))


def _next_month(year: int, month: int) -> tuple[int, int]:
    return (year + 1, 1) if month == 12 else (year, month + 1)


def _week_key(monday: dt.date) -> str:
    year, week, _ = monday.isocalendar()
    return f"{year}-W{week:02d}"


def calendar_period(rule: CadenceRule, d: dt.date) -> tuple[dt.date, dt.date, dt.date, str]:
    """(start, end, due before the working-day shift, key) of the calendar period containing `d`.

    Not defined for 'once', whose period is the task's life."""
    match rule.cadence:
        case Cadence.WEEKLY:
            start = d - dt.timedelta(days=d.weekday())
            end = start + dt.timedelta(days=6)
            due_week = start + WEEK if rule.due_next else start
            return start, end, due_week + dt.timedelta(days=rule.due_weekday), _week_key(start)
        case Cadence.BIWEEKLY:
            monday = d - dt.timedelta(days=d.weekday())
            start = monday - WEEK * (((monday - BIWEEKLY_EPOCH).days // 7) % 2)
            end = start + dt.timedelta(days=13)
            due_week = start + 2 * WEEK if rule.due_next else start + WEEK
            second = _week_key(start + WEEK).split("-")[1]
            return start, end, due_week + dt.timedelta(days=rule.due_weekday), f"{_week_key(start)}+{second}"
        case Cadence.MONTHLY:
            start = d.replace(day=1)
            end = _day_of_month(d.year, d.month, 31)
            due_year, due_month = _next_month(d.year, d.month) if rule.due_next else (d.year, d.month)
            return start, end, _day_of_month(due_year, due_month, rule.due_day), f"{d:%Y-%m}"
        case Cadence.QUARTERLY:
            quarter = (d.month - 1) // 3 + 1
            last_month = quarter * 3
            start = dt.date(d.year, last_month - 2, 1)
            end = _day_of_month(d.year, last_month, 31)
            due_year, due_month = _next_month(d.year, last_month) if rule.due_next else (d.year, last_month)
            return start, end, _day_of_month(due_year, due_month, rule.due_day), f"{d.year}-Q{quarter}"
        case _:
            raise ValueError("a 'once' cadence has no calendar period")


def periods(
    rule: CadenceRule, start: dt.date, end: dt.date, calendar: WorkCalendar = OFFICIAL
) -> list[Period]:
    """The reporting periods covering the task's life [start, end], first to last.

    Due dates move to the next working day. A due date that would fall before a clipped period's start (a
    task starting on a Saturday with reports due each Friday of the week) is moved to that start."""
    if end < start:
        return []
    if rule.cadence == Cadence.ONCE:
        return [Period(start, end, calendar.next_workday(end), "once")]
    result: list[Period] = []
    d = start
    while d <= end:
        p_start, p_end, due, key = calendar_period(rule, d)
        clipped_start, clipped_end = max(p_start, start), min(p_end, end)
        result.append(Period(clipped_start, clipped_end, calendar.next_workday(max(due, clipped_start)), key))
        d = p_end + dt.timedelta(days=1)
    return result


def current_period(
    rule: CadenceRule,
    today: dt.date,
    start: dt.date | None = None,
    end: dt.date | None = None,
    calendar: WorkCalendar = OFFICIAL,
) -> Period | None:
    """The period containing `today`, clipped to the task's life when given.

    None when today is outside the task's life, or for a 'once' cadence without start and end."""
    if (start is not None and today < start) or (end is not None and today > end):
        return None
    if rule.cadence == Cadence.ONCE:
        if start is None or end is None:
            return None
        return periods(rule, start, end, calendar)[0]
    p_start, p_end, _, _ = calendar_period(rule, today)
    found = periods(rule, max(p_start, start or p_start), min(p_end, end or p_end), calendar)
    return found[0]


def effective_cadence(
    own: CadenceRule | None, parent: CadenceRule | None, source_default: CadenceRule | None
) -> CadenceRule:
    """The nearest cadence set: the task's own, else its parent's (already resolved), else the source
    document's default, else monthly by the 5th (`DEFAULT_RULE`)."""
    for rule in (own, parent, source_default):
        if rule is not None:
            return rule
    return DEFAULT_RULE
