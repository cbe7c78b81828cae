"""Assessment (考核) scoring rules — pure Python, no Django.

A subject (a unit, a leader's area, a leader) starts each component at full marks and loses a share for every
event that counts against it; deductions and office bonuses are added on top. Every point won or lost is an
:class:`Item` that names the event behind it, and the total is by definition the sum of the items, so a unit
can always see exactly why it got its score.

What is scored: reports due and whether they came on time, the schedule status of the tasks the subject leads,
the supervisor's quality rating of its reports, 催办/督办 letters, returned reports and the office's bonuses.
What is never scored (基层减负): logins, clicks, time online or any other activity — none of it is an
input here, so it cannot change a score.
"""
from __future__ import annotations

from collections.abc import Hashable, Iterable
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

CENT = Decimal("0.01")
ZERO = Decimal(0)
QUALITY_MAX = 4  # 优 4, 良 3, 中 2, 差 1

# Item kinds (stored; the Django layer turns them into translated descriptions).
REPORTING_BASE = "reporting_base"
REPORT_LATE_SHARE = "report_late_share"
SCHEDULE_BASE = "schedule_base"
TASK_BEHIND_SHARE = "task_behind_share"
TASK_OVERDUE_SHARE = "task_overdue_share"
QUALITY_BASE = "quality_base"
QUALITY_SHARE = "quality_share"
URGE = "urge"
BLUE = "blue"
YELLOW = "yellow"
RED = "red"
RETURNED = "returned"
LATE = "late"
MISSING = "missing"
BONUS = "bonus"
BONUS_CAP = "bonus_cap"
FLOOR = "floor"

LETTER_KINDS = (URGE, BLUE, YELLOW, RED)
COMPONENTS = ("reporting", "schedule", "quality", "deductions", "bonus")
_COMPONENT_OF = {
    REPORTING_BASE: "reporting", REPORT_LATE_SHARE: "reporting",
    SCHEDULE_BASE: "schedule", TASK_BEHIND_SHARE: "schedule", TASK_OVERDUE_SHARE: "schedule",
    QUALITY_BASE: "quality", QUALITY_SHARE: "quality",
    BONUS: "bonus", BONUS_CAP: "bonus",
}


@dataclass(frozen=True)
class Rules:
    """A scheme's rules. Weights are percentages of the scale; deductions are points on the scale."""

    scale: int = 100
    weight_reporting: int = 40
    weight_schedule: int = 40
    weight_quality: int = 20
    deduct_urge: Decimal = Decimal("0.5")
    deduct_blue: Decimal = Decimal("0.5")
    deduct_yellow: Decimal = Decimal(1)
    deduct_red: Decimal = Decimal(2)
    deduct_returned: Decimal = Decimal("0.5")
    deduct_late: Decimal = Decimal("0.5")
    deduct_missing: Decimal = Decimal(1)
    bonus_cap: Decimal = Decimal(5)

    def component_max(self, weight: int) -> Decimal:
        return Decimal(self.scale) * weight / 100

    def letter_deduction(self, kind: str) -> Decimal:
        return {URGE: self.deduct_urge, BLUE: self.deduct_blue, YELLOW: self.deduct_yellow,
                RED: self.deduct_red}[kind]


@dataclass(slots=True)
class Due:
    """A report the subject owed (a period of a task it leads whose due date has passed)."""

    period_id: int
    task_id: int
    label: str
    report_id: int | None = None  # None: never submitted
    late: bool = False


@dataclass(slots=True)
class TaskState:
    """A task the subject leads; ``status`` is 'good' (on schedule, ahead, done), 'behind' or 'overdue'."""

    task_id: int
    label: str
    status: str


@dataclass(slots=True)
class Rating:
    report_id: int
    task_id: int
    label: str
    quality: int  # 1..QUALITY_MAX


@dataclass(slots=True)
class LetterEvent:
    letter_id: int
    task_id: int
    label: str
    kind: str  # urge / blue / yellow / red


@dataclass(slots=True)
class Returned:
    report_id: int
    task_id: int
    label: str
    times: int


@dataclass(slots=True)
class Late:
    report_id: int
    task_id: int
    label: str


@dataclass(slots=True)
class BonusEvent:
    bonus_id: int
    points: Decimal
    label: str


@dataclass
class Facts:
    """Everything that counts for one subject in one period."""

    due: list[Due] = field(default_factory=list)
    owed: int = 0  # reports owed in all; ``due`` may then list only the late and missing ones
    tasks: list[TaskState] = field(default_factory=list)
    ratings: list[Rating] = field(default_factory=list)
    letters: list[LetterEvent] = field(default_factory=list)
    returned: list[Returned] = field(default_factory=list)
    late: list[Late] = field(default_factory=list)
    bonuses: list[BonusEvent] = field(default_factory=list)


@dataclass(slots=True)
class Item:
    """One line of a score: ``points`` (+ won, − lost) and the event behind it.

    ``ref`` is (kind, id) with kind one of 'period', 'report', 'task', 'letter', 'bonus', or None for the
    full-marks line of a component and the cap/floor adjustments, which are rules, not events."""

    kind: str
    points: Decimal
    label: str
    ref: tuple[str, int | None] | None = None
    task_id: int | None = None
    count: int = 1
    share: Decimal = Decimal(0)  # the part of ``points`` lost from the on-time reporting component


@dataclass
class Result:
    total: Decimal
    items: list[Item]
    components: dict[str, Decimal] = field(default_factory=dict)

    def component(self, name: str) -> Decimal:
        return self.components.get(name, Decimal(0))


def _q(value: Decimal) -> Decimal:
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


_DECIMALS: dict[int, Decimal] = {}


def _cents(cents: int) -> Decimal:
    """``cents`` as a Decimal with two places, shared (a province run makes 10⁵ items of a few distinct sizes)."""
    value = _DECIMALS.get(cents)
    if value is None:
        value = _DECIMALS[cents] = Decimal(cents).scaleb(-2)
    return value


class _Losses:
    """A component's full marks split into ``denominator`` equal units, lost a few units at a time. The running
    total is rounded, not each loss, so together the losses never exceed the full marks (three thirds of 40 are
    13.33 + 13.34 + 13.33, not 39.99 or 40.02). Integer arithmetic: this runs for every event of a province."""

    def __init__(self, top: Decimal, denominator: int) -> None:
        self.top = int((top * 100).to_integral_value(ROUND_HALF_UP))
        self.denominator = denominator
        self.units = 0
        self.taken = 0

    def take(self, units: int) -> Decimal:
        self.units += units
        exact = (2 * self.units * self.top + self.denominator) // (2 * self.denominator)  # rounded half up
        points, self.taken = exact - self.taken, exact
        return _cents(-points)


def score(rules: Rules, facts: Facts) -> Result:
    """The subject's items and total (= the sum of the items, never below zero)."""
    items: list[Item] = []

    # On-time reporting: each report owed is an equal share; a late one loses half of it, a missing one all.
    # A missing or late report is one item: its lost share and its deduction together (``share`` tells them
    # apart), which also keeps a province run at one row per event.
    top = rules.component_max(rules.weight_reporting)
    missing_cost, late_cost = -_q(rules.deduct_missing), -_q(rules.deduct_late)
    owed = max(facts.owed, len(facts.due))
    if top:
        items.append(Item(REPORTING_BASE, _q(top), "", count=owed))
    lost = _Losses(top, 2 * owed) if top and owed else None
    late_due: dict[int, tuple[Decimal, Due]] = {}
    for d in facts.due:
        if d.report_id is None:
            share = lost.take(2) if lost else ZERO
            if share or missing_cost:
                items.append(Item(MISSING, share + missing_cost, d.label, ("period", d.period_id), d.task_id,
                                  share=share))
        elif d.late:
            late_due[d.report_id] = (lost.take(1) if lost else ZERO, d)

    # Schedule: each task led is an equal share; behind schedule loses half, overdue all of it.
    top = rules.component_max(rules.weight_schedule)
    counted = [t for t in facts.tasks if t.status in ("good", "behind", "overdue")]
    if top:
        items.append(Item(SCHEDULE_BASE, _q(top), "", count=len(counted)))
        if counted:
            lost = _Losses(top, 2 * len(counted))
            for t in counted:
                if t.status == "behind":
                    items.append(Item(TASK_BEHIND_SHARE, lost.take(1), t.label, ("task", t.task_id), t.task_id))
                elif t.status == "overdue":
                    items.append(Item(TASK_OVERDUE_SHARE, lost.take(2), t.label, ("task", t.task_id), t.task_id))

    # Quality: the supervisor's ratings; each rated report is an equal share, losing in proportion to the
    # steps below 优. Without ratings the component stays at full marks (no rating is no fault of the unit).
    top = rules.component_max(rules.weight_quality)
    if top:
        items.append(Item(QUALITY_BASE, _q(top), "", count=len(facts.ratings)))
        if facts.ratings:
            lost = _Losses(top, QUALITY_MAX * len(facts.ratings))
            for r in facts.ratings:
                quality = max(1, min(QUALITY_MAX, r.quality))
                if quality < QUALITY_MAX:
                    items.append(Item(QUALITY_SHARE, lost.take(QUALITY_MAX - quality), r.label,
                                      ("report", r.report_id), r.task_id))

    # Deductions, one item per event (each cost rounded once, not per event: a province has 10⁵ of them).
    letter_cost = {kind: -_q(rules.letter_deduction(kind)) for kind in LETTER_KINDS}
    for letter in facts.letters:
        points = letter_cost[letter.kind]
        if points:
            items.append(Item(letter.kind, points, letter.label, ("letter", letter.letter_id), letter.task_id))
    if rules.deduct_returned:
        for returned in facts.returned:
            if returned.times > 0:
                items.append(Item(RETURNED, -_q(rules.deduct_returned * returned.times), returned.label,
                                  ("report", returned.report_id), returned.task_id, count=returned.times))
    for late in facts.late:
        share = late_due.pop(late.report_id, (ZERO, None))[0]
        if share or late_cost:
            items.append(Item(LATE, share + late_cost, late.label, ("report", late.report_id), late.task_id,
                              share=share))
    for share, d in late_due.values():  # late, but the deduction goes to another unit (never in practice)
        if share:
            items.append(Item(REPORT_LATE_SHARE, share, d.label, ("report", d.report_id), d.task_id, share=share))

    # Office bonuses and deductions; the bonuses together never exceed the cap.
    won = Decimal(0)
    for b in facts.bonuses:
        points = _q(b.points)
        items.append(Item(BONUS, points, b.label, ("bonus", b.bonus_id)))
        won += max(points, Decimal(0))
    cap = _q(rules.bonus_cap)
    if won > cap:
        items.append(Item(BONUS_CAP, cap - won, ""))

    components = dict.fromkeys(COMPONENTS, ZERO)
    for i in items:
        if i.share:
            components["reporting"] += i.share
            components[_COMPONENT_OF.get(i.kind, "deductions")] += i.points - i.share
        else:
            components[_COMPONENT_OF.get(i.kind, "deductions")] += i.points
    total = sum(components.values(), Decimal(0))
    if total < 0:
        items.append(Item(FLOOR, -total, ""))
        components["deductions"] -= total
        total = Decimal(0)
    return Result(_q(total), items, components)


def rank(scores: Iterable[tuple[Hashable, Decimal]]) -> dict[Hashable, int]:
    """Competition ranking (1, 2, 2, 4): equal scores share a rank; highest first."""
    ordered = sorted(scores, key=lambda pair: pair[1], reverse=True)
    ranks: dict[Hashable, int] = {}
    previous: Decimal | None = None
    current = 0
    for position, (key, value) in enumerate(ordered, start=1):
        if value != previous:
            current, previous = position, value
        ranks[key] = current
    return ranks


def honour_and_warning(scores: dict[Hashable, Decimal], *, top: int = 0, bottom: int = 0,
                       honour_min: Decimal | None = None, warning_below: Decimal | None = None,
                       ) -> tuple[set[Hashable], set[Hashable]]:
    """红黑榜: the honour list (top N by rank, or at least ``honour_min``) and the warning list (bottom N, ties
    included, or below ``warning_below``). A subject is never on both; honour wins."""
    ranks = rank(scores.items())
    from_bottom = rank((k, -v) for k, v in scores.items())
    honour = {k for k, v in scores.items()
              if (top and ranks[k] <= top) or (honour_min is not None and v >= honour_min)}
    warning = {k for k, v in scores.items()
               if (bottom and from_bottom[k] <= bottom) or (warning_below is not None and v < warning_below)}
    return honour, warning - honour
