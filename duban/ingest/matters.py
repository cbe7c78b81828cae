"""Items pasted into the 立项 form: a leader's instruction or a meeting's decisions often come as a numbered
list (1. … 2. …, (一)… (二)…, ①…②…), each item a task of its own."""
from __future__ import annotations

from .normalize import normalize_line
from .numbering import parse_label


def split_items(text: str) -> list[str]:
    """One text per numbered item, at the rank of the first numbered line; a preamble before it (会议议定如下:)
    is left out. Text with fewer than two such items is one item, whole."""
    lines = [normalize_line(line) for line in text.splitlines()]
    lines = [line for line in lines if line]
    first = next((label for line in lines if (label := parse_label(line))), None)
    if first is None:
        return [" ".join(lines)] if lines else []
    items: list[list[str]] = []
    for line in lines:
        label = parse_label(line)
        if label is not None and label.rank == first.rank:
            items.append([label.rest.strip()])
        elif items:  # a wrapped line runs on; a sub-item keeps its own line
            items[-1].append(f"\n{line}" if label is not None else line)
    if len(items) < 2:
        return [" ".join(lines)]
    return ["".join(item).strip() for item in items if "".join(item).strip()]
