"""Punctuation normalisation: full-width ASCII forms become half-width; Chinese-only marks are kept."""

from __future__ import annotations

import pytest

from duban.ingest.normalize import normalize_line, normalize_text


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("（一）抓实抓细", "(一)抓实抓细"),
        ("责任单位：区商务局", "责任单位:区商务局"),
        ("区发改委，区财政局；区住建局", "区发改委,区财政局;区住建局"),
        ("区卫生健康委、区教体局", "区卫生健康委、区教体局"),  # 、 is kept: it separates units
        ("推进中。计划年底前完成", "推进中。计划年底前完成"),  # 。 is kept
        ("“五个闭环”《规划》【责任单位】", "“五个闭环”《规划》【责任单位】"),
        ("１２３４个", "1234个"),
        ("１．严格落实", "1.严格落实"),
        ("ＡＢＣ－ｘ", "ABC-x"),
        ("①加强领导", "①加强领导"),  # circled numbers are list labels: not NFKC'd to 1
        ("⑴加强领导", "(1)加强领导"),
        ("⒈加强领导", "1.加强领导"),
        ("面积507922㎡", "面积507922㎡"),
        ("政务\u3000服务", "政务 服务"),
        ("a \t  b", "a b"),
        ("\ufeff区\u200b商务局\u00a0", "区商务局"),
        ("——不断增强城市功能", "——不断增强城市功能"),
        ("\u2015\u2015不断增强", "——不断增强"),
    ],
)
def test_normalize_line(raw: str, expected: str) -> None:
    assert normalize_line(raw) == expected


def test_normalize_text_keeps_lines_and_unifies_line_ends() -> None:
    assert normalize_text("一、标题\r\n（一）小标题\r1．任务  \n") == "一、标题\n(一)小标题\n1.任务\n"


def test_control_characters_are_dropped() -> None:
    assert normalize_line("区\x07商务\x1b局") == "区商务局"
