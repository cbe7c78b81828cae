"""The pure assessment rules: components, deductions, bonus cap, floor, rounding, rankings and 红黑榜."""
from __future__ import annotations

import subprocess
import sys
from decimal import Decimal as D

import pytest

from duban.supervision import scoring
from duban.supervision.scoring import (
    BonusEvent,
    Due,
    Facts,
    Late,
    LetterEvent,
    Rating,
    Returned,
    Rules,
    TaskState,
    honour_and_warning,
    rank,
    score,
)

RULES = Rules()  # 100 points: reporting 40, schedule 40, quality 20
TEN = Rules(scale=10, weight_reporting=50, weight_schedule=30, weight_quality=20, deduct_urge=D("0.1"),
            deduct_blue=D("0.2"), deduct_yellow=D("0.5"), deduct_red=D(1), deduct_returned=D("0.2"),
            deduct_late=D("0.1"), deduct_missing=D("0.3"), bonus_cap=D(1))


def due(n: int, *, missing: int = 0, late: int = 0) -> list[Due]:
    rows = []
    for i in range(n):
        if i < missing:
            rows.append(Due(i, 1, f"p{i}"))
        else:
            rows.append(Due(i, 1, f"p{i}", report_id=100 + i, late=i < missing + late))
    return rows


def tasks(good: int = 0, behind: int = 0, overdue: int = 0, other: int = 0) -> list[TaskState]:
    statuses = ["good"] * good + ["behind"] * behind + ["overdue"] * overdue + ["other"] * other
    return [TaskState(i, f"t{i}", s) for i, s in enumerate(statuses)]


CASES = [
    # (name, rules, facts, total, {component: value})
    ("nothing to score is full marks", RULES, Facts(), D(100), {"reporting": D(40), "schedule": D(40)}),
    ("all on time and on schedule", RULES, Facts(due=due(4), tasks=tasks(good=2)), D(100), {}),
    ("one of four missing loses a share and the deduction", RULES, Facts(due=due(4, missing=1)),
     D("89.00"), {"reporting": D(30), "deductions": D(-1)}),
    ("owed counts the reports not listed", RULES, Facts(owed=8, due=due(1, missing=1)), D("94.00"),
     {"reporting": D(35)}),
    ("a late report loses half a share and the deduction", RULES, Facts(due=due(4, late=1),
                                                                         late=[Late(100, 1, "p0")]),
     D("94.50"), {"reporting": D(35), "deductions": D("-0.5")}),
    ("behind loses half, overdue all of a task's share", RULES, Facts(tasks=tasks(good=2, behind=1, overdue=1)),
     D("85.00"), {"schedule": D(25)}),
    ("tasks not started or suspended do not count", RULES, Facts(tasks=tasks(good=1, other=3)), D(100), {}),
    ("three thirds round to the whole component", RULES, Facts(due=due(3, missing=3)), D("57.00"),
     {"reporting": D(0), "deductions": D(-3)}),
    ("quality: one 良 of two loses a quarter of a share", RULES,
     Facts(ratings=[Rating(1, 1, "r", 4), Rating(2, 1, "r", 3)]), D("97.50"), {"quality": D("17.50")}),
    ("quality: 差 loses three quarters", RULES, Facts(ratings=[Rating(1, 1, "r", 1)]), D("85.00"),
     {"quality": D(5)}),
    ("letters by level", RULES, Facts(letters=[LetterEvent(1, 1, "l", "urge"), LetterEvent(2, 1, "l", "blue"),
                                               LetterEvent(3, 1, "l", "yellow"), LetterEvent(4, 1, "l", "red")]),
     D("96.00"), {"deductions": D(-4)}),
    ("a report returned twice costs twice", RULES, Facts(returned=[Returned(1, 1, "r", 2)]), D("99.00"), {}),
    ("bonuses are capped", RULES, Facts(bonuses=[BonusEvent(1, D(4), "a"), BonusEvent(2, D(3), "b")]),
     D("105.00"), {"bonus": D(5)}),
    ("an office deduction is not capped", RULES, Facts(bonuses=[BonusEvent(1, D(-8), "a")]), D("92.00"),
     {"bonus": D(-8)}),
    ("never below zero", RULES, Facts(due=due(2, missing=2), tasks=tasks(overdue=1),
                                      letters=[LetterEvent(i, 1, "l", "red") for i in range(60)]),
     D(0), {}),
    ("ten-point scale", TEN, Facts(due=due(2, missing=1), tasks=tasks(good=1, behind=1),
                                   letters=[LetterEvent(1, 1, "l", "red")], bonuses=[BonusEvent(1, D(2), "b")]),
     D("6.45"), {"reporting": D("2.50"), "schedule": D("2.25"), "bonus": D(1)}),
]


@pytest.mark.parametrize(("name", "rules", "facts", "total", "components"), CASES, ids=[c[0] for c in CASES])
def test_score_table(name: str, rules: Rules, facts: Facts, total: D, components: dict[str, D]) -> None:
    result = score(rules, facts)
    assert result.total == total
    assert sum(i.points for i in result.items) == result.total  # the items are the whole story
    for component, value in components.items():
        assert result.component(component) == value, component


def test_every_lost_point_names_its_event() -> None:
    facts = Facts(due=due(3, missing=1, late=1), tasks=tasks(good=1, overdue=1),
                  ratings=[Rating(7, 1, "r", 2)], letters=[LetterEvent(9, 1, "l", "red")],
                  returned=[Returned(8, 1, "r", 1)], late=[Late(101, 1, "p1")])
    result = score(RULES, facts)
    lost = [i for i in result.items if i.points < 0]
    assert lost and all(i.ref is not None for i in lost)
    refs = {i.ref for i in lost}
    assert {("period", 0), ("report", 101), ("task", 1), ("report", 7), ("letter", 9), ("report", 8)} <= refs


@pytest.mark.parametrize(("scores", "expected"), [
    ({"a": D(90), "b": D(80), "c": D(70)}, {"a": 1, "b": 2, "c": 3}),
    ({"a": D(90), "b": D(90), "c": D(70)}, {"a": 1, "b": 1, "c": 3}),
    ({"a": D(50), "b": D(90), "c": D(90), "d": D(90)}, {"b": 1, "c": 1, "d": 1, "a": 4}),
    ({}, {}),
])
def test_rank_shares_ties(scores: dict[str, D], expected: dict[str, int]) -> None:
    assert rank(scores.items()) == expected


@pytest.mark.parametrize(("kwargs", "honour", "warning"), [
    ({}, set(), set()),
    ({"top": 1, "bottom": 1}, {"a"}, {"e"}),
    ({"top": 2, "bottom": 2}, {"a", "b", "c"}, {"d", "e"}),  # b and c tie for 2nd
    ({"honour_min": D(85), "warning_below": D(70)}, {"a", "b", "c"}, {"e"}),
    ({"top": 5, "bottom": 5}, {"a", "b", "c", "d", "e"}, set()),  # never on both lists
])
def test_honour_and_warning(kwargs: dict, honour: set[str], warning: set[str]) -> None:
    scores = {"a": D(95), "b": D(85), "c": D(85), "d": D(70), "e": D(60)}
    assert honour_and_warning(scores, **kwargs) == (honour, warning)


def test_activity_is_not_an_input() -> None:
    """基层减负: nothing about logins, clicks or time online can be given to the rules."""
    fields = set(Facts.__dataclass_fields__)
    assert fields == {"due", "owed", "tasks", "ratings", "letters", "returned", "late", "bonuses"}
    assert "never scored" in (scoring.__doc__ or "")


def test_scoring_loads_no_django() -> None:
    code = "import sys, duban.supervision.scoring; print('django' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


def test_a_missing_report_is_one_item_with_its_share_and_deduction() -> None:
    result = score(RULES, Facts(due=due(3, missing=3)))
    missing = [i for i in result.items if i.kind == scoring.MISSING]
    assert [i.share for i in missing] == [D("-13.33"), D("-13.34"), D("-13.33")]  # never more than the 40
    assert [i.points for i in missing] == [D("-14.33"), D("-14.34"), D("-14.33")]
    assert [i.ref for i in missing] == [("period", 0), ("period", 1), ("period", 2)]


def test_a_late_report_is_one_item_when_the_unit_owed_it() -> None:
    facts = Facts(due=due(2, late=1), late=[Late(100, 1, "p0"), Late(555, 2, "support unit's report")])
    late = [i for i in score(RULES, facts).items if i.kind == scoring.LATE]
    assert [(i.ref, i.points, i.share) for i in late] == [
        (("report", 100), D("-10.50"), D("-10.00")), (("report", 555), D("-0.50"), D(0))]
