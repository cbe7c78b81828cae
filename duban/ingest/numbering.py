"""Heading and list labels of Chinese official documents, ranked as GB/T 9704 nests them.

Rank 0 `一、`, rank 1 `(一)`, rank 2 `1.`/`1、`, rank 3 `(1)`, rank 4 `①`, rank 5 `1)`; `第一部分` sits above
them all (rank -1). Ranks are fixed by convention rather than by order of appearance, so a document that
skips a level still nests correctly.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

_CN = "一二三四五六七八九十百零〇"
_CIRCLED = "\u2460-\u2473\u3251-\u325f\u32b1-\u32bf"
_RULES: tuple[tuple[int, re.Pattern[str]], ...] = (
    (-1, re.compile(rf"^第([{_CN}]+|\d+)(?:部分|篇|章)\s*")),
    (0, re.compile(rf"^([{_CN}]+)\s*、\s*")),
    (1, re.compile(rf"^\(\s*([{_CN}]+)\s*\)\s*")),
    (2, re.compile(r"^(\d{1,3})\s*(?:\.(?!\d)|、)\s*")),
    (3, re.compile(r"^\(\s*(\d{1,3})\s*\)\s*")),
    (4, re.compile(rf"^([{_CIRCLED}])\s*")),
    (5, re.compile(r"^(\d{1,3})\)\s*")),
)


@dataclass(frozen=True, slots=True)
class Label:
    rank: int
    label: str  # as written, but `①` → `1`
    rest: str   # the text after the label


def parse_label(text: str) -> Label | None:
    """The leading label of a line, or None for an unlabelled paragraph."""
    for rank, rule in _RULES:
        m = rule.match(text)
        if m:
            label = m.group(1)
            if rank == 4:
                label = str(int(unicodedata.numeric(label)))
            return Label(rank, label, text[m.end():].strip())
    return None
