"""Tasks proposed from unit statements: sections headed `市发改委:践行新思想,跑出加速度`.

Some documents (表态发言, 部门"一把手"谈目标) are a set of statements, each headed by a unit name, a colon and a
slogan, followed by that unit's commitments written as run-in paragraphs, like a work report
(`高质量推进“十四五”规划编制工作。在已形成…。强化高质量考核推进工作。把督查督办…`). Each run-in title
sentence with the detail sentences after it is one task, led by the unit of the heading. The first paragraph
of a statement without a run-in title is its intro and gives nothing; a later one gives one task, unless it is
framing (总之…, 我们…). Short unlabelled lines between statements (`高质量发展`) are thematic groups, not tasks.

A heading counts only when the unit as written looks like a government body (ends with 局, 委, 办, 中心 … as
unitmatch knows them) and the document has at least two such headings; other documents are left alone.
"""

from __future__ import annotations

import re

from .items import FRAMING, STATEMENT, Item, RawTask, is_boundary, sentences
from .model import Section
from .unitmatch import UNIT_TYPES, group_kind

# kinds of body a statement heading may name; single characters that also end common words (会, 行, 社 …) are left out
_SUFFIXES = tuple(sorted(
    {suffix for suffix, _ in UNIT_TYPES if len(suffix) > 1 or suffix in "局委办部院镇乡"} | {"厅"},
    key=len, reverse=True,
))
_HEADING = re.compile(r"^([\u4e00-\u9fff()()]{2,20})[::]\s*([^。::]{2,40})$")
_MIN_HEADINGS = 2
_TITLE_MAX = 20  # a run-in title sentence, without its end mark


def statement_unit(text: str) -> tuple[str, str] | None:
    """(unit, slogan) for a heading `市发改委:践行新思想,跑出加速度`; None for any other line."""
    m = _HEADING.match(text.strip())
    if m is None:
        return None
    unit, slogan = m.group(1).replace("(", "(").replace(")", ")"), m.group(2).strip()
    if not unit.endswith(_SUFFIXES) or group_kind(unit) is not None or unit.startswith(("各", "有关", "相关")):
        return None
    return unit, slogan


def _is_title(sentence: str, first: bool) -> bool:
    """A short title sentence (`强化协同创新。`); the first one of a paragraph may hold one comma."""
    body = sentence.rstrip("。!?")
    if not sentence.endswith("。") or not 4 <= len(body) <= _TITLE_MAX or re.search(r"[;::]", body):
        return False
    if STATEMENT.search(body) or FRAMING.match(body):
        return False
    return body.count(",") <= (1 if first else 0)


def _chunks(text: str) -> list[str] | None:
    """Title + details for each run-in title of a paragraph, or None when it does not open with a title.

    A title directly followed by another title is a group heading (`高质量招引,加速奔跑争荣光。一是…`) and is
    dropped; its sub-titles carry the tasks.
    """
    parts = sentences(text)
    if not parts or not _is_title(parts[0], True):
        return None
    chunks: list[list[str]] = []
    for i, sentence in enumerate(parts):
        if _is_title(sentence, i == 0):
            chunks.append([sentence])
        else:
            chunks[-1].append(sentence)
    return ["".join(c) for c in chunks if len(c) > 1] or [parts[0].rstrip("。")]


def has_unit_statements(items: list[Item]) -> bool:
    found = {statement_unit(_text(item)) for item in items if item.kind in ("para", "label")}
    found.discard(None)
    return len(found) >= _MIN_HEADINGS


def _text(item: Item) -> str:
    if item.kind == "label" and item.label is not None:
        return item.label.rest
    return item.block.text


def statement_tasks(items: list[Item]) -> list[RawTask]:
    """One proposed task per run-in commitment, led by the unit of its statement heading."""
    tasks: list[RawTask] = []
    unit: str | None = None
    section: Section | None = None
    first = True
    count = serial = 0
    for item in items:
        if item.kind == "stop":
            break
        if item.kind not in ("para", "label"):
            continue
        text = _text(item).strip()
        found = statement_unit(text)
        if found is not None:
            serial += 1
            number = item.label.label if item.kind == "label" and item.label is not None else str(serial)
            unit, section, first, count = found[0], Section(number, text), True, 0
            continue
        if unit is None or section is None:
            continue
        if is_boundary(text) or len(text) < 15 or text.endswith(":"):
            continue  # a thematic line (高质量发展), a notice or the 落款
        chunks = _chunks(text)
        if chunks is None:
            is_intro, first = first, False
            if is_intro or FRAMING.match(text) or STATEMENT.match(text):
                continue
            chunks = [text]
        first = False
        for chunk in chunks:
            count += 1
            tasks.append(RawTask(str(count), [section], section.title, [chunk], [("lead", unit)], inferred=True))
    return tasks
