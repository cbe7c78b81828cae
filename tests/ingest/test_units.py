"""Unit fields: splitting (never inside brackets) and who leads."""

from __future__ import annotations

import pytest

from duban.ingest.units import assign_units, split_units


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("区卫生健康委、区教体局", ["区卫生健康委", "区教体局"]),
        ("区卫生健康委、区政府办(区外办)、青云谱公安分局", ["区卫生健康委", "区政府办(区外办)", "青云谱公安分局"]),
        ("区政府办(区外办、区侨办)", ["区政府办(区外办、区侨办)"]),
        ("县财政局,县自然资源局", ["县财政局", "县自然资源局"]),
        ("县财政局;县自然资源局", ["县财政局", "县自然资源局"]),
        ("区发改委 区财政局", ["区发改委", "区财政局"]),
        ("各街道(镇)", ["各街道(镇)"]),
        ("区住建局等", ["区住建局"]),
        ("区住建局等单位", ["区住建局"]),
        ("区商务局。", ["区商务局"]),
        ("区发改委、、区财政局、", ["区发改委", "区财政局"]),
        ("无", []),
        ("", []),
        ("区人力资源和社会保障局", ["区人力资源和社会保障局"]),  # 和 does not split
        ("【区城管局】、区商务局", ["【区城管局】", "区商务局"]),
    ],
)
def test_split_units(value: str, expected: list[str]) -> None:
    assert split_units(value) == expected


@pytest.mark.parametrize(
    ("lead", "responsible", "support", "expected_lead", "expected_support"),
    [
        # only 责任单位: the first listed leads
        ([], ["区卫生健康委、区教体局、区民政局"], [], ["区卫生健康委"], ["区教体局", "区民政局"]),
        ([], ["区商务局"], [], ["区商务局"], []),
        # 牵头单位 present: all of it leads, 责任单位 and 配合单位 support
        (["区发改委"], ["区财政局、区住建局"], [], ["区发改委"], ["区财政局", "区住建局"]),
        (["区发改委、区投促局"], [], ["各街道(镇)"], ["区发改委", "区投促局"], ["各街道(镇)"]),
        (["区发改委"], ["区财政局"], ["区统计局"], ["区发改委"], ["区财政局", "区统计局"]),
        # 责任单位 plus 配合单位 without 牵头: first 责任单位 leads
        ([], ["区民政局、区卫健委"], ["区财政局"], ["区民政局"], ["区卫健委", "区财政局"]),
        # a unit marked (牵头) leads
        ([], ["县卫健委、县民政局(牵头)"], [], ["县民政局"], ["县卫健委"]),
        # duplicates are dropped; a lead is never also support
        (["区发改委"], ["区发改委、区财政局"], [], ["区发改委"], ["区财政局"]),
        ([], [], ["区统计局"], [], ["区统计局"]),
        ([], [], [], [], []),
    ],
)
def test_assign_units(lead, responsible, support, expected_lead, expected_support) -> None:
    assert assign_units(lead, responsible, support) == (expected_lead, expected_support)
