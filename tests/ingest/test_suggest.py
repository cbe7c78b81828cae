"""Lead-unit suggestions: behaviour only (the accuracy figures are in BENCHMARKS.md)."""

from __future__ import annotations

from pathlib import Path

import pytest

from duban.ingest import parse_file
from duban.ingest.suggest import LeadSuggester, bigrams, suggest_lead_units, with_heading


@pytest.fixture(scope="module")
def seed_tasks(seed001_path: Path) -> list:
    return parse_file(seed001_path).tasks


@pytest.fixture(scope="module")
def model(seed_tasks: list) -> LeadSuggester:
    """Trained on seed 001 without its held-out quarter (every 4th task), as the benchmark does."""
    return LeadSuggester.train(
        [(with_heading(t.heading, t.text), t.lead_units[0]) for t in seed_tasks if int(t.number) % 4]
    )


@pytest.mark.parametrize(
    ("text", "unit"),
    [
        ("新增停车泊位800个,打通城区断头路3条", "区住建局"),
        ("加快道路改造提升,完成背街小巷路面修复", "区住建局"),
        ("加强校园安全管理,推进义务教育优质均衡发展", "区教体局"),
        ("开展电信网络诈骗专项打击整治行动", "青云谱公安分局"),
    ],
)
def test_obvious_cases_are_in_the_top_three(model: LeadSuggester, text: str, unit: str) -> None:
    assert unit in [s.unit_id for s in model.suggest(text)]


def test_suggestions_are_ranked_bounded_and_explained(model: LeadSuggester) -> None:
    found = model.suggest("新增停车泊位800个,打通城区断头路3条", k=3)
    assert 1 <= len(found) <= 3
    assert [s.confidence for s in found] == sorted((s.confidence for s in found), reverse=True)
    assert all(0.0 <= s.confidence <= 1.0 for s in found)
    assert found[0].unit_id == "区住建局" and found[0].confidence >= 0.5
    assert "断头路" in found[0].reason or "停车" in found[0].reason
    assert len(model.suggest("新增停车泊位800个", k=1)) == 1


def test_unlike_text_gets_low_confidence(model: LeadSuggester) -> None:
    parking = model.suggest("新增停车泊位800个,打通城区断头路3条")[0].confidence
    unrelated = model.suggest("举办国际马拉松赛事,邀请知名运动员参赛")
    assert not unrelated or unrelated[0].confidence < parking


@pytest.mark.parametrize("examples", [[], [("", "区住建局")], [("新增停车泊位", None)]])
def test_no_training_data_suggests_nothing(examples: list) -> None:
    assert LeadSuggester.train(examples).suggest("新增停车泊位800个") == []
    assert suggest_lead_units(examples, "新增停车泊位800个") == []


def test_text_without_known_words_suggests_nothing(model: LeadSuggester) -> None:
    assert model.suggest("") == []
    assert model.suggest("2023 ABC") == []


def test_suggesting_does_not_change_the_model(model: LeadSuggester) -> None:
    before = (len(model.vectors), dict(model.keywords))
    model.suggest("新增停车泊位800个")
    assert (len(model.vectors), dict(model.keywords)) == before


def test_bigrams_drop_phrasing_words() -> None:
    assert bigrams("加快推进停车场建设") == ["停车", "车场"]
    assert with_heading("强化疫情防控", "规范发热门诊") == "强化疫情防控 规范发热门诊"
    assert with_heading(None, "规范发热门诊") == "规范发热门诊"
