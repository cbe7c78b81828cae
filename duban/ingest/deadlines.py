"""Deadline phrases (年底前, 11月底, 2021年下半年, 明年1月, 力争到2025年) → the ISO date ending that span.

An explicit rule table rather than a general time parser: jionlp handles these phrases, but it adds ~170 MB
(jiojio, numpy), takes over half a second to import, and prints a banner to stdout. Relative phrases resolve against
the document date; without one they stay unresolved (date None) and the task is flagged for review.

In task text (strict mode) a phrase must say "by when": 前/底/末/旬, a half-year or quarter, 年内, or
到/至 a year. `2020年4月17日投入运营` states a fact, not a deadline. Field values (完成时限) are read loosely:
a bare `12月` or `2021年` or `2021-06-30` is a deadline there.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from dataclasses import dataclass

_CN_MONTH = {"一": 1, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9, "十": 10,
             "十一": 11, "十二": 12}
_CN_QUARTER = {"一": 1, "二": 2, "三": 3, "四": 4, "1": 1, "2": 2, "3": 3, "4": 4}
_REL_YEAR = {"今年": 0, "本年": 0, "本年度": 0, "当年": 0, "年内": 0, "明年": 1, "次年": 1, "后年": 2}

_YEAR = r"(?:(?P<y>(?:19|20)\d{2})年|(?P<rel>本年度|今年|本年|当年|明年|次年|后年))"
_MONTH = r"(?<![\d.])(?P<m>1[0-2]|0?[1-9]|十[一二]?|[一二三四五六七八九])月份?"
_DAY = r"(?P<d>3[01]|[12]\d|0?[1-9])日"
_BEFORE = r"(?P<before>之前|以前|前)?"
# A: a month, optionally with a day or a part of the month
_MONTH_RE = re.compile(rf"{_YEAR}?{_MONTH}(?:{_DAY}|(?P<part>底|末|上旬|中旬|下旬|初))?{_BEFORE}")
# B: a half-year, a quarter, the year end
_SPAN_RE = re.compile(
    rf"{_YEAR}?(?P<span>上半年|下半年|第?[一二三四1-4]季度(?:末|底)?|年底|年末"
    rf"|(?<![\d一二三四五六七八九十两几多])年内|(?<=年)底|(?<=年)末){_BEFORE}"
)
# C: 到2025年 (a whole year)
_YEAR_RE = re.compile(
    rf"(?:力争|争取|计划|确保)?(?:到|至|于)(?P<y>(?:19|20)\d{{2}})年"
    rf"(?![\d一二三四五六七八九十]{{1,2}}月|上半年|下半年|底|末|年底|第?[一二三四1-4]季度){_BEFORE}"
)
_LOOSE_EXTRA = re.compile(
    r"(?P<iso>(?:19|20)\d{2})[-./](?P<im>\d{1,2})(?:[-./](?P<id>\d{1,2}))?"
    rf"|(?P<Y>(?:(?P<yy>(?:19|20)\d{{2}})年|(?P<yrel>今年|明年|本年度|本年|次年))(?:底|末|内)?{_BEFORE})"
)


@dataclass(frozen=True, slots=True)
class Deadline:
    text: str
    date: dt.date | None


def _year(m: re.Match[str], ref: dt.date | None) -> int | None:
    if m.group("y"):
        return int(m.group("y"))
    if m.re is not _YEAR_RE and m.group("rel"):
        return ref.year + _REL_YEAR[m.group("rel")] if ref else None
    return ref.year if ref else None


def _month_end(year: int, month: int) -> dt.date:
    return dt.date(year, month, calendar.monthrange(year, month)[1])


def _resolve(m: re.Match[str], ref: dt.date | None) -> dt.date | None:
    year = _year(m, ref)
    if year is None:
        return None
    if m.re is _MONTH_RE:
        raw = m.group("m")
        month = int(raw) if raw.isdigit() else _CN_MONTH[raw]
        if m.group("d"):
            try:
                return dt.date(year, month, int(m.group("d")))
            except ValueError:
                return None
        day = {"上旬": 10, "初": 10, "中旬": 20}.get(m.group("part") or "")
        return dt.date(year, month, day) if day else _month_end(year, month)
    if m.re is _SPAN_RE:
        span = m.group("span")
        if span == "上半年":
            return dt.date(year, 6, 30)
        if "季度" in span:
            return _month_end(year, _CN_QUARTER[span.lstrip("第")[0]] * 3)
    return dt.date(year, 12, 31)


def _says_by_when(m: re.Match[str]) -> bool:
    if m.re is not _MONTH_RE:
        return True
    return bool(m.group("part") or m.group("before"))


def _matches(text: str) -> list[re.Match[str]]:
    """Matches of the three phrase rules, leftmost first, longer first, without overlaps."""
    candidates = [m for rx in (_MONTH_RE, _SPAN_RE, _YEAR_RE) for m in rx.finditer(text) if m.group(0)]
    candidates.sort(key=lambda m: (m.start(), -len(m.group(0))))
    chosen: list[re.Match[str]] = []
    for m in candidates:
        if not chosen or m.start() >= chosen[-1].end():
            chosen.append(m)
    return chosen


def find_deadlines(text: str, ref: dt.date | None, *, strict: bool = True) -> list[Deadline]:
    """All deadline phrases in text, in order. strict=False also takes bare months, years and ISO dates."""
    found = [
        Deadline(m.group(0), _resolve(m, ref))
        for m in _matches(text)
        if not strict or _says_by_when(m)
    ]
    if not found and not strict:
        for m in _LOOSE_EXTRA.finditer(text):
            found.append(Deadline(m.group(0), _resolve_loose(m, ref)))
    return found


def _resolve_loose(m: re.Match[str], ref: dt.date | None) -> dt.date | None:
    if m.group("iso"):
        year, month = int(m.group("iso")), int(m.group("im"))
        try:
            if m.group("id"):
                return dt.date(year, month, int(m.group("id")))
            return _month_end(year, month)
        except ValueError:
            return None
    if m.group("yy"):
        return dt.date(int(m.group("yy")), 12, 31)
    if ref is None:
        return None
    return dt.date(ref.year + _REL_YEAR[m.group("yrel")], 12, 31)


def pick_deadline(text: str, ref: dt.date | None, *, strict: bool = True) -> Deadline | None:
    """The task's deadline in text: the latest resolved phrase (a task ends when its last step does)."""
    found = find_deadlines(text, ref, strict=strict)
    if not found:
        return None
    resolved = [d for d in found if d.date is not None]
    if resolved:
        return max(resolved, key=lambda d: d.date)  # type: ignore[arg-type, return-value]
    return found[0]


def resolve_deadline(phrase: str, ref: dt.date | None) -> dt.date | None:
    """Resolve one phrase as a 完成时限 value would be read (loosely)."""
    found = pick_deadline(phrase, ref, strict=False)
    return found.date if found else None
