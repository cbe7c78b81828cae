"""Task tables (台账, 分解表): find the header row by column synonyms and map each row to task fields.

Headers vary between offices (工作任务 / 任务内容 / 项目内容 …), so each column is matched against a synonym
list; a row is a header when it names the task text and at least one other known column.
"""

from __future__ import annotations

import re

from .fields import FIELD_LABELS
from .numbering import parse_label

COLUMN_SYNONYMS: dict[str, tuple[str, ...]] = {
    "number": ("序号", "编号", "任务编号"),
    "text": (
        "工作任务", "任务内容", "项目内容", "工作事项", "重点任务", "具体任务", "工作内容", "主要任务", "任务名称",
        "事项名称", "工作目标任务", "目标任务", "具体工作", "重点工作", "督办事项", "任务", "事项",
    ),
    "category": ("类别", "分类", "板块", "领域", "所属类别"),
    **{field: labels for field, labels in FIELD_LABELS.items()},
}
_SPACE = re.compile(r"\s+")
_NOTE = re.compile(r"\(.*?\)$")


def _column_of(cell: str) -> str | None:
    name = _NOTE.sub("", _SPACE.sub("", cell)).rstrip(":")
    if not name or len(name) > 12:
        return None
    best: tuple[int, str] | None = None
    for column, synonyms in COLUMN_SYNONYMS.items():
        for synonym in synonyms:
            matches = name == synonym or (len(synonym) >= 4 and name.startswith(synonym))
            if matches and (best is None or len(synonym) > best[0]):
                best = (len(synonym), column)
    return best[1] if best else None


def header_columns(cells: tuple[str, ...]) -> dict[int, str] | None:
    """Column index → field for a header row; None when the row is not a header."""
    columns: dict[int, str] = {}
    for i, cell in enumerate(cells):
        column = _column_of(cell)
        if column and column not in columns.values():
            columns[i] = column
    if "text" in columns.values() and len(columns) >= 2:
        return columns
    return None


_CN_LABEL = re.compile(r"^(?:\(?[一二三四五六七八九十]+\)?|第[一二三四五六七八九十]+部分)$")


def section_row_text(cells: tuple[str, ...], values: dict[str, str]) -> str | None:
    """The heading text of a section row inside a task table, or None for a task row.

    A section row is merged across the table (one value repeated), or has a Chinese label in the 序号 column
    and only a title (`一 | 产业发展`), or holds a single `一、…`/`(一)…` heading.
    """
    filled = [c for c in cells if c]
    distinct = set(filled)
    if len(distinct) == 1 and len(filled) > 1:
        return filled[0]
    number, text = values.get("number", ""), values.get("text", "")
    if number and text and set(values) == {"number", "text"} and _CN_LABEL.match(number):
        return f"{number}{text}" if number.startswith(("(", "第")) else f"{number}、{text}"
    if len(distinct) == 1:
        label = parse_label(filled[0])
        if label is not None and label.rank < 2 and label.rest:
            return filled[0]
    return None
