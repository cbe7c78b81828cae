"""Document header: title, issuer and date from web-page metadata or the 落款, and the document's kind.

Government web pages put metadata in a small table (`发布机构: | 青云谱区人民政府 | 生成日期: | 2020-12-16`);
official documents end with the issuer and date (落款). The title is the first short line near the top that
names a document type (报告, 方案, 简报 …), skipping navigation remnants.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from pathlib import PurePath

from .blocks import Block
from .fields import starts_with_field
from .model import Kind, ParsedTask
from .numbering import parse_label

_META_LABELS = (
    "发布机构", "发文机关", "发文单位", "发布单位", "来源", "信息来源", "生成日期", "发布日期", "成文日期", "发文日期",
    "印发日期", "发布时间", "日期", "文件编号", "文号", "发文字号", "索引号", "主题分类", "有效性", "公开范围",
    "公开方式", "标题", "名称", "访问量", "浏览量", "点击数", "作者", "编辑", "填报单位", "填报时间", "填报日期",
)
_META_RE = re.compile(r"(?:^|(?<=[\s|]))(" + "|".join(sorted(_META_LABELS, key=len, reverse=True)) + r")\s*:\s*")
_ISSUER_KEYS = ("发布机构", "发文机关", "发文单位", "发布单位", "来源", "信息来源", "填报单位")
_DATE_KEYS = ("成文日期", "发文日期", "印发日期", "生成日期", "发布日期", "发布时间", "填报时间", "填报日期", "日期")
_TITLE_KEYS = ("标题", "名称")
_DATE_RE = re.compile(r"((?:19|20)\d{2})\s*(?:[-./]|年)\s*(\d{1,2})\s*(?:[-./]|月)\s*(\d{1,2})")
_STANDALONE_DATE = re.compile(r"^(?:19|20)\d{2}\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*日$")
_NAV = re.compile(r"您当前所在位置|当前位置|首页|>|»|微信|微博|繁体|打印|关闭|分享|浏览量|访问量|字体|【|】|•")
_TITLE_WORDS = re.compile(
    r"报告|方案|简报|通报|情况|意见|通知|计划|清单|分解|要点|办法|台账|安排|纪要|决定|规划|任务|汇总|一览表|明细表"
)
# `——2023年1月6日在青峰区第二届人民代表大会第三次会议上`: the subtitle of a speech or work report
_SUBTITLE_DATE = re.compile(r"^—.{0,4}(?:19|20)\d{2}\s*年.{0,12}在.*(?:会议|大会)")
# `南江区人民政府办公室      2023年4月14日`: the issuer and date on one line, as minutes and briefings head them
_ORG_DATE_LINE = re.compile(r"^(\S{2,30})\s+((?:19|20)\d{2}\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*日)$")
_ORG_SUFFIX = re.compile(r"(人民政府|办公室|办公厅|委员会|领导小组|局|委|厅|办|中心|指挥部)$")
_HEAD_BLOCKS = 30


@dataclass(frozen=True, slots=True)
class Header:
    title: str | None
    issuer: str | None
    date: dt.date | None


def parse_date(text: str) -> dt.date | None:
    """First `2020-12-16` / `2020年12月16日` / `2020.12.16` in text."""
    m = _DATE_RE.search(text)
    if not m:
        return None
    try:
        return dt.date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
    except ValueError:
        return None


def _metadata(blocks: list[Block]) -> dict[str, str]:
    found: dict[str, str] = {}
    for block in blocks[:_HEAD_BLOCKS]:
        text = " ".join(block.cells) if block.kind == "row" else block.text
        matches = list(_META_RE.finditer(text))
        for i, m in enumerate(matches):
            end = matches[i + 1].start() if i + 1 < len(matches) else len(text)
            value = text[m.end():end].strip(" |")
            if value and m.group(1) not in found:
                found[m.group(1)] = value
    return found


def _is_title_candidate(text: str) -> bool:
    return (
        4 <= len(text) <= 60
        and not _NAV.search(text)
        and not _META_RE.search(text)
        and not text.startswith(("—", "-"))
        and not text.endswith((":", ",", ";", "。"))
        and "。" not in text
        and not starts_with_field(text)
        and _TITLE_WORDS.search(text) is not None
    )


def _title(blocks: list[Block], metadata: dict[str, str]) -> str | None:
    for key in _TITLE_KEYS:
        if metadata.get(key):
            return metadata[key]
    for block in blocks[:_HEAD_BLOCKS]:
        if block.kind == "row":
            continue
        if parse_label(block.text) is not None:
            break
        if _is_title_candidate(block.text):
            return block.text
    return None


def _signature(blocks: list[Block]) -> tuple[str | None, dt.date | None]:
    """The 落款 at the end of a document: an issuer line, then a date line."""
    tail = [b for b in blocks[-8:] if b.kind == "paragraph"]
    for i in range(len(tail) - 1, -1, -1):
        if _STANDALONE_DATE.match(tail[i].text):
            issuer = None
            if i > 0 and len(tail[i - 1].text) <= 30 and _ORG_SUFFIX.search(tail[i - 1].text):
                issuer = tail[i - 1].text
            return issuer, parse_date(tail[i].text)
    return None, None


def _cover_date(blocks: list[Block]) -> tuple[str | None, dt.date | None]:
    """A date near the top: a cover notice's 落款, an `issuer  date` line, or a report's subtitle."""
    head = [b.text for b in blocks[:_HEAD_BLOCKS] if b.kind == "paragraph"]
    for i, text in enumerate(head):
        if _SUBTITLE_DATE.match(text):
            return None, parse_date(text)
        if (m := _ORG_DATE_LINE.match(text)) and _ORG_SUFFIX.search(m.group(1)):
            return m.group(1), parse_date(m.group(2))
        if i > 0 and _STANDALONE_DATE.match(text) and len(head[i - 1]) <= 30 and _ORG_SUFFIX.search(head[i - 1]):
            return head[i - 1], parse_date(text)
    return None, None


def parse_header(blocks: list[Block], filename: str | None = None) -> Header:
    """Title, issuer and date; None where the document does not say."""
    metadata = _metadata(blocks)
    issuer = next((metadata[k] for k in _ISSUER_KEYS if metadata.get(k)), None)
    date = next((d for k in _DATE_KEYS if metadata.get(k) and (d := parse_date(metadata[k]))), None)
    sig_issuer, sig_date = _signature(blocks)
    if sig_date is None:
        sig_issuer, sig_date = _cover_date(blocks)
    title = _title(blocks, metadata)
    if title is None and filename:
        stem = PurePath(filename).stem
        if re.search(r"[\u4e00-\u9fff]{2}", stem):
            title = stem
    return Header(title=title, issuer=issuer or sig_issuer, date=date or sig_date)


def kind_from_title(title: str | None) -> Kind:
    """What the title alone says the document is."""
    title = title or ""
    if "简报" in title:
        return "bulletin"
    if "纪要" in title:
        return "meeting_decision"
    if re.search(r"落实情况|进展情况|完成情况|推进情况|办理情况", title):
        return "implementation_report"
    if re.search(r"分解|分工|台账|任务清单|责任清单", title):
        return "decomposition"
    if "工作报告" in title:
        return "work_report"
    return "other"


def classify_kind(title: str | None, tasks: list[ParsedTask]) -> Kind:
    """Title first for briefings; otherwise the shape of the tasks decides (status → report, units → plan)."""
    by_title = kind_from_title(title)
    if by_title in ("bulletin", "meeting_decision"):
        return by_title
    if any(t.status for t in tasks):
        return "implementation_report"
    if by_title != "other":
        return by_title
    if any(t.lead_units or t.support_units for t in tasks):
        return "decomposition"
    return "other"
