"""Dates as Chinese documents write them, and the deadlines that are probably typos."""
from __future__ import annotations

import datetime as dt

import pytest

from duban.supervision.dates import chinese_date, doubtful_deadline

TODAY = dt.date(2026, 12, 4)


def test_chinese_date() -> None:
    assert chinese_date(dt.date(2026, 3, 5)) == "2026年3月5日"


@pytest.mark.parametrize(("deadline", "source", "doubt"), [
    (None, None, None),
    (dt.date(2026, 12, 3), None, "past"),
    (TODAY, None, None),
    (dt.date(2026, 12, 10), dt.date(2026, 12, 20), "before_source"),
    (dt.date(2026, 12, 10), dt.date(2026, 12, 1), None),
])
def test_doubtful_deadline(deadline: dt.date | None, source: dt.date | None, doubt: str | None) -> None:
    assert doubtful_deadline(deadline, TODAY, source) == doubt
