"""Helpers of the work-report fallback: run-in titles, sentences and the list of targets."""

from __future__ import annotations

import pytest

from duban.ingest.items import sentences
from duban.ingest.prose import goal_clauses, run_in_title


@pytest.mark.parametrize(
    ("text", "title"),
    [
        ("扩大有效投资。坚持项目为王,全年安排重点项目150个。", "扩大有效投资"),
        ("做强优势产业“存量”。深化推进十大提升行动。", "做强优势产业“存量”"),
        ("产业是发展的根基。必须坚定不移发展实体经济。", None),  # a statement, not a title
        ("江山就是人民,人民就是江山。必须践行以人民为中心。", None),
        ("加快推进青峰大道东延等重大项目建设,确保6月底前主线通车。", None),
    ],
)
def test_run_in_title(text: str, title: str | None) -> None:
    found = run_in_title(text)
    assert (found[0] if found else None) == title


def test_sentences_do_not_split_inside_quotes() -> None:
    assert sentences("践行“店小二。妈妈式”服务。推进改革!完善机制") == ["践行“店小二。妈妈式”服务。", "推进改革!", "完善机制"]


def test_goal_clauses() -> None:
    text = "全区主要预期目标是:地区生产总值增长6.5%左右;一般公共预算收入增长5%。"
    assert goal_clauses(text) == ["地区生产总值增长6.5%左右", "一般公共预算收入增长5%"]
    assert goal_clauses("围绕上述目标,重点抓好以下工作:") == []
