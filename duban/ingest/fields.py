"""Labelled fields (`责任单位:…`, `落实情况:…`) as published in 分解方案 and 落实情况 reports.

Each label maps to one canonical field name; the same table serves field lines, bracketed fields at the end
of a task (`(牵头单位:X;责任单位:Y)`), several fields on one line and spreadsheet column headers.
"""

from __future__ import annotations

import re

# canonical field → labels as written; longer labels are tried first, so 贯彻落实情况 wins over 落实情况.
FIELD_LABELS: dict[str, tuple[str, ...]] = {
    "lead": ("牵头单位", "牵头部门", "主责单位", "主办单位", "牵头责任单位"),
    "responsible": ("责任单位", "责任部门", "主要责任单位", "承办单位", "实施单位", "落实单位"),
    "support": ("配合单位", "配合部门", "协办单位", "协同单位", "参与单位", "协作单位", "协助单位"),
    "leader": ("责任领导", "分管领导", "牵头领导", "联系领导", "领衔领导", "责任区领导", "牵头区领导"),
    "owner": ("责任人", "具体责任人", "联络员"),
    "deadline": ("完成时限", "完成时间", "时间节点", "时限要求", "办结时限", "完成期限"),
    "progress": (
        "贯彻落实情况", "落实情况", "进展情况", "完成情况", "工作进展", "推进情况", "办理情况", "整改情况",
        "进展", "工作进展情况",
    ),
    "status": ("状态", "完成状态", "进度状态", "办理状态", "整改状态"),
    # the rest of a progress report (GUIDE §2), kept apart so they do not run into the progress text
    "problems": ("存在问题", "存在的问题", "困难问题", "存在困难"),
    "next_steps": ("下一步措施", "下一步工作", "下一步打算", "下步打算", "下步措施", "下一步计划"),
    "coordination": ("需协调事项", "需协调解决的问题", "需协调解决事项", "协调事项"),
}

LABEL_TO_FIELD: dict[str, str] = {label: field for field, labels in FIELD_LABELS.items() for label in labels}
_LABELS_BY_LENGTH = sorted(LABEL_TO_FIELD, key=len, reverse=True)
# A label counts only at the start or after a separator, and only when a colon follows it.
_LABEL_RE = re.compile(
    r"(?:^|(?<=[\s;,。|(\[【、]))(" + "|".join(map(re.escape, _LABELS_BY_LENGTH)) + r")\s*:\s*"
)
_VALUE_STRIP = " ;,|、"


def split_fields(text: str) -> list[tuple[str, str]]:
    """Find every `label: value` in text; return (canonical field, value) pairs in order.

    Text before the first label is ignored by this function; callers decide what it means.
    """
    matches = list(_LABEL_RE.finditer(text))
    pairs: list[tuple[str, str]] = []
    for i, m in enumerate(matches):
        end = matches[i + 1].start() if i + 1 < len(matches) else len(text)
        value = text[m.end():end].strip(_VALUE_STRIP)
        pairs.append((LABEL_TO_FIELD[m.group(1)], value))
    return pairs


def starts_with_field(text: str) -> bool:
    """True for a field line such as `责任单位:区商务局`."""
    m = _LABEL_RE.match(text)
    return m is not None and m.start() == 0


def first_field_start(text: str) -> int | None:
    """Index where the first label begins, or None."""
    m = _LABEL_RE.search(text)
    return m.start(1) if m else None


_CLOSERS = {")": "(", "]": "[", "】": "【", "〕": "〔"}


def split_trailing_bracket(text: str) -> tuple[str, list[tuple[str, str]]]:
    """Split `任务文字。(牵头单位:X;责任单位:Y)` into the task text and its fields.

    The bracket is matched from the end with nesting, so `(牵头单位:区政府办(区外办))` stays whole. Only a
    bracket whose content starts with a known label is taken; other brackets belong to the text.
    """
    stripped = text.rstrip(" 。.;")
    if not stripped or stripped[-1] not in _CLOSERS:
        return text, []
    depth = 0
    for i in range(len(stripped) - 1, -1, -1):
        ch = stripped[i]
        if ch in _CLOSERS:
            depth += 1
        elif ch in _CLOSERS.values():
            depth -= 1
            if depth == 0:
                inner = stripped[i + 1:-1].strip()
                if not starts_with_field(inner):
                    return text, []
                return stripped[:i].rstrip(), split_fields(inner)
    return text, []
