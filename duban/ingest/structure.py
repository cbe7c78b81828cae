"""Numbered tasks with labelled fields (责任单位:, 落实情况:, a trailing `(牵头单位:…)`), and table rows.

Which label level holds the tasks is read from the document, not assumed: tasks are the items that carry
fields, so the task level is the label rank whose items followed by fields best match the number of field
groups. Shallower labels are sections; deeper ones (`(1)`, `1)`) are lists inside a task. A
`——不断增强城市功能` line is a sub-heading. Unlabelled paragraphs continue the current task (its 落实情况 when
that is open), except cover notices (各责任单位要高度重视…) and the 落款.

A document without any fields is left to the other readers; kinds.py picks which one.
"""

from __future__ import annotations

import re
from collections import Counter

from .blocks import Block
from .fields import first_field_start, split_fields, split_trailing_bracket
from .items import Builder, Item, RawTask, dash_title, is_boundary
from .numbering import parse_label
from .table import header_columns, section_row_text

_RUN_IN = re.compile(r"^([^。]{2,40})。(.{20,})$")
_LOOKAHEAD = 200


def _split_inline(rest: str) -> tuple[str, list[tuple[str, str]]]:
    """Task line → (text, fields) for `…。(牵头单位:X;责任单位:Y)` and `… 责任单位:X`."""
    text, pairs = split_trailing_bracket(rest)
    if pairs:
        return text, pairs
    start = first_field_start(rest)
    if start:
        return rest[:start].rstrip(" ;,"), split_fields(rest[start:])
    return rest, []


def _has_inline_fields(rest: str) -> bool:
    return bool(_split_inline(rest)[1])


def _heading_title(rest: str) -> str:
    """`一、全员动员,确保“三个到位”。确保思想…` → the run-in heading before the first 。."""
    m = _RUN_IN.match(rest)
    return m.group(1) if m else rest.rstrip("。")


def _reaches_fields(items: list[Item], i: int, rank: int) -> int | None:
    """Labels passed before item i's fields, or None when a label of its rank or shallower comes first.

    A deeper label that carries inline fields counts as reaching them (a section reaches its tasks' fields).
    """
    skipped = 0
    for item in items[i + 1: i + 1 + _LOOKAHEAD]:
        if item.kind == "field":
            return skipped
        if item.kind in ("stop", "dash"):
            return None
        if item.kind == "label" and item.label is not None:
            if item.label.rank <= rank:
                return None
            skipped += 1
            if _has_inline_fields(item.label.rest):
                return skipped
    return None


def choose_task_rank(items: list[Item]) -> int | None:
    """The label rank that holds the tasks, or None when the document has no fields at all.

    Items "bear" fields when fields follow before the next label of their rank. The task rank is the one
    whose bearing items best match the number of field groups; ties go to the rank whose items bear fields
    most consistently, then most directly (fewest labels in between), then to the shallower rank.
    """
    groups = 0
    total: Counter[int] = Counter()
    bearing: Counter[int] = Counter()
    skipped: Counter[int] = Counter()
    in_group = False  # a field group runs on through unlabelled paragraphs (continued progress text)
    for i, item in enumerate(items):
        if item.kind == "label" and item.label is not None:
            rank = item.label.rank
            total[rank] += 1
            in_group = _has_inline_fields(item.label.rest)
            if in_group:
                groups += 1
                bearing[rank] += 1
            elif (distance := _reaches_fields(items, i, rank)) is not None:
                bearing[rank] += 1
                skipped[rank] += distance
        elif item.kind == "field":
            if not in_group:
                groups += 1
            in_group = True
        elif item.kind != "para":
            in_group = False
    if groups == 0 or not bearing:
        return None
    return min(
        bearing,
        key=lambda r: (abs(bearing[r] - groups), -bearing[r] / total[r], skipped[r] / bearing[r], r),
    )


def _table_row(builder: Builder, columns: dict[int, str] | None, block: Block) -> dict[int, str] | None:
    """Read one table row into the builder; returns the column map for the rows that follow.

    A header row sets the columns, a section row opens a section (or a sub-heading), any other row with
    task text is one task.
    """
    header = header_columns(block.cells)
    if header is not None:
        builder.close()
        return header
    if columns is None:
        return None
    values: dict[str, str] = {}
    for i, cell in enumerate(block.cells):
        column = columns.get(i)
        if column and cell:
            values[column] = cell
    heading = section_row_text(block.cells, values)
    if heading is not None:
        label = parse_label(heading)
        if label is not None and label.rest:
            builder.open_section(label.rank, label.label, _heading_title(label.rest))
        else:
            builder.close()
            builder.dash = heading
        return columns
    text = values.pop("text", "")
    if not text:
        return columns
    number = values.pop("number", "").rstrip(".、")
    if not number:
        number = str(sum(1 for t in builder.tasks if t.sections == builder.sections()) + 1)
    category = values.pop("category", None)
    if category:
        builder.dash = category
    text, inline = _split_inline(text)
    builder.open_task(number, text, inline + list(values.items()))
    builder.close()
    return columns


def structured_tasks(items: list[Item]) -> list[RawTask] | None:
    """Raw tasks of a document with fields or task tables, in order; None when it has neither.

    None (rather than []) tells the caller to try the readers for documents without fields; a document
    whose fields are all outside tasks still answers [], as it is a structured document with no tasks.
    """
    task_rank = choose_task_rank(items)
    builder = Builder()
    columns: dict[int, str] | None = None  # of the table being read; any other block ends the table
    for item in items:
        if item.kind == "stop":
            break
        if item.kind == "row":
            columns = _table_row(builder, columns, item.block)
            continue
        columns = None
        if item.kind == "label" and item.label is not None and task_rank is not None:
            label = item.label
            if label.rank < task_rank:
                builder.open_section(label.rank, label.label, _heading_title(label.rest))
            elif label.rank == task_rank and not builder.numbers_restart(label.label):
                text, pairs = _split_inline(label.rest)
                builder.open_task(label.label, text, pairs)
            else:
                builder.continue_task(item.block.text)
        elif item.kind == "field":
            if builder.current is not None:
                builder.current.add_fields(split_fields(item.block.text))
        elif item.kind == "dash":
            builder.close()
            builder.dash = dash_title(item.block.text)
        elif is_boundary(item.block.text):
            builder.close()
        else:
            builder.continue_task(item.block.text)
    builder.close()
    if task_rank is not None:
        return _drop_fieldless_sections(builder.tasks)
    return builder.tasks or None


def _drop_fieldless_sections(tasks: list[RawTask]) -> list[RawTask]:
    """A section where no task has fields (工作要求, 保障措施) holds requirements, not tasks."""
    with_fields = {tuple(t.path[:-1]) for t in tasks if t.fields}
    return [t for t in tasks if tuple(t.path[:-1]) in with_fields]
