"""Reading a unit list as offices keep it: header or none, kinds in their words, errors per row."""
from __future__ import annotations

import pytest

from duban.ingest.errors import IngestError
from duban.ingest.readers.grid import grid_from_text, read_grid
from duban.units.rows import guess_kind, kind_code, read_unit_rows


def test_a_list_without_header_is_name_short_name_kind() -> None:  # rows keep their numbers past a blank
    rows = read_unit_rows(grid_from_text("区住房和城乡建设局\t区住建局\t部门\n东湖街道\n\n区城投集团,,国有企业"))
    assert [(r.line, r.name, r.short_name, r.kind) for r in rows] == [
        (1, "区住房和城乡建设局", "区住建局", "department"), (2, "东湖街道", "", ""), (4, "区城投集团", "", "soe")]
    assert not any(r.errors for r in rows)


def test_a_header_names_the_columns_in_any_order() -> None:
    grid = grid_from_text("类别,简称,单位全称,上级单位,别名\n街道/乡镇,,东湖街道,,东湖办事处、东湖街办\n上级单位,,市生态环境局东湖分局,,")
    rows = read_unit_rows(grid)
    assert rows[0].name == "东湖街道" and rows[0].kind == "street" and rows[0].aliases == ["东湖办事处", "东湖街办"]
    assert rows[0].line == 2 and rows[1].kind == "superior"


def test_row_errors_are_in_chinese_and_name_the_row() -> None:
    rows = read_unit_rows(grid_from_text("名称,类别\n区住建局,委办局\n,部门\n区住建局,部门"))
    assert "类别“委办局”不认识" in rows[0].errors[0]
    assert rows[1].errors == ["缺少单位名称"]
    assert rows[2].errors == ["与第 2 行重复"]


@pytest.mark.parametrize(("word", "code"), [("街道（乡镇）", "street"), ("乡镇", "street"), ("国企", "soe"),
                                            ("其它", "other"), ("垂管", "vertical"), ("不知道", None)])
def test_kind_words(word: str, code: str | None) -> None:
    assert kind_code(word) == code


def test_a_new_units_kind_is_guessed_from_its_name() -> None:
    assert [guess_kind(n) for n in ("东湖街道", "扬子洲镇", "区城投集团", "区发改委")] == [
        "street", "street", "soe", "department"]


def test_binary_and_empty_files_are_refused() -> None:
    with pytest.raises(IngestError):
        read_grid(b"\x89PNG\r\n\x1a\n....", "a.png")
    with pytest.raises(IngestError):
        read_grid(b"   \n", "a.csv")
    with pytest.raises(IngestError, match="Excel"):
        read_grid(b"not a workbook", "a.xlsx")
    with pytest.raises(IngestError):
        read_grid(b"x", "a.pdf")
