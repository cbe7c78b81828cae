"""Raw task → proposed task (ParsedTask): units, leader, status, progress, deadline and indicators.

Deadline sources in order of trust: the 完成时限 field, the clause joined to the status (`推进中,计划年底前
完成`), then a "by when" phrase in the task text. Dates in the progress text are reports or forecasts, not
deadlines, and are left alone. Anything uncertain is kept and flagged in `review_reasons`.
"""

from __future__ import annotations

import datetime as dt
import re

from .deadlines import pick_deadline
from .indicators import find_indicators
from .items import RawTask
from .model import ParsedTask
from .numbering import parse_label
from .status import parse_status, parse_status_cell
from .units import assign_units

_OPEN_ENDED = re.compile(r"长期|持续|常态|每年|每月|每季|每周|按.{0,4}要求")


def _values(raw: RawTask, name: str) -> list[str]:
    return [value for field, value in raw.fields if field == name and value]


def interpret(raw: RawTask, ref: dt.date | None) -> ParsedTask:
    """Fill a ParsedTask from one raw task; `ref` is the document date that relative deadlines resolve to."""
    text = "\n".join(line for line in raw.lines if line).strip()
    lead, support = assign_units(_values(raw, "lead"), _values(raw, "responsible"), _values(raw, "support"))
    task = ParsedTask(
        number=raw.label,
        path=raw.path,
        text=text,
        heading=raw.heading,
        sections=list(raw.sections),
        lead_units=lead,
        support_units=support,
        leader="、".join(_values(raw, "leader")) or None,
        owner="、".join(_values(raw, "owner")) or None,
    )
    reasons = task.review_reasons
    if raw.inferred:
        reasons.append("由段落推断的任务(无编号)" if lead else "由段落推断的任务(无编号、无责任单位)")
    elif not (lead or support):
        reasons.append("未找到责任单位")
    if not text:
        reasons.append("任务内容为空")

    progress = "\n".join(_values(raw, "progress")) or None
    status_cells = _values(raw, "status")
    match = parse_status_cell(status_cells[0]) if status_cells else None
    if match is None and progress:
        match = parse_status(progress)
        if match is not None:
            progress = match.rest or None
    if match is not None:
        task.status, task.status_text, task.ongoing = match.status, match.text, match.ongoing
    elif status_cells or progress:
        reasons.append("未识别出完成状态")
    task.progress = progress
    task.problems = "\n".join(_values(raw, "problems")) or None
    task.next_steps = "\n".join(_values(raw, "next_steps")) or None
    task.coordination = "\n".join(_values(raw, "coordination")) or None

    deadline_fields = _values(raw, "deadline")
    if deadline_fields:
        value = ";".join(deadline_fields)
        found = pick_deadline(value, ref, strict=False)
        # a bare ISO date is a date-typed spreadsheet cell: a date, with nothing written beside it
        task.deadline_text = None if found and found.date and value == found.date.isoformat() else value
        task.deadline = found.date if found else None
        if task.deadline is None and not _OPEN_ENDED.search(value):
            reasons.append("完成时限无法换算为日期")
    else:
        found = (pick_deadline(match.clause, ref) if match and match.clause else None) or pick_deadline(text, ref)
        if found is not None:
            task.deadline_text, task.deadline = found.text, found.date
            if found.date is None:
                reasons.append("完成时限缺少年份(文件无日期)")
    task.indicators = [i for line in text.split("\n") for i in find_indicators(_without_label(line))]
    return task


def _without_label(line: str) -> str:
    """`(1)一季度开工项目不少于10个` → the item text, so its label does not join the indicator name."""
    label = parse_label(line)
    return label.rest if label else line
