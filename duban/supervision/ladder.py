"""Reminders, 催办 and the 督办单 ladder, as events with idempotency keys.

Every event has a fire date computed from facts (a due date, a deadline, the date a report was returned or
judged behind), counted in working days. `due_events` returns the events whose fire date falls in a window
(by default: today only), so a job run once per working day produces each event on exactly one day, and a job
that was down can catch up by passing `since` = its last run.

The key `task:period:rule:kind:level` names the event, never the day it fires: the caller stores keys under a
unique constraint, which is what finally guarantees "never twice". Several triggers may lead to the same key
(a yellow 督办单 for a period whose report was both returned twice and judged behind); the earliest trigger
fires it and the later ones are the same event. Every trigger is a dated fact that does not change afterwards,
which is what makes "each key on one day only" hold.

Ladder (defaults):
- reminder 提醒: 3 working days before a report's due date or the deadline, to the liaison;
- urge 催办: the working day after a missed report due date or deadline, to the liaison;
- blue 蓝色督办单: 5 working days before the deadline, to the liaison;
- yellow 黄色督办单: a period's report judged behind schedule, returned twice, or still missing 5 working days
  after its due date, to the unit head;
- red 红色督办单: 5 working days past the deadline and not done, to the responsible leader.
Nothing for done or suspended tasks; nothing on non-working days unless `send_on_non_workdays`.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from enum import StrEnum

from .dates import chinese_date
from .workdays import OFFICIAL, WorkCalendar


class EventKind(StrEnum):
    REMINDER = "reminder"
    URGE = "urge"
    ESCALATE = "escalate"


class Level(StrEnum):
    BLUE = "blue"
    YELLOW = "yellow"
    RED = "red"


class Addressee(StrEnum):
    """Role values as in duban.people.models.Role."""

    LIAISON = "liaison"
    UNIT_HEAD = "unit_head"
    LEADER = "leader"


@dataclass(frozen=True, slots=True)
class LadderRule:
    """One office's ladder. `rule_id` goes into every key: two configurations never share keys."""

    rule_id: str = "default"
    remind_before: int = 3  # working days before a report due date or the deadline
    urge_after: int = 1  # working days after a missed due date or deadline
    blue_within: int = 5  # working days before the deadline
    yellow_returns: int = 2  # times a period's report was returned
    yellow_report_late: int | None = 5  # working days a report is still missing after it was due; None = off
    red_overdue: int = 5  # working days past the deadline
    send_on_non_workdays: bool = False
    blue_to: Addressee = Addressee.LIAISON
    yellow_to: Addressee = Addressee.UNIT_HEAD
    red_to: Addressee = Addressee.LEADER

    def __post_init__(self) -> None:
        if ":" in self.rule_id or not self.rule_id:
            raise ValueError(f"rule_id must be non-empty and without ':': {self.rule_id!r}")


@dataclass(frozen=True, slots=True)
class ReportState:
    """One reporting period of the task (see cadence.periods) and what happened to its report."""

    period_key: str
    due: dt.date
    submitted_on: dt.date | None = None
    returned_on: tuple[dt.date, ...] = ()  # each time a reviewer returned it
    behind_on: dt.date | None = None  # accepted and judged behind (schedule.Status.BEHIND) on that day


@dataclass(frozen=True, slots=True)
class TaskState:
    task_id: int | str
    deadline: dt.date | None
    done: bool = False
    suspended: bool = False
    reports: tuple[ReportState, ...] = ()


@dataclass(frozen=True, slots=True)
class Event:
    kind: EventKind
    level: Level | None
    addressee: Addressee
    reason: str
    key: str
    on: dt.date  # the day it fires
    period_key: str


def deadline_period_key(deadline: dt.date) -> str:
    """Deadline events are keyed by the deadline itself: an extended deadline gets its own reminders."""
    return f"deadline-{deadline.isoformat()}"


def event_key(
    task_id: int | str, period_key: str, rule_id: str, kind: EventKind, level: Level | None
) -> str:
    parts = (str(task_id), period_key, rule_id)
    if any(":" in part or not part for part in parts):
        raise ValueError(f"key parts must be non-empty and without ':': {parts!r}")
    return f"{task_id}:{period_key}:{rule_id}:{kind.value}:{level.value if level else 'none'}"



def _not_submitted(report: ReportState, by: dt.date) -> bool:
    return report.submitted_on is None or report.submitted_on > by


class _Builder:
    """Collects candidate events for one task; the earliest candidate of each key wins."""

    def __init__(self, state: TaskState, rule: LadderRule, calendar: WorkCalendar) -> None:
        self.state, self.rule, self.calendar = state, rule, calendar
        self.by_key: dict[str, Event] = {}

    def fire_on(self, d: dt.date) -> dt.date:
        return d if self.rule.send_on_non_workdays else self.calendar.next_workday(d)

    def add(self, on: dt.date, period_key: str, kind: EventKind, level: Level | None, reason: str) -> None:
        addressee = {
            None: Addressee.LIAISON, Level.BLUE: self.rule.blue_to, Level.YELLOW: self.rule.yellow_to,
            Level.RED: self.rule.red_to,
        }[level]
        key = event_key(self.state.task_id, period_key, self.rule.rule_id, kind, level)
        event = Event(kind, level, addressee, reason, key, self.fire_on(on), period_key)
        known = self.by_key.get(key)
        if known is None or event.on < known.on:
            self.by_key[key] = event


def _report_candidates(b: _Builder, report: ReportState, today: dt.date) -> None:
    rule, cal, key = b.rule, b.calendar, report.period_key
    if _not_submitted(report, today):
        b.add(cal.add_workdays(report.due, -rule.remind_before), key, EventKind.REMINDER, None,
              f"进展报送({key})截止 {chinese_date(report.due)},还有 {rule.remind_before} 个工作日")
        b.add(cal.add_workdays(report.due, rule.urge_after), key, EventKind.URGE, None,
              f"进展报送({key})已过截止日 {chinese_date(report.due)},尚未报送")
    if rule.yellow_report_late is not None:
        late_on = cal.add_workdays(report.due, rule.yellow_report_late)
        if _not_submitted(report, late_on):
            b.add(late_on, key, EventKind.ESCALATE, Level.YELLOW,
                  f"进展报送({key})逾期 {rule.yellow_report_late} 个工作日未报送")
    returns = sorted(report.returned_on)
    if len(returns) >= rule.yellow_returns:
        b.add(returns[rule.yellow_returns - 1], key, EventKind.ESCALATE, Level.YELLOW,
              f"进展报送({key})被退回 {rule.yellow_returns} 次")
    if report.behind_on is not None:
        b.add(report.behind_on, key, EventKind.ESCALATE, Level.YELLOW, f"进展({key})滞后序时")


def _deadline_candidates(b: _Builder, deadline: dt.date) -> None:
    rule, cal, key = b.rule, b.calendar, deadline_period_key(deadline)
    when = chinese_date(deadline)
    b.add(cal.add_workdays(deadline, -rule.blue_within), key, EventKind.ESCALATE, Level.BLUE,
          f"临近完成时限 {when},还有 {rule.blue_within} 个工作日")
    b.add(cal.add_workdays(deadline, -rule.remind_before), key, EventKind.REMINDER, None,
          f"距完成时限 {when} 还有 {rule.remind_before} 个工作日")
    b.add(cal.add_workdays(deadline, rule.urge_after), key, EventKind.URGE, None,
          f"已过完成时限 {when},尚未办结")
    b.add(cal.add_workdays(deadline, rule.red_overdue), key, EventKind.ESCALATE, Level.RED,
          f"逾期 {rule.red_overdue} 个工作日未办结(完成时限 {when})")


_KIND_ORDER = {EventKind.REMINDER: 0, EventKind.URGE: 1, EventKind.ESCALATE: 2}


def due_events(
    state: TaskState,
    rule: LadderRule,
    today: dt.date,
    since: dt.date | None = None,
    calendar: WorkCalendar = OFFICIAL,
) -> list[Event]:
    """The events that fire in (since, today] — by default on `today` alone — for one task.

    `state` is what is known on `today`; reminders and urges are dropped once the report is in. A run on a
    non-working day returns nothing (unless `send_on_non_workdays`), so `since` is the last run made on a
    working day; a window that is too wide only repeats keys, which the caller's unique constraint absorbs."""
    if state.done or state.suspended:
        return []
    if not rule.send_on_non_workdays and not calendar.is_workday(today):
        return []
    window_start = since if since is not None else today - dt.timedelta(days=1)
    builder = _Builder(state, rule, calendar)
    for report in state.reports:
        _report_candidates(builder, report, today)
    if state.deadline is not None:
        _deadline_candidates(builder, state.deadline)
    found = [e for e in builder.by_key.values() if window_start < e.on <= today]
    return sorted(found, key=lambda e: (e.on, _KIND_ORDER[e.kind], e.key))


LETTER_PREFIXES: dict[EventKind, str] = {
    EventKind.REMINDER: "提示",
    EventKind.URGE: "催办",
    EventKind.ESCALATE: "督办",
}


def letter_number(prefix: str, year: int, seq: int) -> str:
    """The number of a 提示函/催办函/督办函: letter_number("督办", 2026, 12) == "督办〔2026〕12号"."""
    if not prefix.strip():
        raise ValueError("a letter number needs a prefix")
    if not 1000 <= year <= 9999:
        raise ValueError(f"year must have four digits, not {year}")
    if seq < 1:
        raise ValueError(f"sequence numbers start at 1, not {seq}")
    return f"{prefix.strip()}〔{year}〕{seq}号"
