"""Blocks → outline: section headings and raw tasks with their labelled fields.

Which label level holds the tasks is read from the document, not assumed: tasks are the items that carry
fields (责任单位:, 落实情况:, a trailing `(牵头单位:…)`), so the task level is the label rank whose items
followed by fields best match the number of field groups. Shallower labels are sections; deeper ones (`(1)`,
`1)`) are lists inside a task. A `——不断增强城市功能` line is a sub-heading. Unlabelled paragraphs continue the current task
(its 落实情况 when that is open), except cover notices (各责任单位要高度重视…) and the 落款.

A document without any fields (a 政府工作报告, meeting minutes) yields tasks only when the caller asks:
prose.py proposes a work report's commitments, minutes.py the 议定事项 that assign a unit.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field

from .blocks import Block
from .fields import first_field_start, split_fields, split_trailing_bracket, starts_with_field
from .model import Section
from .numbering import Label, parse_label
from .table import header_columns, section_row_text

_STOP = re.compile(r"^(?:注释|注解|名词解释|注)[::]?$")
_NOTICE = re.compile(
    r"^(?:各(?:责任|牵头|配合|相关|有关)?(?:单位|部门|街道|乡镇|镇|地区|县区|区县|县\(市、区\))"
    r"|请各|望各|现将|各位代表)"
    r"|^.{0,15}(?:要|务必|必须)高度重视"
)
_CLOSING = re.compile(
    r"^(?:(?:19|20)\d{2}\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*日|附件\s*\d*\s*[::]?|抄送\s*[::]|"
    r"\(此件[^)]*\)|\(联系人[^)]*\))"
)
_ORG_LINE = re.compile(r"^\S{2,30}(?:人民政府|办公室|办公厅|委员会|领导小组)$")
_DASH_HEADING = re.compile(r"^—{1,2}\s*([^。]{2,30})。?$")
_REVIEW_SECTION = re.compile(r"回顾|成绩|过去.{0,4}年|总结|存在的?问题|不足|体会")
_RUN_IN = re.compile(r"^([^。]{2,40})。(.{20,})$")
_LOOKAHEAD = 200
_PROSE_FIELDS = frozenset({"progress", "problems", "next_steps", "coordination"})  # continued by paragraphs


@dataclass(slots=True)
class RawTask:
    """A task as found: its label, place in the tree, text lines and labelled fields, not yet interpreted."""

    label: str
    sections: list[Section]
    heading: str | None
    lines: list[str] = field(default_factory=list)
    fields: list[tuple[str, str]] = field(default_factory=list)
    inferred: bool = False  # proposed from an unlabelled paragraph (fallback), not from a numbered item

    @property
    def path(self) -> list[str]:
        return [s.number for s in self.sections] + [self.label]

    def add_fields(self, pairs: list[tuple[str, str]]) -> None:
        self.fields.extend(pairs)

    def extend_last_field(self, text: str) -> None:
        name, value = self.fields[-1]
        self.fields[-1] = (name, f"{value}\n{text}" if value else text)


@dataclass(slots=True)
class _Item:
    block: Block
    label: Label | None = None
    kind: str = "para"  # label | field | dash | para | row | stop


@dataclass(slots=True)
class _Heading:
    rank: int
    number: str
    title: str
    serial: int = 0


def _classify(blocks: list[Block]) -> list[_Item]:
    items = []
    for block in blocks:
        if block.kind == "row":
            items.append(_Item(block, kind="row"))
            continue
        text = block.text
        if _STOP.match(re.sub(r"\s", "", text)):
            items.append(_Item(block, kind="stop"))
            break
        if starts_with_field(text):
            items.append(_Item(block, kind="field"))
        elif (label := parse_label(text)) is not None and label.rest:
            items.append(_Item(block, label=label, kind="label"))
        elif _DASH_HEADING.match(text):
            items.append(_Item(block, kind="dash"))
        else:
            items.append(_Item(block))
    return items


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


def _is_boundary(text: str) -> bool:
    """Cover notices and the 落款 end a task; what follows them is not its continuation."""
    return bool(_NOTICE.search(text) or _CLOSING.match(text) or _ORG_LINE.match(text))


def _reaches_fields(items: list[_Item], i: int, rank: int) -> int | None:
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


def choose_task_rank(items: list[_Item]) -> int | None:
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


class _Builder:
    """Walks the items once, keeping the open sections, the sub-heading and the current task."""

    def __init__(self) -> None:
        self.stack: list[_Heading] = []
        self.dash: str | None = None
        self.current: RawTask | None = None
        self.tasks: list[RawTask] = []
        self.columns: dict[int, str] | None = None
        self.serial = 0

    # sections -----------------------------------------------------------------------------------------
    def open_section(self, rank: int, number: str, title: str) -> None:
        self.close()
        while self.stack and self.stack[-1].rank >= rank:
            self.stack.pop()
        self.serial += 1
        self.stack.append(_Heading(rank, number, title, self.serial))
        self.dash = None

    def sections(self) -> list[Section]:
        return [Section(h.number, h.title) for h in self.stack]

    def heading(self) -> str | None:
        if self.dash:
            return self.dash
        return self.stack[-1].title if self.stack else None

    # tasks --------------------------------------------------------------------------------------------
    def open_task(self, label: str, text: str, pairs: list[tuple[str, str]]) -> None:
        self.close()
        self.current = RawTask(label, self.sections(), self.heading(), [text] if text else [], list(pairs))

    def close(self) -> None:
        if self.current is not None:
            self.tasks.append(self.current)
            self.current = None

    def numbers_restart(self, label: str) -> bool:
        """`1.` `2.` inside an open 落实情况 restart the count: they list details, they are not new tasks."""
        task = self.current
        if task is None or not task.fields or task.fields[-1][0] not in _PROSE_FIELDS:
            return False
        return label.isdigit() and task.label.isdigit() and int(label) <= int(task.label)

    def continue_task(self, text: str) -> None:
        task = self.current
        if task is None:
            return
        if task.fields and task.fields[-1][0] in _PROSE_FIELDS:
            task.extend_last_field(text)
        else:
            task.lines.append(text)

    # table rows ---------------------------------------------------------------------------------------
    def row(self, block: Block) -> None:
        columns = header_columns(block.cells)
        if columns is not None:
            self.close()
            self.columns = columns
            return
        if self.columns is None:
            return
        values: dict[str, str] = {}
        for i, cell in enumerate(block.cells):
            column = self.columns.get(i)
            if column and cell:
                values[column] = cell
        heading = section_row_text(block.cells, values)
        if heading is not None:
            label = parse_label(heading)
            if label is not None and label.rest:
                self.open_section(label.rank, label.label, _heading_title(label.rest))
            else:
                self.close()
                self.dash = heading
            return
        text = values.pop("text", "")
        if not text:
            return
        number = values.pop("number", "").rstrip(".、")
        if not number:
            number = str(sum(1 for t in self.tasks if t.sections == self.sections()) + 1)
        category = values.pop("category", None)
        if category:
            self.dash = category
        text, inline = _split_inline(text)
        self.open_task(number, text, inline + list(values.items()))
        self.close()


def build_outline(blocks: list[Block], *, fallback: bool = False, minutes: bool = False) -> list[RawTask]:
    """Raw tasks of a document in order. Without any fields, fallback=True proposes the commitments of
    prose (a work report) and minutes=True the 议定事项 of meeting minutes."""
    items = _classify(blocks)
    task_rank = choose_task_rank(items)
    builder = _Builder()
    for item in items:
        if item.kind == "stop":
            break
        if item.kind == "row":
            builder.row(item.block)
            continue
        builder.columns = None
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
            builder.dash = _DASH_HEADING.match(item.block.text).group(1).strip()  # type: ignore[union-attr]
        elif _is_boundary(item.block.text):
            builder.close()
        else:
            builder.continue_task(item.block.text)
    builder.close()
    if task_rank is not None:
        return _drop_fieldless_sections(builder.tasks)
    if not builder.tasks:
        from .statements import has_unit_statements, statement_tasks  # builds on this module too

        if has_unit_statements(items):
            return statement_tasks(items)
    if not builder.tasks and minutes:
        from .minutes import minutes_tasks  # minutes and prose import this module's building blocks

        return minutes_tasks(items)
    if not builder.tasks and fallback:
        from .prose import prose_tasks

        return prose_tasks(items)
    return builder.tasks


def _drop_fieldless_sections(tasks: list[RawTask]) -> list[RawTask]:
    """A section where no task has fields (工作要求, 保障措施) holds requirements, not tasks."""
    with_fields = {tuple(t.path[:-1]) for t in tasks if t.fields}
    return [t for t in tasks if tuple(t.path[:-1]) in with_fields]
