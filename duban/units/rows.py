"""Reading a unit directory as offices keep it (no Django): one unit per row, a full name and optionally its
简称, 类别, 上级单位 and other names (别名). A header row names the columns in any order; without one the
columns are taken as 名称, 简称, 类别. The export writes the same columns, so an exported directory imports back.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from duban.units.names import normalise_name

COLUMNS = {
    "name": ("单位名称", "单位全称", "全称", "名称", "单位"),
    "short_name": ("简称", "单位简称"),
    "kind": ("类别", "单位类别", "类型", "单位类型"),
    "parent": ("上级单位", "主管单位", "上级"),
    "aliases": ("别名", "其他名称", "曾用名"),
}
EXPORT_HEADER = ("单位名称", "简称", "类别", "上级单位", "别名")
# The words offices use for each kind (Unit.Kind's values); the first is the one the export writes.
KINDS = {
    "department": ("部门", "区直部门", "市直部门", "职能部门"),
    "street": ("街道/乡镇", "街道(乡镇)", "街道", "乡镇", "镇", "乡"),
    "soe": ("国企", "国有企业", "企业"),
    "superior": ("上级单位", "上级部门"),
    "vertical": ("垂直管理单位", "垂管单位", "垂管"),
    "government": ("政府",),
    "other": ("其他", "其它"),
}


def _kind_key(text: str) -> str:
    return re.sub(r"[()/、]", "", normalise_name(text))


_KIND_OF = {_kind_key(word): code for code, words in KINDS.items() for word in words}
ALIAS_SPLIT = re.compile(r"[、，,；;/]+")
NAME_MAX = 200
SHORT_MAX = 100


@dataclass
class UnitRow:
    line: int  # the row's number in the file, counting the header, as a spreadsheet shows it
    name: str
    short_name: str = ""
    kind: str = ""  # empty: not given (a new unit's kind is then guessed from its name)
    parent: str = ""
    aliases: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)


def kind_code(text: str) -> str | None:
    """The kind a word like 街道 or 国有企业 names, None for a word that names none."""
    return _KIND_OF.get(_kind_key(text))


def guess_kind(name: str) -> str:
    """The kind a name implies when the list does not say: 街道, 镇 and 乡 are streets or towns, a 公司 or
    集团 is a state-owned enterprise, anything else a department."""
    if name.endswith(("街道", "街道办事处", "镇", "乡", "镇人民政府", "乡人民政府")):
        return "street"
    if name.endswith(("公司", "集团")):
        return "soe"
    return "department"


def _header(row: list[str]) -> dict[str, int] | None:
    found: dict[str, int] = {}
    for i, cell in enumerate(row):
        key = normalise_name(cell)
        for column, words in COLUMNS.items():
            if key in words and column not in found:
                found[column] = i
    return found if "name" in found else None


def read_unit_rows(grid: list[list[str]]) -> list[UnitRow]:
    """The rows of a unit list, each with its errors (in Chinese) for the preview."""
    start = next((i for i, row in enumerate(grid) if any(row)), len(grid))
    columns = _header(grid[start]) if start < len(grid) else None
    first = start + 1 if columns else start
    columns = columns or {"name": 0, "short_name": 1, "kind": 2}
    seen: dict[str, int] = {}
    rows = []
    for number, cells in enumerate(grid[first:], start=first + 1):
        def cell(column: str, cells: list[str] = cells) -> str:
            i = columns.get(column)
            return cells[i].strip() if i is not None and i < len(cells) else ""

        row = UnitRow(number, cell("name"), cell("short_name"), parent=cell("parent"),
                      aliases=[a.strip() for a in ALIAS_SPLIT.split(cell("aliases")) if a.strip()])
        if not any(cells):
            continue
        if not row.name:
            row.errors.append("缺少单位名称")
        elif len(row.name) > NAME_MAX:
            row.errors.append(f"单位名称超过 {NAME_MAX} 字")
        if len(row.short_name) > SHORT_MAX:
            row.errors.append(f"简称超过 {SHORT_MAX} 字")
        kind = cell("kind")
        if kind:
            code = kind_code(kind)
            if code is None:
                row.errors.append(f"类别“{kind}”不认识,可填:部门、街道/乡镇、国企、上级单位、其他")
            row.kind = code or ""
        key = normalise_name(row.name)
        if key and key in seen:
            row.errors.append(f"与第 {seen[key]} 行重复")
        elif key:
            seen[key] = number
        rows.append(row)
    return rows
