"""How much `duban gen` writes at each scale, and how a quota is spread evenly over the candidates."""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

PASSWORD = "duban-demo"  # every generated account's; the accounts exist only to measure pages


@dataclass(frozen=True)
class Scale:
    """Row counts of one scale; the tests and benchmarks hold the generator to them exactly."""

    units: int
    tasks: int  # actionable: tasks and subtasks (section headings come on top)
    reports: int
    letters: int
    documents: int
    supervisors: int
    level: str  # the government the units belong to: province, city or district


SCALES = {
    "province": Scale(2_000, 50_000, 1_000_000, 100_000, 25, 10, "province"),
    "city": Scale(200, 5_000, 100_000, 10_000, 6, 5, "city"),
    "district": Scale(20, 500, 10_000, 1_000, 3, 3, "district"),
    "tiny": Scale(12, 60, 600, 60, 2, 2, "district"),  # for tests
}


def pick(total: int, wanted: int) -> Callable[[int], bool]:
    """Exactly ``wanted`` of ``total`` candidates, spread evenly: candidate i is taken when the running
    share crosses an integer. The scales promise exact row counts, whatever the candidates happen to be."""
    return lambda i: (i + 1) * wanted // total > i * wanted // total if total else False
