"""Tasks proposed from prose (a 政府工作报告 without fields): the commitments a supervisor would decompose.

Work reports state their tasks as run-in paragraphs (`扩大有效投资。全年安排重点项目150个…。加快推进…。`):
the short clause before the first 。 is a title, and each sentence after it is one commitment, which is how
分解方案 are drawn up from a report. A section that is written this way may open with an intro (`产业是发展
的根基。必须…`) and close with an address (`各位代表!…`): paragraphs without a run-in title are framing there.
A section without any run-in paragraph gives every sentence of its paragraphs. Paragraphs that carry their
own label (`1.加快项目建设。…`) were already numbered by the author and stay one task each.

The list of 主要预期目标 (`…预期目标是:地区生产总值增长6.5%左右;…`) gives one task per target, wherever it
stands. The review part (回顾, 成绩) gives nothing.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass

from .items import FRAMING, STATEMENT, Builder, Item, RawTask, dash_title, is_boundary, sentences

_TITLE = re.compile(r"^([^。,;:!?]{2,20})。(.+)$")
_REVIEW_SECTION = re.compile(r"回顾|成绩|过去.{0,4}年|总结|存在的?问题|不足|体会")
_RUN_IN_LABELLED = re.compile(r"^[^。]{2,40}。.{20,}$")
_GOALS = re.compile(r"预期目标(?:是|为)?:")
_GOAL_SPLIT = re.compile(r"[;。]")
_MIN_SENTENCE = 6
GOALS_HEADING = "主要预期目标"


def run_in_title(text: str) -> tuple[str, str] | None:
    """(title, body) for `扩大有效投资。坚持项目为王…`; None for a paragraph that opens with a statement."""
    m = _TITLE.match(text)
    if m is None or STATEMENT.search(m.group(1)):
        return None
    return m.group(1), m.group(2)


def goal_clauses(text: str) -> list[str]:
    """The targets of a 主要预期目标 paragraph, or [] for any other paragraph."""
    m = _GOALS.search(text)
    if m is None:
        return []
    return [c.strip() for c in _GOAL_SPLIT.split(text[m.end():]) if len(c.strip()) >= 4]


@dataclass(slots=True)
class _Paragraph:
    section: int  # serial of the innermost open section
    task: RawTask  # sections and heading as they stood; lines hold the paragraph text
    number: str = ""  # the author's label, for a labelled run-in paragraph
    goal: bool = False  # one target of the 主要预期目标, a task as it stands


def prose_tasks(items: list[Item]) -> list[RawTask]:
    """Commitments of a field-less plan or report, proposed for review (`inferred`)."""
    builder = Builder()
    has_children: set[int] = set()
    paragraphs: list[_Paragraph] = []
    for item in items:
        if item.kind == "stop":
            break
        number = ""
        if item.kind == "label" and item.label is not None:
            label = item.label
            if _RUN_IN_LABELLED.match(label.rest) is None:  # a heading; `1.标题。正文…` is a paragraph
                builder.open_section(label.rank, label.label, label.rest.rstrip("。"))
                if len(builder.stack) >= 2:
                    has_children.add(builder.stack[-2].serial)
                continue
            text, number = label.rest, label.label
        elif item.kind == "dash":
            builder.dash = dash_title(item.block.text)
            continue
        elif item.kind == "para":
            text = item.block.text
        else:
            continue
        if not builder.stack or any(_REVIEW_SECTION.search(h.title) for h in builder.stack):
            continue
        if clauses := goal_clauses(text):
            paragraphs.extend(
                _Paragraph(builder.stack[-1].serial, RawTask("", builder.sections(), GOALS_HEADING, [c], inferred=True),
                           goal=True)
                for c in clauses
            )
            continue
        if is_boundary(text) or text.endswith(":") or len(text) < 15:
            continue
        task = RawTask(number, builder.sections(), builder.heading(), [text], inferred=True)
        paragraphs.append(_Paragraph(builder.stack[-1].serial, task, number))

    kept = [p for p in paragraphs if p.goal or p.section not in has_children]
    titled = {p.section for p in kept if not (p.number or p.goal) and run_in_title(p.task.lines[0])}
    tasks: list[RawTask] = []
    for paragraph in kept:
        tasks.extend(_paragraph_tasks(paragraph, paragraph.section in titled))
    return _numbered(tasks)


def _paragraph_tasks(paragraph: _Paragraph, section_titled: bool) -> list[RawTask]:
    raw = paragraph.task
    text = raw.lines[0]
    if paragraph.number or paragraph.goal:
        return [raw]
    split = run_in_title(text)
    if split is None and section_titled:
        return []  # an intro or a closing address between run-in paragraphs
    heading, body = split if split else (raw.heading, text)
    return [
        RawTask("", raw.sections, heading, [sentence], inferred=True)
        for sentence in sentences(body)
        if len(sentence.rstrip("。!?")) >= _MIN_SENTENCE and not FRAMING.match(sentence)
    ]


def _numbered(tasks: list[RawTask]) -> list[RawTask]:
    """Unlabelled tasks are numbered 1, 2, … within their section, in document order."""
    counters: Counter[tuple[str, ...]] = Counter()
    for task in tasks:
        key = tuple(s.number for s in task.sections)
        counters[key] += 1
        if not task.label:
            task.label = str(counters[key])
    return tasks
