from __future__ import annotations

import pytest

from duban.units.names import normalise_name
from duban.units.services import add_aliases, create_unit, find_unit, resolve_or_create


@pytest.mark.parametrize(("a", "b"), [
    ("区政府办(区外办)", "区政府办（区外办）"),
    ("区 住建局", "区住建局"),
    ("区政府办【区外办】", "区政府办[区外办]"),
])
def test_equivalent_spellings_normalise_alike(a: str, b: str) -> None:
    assert normalise_name(a) == normalise_name(b)


def test_different_units_stay_different() -> None:
    assert normalise_name("区人社局") != normalise_name("市人社局")


def test_aliases_resolve_and_unknown_names_become_units(db) -> None:  # noqa: ANN001
    unit = create_unit(None, "某市卫生健康委员会", short_name="市卫健委")
    add_aliases(None, unit, ["市卫生健康委", "市卫健委"])
    assert find_unit("市卫生健康委") == unit == find_unit("某市卫生健康委员会")
    assert sorted(unit.aliases.values_list("name", flat=True)) == ["市卫健委", "市卫生健康委", "某市卫生健康委员会"]
    new = resolve_or_create(None, "市大数据局")
    assert new.name == "市大数据局" and find_unit("市大数据局") == new
