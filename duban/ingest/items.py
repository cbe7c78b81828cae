"""Items of a document and the pieces every document-kind reader builds raw tasks with.

A reader (structure.py for numbered tasks with fields, prose.py, minutes.py, statements.py for documents
without fields) walks the same classified items and yields the same RawTask, so the item type, the
section-tracking Builder, the boundary test, sentence splitting and the shared patterns live here, once.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from .blocks import Block
from .fields import starts_with_field
from .model import Section
from .numbering import Label, parse_label

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

# a judgement or an exhortation (`产业是发展的根基`), so not a run-in title
STATEMENT = re.compile(r"是|必须|我们")
# an intro or a closing address of a section (`必须…`, `各位代表!…`), so not a commitment
FRAMING = re.compile(r"^(?:必须|我们|各位代表|同时|总之|当前|今后)")
# fields whose text runs on through the unlabelled paragraphs after them
_PROSE_FIELDS = frozenset({"progress", "problems", "next_steps", "coordination"})


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
class Item:
    """One block with what it looks like, so each reader decides on kinds rather than re-parsing text."""

    block: Block
    label: Label | None = None
    kind: str = "para"  # label | field | dash | para | row | stop


@dataclass(slots=True)
class Heading:
    """An open section; `serial` tells apart sections that share a number in different parts."""

    rank: int
    number: str
    title: str
    serial: int = 0


def classify(blocks: list[Block]) -> list[Item]:
    """Blocks → items, ending at the notes (注释:) that follow the body: nothing there is a task."""
    items = []
    for block in blocks:
        if block.kind == "row":
            items.append(Item(block, kind="row"))
            continue
        text = block.text
        if _STOP.match(re.sub(r"\s", "", text)):
            items.append(Item(block, kind="stop"))
            break
        if starts_with_field(text):
            items.append(Item(block, kind="field"))
        elif (label := parse_label(text)) is not None and label.rest:
            items.append(Item(block, label=label, kind="label"))
        elif _DASH_HEADING.match(text):
            items.append(Item(block, kind="dash"))
        else:
            items.append(Item(block))
    return items


def dash_title(text: str) -> str:
    """`——不断增强城市功能。` → `不断增强城市功能`; only for an item classified as `dash`."""
    m = _DASH_HEADING.match(text)
    if m is None:
        raise ValueError(f"not a dash sub-heading: {text!r}")
    return m.group(1).strip()


def is_boundary(text: str) -> bool:
    """Cover notices and the 落款 end a task; what follows them is not its continuation."""
    return bool(_NOTICE.search(text) or _CLOSING.match(text) or _ORG_LINE.match(text))


def sentences(text: str) -> list[str]:
    """Split at 。!? outside quotes and brackets, keeping each sentence's end mark."""
    out, current, depth = [], [], 0
    for ch in text:
        current.append(ch)
        if ch in "“(《[【":
            depth += 1
        elif ch in "”)》]】":
            depth = max(0, depth - 1)
        elif ch in "。!?" and depth == 0:
            out.append("".join(current).strip())
            current = []
    tail = "".join(current).strip()
    if tail:
        out.append(tail)
    return out


class Builder:
    """Walks the items once, keeping the open sections, the sub-heading and the current task."""

    def __init__(self) -> None:
        self.stack: list[Heading] = []
        self.dash: str | None = None
        self.current: RawTask | None = None
        self.tasks: list[RawTask] = []
        self.serial = 0

    # sections -----------------------------------------------------------------------------------------
    def open_section(self, rank: int, number: str, title: str) -> None:
        self.close()
        while self.stack and self.stack[-1].rank >= rank:
            self.stack.pop()
        self.serial += 1
        self.stack.append(Heading(rank, number, title, self.serial))
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
