"""Match a unit name as written (区人社局) to a directory of known units, with a score and the reason.

Documents name the same unit many ways: 区人社局, 区人力资源和社会保障局, 青云谱区人力资源和社会保障局. A name is
split into place (青云谱), level (省/市/区/县) and core (人力资源和社会保障局). Levels and places must agree when
both sides state them (市人社局 is never 区人社局); then the cores are compared, most certain rule first:

1. exact: the same name after normalisation (full-width forms, spaces, `中共`, `(牵头)`, a trailing 等);
2. abbreviation: equal once standard 简称 are applied (ABBREVIATIONS: 人力资源和社会保障 → 人社,
   委员会 → 委 …), so 区卫健委 ~ 区卫生健康委员会 and 区发改委 ~ 区发展和改革委员会;
3. subsequence: the written core's characters appear in order in the known one, starting with the same
   character and ending in the same kind of organisation (局, 委, 办 …): 区教体局 ~ 区教育体育局.

A tie between different units, or no rule at all, is no match: the caller proposes a new unit or asks.
Collective names (各街道, 区直各部门, 各县(市、区)) are recognised as groups, never matched to one unit.
The directory is plain data, `[(unit_id, [full name, short name, aliases…]), …]`; `一套班子两块牌子` names such as
区政府办(区外办) also register both plates (区政府办, 区外办).
"""

from __future__ import annotations

import re
from collections.abc import Hashable, Iterable
from dataclasses import dataclass, field
from typing import Literal

from .normalize import normalize_line

MatchKind = Literal["unit", "group", "none"]
GroupKind = Literal["subdistricts", "towns", "districts", "departments", "units", "members", "parks", "villages"]

# Standard 简称 of government bodies (longest first when applied). Sources: the names units use of themselves
# on their seals and websites; the list is data, extend it for local usage.
ABBREVIATIONS: tuple[tuple[str, str], ...] = (
    ("人力资源和社会保障", "人社"),
    ("住房和城乡建设", "住建"),
    ("住房城乡建设", "住建"),
    ("发展和改革", "发改"),
    ("发展改革", "发改"),
    ("卫生健康", "卫健"),
    ("卫生和计划生育", "卫计"),
    ("市场监督管理", "市场监管"),
    ("自然资源和规划", "自然资源"),
    ("工业和信息化", "工信"),
    ("科学技术", "科技"),
    ("教育体育", "教体"),
    ("文化广电新闻出版旅游", "文广新旅"),
    ("文化广电旅游", "文广旅"),
    ("文化广电体育和旅游", "文广体旅"),
    ("文化和旅游", "文旅"),
    ("城市管理", "城管"),
    ("综合行政执法", "综合执法"),
    ("交通运输", "交通"),
    ("农业农村", "农业农村"),
    ("生态环境", "生态环境"),
    ("医疗保障", "医保"),
    ("退役军人事务", "退役军人"),
    ("应急管理", "应急"),
    ("投资促进", "投促"),
    ("政务服务数据管理", "政数"),
    ("政务服务管理", "政务服务"),
    ("行政审批", "审批"),
    ("机关事务管理", "机关事务"),
    ("国有资产监督管理", "国资"),
    ("地方金融监督管理", "金融"),
    ("金融工作", "金融"),
    ("人民防空", "人防"),
    ("外事办公室", "外办"),
    ("人民政府办公室", "政府办"),
    ("人民政府", "政府"),
    ("委员会", "委"),
    ("办公室", "办"),
)
_ABBREVIATIONS = sorted(ABBREVIATIONS, key=lambda pair: len(pair[0]), reverse=True)

_TIE = 0.06  # tolerant scores closer than this to the best are a tie
_LEVELS = "省市区县旗"
_NOT_A_LEVEL = ("市场", "市政", "市容", "市民", "区域", "县域")  # words that start with a level character
# `青云谱区…`: a place and its level; 景区, 园区, 社区, 城市, 超市 … are nouns, not levels
_PLACE = re.compile(
    r"^([\u4e00-\u9fff]{2,8}?)((?<![景园社片校城厂矿营街])区|(?<![城超夜集股门])市|[省县旗])(?=[\u4e00-\u9fff(]{2,})"
)
# the kind of organisation, read from the end of a core: 局 and 委 are different bodies; statements.py
# reads unit headings by the same suffixes
UNIT_TYPES = (
    ("管委会", "管委会"), ("人民政府", "政府"), ("政府", "政府"), ("委员会", "委"), ("办公室", "办"), ("办事处", "街道"), ("街道", "街道"), ("分局", "分局"),
    ("中心", "中心"), ("集团", "集团"), ("公司", "公司"), ("大队", "大队"), ("支队", "支队"), ("局", "局"),
    ("委", "委"), ("办", "办"), ("部", "部"), ("院", "院"), ("所", "所"), ("站", "站"), ("镇", "镇"), ("乡", "乡"),
    ("会", "会"), ("室", "室"), ("处", "处"), ("队", "队"), ("行", "行"), ("社", "社"), ("馆", "馆"),
)

_GROUP_RULES: tuple[tuple[re.Pattern[str], GroupKind], ...] = (
    (re.compile(r"(?:各|相关|有关|沿\S{0,4}各)(?:镇|乡镇)?\(?街道"), "subdistricts"),
    (re.compile(r"(?:各|相关|有关|沿\S{0,4}各)(?:乡镇|镇|乡)(?:人民政府)?(?:\(街道\))?$"), "towns"),
    (re.compile(r"各(?:县|区|市)(?:\([^)]*\))?(?:人民政府)?$|各(?:县区|区县|地区)"), "districts"),
    (re.compile(r"各(?:园区|开发区|功能区)|各\S{0,4}管委会$"), "parks"),
    (re.compile(r"各(?:村|社区|村\(社区\))"), "villages"),
    (re.compile(r"成员单位$"), "members"),
    (re.compile(r"(?:直|政府)(?:各|有关|相关)?(?:部门|单位)|各(?:部门|职能部门|委办局)$|(?:有关|相关)部门$"), "departments"),
    (re.compile(r"^(?:各|相关|有关|其他)(?:责任|牵头|配合|相关|有关)?单位$|^各有关方面$"), "units"),
)


@dataclass(frozen=True, slots=True)
class UnitMatch:
    """The outcome of matching one written name."""

    kind: MatchKind
    unit_id: Hashable | None = None
    score: float = 0.0
    reason: str = "unknown"  # exact | abbreviation | subsequence | group | ambiguous | level | unknown
    matched_name: str | None = None  # the directory name that matched
    group: GroupKind | None = None
    candidates: tuple[Hashable, ...] = ()  # for an ambiguous name: the units it could be

    @property
    def certain(self) -> bool:
        """Exact or a standard abbreviation; a subsequence match should be confirmed by a person."""
        return self.kind == "unit" and self.score >= 0.9


@dataclass(frozen=True, slots=True)
class _Name:
    text: str  # normalised
    place: str
    level: str
    core: str
    short: str  # core with the standard abbreviations applied
    type: str
    stems: tuple[str, str]  # short and core without the organisation's kind (人社, 人力资源和社会保障)


def normalize_name(name: str) -> str:
    """One spelling: half-width brackets, no spaces, no `中共`, `(牵头)` or trailing 等."""
    text = normalize_line(name).replace(" ", "")
    text = text.replace("[", "(").replace("]", ")").replace("【", "(").replace("】", ")").replace("〔", "(").replace("〕", ")")
    text = re.sub(r"\((?:牵头|总牵头|牵头单位|配合)\)$|牵头$", "", text)
    text = re.sub(r"(?<=..)等(?:单位|部门)?$", "", text)
    return re.sub(r"^中共", "", text).strip("。.,;、:")


def _abbreviate(core: str) -> str:
    for full, short in _ABBREVIATIONS:
        core = core.replace(full, short)
    return core.replace("和", "").replace("与", "")


def _type(core: str) -> str:
    return _split_type(core)[1]


def _split_type(core: str) -> tuple[str, str]:
    """(stem, kind of organisation): 卫生健康委员会 → (卫生健康, 委)."""
    core = re.sub(r"\([^)]*\)$", "", core)
    for suffix, kind in UNIT_TYPES:
        if core.endswith(suffix):
            return core[: -len(suffix)], kind
    return core, ""


def parse_name(name: str) -> _Name:
    """Place, level and core of a unit name."""
    text = normalize_name(name)
    place, level, core = "", "", text
    while True:  # 南昌市青云谱区… : the innermost level wins, the places join
        leading_level = core[:1] in _LEVELS and not core.startswith(_NOT_A_LEVEL) and len(core) > 2
        if leading_level and (core[1:].startswith(_NOT_A_LEVEL) or core[1:2] not in _LEVELS):
            level, core = core[0], core[1:]
            break
        m = _PLACE.match(core)
        if m is None or core.startswith(_NOT_A_LEVEL):
            break
        place, level, core = place + m.group(1) + m.group(2), m.group(2), core[m.end():]
    place = place[:-1] if place.endswith(tuple(_LEVELS)) else place
    short = _abbreviate(core)
    return _Name(text, place, level, core, short, _type(core), (_split_type(short)[0], _split_type(core)[0]))


def _is_subsequence(short: str, long: str) -> bool:
    chars = iter(long)
    return all(ch in chars for ch in short)


def _places_agree(a: str, b: str) -> bool:
    return not a or not b or a.endswith(b) or b.endswith(a)


def compare(written: _Name, known: _Name) -> tuple[float, str]:
    """Score in [0, 1] and reason for a written name against a known one; 0 when they cannot be one unit."""
    if written.text == known.text:
        return 1.0, "exact"
    if written.level and known.level and written.level != known.level:
        return 0.0, "level"
    if not _places_agree(written.place, known.place):
        return 0.0, "level"
    penalty = 0.0 if written.level == known.level else 0.05  # one side does not say its level
    if written.core == known.core:
        return 1.0 - penalty, "exact"
    if written.type != known.type:
        return 0.0, "unknown"
    if written.short == known.short or written.core == known.short or written.short == known.core:
        return 0.95 - penalty, "abbreviation"
    stem_w = written.stems[0]
    for stem_k in known.stems:
        if len(stem_w) >= 2 and stem_w[0] == stem_k[:1] and _is_subsequence(stem_w, stem_k):
            coverage = len(stem_w) / max(len(stem_k), 1)
            return round(0.6 + 0.25 * coverage - penalty, 3), "subsequence"
    return 0.0, "unknown"


def group_kind(name: str) -> GroupKind | None:
    """The kind of a collective name (各街道 → subdistricts), or None for one unit."""
    text = normalize_name(name)
    return next((kind for rule, kind in _GROUP_RULES if rule.search(text)), None)


@dataclass(slots=True)
class UnitDirectory:
    """Known units and all their names, parsed once."""

    entries: list[tuple[Hashable, _Name, str]] = field(default_factory=list)  # (unit_id, parsed, as given)
    places: dict[Hashable, set[str]] = field(default_factory=dict)  # a unit's places, from any of its names
    # a tolerant match needs the same kind of body and a compatible level: index on both
    by_key: dict[tuple[str, str], list[tuple[Hashable, _Name, str]]] = field(default_factory=dict)
    by_text: dict[str, list[tuple[Hashable, _Name, str]]] = field(default_factory=dict)

    @classmethod
    def of(cls, units: Iterable[tuple[Hashable, Iterable[str]]]) -> UnitDirectory:
        directory = cls()
        for unit_id, names in units:
            for name in names:
                for variant in _plates(name):
                    parsed = parse_name(variant)
                    entry = (unit_id, parsed, name)
                    directory.entries.append(entry)
                    directory.by_key.setdefault((parsed.type, parsed.level), []).append(entry)
                    directory.by_text.setdefault(parsed.text, []).append(entry)
                    if parsed.place:
                        directory.places.setdefault(unit_id, set()).add(parsed.place)
        return directory

    def _candidates(self, written: _Name) -> list[tuple[Hashable, _Name, str]]:
        levels = {written.level, ""} if written.level else {level for _t, level in self.by_key}
        found = list(self.by_text.get(written.text, []))
        for level in levels:
            found += self.by_key.get((written.type, level), [])
        return found

    def _place_fits(self, written: _Name, unit_id: Hashable) -> bool:
        """东湖区人社局 is not the 人社局 of a unit whose full name says 青云谱区."""
        known = self.places.get(unit_id)
        return not written.place or not known or any(_places_agree(written.place, p) for p in known)

    def match(self, name: str, *, threshold: float = 0.6) -> UnitMatch:
        """The best unit for a name as written, a group, or no match."""
        if not normalize_name(name):
            return UnitMatch("none")
        if (kind := group_kind(name)) is not None:
            return UnitMatch("group", score=1.0, reason="group", group=kind)
        written = parse_name(name)
        best: dict[Hashable, tuple[float, str, str]] = {}
        for unit_id, known, given in self._candidates(written):
            if not self._place_fits(written, unit_id):
                continue
            score, reason = compare(written, known)
            if score > best.get(unit_id, (0.0, "", ""))[0]:
                best[unit_id] = (score, reason, given)
        ranked = sorted(((s, r, g, u) for u, (s, r, g) in best.items() if s >= threshold), key=lambda x: -x[0])
        if not ranked:
            return UnitMatch("none")
        top = ranked[0]
        if top[0] == 1.0 and top[1] == "exact":
            tied = [u for s, _r, _g, u in ranked if s == 1.0]
        else:  # near scores by tolerant rules cannot tell two units apart (人社局: 市 or 区?)
            tied = [u for s, _r, _g, u in ranked if top[0] - s < _TIE]
        if len(tied) > 1:
            return UnitMatch("none", reason="ambiguous", score=top[0], candidates=tuple(tied))
        return UnitMatch("unit", top[3], top[0], top[1], top[2], candidates=tuple(u for *_x, u in ranked[:3]))


def _plates(name: str) -> list[str]:
    """`区政府办(区外办)`: the whole name, and each plate when the bracket holds another unit's name."""
    text = normalize_name(name)
    m = re.match(r"^(.+?)\(([^()]+)\)$", text)
    if m and _type(m.group(2)) and _type(m.group(1)):
        return [text, m.group(1), m.group(2)]
    return [text]


def match_unit(units: Iterable[tuple[Hashable, Iterable[str]]], name: str) -> UnitMatch:
    """One-off match; build a UnitDirectory once to match many names."""
    return UnitDirectory.of(units).match(name)
