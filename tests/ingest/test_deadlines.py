"""Deadline phrases → the ISO date ending the span, resolved against the document date."""

from __future__ import annotations

import datetime as dt

import pytest

from duban.ingest.deadlines import find_deadlines, pick_deadline, resolve_deadline

REF = dt.date(2020, 12, 16)


@pytest.mark.parametrize(
    ("phrase", "expected"),
    [
        ("年底前", "2020-12-31"),
        ("今年年底", "2020-12-31"),
        ("年内", "2020-12-31"),
        ("11月底", "2020-11-30"),
        ("11月底前", "2020-11-30"),
        ("11月中旬", "2020-11-20"),
        ("11月上旬", "2020-11-10"),
        ("11月下旬", "2020-11-30"),
        ("2月底", "2020-02-29"),  # leap year
        ("十二月底", "2020-12-31"),
        ("6月30日前", "2020-06-30"),
        ("2021年下半年", "2021-12-31"),
        ("2021年上半年", "2021-06-30"),
        ("上半年", "2020-06-30"),
        ("第三季度末", "2020-09-30"),
        ("2021年一季度", "2021-03-31"),
        ("明年1月", "2021-01-31"),
        ("明年6月底前", "2021-06-30"),
        ("力争到2025年", "2025-12-31"),
        ("到2025年底", "2025-12-31"),
        ("2020年12月底", "2020-12-31"),
        ("2020年底前", "2020-12-31"),
        ("2021年6月", "2021-06-30"),  # a 完成时限 value: a bare month is its end
        ("2021年", "2021-12-31"),
        ("2021-06-30", "2021-06-30"),
        ("2021.6", "2021-06-30"),
        ("长期坚持", None),
        ("2月30日前", None),  # no such day
    ],
)
def test_resolve_deadline(phrase: str, expected: str | None) -> None:
    resolved = resolve_deadline(phrase, REF)
    assert (resolved.isoformat() if resolved else None) == expected


@pytest.mark.parametrize(
    ("text", "phrases"),
    [
        ("推进中,计划年底前完成", ["年底前"]),
        ("预计11月底全部完成,12月投入运营", ["11月底"]),  # 12月 alone says nothing about "by when"
        ("该项目已于2020年4月17日投入运营", []),  # a fact, not a deadline
        ("三年内完成改造", []),  # 三年内 is a duration, not this year
        ("力争到2025年新建3所幼儿园", ["力争到2025年"]),
        ("2021年下半年全面完工,2022年投入使用", ["2021年下半年"]),
        ("1-9月份共下发问题6781件", []),
    ],
)
def test_find_deadlines_in_text_is_strict(text: str, phrases: list[str]) -> None:
    assert [d.text for d in find_deadlines(text, REF)] == phrases


def test_latest_phrase_is_the_deadline() -> None:
    found = pick_deadline("11月中旬完成主体建设,年底前全面完工", REF)
    assert found is not None and (found.text, found.date) == ("年底前", dt.date(2020, 12, 31))


def test_without_a_reference_date_relative_phrases_stay_unresolved() -> None:
    found = pick_deadline("计划年底前完成", None)
    assert found is not None and found.text == "年底前" and found.date is None
    assert resolve_deadline("2021年下半年", None) == dt.date(2021, 12, 31)
