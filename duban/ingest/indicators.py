"""Quantitative targets in task text: `新增停车泊位1934个` → 新增停车泊位 = 1934 个.

Precision over recall: a quantity counts when it ends its clause (`…1934个,`), carries a unit of measure,
and is not an ordinal, a range or a year. Magnitudes (万/亿) are folded into the target (`2.2亿元` →
220000000 元); the written clause is kept in `text`. Chinese numerals (`三万人`) go through cn2an, imported
only when one is met because its import alone takes ~0.2 s.

A count written before its object (`实施5条道路彩化工程`, `完成城区12处易涝点整治`) is read too, more strictly:
Arabic digits only (Chinese ones there are mostly slogans: 两个维护, 三项制度), a counting word (个, 条, 处 …),
and an object of a few characters that names it. Cadences (`每半年通报一次`) and phases (`三期`) are not targets.
"""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Literal

from .model import Indicator

_UNITS = sorted(
    (
        "个百分点", "平方公里", "平方米", "立方米", "公顷", "公里", "千米", "千瓦时", "千瓦", "兆瓦", "人次", "床位",
        "标准箱", "吨", "亩", "米", "㎡", "km", "元", "美元", "人", "名", "户", "家", "个", "座", "条", "所", "处",
        "项", "件", "台", "辆", "套", "间", "栋", "幢", "场", "次", "期", "株", "棵", "张", "篇", "起", "宗", "块",
        "只", "床", "班", "支", "份", "例", "部", "%", "‰", "倍", "小时", "分钟", "天", "GB", "微克/立方米", "微克",
    ),
    key=len,
    reverse=True,
)
_MAGNITUDE = {"万亿": Decimal(10) ** 12, "千万": Decimal(10) ** 7, "百万": Decimal(10) ** 6,
              "万": Decimal(10) ** 4, "亿": Decimal(10) ** 8}
_GE_PREFIX = ("不少于", "不低于", "至少", "超过", "突破", "多于", "高于", "逾")
_LE_PREFIX = ("不超过", "不高于", "不多于", "低于", "少于", "控制在")
_FILLERS = ("达到", "提高到", "提升到", "提高至", "提升至", "增加到", "增至", "保持在", "达", "为", "约", "共")
_PREFIXES = sorted(_GE_PREFIX + _LE_PREFIX + _FILLERS, key=len, reverse=True)

_CN_DIGITS = "零〇一二两三四五六七八九十百千"
_QUANTITY = re.compile(
    r"(?P<prefix>" + "|".join(_PREFIXES) + r")?"
    r"(?<![\d.\-~～至第" + _CN_DIGITS + r"])"
    r"(?P<num>\d+(?:\.\d+)?|[" + _CN_DIGITS + r"]+)"
    r"(?P<approx>余|多)?(?P<mag>万亿|千万|百万|万|亿)?(?P<approx2>余|多)?"
    r"(?P<unit>" + "|".join(map(re.escape, _UNITS)) + r")"
    r"(?P<suffix>及以上|以上|及以下|以下|以内|左右)?$"
)
_CLAUSE_SPLIT = re.compile(r"[,;。:!?]")
_COUNTERS = ("个", "条", "座", "所", "家", "处", "户", "项", "栋", "幢", "台", "辆", "套", "间", "名", "场", "支",
             "批", "片", "部", "张", "宗", "块", "只", "人")
# `12处易涝点整治`: digits, a counting word, then the object up to the end of the clause or a 、
_COUNTED = re.compile(
    r"(?<![\d.\-~～至第每])(?P<num>\d+(?:\.\d+)?)(?P<mag>万|亿)?(?P<unit>" + "|".join(_COUNTERS) + r")"
    r"(?P<object>[\u4e00-\u9fff“][^、,;。]{1,19})$"
)
_OBJECT_BAD_START = re.compile(r"^(?:以上|以下|以内|左右|内|次|以|的|之|多|余|及|工作日|小时|月|年|天|批次|次)")
_CADENCE = re.compile(r"每(?:年|半年|季度?|月|旬|周|天|日)")
_NAME_STRIP = " “”\"'《》()、"
# `力争到2025年学前教育普惠率` → `学前教育普惠率`: a leading time phrase is the deadline, not the name.
_NAME_LEAD = re.compile(
    r"^(?:其中|并|同时)?(?:力争|争取|确保|计划)?(?:到|至|于|在)?(?:(?:19|20)\d{2}年|今年|明年|年内)(?:底|末)?前?"
)


def _cn_number(text: str) -> Decimal | None:
    if text[0] in "百千" or not any(ch in "零〇一二两三四五六七八九十" for ch in text):
        return None
    import cn2an  # lazy: importing it costs ~0.2 s

    try:
        return Decimal(str(cn2an.cn2an(text, "smart")))
    except Exception:  # noqa: BLE001 - cn2an signals malformed numerals with assorted exception types
        return None


def _plain_name(name: str) -> bool:
    """Reject `…140家、科技型中小企业` (several targets in one clause) and `“最后` (a number inside quotes)."""
    if name.count("“") != name.count("”") or name.count("《") != name.count("》"):
        return False
    return not any(_QUANTITY.search(part) for part in name.split("、")[:-1])


def _as_number(value: Decimal) -> int | float:
    return int(value) if value == value.to_integral_value() else float(value)


def parse_indicator(clause: str) -> Indicator | None:
    """One clause → an Indicator, or None when the clause does not end with a quantity."""
    clause = clause.strip().rstrip("”\"'")
    m = _QUANTITY.search(clause)
    if m is None:
        return None
    raw = m.group("num")
    number = Decimal(raw) if raw[0].isdigit() else _cn_number(raw)
    if number is None or number <= 0:
        return None
    if m.group("mag"):
        number *= _MAGNITUDE[m.group("mag")]
    name = _NAME_LEAD.sub("", clause[: m.start()].strip(_NAME_STRIP)).strip(_NAME_STRIP)
    # `…投资计划的50%` is a share of something else, not a target of its own
    if len(name) < 2 or name[-1] in "第年月日的" or not _plain_name(clause[: m.start()]):
        return None
    if _CADENCE.search(name) or (m.group("unit") == "期" and not raw[0].isdigit()):
        return None  # `每半年通报一次` is a cadence, `污水处理厂三期` a phase
    prefix = m.group("prefix") or ""
    suffix = m.group("suffix") or ""
    op: Literal[">=", "=", "<="]
    if prefix in _GE_PREFIX or suffix in ("以上", "及以上") or m.group("approx") or m.group("approx2"):
        op = ">="
    elif prefix in _LE_PREFIX or suffix in ("以下", "及以下", "以内"):
        op = "<="
    else:
        op = "="
    return Indicator(name=name, target=_as_number(number), unit=m.group("unit"), op=op, text=clause.strip())


def parse_counted(clause: str) -> list[Indicator]:
    """Counts written before their object (`实施井冈山大道等5条道路彩化工程`), one per 、-separated part."""
    found = []
    for part in clause.split("、"):
        part = part.strip()
        m = _COUNTED.search(_strip_tail(part))
        if m is None or "“" in part[: m.start()] and "”" not in part[: m.start()]:
            continue
        obj = m.group("object").strip(_NAME_STRIP.replace("“", "").replace("”", ""))
        if _OBJECT_BAD_START.match(obj) or _CADENCE.search(part) or obj.count("“") != obj.count("”"):
            continue
        number = Decimal(m.group("num")) * (_MAGNITUDE[m.group("mag")] if m.group("mag") else 1)
        if number <= 0:
            continue
        found.append(Indicator(name=obj, target=_as_number(number), unit=m.group("unit"), op="=", text=part))
    return found


def _strip_tail(part: str) -> str:
    """`…建设工作` / `…竣工交付` keep their words; only a trailing 等 or quote mark goes."""
    return part.rstrip("等”\"'") if part.endswith("等") else part


def find_indicators(text: str) -> list[Indicator]:
    """Every clause of text that ends with a quantity, and counts written before their object."""
    found = []
    for clause in _CLAUSE_SPLIT.split(text):
        indicator = parse_indicator(clause)
        if indicator is not None:
            found.append(indicator)
        else:
            found.extend(parse_counted(clause))
    return found
