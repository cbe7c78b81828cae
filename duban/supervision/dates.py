"""Dates as Chinese government text writes them (GB/T 9704-2012: Arabic numerals, no leading zeros)."""
from __future__ import annotations

import datetime as dt


def chinese_date(day: dt.date) -> str:
    """2026年11月22日."""
    return f"{day.year}年{day.month}月{day.day}日"
