"""Reminders, 催办 and the 督办单 ladder on the 2026 calendar; each event exactly once; letter numbers."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator

import pytest

from duban.supervision.cadence import Cadence, CadenceRule, periods
from duban.supervision.ladder import (
    LETTER_PREFIXES,
    Addressee,
    Event,
    EventKind,
    LadderRule,
    Level,
    ReportState,
    TaskState,
    due_events,
    event_key,
    letter_number,
)
from duban.supervision.workdays import is_workday

RULE = LadderRule()
DEADLINE = dt.date(2026, 6, 30)  # Tuesday; 5 working days before: 06-23 (06-19 is 端午); after: 07-07


def d(text: str) -> dt.date:
    return dt.date.fromisoformat(text)


def days(first: dt.date, last: dt.date) -> Iterator[dt.date]:
    while first <= last:
        yield first
        first += dt.timedelta(days=1)


def report(key: str, due: str, submitted: str | None = None, returned: tuple[str, ...] = (),
           behind: str | None = None) -> ReportState:
    return ReportState(key, d(due), d(submitted) if submitted else None, tuple(map(d, returned)),
                       d(behind) if behind else None)


def task(*reports: ReportState, deadline: dt.date | None = DEADLINE, done: bool = False,
         suspended: bool = False) -> TaskState:
    return TaskState("T1", deadline, done, suspended, reports)


def brief(events: list[Event]) -> list[tuple[str, str | None, str, str]]:
    return [(e.kind.value, e.level.value if e.level else None, e.addressee.value, e.reason) for e in events]


MARCH_DUE = "2026-04-07"  # 2026-03 monthly report: 04-05 is a Sunday and 04-06 清明 → 04-07


@pytest.mark.parametrize(
    ("state", "today", "expected"),
    [
        pytest.param(task(report("2026-03", MARCH_DUE)), "2026-04-01",
                     [("reminder", None, "liaison", "进展报送(2026-03)截止 2026年4月7日,还有 3 个工作日")],
                     id="report-reminder-3-working-days-before-over-qingming"),
        pytest.param(task(report("2026-03", MARCH_DUE, submitted="2026-03-31")), "2026-04-01", [],
                     id="no-reminder-once-submitted"),
        pytest.param(task(report("2026-03", MARCH_DUE)), "2026-04-02", [], id="reminder-not-on-the-next-day"),
        pytest.param(task(report("2026-03", MARCH_DUE)), "2026-04-08",
                     [("urge", None, "liaison", "进展报送(2026-03)已过截止日 2026年4月7日,尚未报送")],
                     id="urge-the-working-day-after"),
        pytest.param(task(report("2026-03", MARCH_DUE, submitted="2026-04-07")), "2026-04-08", [],
                     id="no-urge-when-in-on-the-due-day"),
        pytest.param(task(report("2026-03", MARCH_DUE)), "2026-04-14",
                     [("escalate", "yellow", "unit_head", "进展报送(2026-03)逾期 5 个工作日未报送")],
                     id="yellow-report-still-missing"),
        pytest.param(task(report("2026-03", MARCH_DUE, submitted="2026-04-13")), "2026-04-14", [],
                     id="no-yellow-when-in-before"),
        pytest.param(task(report("2026-03", MARCH_DUE, submitted="2026-04-07",
                                 returned=("2026-04-09", "2026-04-13"))), "2026-04-13",
                     [("escalate", "yellow", "unit_head", "进展报送(2026-03)被退回 2 次")],
                     id="yellow-returned-twice"),
        pytest.param(task(report("2026-03", MARCH_DUE, submitted="2026-04-07", returned=("2026-04-09",))),
                     "2026-04-09", [], id="returned-once-is-nothing"),
        pytest.param(task(report("2026-03", MARCH_DUE, submitted="2026-04-07", behind="2026-04-10")),
                     "2026-04-10", [("escalate", "yellow", "unit_head", "进展(2026-03)滞后序时")],
                     id="yellow-judged-behind"),
        pytest.param(task(), "2026-06-23",
                     [("escalate", "blue", "liaison", "临近完成时限 2026年6月30日,还有 5 个工作日")],
                     id="blue-5-working-days-before-over-duanwu"),
        pytest.param(task(), "2026-06-25",
                     [("reminder", None, "liaison", "距完成时限 2026年6月30日 还有 3 个工作日")],
                     id="deadline-reminder"),
        pytest.param(task(), "2026-06-30", [], id="nothing-on-the-deadline-day"),
        pytest.param(task(), "2026-07-01",
                     [("urge", None, "liaison", "已过完成时限 2026年6月30日,尚未办结")], id="deadline-urge"),
        pytest.param(task(), "2026-07-07",
                     [("escalate", "red", "leader", "逾期 5 个工作日未办结(完成时限 2026年6月30日)")],
                     id="red-5-working-days-late"),
        pytest.param(task(report("2026-06", "2026-07-06")), "2026-07-01",
                     [("reminder", None, "liaison", "进展报送(2026-06)截止 2026年7月6日,还有 3 个工作日"),
                      ("urge", None, "liaison", "已过完成时限 2026年6月30日,尚未办结")],
                     id="two-events-one-day-ordered"),
        pytest.param(task(report("2026-03", MARCH_DUE), done=True), "2026-04-01", [], id="never-for-done"),
        pytest.param(task(done=True), "2026-07-07", [], id="never-red-for-done"),
        pytest.param(task(report("2026-03", MARCH_DUE), suspended=True), "2026-04-08", [],
                     id="never-for-suspended"),
        pytest.param(task(deadline=None), "2026-07-07", [], id="no-deadline-no-deadline-events"),
        pytest.param(task(report("2026-01", "2026-02-24", submitted="2026-02-13",
                                 returned=("2026-02-13", "2026-02-16"))), "2026-02-16", [],
                     id="nothing-on-a-holiday"),
        pytest.param(task(report("2026-01", "2026-02-24", submitted="2026-02-13",
                                 returned=("2026-02-13", "2026-02-16"))), "2026-02-24",
                     [("escalate", "yellow", "unit_head", "进展报送(2026-01)被退回 2 次")],
                     id="holiday-trigger-fires-on-the-next-working-day"),
        pytest.param(task(report("2026-01", "2026-02-26")), "2026-02-14",
                     [("reminder", None, "liaison", "进展报送(2026-01)截止 2026年2月26日,还有 3 个工作日")],
                     id="make-up-saturday-is-a-working-day"),
    ],
)
def test_due_events(state: TaskState, today: str, expected: list[tuple[str, str | None, str, str]]) -> None:
    assert brief(due_events(state, RULE, d(today))) == expected


@pytest.mark.parametrize(
    ("rule", "today", "expected"),
    [
        (LadderRule(remind_before=1), "2026-04-03", ["reminder"]),                  # 1 working day before 04-07
        (LadderRule(urge_after=2), "2026-04-09", ["urge"]),
        (LadderRule(yellow_report_late=None), "2026-04-14", []),                   # switched off
        (LadderRule(yellow_report_late=3), "2026-04-10", ["escalate"]),
        (LadderRule(blue_within=10), "2026-06-15", ["escalate"]),                  # 06-19 is 端午
        (LadderRule(red_overdue=10), "2026-07-14", ["escalate"]),
    ],
)
def test_configured_offsets(rule: LadderRule, today: str, expected: list[str]) -> None:
    events = due_events(task(report("2026-03", MARCH_DUE)), rule, d(today))
    assert [e.kind.value for e in events] == expected


def test_addressees_are_configurable() -> None:
    rule = LadderRule(red_to=Addressee.UNIT_HEAD)
    [event] = due_events(task(), rule, d("2026-07-07"))
    assert event.addressee == Addressee.UNIT_HEAD


def test_send_on_non_workdays() -> None:
    state = task(report("2026-01", "2026-02-24", submitted="2026-02-13", returned=("2026-02-13", "2026-02-16")))
    rule = LadderRule(send_on_non_workdays=True)
    assert [e.level for e in due_events(state, rule, d("2026-02-16"))] == [Level.YELLOW]
    assert due_events(state, rule, d("2026-02-24")) == []


def test_key_names_the_event_not_the_day() -> None:
    [event] = due_events(task(), LadderRule(rule_id="r7"), d("2026-07-07"))
    assert event.key == "T1:deadline-2026-06-30:r7:escalate:red"
    [event] = due_events(task(report("2026-03", MARCH_DUE)), RULE, d("2026-04-01"))
    assert event.key == "T1:2026-03:default:reminder:none"
    assert event.on == d("2026-04-01") and event.period_key == "2026-03"


def test_an_extended_deadline_gets_its_own_events() -> None:
    [before] = due_events(task(), RULE, d("2026-06-23"))
    [after] = due_events(task(deadline=d("2026-09-30")), RULE, d("2026-09-22"))
    assert before.key != after.key and after.level == Level.BLUE


@pytest.mark.parametrize("bad", ["a:b", ""])
def test_key_parts_without_colons(bad: str) -> None:
    with pytest.raises(ValueError):
        event_key("T1", bad, "default", EventKind.URGE, None)
    with pytest.raises(ValueError):
        LadderRule(rule_id=bad)


# --- a whole quarter, day by day ---------------------------------------------------------------------------

def q2_state_on(day: dt.date) -> TaskState:
    """A monthly task due 2026-06-30, its history revealed as it happens (what the job knows that day)."""

    def known(text: str | None) -> dt.date | None:
        return d(text) if text and d(text) <= day else None

    def rep(key: str, due: str, submitted: str | None, returned: tuple[str, ...] = (),
            behind: str | None = None) -> ReportState:
        return ReportState(key, d(due), known(submitted), tuple(d(r) for r in returned if d(r) <= day),
                           known(behind))

    return TaskState("T1", DEADLINE, done=day >= d("2026-07-20"), reports=(
        rep("2026-03", MARCH_DUE, "2026-04-03", returned=("2026-04-09", "2026-04-14"), behind="2026-04-20"),
        rep("2026-04", "2026-05-06", "2026-05-20"),
        rep("2026-05", "2026-06-05", "2026-06-01", behind="2026-06-08"),
        rep("2026-06", "2026-07-06", "2026-07-03"),
    ))


Q2_EXPECTED = {
    "T1:2026-03:default:reminder:none": "2026-04-01",
    "T1:2026-03:default:escalate:yellow": "2026-04-14",  # returned twice; judged behind on 04-20 is the same
    "T1:2026-04:default:reminder:none": "2026-04-28",    # 05-06 minus 3 working days over 劳动节
    "T1:2026-04:default:urge:none": "2026-05-07",
    "T1:2026-04:default:escalate:yellow": "2026-05-12",  # still missing; 05-09 is a make-up Saturday
    "T1:2026-05:default:escalate:yellow": "2026-06-08",  # no reminder: in before 06-02
    "T1:deadline-2026-06-30:default:escalate:blue": "2026-06-23",
    "T1:deadline-2026-06-30:default:reminder:none": "2026-06-25",
    "T1:deadline-2026-06-30:default:urge:none": "2026-07-01",
    "T1:2026-06:default:reminder:none": "2026-07-01",
    "T1:deadline-2026-06-30:default:escalate:red": "2026-07-07",
}


def walk(state_on: Callable[[dt.date], TaskState], first: str, last: str, rule: LadderRule = RULE) -> list[Event]:
    found: list[Event] = []
    for day in days(d(first), d(last)):
        found.extend(due_events(state_on(day), rule, day))
    return found


def test_a_quarter_day_by_day_yields_each_event_exactly_once() -> None:
    events = walk(q2_state_on, "2026-04-01", "2026-08-31")
    keys = [e.key for e in events]
    assert len(keys) == len(set(keys))
    assert {e.key: e.on.isoformat() for e in events} == Q2_EXPECTED


def test_replaying_a_known_history_also_yields_each_event_once() -> None:
    everything = q2_state_on(d("2026-07-19"))  # all facts known up front, not yet done
    keys = [e.key for e in walk(lambda _: everything, "2026-03-01", "2026-09-30")]
    assert len(keys) == len(set(keys))


def test_no_event_on_a_non_working_day_all_quarter() -> None:
    events = walk(q2_state_on, "2026-04-01", "2026-08-31")
    assert all(is_workday(e.on) for e in events)


def test_never_for_a_finished_task_all_quarter() -> None:
    def finished(day: dt.date) -> TaskState:
        state = q2_state_on(day)
        return TaskState(state.task_id, state.deadline, True, False, state.reports)

    assert walk(finished, "2026-03-01", "2026-09-30") == []


@pytest.mark.parametrize("every", [2, 3, 7, 30])
def test_a_job_that_skips_days_catches_up_with_since(every: int) -> None:
    """`since` is the last run on a working day (a run on a non-working day sends nothing)."""
    found: list[Event] = []
    last_run = d("2026-03-31")
    for i, day in enumerate(days(d("2026-04-01"), d("2026-08-31"))):
        if i % every or not is_workday(day):
            continue
        found.extend(due_events(q2_state_on(day), RULE, day, since=last_run))
        last_run = day
    keys = [e.key for e in found]
    assert len(keys) == len(set(keys))
    # A late run sends what is still pending: not the reminder for a report that is in since, nor anything once
    # the task is done (with a monthly run, the deadline's urge and red fall after it was done on 07-20).
    assert set(keys) <= set(Q2_EXPECTED)
    if every <= 7:
        assert {k for k in Q2_EXPECTED if ":deadline-" in k} <= set(keys)


def test_with_periods_from_the_cadence() -> None:
    """The Django side builds ReportState from cadence.periods; a whole year of monthly reports, none sent."""
    task_periods = periods(CadenceRule(Cadence.MONTHLY), d("2026-01-01"), d("2026-12-31"))
    state = TaskState(42, d("2026-12-31"), reports=tuple(ReportState(p.key, p.due) for p in task_periods))
    events = walk(lambda _: state, "2026-01-01", "2027-01-31")
    keys = [e.key for e in events]
    assert len(keys) == len(set(keys))
    per_period = {(e.period_key, e.kind, e.level) for e in events}
    assert len([k for k in per_period if k[1] == EventKind.URGE and k[0] != "deadline-2026-12-31"]) == 12
    assert ("deadline-2026-12-31", EventKind.ESCALATE, Level.RED) in per_period


@pytest.mark.parametrize(
    ("prefix", "year", "seq", "expected"),
    [
        ("督办", 2026, 12, "督办〔2026〕12号"),
        ("催办", 2026, 1, "催办〔2026〕1号"),
        ("提示", 2027, 105, "提示〔2027〕105号"),
        (" 青督办 ", 2026, 3, "青督办〔2026〕3号"),
        (LETTER_PREFIXES[EventKind.ESCALATE], 2026, 7, "督办〔2026〕7号"),
        (LETTER_PREFIXES[EventKind.URGE], 2026, 7, "催办〔2026〕7号"),
        (LETTER_PREFIXES[EventKind.REMINDER], 2026, 7, "提示〔2026〕7号"),
    ],
)
def test_letter_number(prefix: str, year: int, seq: int, expected: str) -> None:
    assert letter_number(prefix, year, seq) == expected


@pytest.mark.parametrize(("prefix", "year", "seq"), [("督办", 2026, 0), ("", 2026, 1), ("督办", 26, 1)])
def test_letter_number_rejects(prefix: str, year: int, seq: int) -> None:
    with pytest.raises(ValueError):
        letter_number(prefix, year, seq)
