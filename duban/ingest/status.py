"""Status vocabularies of published reports mapped onto one internal state.

A status is read from the opening words of the 落实情况/进展情况 text (`推进中。引进…`) or from a whole 状态
cell. Words count only when followed by punctuation or the end, so `已完成规划评审…` (a sentence) is not a
status. The vocabulary is data: pass your own to `parse_status` to support another family of words.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

Status = Literal["done", "in_progress", "behind", "not_started", "ahead", "overdue", "suspended"]


@dataclass(frozen=True, slots=True)
class StatusWord:
    words: str
    status: Status
    ongoing: bool = False


DEFAULT_VOCABULARY: tuple[StatusWord, ...] = (
    StatusWord("已完成并长期坚持", "done", True),
    StatusWord("已完成,并长期坚持", "done", True),
    StatusWord("已完成,长期坚持", "done", True),
    StatusWord("已完成并持续推进", "done", True),
    StatusWord("完成并长期坚持", "done", True),
    StatusWord("已完成年度目标", "done"),
    StatusWord("已完成年度任务", "done"),
    StatusWord("已完成整改", "done"),
    StatusWord("已整改完成", "done"),
    StatusWord("提前完成", "done"),
    StatusWord("已办结", "done"),
    StatusWord("已完成", "done"),
    StatusWord("基本完成并持续整改", "in_progress"),
    StatusWord("基本完成", "in_progress"),
    StatusWord("推进中", "in_progress"),
    StatusWord("正在推进", "in_progress"),
    StatusWord("正在办理", "in_progress"),
    StatusWord("正在实施", "in_progress"),
    StatusWord("按序时推进", "in_progress"),
    StatusWord("序时推进", "in_progress"),
    StatusWord("按序时", "in_progress"),
    StatusWord("达序时", "in_progress"),
    StatusWord("达序", "in_progress"),
    StatusWord("超进度", "in_progress"),
    StatusWord("达进度", "in_progress"),
    StatusWord("进行中", "in_progress"),
    StatusWord("滞后序时", "behind"),
    StatusWord("慢序时", "behind"),
    StatusWord("欠进度", "behind"),
    StatusWord("进展滞后", "behind"),
    StatusWord("进度滞后", "behind"),
    StatusWord("未达序时", "behind"),
    StatusWord("滞后", "behind"),
    StatusWord("未完成", "behind"),
    StatusWord("尚未启动", "not_started"),
    StatusWord("未启动", "not_started"),
    StatusWord("未开始", "not_started"),
)
# Words that are a status only when they fill the whole cell (in a sentence they are verbs).
CELL_ONLY_VOCABULARY: tuple[StatusWord, ...] = (
    StatusWord("完成", "done"),
    StatusWord("办结", "done"),
    StatusWord("长期坚持", "done", True),
    StatusWord("正常推进", "in_progress"),
    # Duban's own words in a 台账 it exported (GUIDE §5 default family), so the ledger reads back losslessly
    StatusWord("超序时", "ahead"),
    StatusWord("逾期", "overdue"),
    StatusWord("暂缓", "suspended"),
)

_BOUNDARY = "。.,;:!?() "


@dataclass(frozen=True, slots=True)
class StatusMatch:
    status: Status
    ongoing: bool
    text: str  # the status words as matched
    rest: str  # the progress text after them
    clause: str = ""  # `计划年底前完成` in `推进中,计划年底前完成。`: the clause joined to the status by a comma


def parse_status(text: str, vocabulary: tuple[StatusWord, ...] = DEFAULT_VOCABULARY) -> StatusMatch | None:
    """Match status words at the start of a 落实情况 text; None when it does not open with one."""
    head = text.lstrip(" :【[")
    for entry in sorted(vocabulary, key=lambda e: len(e.words), reverse=True):
        if head.startswith(entry.words):
            after = head[len(entry.words):]
            if after and after[0] not in _BOUNDARY and not after.startswith(("】", "]")):
                continue
            rest = re.sub(r"^[】\]]?[\s。.,;:!]*", "", after)
            clause = rest.split("。", 1)[0] if after[:1] in (",", ";", ":") else ""
            return StatusMatch(entry.status, entry.ongoing, entry.words, rest, clause)
    return None


def parse_status_cell(value: str, vocabulary: tuple[StatusWord, ...] = DEFAULT_VOCABULARY) -> StatusMatch | None:
    """A 状态 column or field: the whole value is the status (`完成`, `滞后序时`)."""
    cell = value.strip(" 。.")
    for entry in vocabulary + CELL_ONLY_VOCABULARY:
        if cell == entry.words:
            return StatusMatch(entry.status, entry.ongoing, entry.words, "")
    return parse_status(cell, vocabulary)
