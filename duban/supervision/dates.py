"""Dates as Chinese government text writes them (GB/T 9704-2012: Arabic numerals, no leading zeros)."""
from __future__ import annotations

import datetime as dt


def chinese_date(day: dt.date) -> str:
    """2026年11月22日."""
    return f"{day.year}年{day.month}月{day.day}日"


def doubtful_deadline(deadline: dt.date | None, today: dt.date, source_date: dt.date | None) -> str | None:
    """Why a deadline is probably a typo, asked to be confirmed rather than refused: "past" (before today) or
    "before_source" (before the date of the document that set it); None for a plausible one."""
    if deadline is None:
        return None
    if deadline < today:
        return "past"
    if source_date and deadline < source_date:
        return "before_source"
    return None
