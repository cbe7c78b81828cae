"""Responsible units: split a field value into unit names and decide who leads.

Rules (as in published 分解方案): with a 牵头单位 field, its units lead and 责任单位/配合单位 support; with no
牵头单位, the first unit of the 责任单位 field leads and the rest support. A unit marked `(牵头)` leads.
Names are kept as written (normalised punctuation); matching to known units and aliases happens later.
"""

from __future__ import annotations

import re

_SEPARATORS = frozenset("、,;， ；")
_OPEN = "([【〔"
_CLOSE = ")]】〕"
_LEAD_MARK = re.compile(r"\s*[(\[](?:牵头|总牵头|牵头单位)[)\]]\s*$|\s*牵头$")
_EMPTY_VALUES = frozenset({"", "无", "/", "-", "—", "——", "暂无", "略"})
_TRAILING_ETC = re.compile(r"(?<=..)等(?:单位|部门)?$")


def split_units(value: str) -> list[str]:
    """Split on 、,; and spaces, never inside brackets: `区政府办(区外办)` is one unit."""
    units: list[str] = []
    current: list[str] = []
    depth = 0
    for ch in value:
        if ch in _OPEN:
            depth += 1
        elif ch in _CLOSE:
            depth = max(0, depth - 1)
        if depth == 0 and ch in _SEPARATORS:
            units.append("".join(current))
            current = []
        else:
            current.append(ch)
    units.append("".join(current))
    cleaned = []
    for unit in units:
        unit = _TRAILING_ETC.sub("", unit.strip(" 。.:"))
        if unit not in _EMPTY_VALUES:
            cleaned.append(unit)
    return cleaned


def _dedupe(names: list[str], exclude: list[str] | tuple[str, ...] = ()) -> list[str]:
    seen = set(exclude)
    out = []
    for name in names:
        if name not in seen:
            seen.add(name)
            out.append(name)
    return out


def assign_units(lead: list[str], responsible: list[str], support: list[str]) -> tuple[list[str], list[str]]:
    """Turn the raw values of 牵头单位 / 责任单位 / 配合单位 fields into (lead_units, support_units)."""
    lead_names = [u for v in lead for u in split_units(v)]
    resp_names = [u for v in responsible for u in split_units(v)]
    support_names = [u for v in support for u in split_units(v)]

    marked = [u for u in resp_names + support_names if _LEAD_MARK.search(u)]
    if marked:
        lead_names += [_LEAD_MARK.sub("", u) for u in marked]
        resp_names = [u for u in resp_names if u not in marked]
        support_names = [u for u in support_names if u not in marked]
    lead_names = [_LEAD_MARK.sub("", u) for u in lead_names]

    if lead_names:
        leads = _dedupe(lead_names)
        return leads, _dedupe(resp_names + support_names, leads)
    if resp_names:
        leads = resp_names[:1]
        return leads, _dedupe(resp_names[1:] + support_names, leads)
    return [], _dedupe(support_names)
