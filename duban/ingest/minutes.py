"""Tasks of meeting minutes (会议纪要): one per 议定事项 that assigns work to a unit.

Minutes list their items as headings (`一、关于城区防汛排涝工作`) followed by prose, or as run-in paragraphs
(`(一)会议同意追加经费150万元,由区财政局按程序办理。`). An item becomes a task when one of its sentences
assigns a unit (see assignments.py); its text is those sentences without the `会议要求,` lead-in. Items that
only record what was heard or studied (会议听取/传达学习) assign nothing and give no task. The attendance
block (出席:, 列席:) and the 抄送 line end the minutes.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from .assignments import find_assignment
from .items import Builder, Item, RawTask, sentences
from .model import Section

_END = re.compile(r"^(?:出席|列席|请假|缺席|记录|参加人员|参会人员|抄送|主送|分送)\s*[::]")
_LEAD_IN = re.compile(r"^会议(?:要求|决定|议定|明确|指出|强调|认为)[,:]")
_ITEM_TEXT = re.compile(r"。|.{41,}")  # a labelled line with a full stop or a long one is an item, not a heading


@dataclass(slots=True)
class _Matter:
    label: str
    sections: list[Section]
    heading: str | None
    body: list[str] = field(default_factory=list)


def minutes_tasks(items: list[Item]) -> list[RawTask]:
    """Tasks of the 议定事项, in order."""
    builder = Builder()
    found: list[_Matter] = []
    current: _Matter | None = None
    for item in items:
        text = item.block.text
        if item.kind == "stop" or _END.match(text):
            break
        if item.kind == "label" and item.label is not None:
            label = item.label
            if _ITEM_TEXT.search(label.rest):
                current = _Matter(label.label, builder.sections(), builder.heading(), [label.rest])
                found.append(current)
                continue
            builder.open_section(label.rank, label.label, label.rest)
            sections = builder.sections()
            current = _Matter(label.label, sections[:-1], label.rest)
            found.append(current)
        elif item.kind in ("para", "field") and current is not None:
            current.body.append(text)
    return [task for entry in found if (task := _task(entry)) is not None]


def _task(entry: _Matter) -> RawTask | None:
    lead: list[str] = []
    support: list[str] = []
    kept = []
    for sentence in (s for paragraph in entry.body for s in sentences(paragraph)):
        units = find_assignment(sentence)
        if not units[0]:
            continue
        kept.append(_LEAD_IN.sub("", sentence))
        lead += [u for u in units[0] if u not in lead]
        support += [u for u in units[1] if u not in support]
    if not kept:
        return None
    fields = [("lead", "、".join(lead))] + ([("support", "、".join(support))] if support else [])
    return RawTask(entry.label, entry.sections, entry.heading, ["".join(kept)], fields)
