"""Property tests: whatever arrives, the reader and parser either succeed or raise IngestError."""

from __future__ import annotations

import datetime as dt
import json

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from duban.ingest import IngestError, ParsedDocument, parse_bytes, parse_text
from duban.ingest.deadlines import find_deadlines, resolve_deadline
from duban.ingest.indicators import find_indicators
from duban.ingest.units import split_units

from .builders import make_pdf

# pieces that exercise every rule, mixed with arbitrary text
TOKENS = [
    "一、", "(一)", "(二)", "1.", "2、", "(1)", "①", "1)", "——", "十二、", "第一部分",
    "责任单位:", "牵头单位:", "配合单位:", "责任领导:", "完成时限:", "贯彻落实情况:", "状态:",
    "(牵头单位:", ";责任单位:", ")", "[责任单位:", "]", "【", "】", "(", "、", ",", "。", ":", "\n", "\n\n", " | ",
    "区住建局", "区政府办(区外办)", "已完成并长期坚持", "推进中", "滞后序时", "未启动", "已完成",
    "年底前", "11月底", "2021年下半年", "明年1月", "力争到2025年", "2月30日前", "13月", "第五季度",
    "新增停车泊位", "1934个", "2000户以上", "三万人", "十十万", "零零亿元", "百千", "不少于", "以内", "%",
    "各责任单位要高度重视", "注释:", "附件", "发布机构: | 某区人民政府 | 生成日期: | 2020-12-16 |",
    "序号 | 工作任务 | 牵头单位 | 完成时限", "2020年12月16日", "某区人民政府办公室",
]
texts = st.lists(st.one_of(st.sampled_from(TOKENS), st.text(max_size=8)), max_size=60).map("".join)
PREFIXES = [b"", b"%PDF-1.4\n", b"PK\x03\x04", b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff", b"<html><body>",
            b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "一、任务\n".encode("gbk")]


def _check(doc: ParsedDocument) -> None:
    json.dumps(doc.to_dict(), ensure_ascii=False)
    for task in doc.tasks:
        assert task.path[-1] == task.number
        assert len(task.path) == len(task.sections) + 1
        assert task.deadline is None or isinstance(task.deadline, dt.date)
        assert task.status in (None, "done", "in_progress", "behind", "not_started")
        assert not set(task.lead_units) & set(task.support_units)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(texts, st.one_of(st.none(), st.dates(dt.date(1990, 1, 1), dt.date(2099, 12, 31))))
def test_random_text_never_crashes(text: str, date: dt.date | None) -> None:
    try:
        doc = parse_text(text, date=date)
    except IngestError:
        return
    _check(doc)


@settings(max_examples=300, deadline=None)
@given(st.sampled_from(PREFIXES), st.binary(max_size=400), st.sampled_from(["a.txt", "a.docx", "a.pdf", "a.html"]))
def test_random_bytes_never_crash(prefix: bytes, body: bytes, name: str) -> None:
    try:
        doc = parse_bytes(prefix + body, name)
    except IngestError as exc:
        assert str(exc)
        return
    _check(doc)


@settings(max_examples=100, deadline=None)
@given(texts)
def test_random_text_encoded_gb18030_and_as_pdf(text: str) -> None:
    for data in (text.encode("gb18030"), make_pdf([text.split("\n")[:40]])):
        try:
            _check(parse_bytes(data, "x"))
        except IngestError:
            pass


@given(texts)
def test_field_helpers_never_crash(text: str) -> None:
    find_deadlines(text, dt.date(2020, 12, 16))
    find_deadlines(text, None, strict=False)
    resolve_deadline(text, dt.date(2020, 2, 29))
    find_indicators(text)
    assert all(split_units(text))  # never an empty name
