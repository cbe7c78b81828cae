"""Status vocabularies → done | in_progress | behind | not_started, plus ongoing."""

from __future__ import annotations

import pytest

from duban.ingest.status import StatusWord, parse_status, parse_status_cell


@pytest.mark.parametrize(
    ("text", "status", "ongoing", "words", "rest"),
    [
        ("已完成并长期坚持。全面落实", "done", True, "已完成并长期坚持", "全面落实"),
        ("已完成,并长期坚持。", "done", True, "已完成,并长期坚持", ""),
        ("已完成。生物食品安全", "done", False, "已完成", "生物食品安全"),
        ("已办结", "done", False, "已办结", ""),
        ("提前完成。", "done", False, "提前完成", ""),
        ("已完成年度目标。", "done", False, "已完成年度目标", ""),
        ("已完成整改。", "done", False, "已完成整改", ""),
        ("推进中。引进新老表集团", "in_progress", False, "推进中", "引进新老表集团"),
        ("推进中,计划年底前完成。完成低效", "in_progress", False, "推进中", "计划年底前完成。完成低效"),
        ("正在办理。", "in_progress", False, "正在办理", ""),
        ("序时推进。", "in_progress", False, "序时推进", ""),
        ("按序时推进", "in_progress", False, "按序时推进", ""),
        ("达序。", "in_progress", False, "达序", ""),
        ("达进度", "in_progress", False, "达进度", ""),
        ("超进度:已完成80%", "in_progress", False, "超进度", "已完成80%"),
        ("基本完成。", "in_progress", False, "基本完成", ""),
        ("基本完成并持续整改。", "in_progress", False, "基本完成并持续整改", ""),
        ("滞后序时。已引进9个", "behind", False, "滞后序时", "已引进9个"),
        ("慢序时", "behind", False, "慢序时", ""),
        ("欠进度", "behind", False, "欠进度", ""),
        ("进展滞后。", "behind", False, "进展滞后", ""),
        ("滞后。", "behind", False, "滞后", ""),
        ("未完成。", "behind", False, "未完成", ""),
        ("未启动。", "not_started", False, "未启动", ""),
        ("尚未启动,受用地影响", "not_started", False, "尚未启动", "受用地影响"),
        ("【已完成】相关工作", "done", False, "已完成", "相关工作"),
    ],
)
def test_parse_status(text: str, status: str, ongoing: bool, words: str, rest: str) -> None:
    match = parse_status(text)
    assert match is not None
    assert (match.status, match.ongoing, match.text, match.rest) == (status, ongoing, words, rest)


@pytest.mark.parametrize(
    "text",
    [
        "已完成规划评审和景观质量评审相关工作",  # a sentence that starts with a verb, not a status
        "完成低效用地摸底工作",
        "正在开展前期工作。",
        "目前,推进中。",
        "",
    ],
)
def test_no_status(text: str) -> None:
    assert parse_status(text) is None


def test_status_clause_is_only_the_comma_joined_clause() -> None:
    assert parse_status("推进中,计划年底前完成。其余").clause == "计划年底前完成"
    assert parse_status("推进中。预计11月下旬完成招投标").clause == ""


@pytest.mark.parametrize(
    ("cell", "status", "ongoing"),
    [("完成", "done", False), ("已完成", "done", False), ("长期坚持", "done", True), ("滞后", "behind", False),
     ("序时推进", "in_progress", False), ("未启动", "not_started", False), ("正常推进", "in_progress", False)],
)
def test_status_cell(cell: str, status: str, ongoing: bool) -> None:
    match = parse_status_cell(cell)
    assert match is not None and (match.status, match.ongoing) == (status, ongoing)


def test_custom_vocabulary() -> None:
    vocabulary = (StatusWord("A类", "done"), StatusWord("B类", "in_progress"))
    assert parse_status("B类。正在解决", vocabulary).status == "in_progress"
    assert parse_status("推进中。", vocabulary) is None
