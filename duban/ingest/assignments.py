"""Units assigned in prose: `由区水务局牵头,区住建局、各街道配合` → lead 区水务局, support 区住建局, 各街道.

Meeting minutes (会议纪要) and instructions assign work in sentences rather than fields. The phrasings are
few and fixed: 由X牵头/负责/办理/抓好落实, X牵头, X要会同Y, 请X(会同Y), X、Y等单位要…, Y配合/协助, Z具体负责.
A name counts only when it looks like a unit (ends in 局, 委, 办, 街道, 政府 …, or is a collective such as
各街道), so `资金由区财政统筹安排` or `会议同意区卫健委提出的方案` assign nothing; `各单位要提高认识` (only a
collective as the subject) is an exhortation, not an assignment. The unit listed first leads.
"""

from __future__ import annotations

import re

_SUFFIX = (
    "管委会", "办公室", "委员会", "人民政府", "街道办事处", "街道", "分局", "支队", "大队", "中心", "集团", "公司",
    "政府", "局", "委", "办", "镇", "乡", "院", "所", "室", "队", "部", "站", "会", "处", "行", "社", "馆",
)
_NAME = r"[\u4e00-\u9fff()0-9]{2,24}?"
_UNIT = re.compile(rf"^(?:{_NAME}(?:{'|'.join(_SUFFIX)})|(?:各|相关|有关){_NAME})$")
_LIST = rf"{_NAME}(?:(?:、|和|及){_NAME})*"
# `X、Y等单位要…`: a subject list (the first leads); tried last, as `X要会同Y` is more precise
_SUBJECT = re.compile(rf"(?:^|[,;。])(?P<x>{_LIST}?)(?:等(?:单位|部门))?要(?!求)")
# lead patterns in order of precision: the unit list is group "x", an optional 会同 list is group "y"
_LEAD = (
    re.compile(rf"(?:^|[,;。])由(?P<x>{_LIST})(?:牵头|负责|承办|办理|按程序办理|抓好落实|组织实施)"),
    re.compile(rf"(?:^|[,;。])请(?P<x>{_LIST}?)(?:会同(?P<y>{_LIST}?))?(?=[,;。]|牵头|负责|抓紧|尽快|按|做好|研究|办理)"),
    re.compile(rf"(?:^|[,;。])(?P<x>{_LIST}?)(?:要|负责)?会同(?P<y>{_LIST})(?=[,;。]|抓紧|加快|尽快|做好|研究)"),
    re.compile(rf"(?:^|[,;。])(?P<x>{_LIST})牵头(?=[,;。])"),
    _SUBJECT,
)
_COLLECTIVE = re.compile(r"^(?:各|相关|有关)")
_SUPPORT = re.compile(rf"(?:^|[,;。])(?P<y>{_LIST})(?:配合|协助|协同|参与|具体负责)(?=[,;。]|做好)")
_AND = re.compile(r"和|及")


def _units(names: str | None) -> list[str]:
    """Unit names of a list, or [] unless every item is unit-like. 和/及 split only between two units, so
    区人力资源和社会保障局 stays whole."""
    if not names:
        return []
    found: list[str] = []
    for piece in (p.strip() for p in names.split("、")):
        parts = [p for p in _AND.split(piece) if p]
        if len(parts) >= 2 and all(_UNIT.match(p) for p in parts):
            found += parts
        elif _UNIT.match(piece):
            found.append(piece)
        else:
            return []
    return found


def find_assignment(sentence: str) -> tuple[list[str], list[str]]:
    """(lead units, support units) assigned in a sentence; ([], []) when it assigns nothing."""
    lead: list[str] = []
    support: list[str] = []
    for rule in _LEAD:
        for m in rule.finditer(sentence):
            units = _units(m.group("x"))
            if not units:
                continue
            if rule is _SUBJECT:
                if all(_COLLECTIVE.match(u) for u in units):
                    continue  # `各单位要…`: everyone is exhorted, nobody is assigned
                units, listed = units[:1], units[1:]  # `X、Y等单位要…`: the first listed leads
                support += [u for u in listed if u not in support]
            lead += [u for u in units if u not in lead]
            support += [u for u in _units(m.groupdict().get("y")) if u not in support]
        if lead:
            break
    if not lead:
        return [], []
    for m in _SUPPORT.finditer(sentence):
        support += [u for u in _units(m.group("y")) if u not in support]
    return lead, [u for u in support if u not in lead]
