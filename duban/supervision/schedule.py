"""The status engine: 序时进度 and where a task stands.

t (序时进度) is the elapsed share of the task's planned period. A task is judged by what it can show:

- indicators (指标): a cumulative target is on schedule when actual / target ≥ t (宣城: in November, with
  monthly data, t = 11/12 = 91.7%); a '<=' target (能耗不超过) the other way round, actual / target ≤ t; a
  growth-rate (or level) target compares the year-to-date figure directly with the target, without t;
- milestones (节点): on schedule while every milestone due before today has been reached;
- failing both, the percent complete of the latest accepted report against t.

When several indicators and milestones exist the worst verdict wins (one lagging indicator makes the
task 滞后). A task is *ahead* (超序时) only when clearly above: by `Thresholds.ahead_margin` (10 points of
share for cumulative targets and percent; 10% of the target for growth and level targets; a milestone
reached before its due date for milestones). Suspended (暂缓) and done override everything; then overdue
(past the deadline and not done); then not started (no report and no sign of work).

Figures are compared with t at the date they refer to (`report_as_of`, e.g. the end of the month reported),
not with today's t, so a unit is not marked 滞后 in the weeks between two monthly reports.

Traffic light, for lists and the task chart:

    green  on_schedule, ahead
    yellow behind; not_started once the plan has begun (t > 0)
    red    overdue
    blue   done, done_ongoing
    grey   suspended; not_started before the planned start (t = 0)
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from enum import IntEnum, StrEnum

from .dates import chinese_date
from .workdays import OFFICIAL, WorkCalendar

EPS = 1e-9  # float noise: 110 / 120 must count as exactly 11 / 12


class Status(StrEnum):
    NOT_STARTED = "not_started"
    ON_SCHEDULE = "on_schedule"
    AHEAD = "ahead"
    BEHIND = "behind"
    OVERDUE = "overdue"
    DONE = "done"
    DONE_ONGOING = "done_ongoing"  # stored on Task as status=done, ongoing=True
    SUSPENDED = "suspended"


class Light(StrEnum):
    GREEN = "green"
    YELLOW = "yellow"
    RED = "red"
    BLUE = "blue"
    GREY = "grey"


class Direction(StrEnum):
    AT_LEAST = ">="
    AT_MOST = "<="
    EQUAL = "="


class IndicatorKind(StrEnum):
    CUMULATIVE = "cumulative"  # amounts that add up over the year: investment, jobs, km of road
    GROWTH_RATE = "growth_rate"  # year-to-date growth in percent, compared with the target growth
    LEVEL = "level"  # a rate or ratio judged as it stands (优良率, 能耗强度), compared like a growth rate


class ShareBasis(StrEnum):
    DAYS = "days"  # calendar days elapsed, today included
    MONTHS = "months"  # calendar months elapsed, the current one included (monthly data: November = 11/12)


@dataclass(frozen=True, slots=True)
class IndicatorState:
    """A target and the latest accepted actual. Growth rates are in percent (8 means 8%)."""

    target: float | None
    actual: float | None
    direction: Direction = Direction.AT_LEAST
    kind: IndicatorKind = IndicatorKind.CUMULATIVE
    name: str = ""


@dataclass(frozen=True, slots=True)
class MilestoneState:
    due: dt.date
    reached: dt.date | None = None


@dataclass(frozen=True, slots=True)
class Thresholds:
    ahead_margin: float = 0.10
    equal_tolerance: float = 0.05  # '=' targets of growth/level kind: within 5% of the target


@dataclass(frozen=True, slots=True)
class TaskFacts:
    """What the engine needs to know about one task on one day. `deadline` defaults to `end`."""

    today: dt.date
    start: dt.date
    end: dt.date
    deadline: dt.date | None = None
    suspended: bool = False
    done: bool = False
    ongoing: bool = False
    indicators: tuple[IndicatorState, ...] = ()
    milestones: tuple[MilestoneState, ...] = ()
    percent: float | None = None  # percent complete of the latest accepted report
    report_as_of: dt.date | None = None  # the date its figures refer to; today when None
    has_report: bool = False
    share_basis: ShareBasis = ShareBasis.DAYS


@dataclass(frozen=True, slots=True)
class ScheduleResult:
    status: Status
    light: Light
    schedule_share: float  # t today
    achieved_share: float | None  # of the measure that decided (the worst one), when it has a share
    expected_share: float | None  # the t that share was compared with (at report_as_of)
    reason: str


class _Verdict(IntEnum):
    BEHIND = -1
    ON = 0
    AHEAD = 1


@dataclass(frozen=True, slots=True)
class _Measure:
    verdict: _Verdict
    share: float | None
    expected: float | None
    reason: str


def schedule_share(
    start: dt.date, end: dt.date, on: dt.date, basis: ShareBasis = ShareBasis.DAYS
) -> float:
    """序时进度 t in [0, 1]: 0 before the start, 1 from the end on; never divides by zero."""
    if on < start:
        return 0.0
    if on >= end:
        return 1.0
    if basis == ShareBasis.MONTHS:
        total = (end.year - start.year) * 12 + end.month - start.month + 1
        elapsed = (on.year - start.year) * 12 + on.month - start.month + 1
        return elapsed / total
    return ((on - start).days + 1) / ((end - start).days + 1)


def percent_text(share: float) -> str:
    """0.62 → '62%', 11/12 → '91.7%'."""
    return f"{_number_text(share * 100, 1)}%"


def _number_text(x: float, places: int = 2) -> str:
    """Fixed notation without trailing zeros: 1200000.0 → '1200000', 6.50 → '6.5'."""
    text = f"{x:.{places}f}".rstrip("0").rstrip(".")
    return "0" if text == "-0" else text


def _verdict(gap: float, margin: float) -> _Verdict:
    """gap = achieved share minus expected share, positive when better."""
    if gap < -EPS:
        return _Verdict.BEHIND
    if gap >= margin - EPS:
        return _Verdict.AHEAD
    return _Verdict.ON


_SYMBOL = {Direction.AT_LEAST: "≥", Direction.AT_MOST: "≤", Direction.EQUAL: ""}


def _indicator_measure(ind: IndicatorState, t: float, th: Thresholds) -> _Measure | None:
    if ind.target is None or ind.actual is None:
        return None
    target, actual = float(ind.target), float(ind.actual)
    label = ind.name or ("增速" if ind.kind == IndicatorKind.GROWTH_RATE else "指标")
    if ind.kind == IndicatorKind.CUMULATIVE:
        return _cumulative_measure(target, actual, ind.direction, label, t, th)
    suffix = "%" if ind.kind == IndicatorKind.GROWTH_RATE else ""
    reason = (f"{label} {_number_text(actual)}{suffix},"
              f"目标 {_SYMBOL[ind.direction]}{_number_text(target)}{suffix}")
    share = actual / target if target > 0 else None
    if ind.direction == Direction.EQUAL:
        ok = abs(actual - target) <= max(th.equal_tolerance * abs(target), EPS)
        return _Measure(_Verdict.ON if ok else _Verdict.BEHIND, share, None, reason)
    better_by = actual - target if ind.direction == Direction.AT_LEAST else target - actual
    if better_by < -EPS:
        verdict = _Verdict.BEHIND
    elif target != 0 and better_by >= th.ahead_margin * abs(target) - EPS:
        verdict = _Verdict.AHEAD
    else:
        verdict = _Verdict.ON
    return _Measure(verdict, share, None, reason)


def _cumulative_measure(
    target: float, actual: float, direction: Direction, label: str, t: float, th: Thresholds
) -> _Measure | None:
    if target < 0:
        return None  # a negative amount to accumulate makes no sense; leave it to the other measures
    if target == 0:
        ok = actual <= EPS if direction == Direction.AT_MOST else (
            abs(actual) <= EPS if direction == Direction.EQUAL else actual >= -EPS)
        reason = f"{label} {_number_text(actual)},目标 {_SYMBOL[direction]}0"
        return _Measure(_Verdict.ON if ok else _Verdict.BEHIND, None, t, reason)
    share = actual / target
    if direction == Direction.AT_MOST:
        return _Measure(_verdict(t - share, th.ahead_margin), share, t,
                        f"{label}已达上限的 {percent_text(share)},序时 {percent_text(t)}")
    # '=' on an amount to accumulate ("建成 3 个") is progress towards it, like '>='.
    return _Measure(_verdict(share - t, th.ahead_margin), share, t,
                    f"{label}完成 {percent_text(share)},序时 {percent_text(t)}")


def _milestone_measure(milestones: tuple[MilestoneState, ...], today: dt.date) -> _Measure | None:
    """A milestone is due at the end of its due day: missed once that day has passed unreached."""
    if not milestones:
        return None
    reached = [m for m in milestones if m.reached is not None and m.reached <= today]
    due = [m for m in milestones if m.due < today]
    missed = [m for m in due if m.reached is None or m.reached > today]
    early = [m for m in reached if m.reached is not None and m.reached < m.due and today < m.due]
    verdict = _Verdict.BEHIND if missed else (_Verdict.AHEAD if early else _Verdict.ON)
    total = len(milestones)
    return _Measure(verdict, len(reached) / total, len(due) / total,
                    f"节点 {len(reached)}/{total} 已完成,应完成 {len(due)}")


def _percent_measure(percent: float, t: float, th: Thresholds) -> _Measure:
    share = percent / 100
    return _Measure(_verdict(share - t, th.ahead_margin), share, t,
                    f"进度 {percent_text(share)},序时 {percent_text(t)}")


def _measures(facts: TaskFacts, th: Thresholds) -> list[_Measure]:
    as_of = min(facts.report_as_of or facts.today, facts.today)
    t_data = schedule_share(facts.start, facts.end, as_of, facts.share_basis)
    found = [m for ind in facts.indicators if (m := _indicator_measure(ind, t_data, th)) is not None]
    milestone = _milestone_measure(facts.milestones, facts.today)
    if milestone is not None:
        found.append(milestone)
    if not found and facts.percent is not None:
        found.append(_percent_measure(float(facts.percent), t_data, th))
    return found


def _shows_work(facts: TaskFacts) -> bool:
    return (
        facts.has_report
        or bool(facts.percent)
        or any(m.reached is not None and m.reached <= facts.today for m in facts.milestones)
        or any(ind.actual for ind in facts.indicators)
    )



def evaluate(facts: TaskFacts, thresholds: Thresholds = Thresholds(),
             calendar: WorkCalendar = OFFICIAL) -> ScheduleResult:
    """The status, light, shares and reason of one task on `facts.today`."""
    t = schedule_share(facts.start, facts.end, facts.today, facts.share_basis)
    measures = _measures(facts, thresholds)
    worst = min(measures, key=lambda m: m.verdict) if measures else None  # first of the worst on ties
    share = worst.share if worst else None
    expected = worst.expected if worst else None

    def result(status: Status, light: Light, reason: str) -> ScheduleResult:
        return ScheduleResult(status, light, t, share, expected, reason)

    if facts.suspended:
        return result(Status.SUSPENDED, Light.GREY, "暂缓推进")
    if facts.done:
        if facts.ongoing:
            return result(Status.DONE_ONGOING, Light.BLUE, "已完成,长期坚持")
        return result(Status.DONE, Light.BLUE, "已完成")
    deadline = facts.deadline or facts.end
    if facts.today > deadline:
        late = calendar.workdays_between(deadline, facts.today)
        reason = f"逾期 {late} 个工作日" if late else f"逾期 {(facts.today - deadline).days} 天"
        return result(Status.OVERDUE, Light.RED, f"{reason}(完成时限 {chinese_date(deadline)})")
    if not _shows_work(facts):
        if t == 0:
            return result(Status.NOT_STARTED, Light.GREY, f"计划于 {chinese_date(facts.start)} 开始")
        return result(Status.NOT_STARTED, Light.YELLOW, f"尚未报送进展,序时 {percent_text(t)}")
    if worst is None:
        return result(Status.ON_SCHEDULE, Light.GREEN, "已报送进展,暂无可比较的指标、节点或完成比例")
    if worst.verdict == _Verdict.BEHIND:
        return result(Status.BEHIND, Light.YELLOW, worst.reason)
    if worst.verdict == _Verdict.AHEAD:
        return result(Status.AHEAD, Light.GREEN, worst.reason)
    return result(Status.ON_SCHEDULE, Light.GREEN, worst.reason)


# Display words (GUIDE §5). Each family names only the statuses it has words for; the others keep the default
# words, so every vocabulary covers every status.
DEFAULT_WORDS: Mapping[Status, str] = {
    Status.NOT_STARTED: "未启动",
    Status.ON_SCHEDULE: "序时推进",
    Status.AHEAD: "超序时",
    Status.BEHIND: "滞后",
    Status.OVERDUE: "逾期",
    Status.DONE: "已完成",
    Status.DONE_ONGOING: "已完成并长期坚持",
    Status.SUSPENDED: "暂缓",
}

_FAMILIES: dict[str, dict[Status, str]] = {
    "default": {},
    # seed 001, 落实情况报告: everything unfinished is 推进中
    "tuijin": {Status.ON_SCHEDULE: "推进中", Status.AHEAD: "推进中", Status.BEHIND: "推进中"},
    # 寿县
    "shouxian": {Status.ON_SCHEDULE: "序时推进", Status.AHEAD: "序时推进", Status.BEHIND: "滞后序时",
                 Status.OVERDUE: "滞后序时", Status.DONE: "已完成年度目标",
                 Status.DONE_ONGOING: "已完成年度目标"},
    # 金寨
    "jinzhai": {Status.AHEAD: "超进度", Status.ON_SCHEDULE: "达进度", Status.BEHIND: "欠进度",
                Status.OVERDUE: "欠进度"},
    "anxushi": {Status.AHEAD: "按序时", Status.ON_SCHEDULE: "按序时", Status.BEHIND: "慢序时",
                Status.OVERDUE: "慢序时"},
    # 12345 / 问政 tickets
    "12345": {Status.DONE: "已办结", Status.DONE_ONGOING: "已办结", Status.ON_SCHEDULE: "正在办理",
              Status.AHEAD: "正在办理", Status.BEHIND: "进展滞后", Status.OVERDUE: "进展滞后"},
    # 整改 (督察/巡察/审计 feedback): done-and-kept-up is "基本完成并持续整改"; anything open is 未完成
    "zhenggai": {Status.DONE: "已完成整改", Status.DONE_ONGOING: "基本完成并持续整改",
                 Status.NOT_STARTED: "未完成", Status.ON_SCHEDULE: "未完成", Status.AHEAD: "未完成",
                 Status.BEHIND: "未完成", Status.OVERDUE: "未完成"},
}

VOCABULARIES: Mapping[str, Mapping[Status, str]] = {
    name: {**DEFAULT_WORDS, **words} for name, words in _FAMILIES.items()
}


def display(status: Status | str, vocabulary: str | Mapping[Status, str] = "default") -> str:
    """The words for `status` in a named family of `VOCABULARIES`, or in a custom mapping (statuses it does
    not name fall back to the default words)."""
    status = Status(status)
    if isinstance(vocabulary, str):
        if vocabulary not in VOCABULARIES:
            raise KeyError(f"unknown vocabulary {vocabulary!r}; known: {', '.join(VOCABULARIES)}")
        return VOCABULARIES[vocabulary][status]
    return vocabulary.get(status, DEFAULT_WORDS[status])
