"""Header: title, issuer, date and kind."""

from __future__ import annotations

import datetime as dt

import pytest

from duban.ingest import parse_text
from duban.ingest.header import kind_from_title, parse_date, parse_header
from duban.ingest.readers.txt import text_to_blocks


def test_web_table_metadata() -> None:
    blocks = text_to_blocks("索引号: | s696131 | 主题分类: | |\n发布机构: | 青云谱区人民政府 | 生成日期: | 2020-12-16 |\n正文")
    header = parse_header(blocks)
    assert (header.issuer, header.date) == ("青云谱区人民政府", dt.date(2020, 12, 16))


def test_inline_metadata_and_title_after_navigation() -> None:
    text = "\n".join(
        [
            "• 微信",
            "您当前所在位置:首页 > 政务公开",
            "发布机构: 东湖区人民政府 生成日期: 2021-10-12 13:42",
            "分享到:",
            "2021年东湖区政府工作报告(2021年10月)",
            "• 浏览量:",
            "各位代表:",
        ]
    )
    header = parse_header(text_to_blocks(text))
    assert header == type(header)("2021年东湖区政府工作报告(2021年10月)", "东湖区人民政府", dt.date(2021, 10, 12))


def test_source_and_publish_date() -> None:
    text = "南昌市“五型”政府建设领导小组办公室简报(第59期)\n来源: 南昌市人民政府  发布日期: 2023-01-11   访问量:"
    header = parse_header(text_to_blocks(text))
    assert header.title == "南昌市“五型”政府建设领导小组办公室简报(第59期)"
    assert (header.issuer, header.date) == ("南昌市人民政府", dt.date(2023, 1, 11))


def test_signature_gives_issuer_and_date() -> None:
    text = "关于重点任务落实情况的通报\n一、总体情况\n全年任务进展顺利。\n某某区人民政府办公室\n2021年12月20日"
    header = parse_header(text_to_blocks(text))
    assert header.title == "关于重点任务落实情况的通报"
    assert (header.issuer, header.date) == ("某某区人民政府办公室", dt.date(2021, 12, 20))


def test_title_falls_back_to_a_chinese_filename() -> None:
    header = parse_header(text_to_blocks("一、任务\n1.甲"), filename="/tmp/2021年任务分解表.txt")
    assert header.title == "2021年任务分解表"
    assert parse_header(text_to_blocks("一、任务"), filename="001_ab3c2ff0a27af784.txt").title is None


@pytest.mark.parametrize(
    ("text", "expected"),
    [("2020-12-16", dt.date(2020, 12, 16)), ("2020年12月6日", dt.date(2020, 12, 6)), ("2020.1.5", dt.date(2020, 1, 5)),
     ("2020/02/30", None), ("无", None)],
)
def test_parse_date(text: str, expected: dt.date | None) -> None:
    assert parse_date(text) == expected


@pytest.mark.parametrize(
    ("title", "kind"),
    [
        ("南昌市“五型”政府建设领导小组办公室简报(第43期)", "bulletin"),
        ("2021年东湖区政府工作报告", "work_report"),
        ("2021年政府工作报告重点任务分解方案", "decomposition"),
        ("关于印发2022年重点工作任务责任分工的通知", "decomposition"),
        ("区政府工作报告重点任务落实情况", "implementation_report"),
        ("关于开展安全检查的通知", "other"),
        (None, "other"),
    ],
)
def test_kind_from_title(title: str | None, kind: str) -> None:
    assert kind_from_title(title) == kind


def test_kind_from_shape_when_the_title_says_nothing() -> None:
    assert parse_text("一、任务\n1.甲任务\n责任单位:区发改委").kind == "decomposition"
    assert parse_text("一、任务\n1.甲任务\n责任单位:区发改委\n落实情况:已完成。").kind == "implementation_report"
    assert parse_text("随便写点什么").kind == "other"


def test_dates_near_the_top() -> None:
    from duban.ingest import parse_text

    report = "政府工作报告\n——2023年1月6日在青峰区第二届人民代表大会第三次会议上\n一、工作回顾\n过去一年成绩显著。"
    assert parse_text(report).date == dt.date(2023, 1, 6)
    notice = "关于印发重点任务清单的通知\n各街道:\n现印发给你们。\n某区人民政府办公室\n2023年3月6日\n某区重点任务清单\n一、产业\n1.新建厂房。(牵头单位:区科工局)\n2.新增企业。(牵头单位:区商务局)"
    doc = parse_text(notice)
    assert (doc.issuer, doc.date) == ("某区人民政府办公室", dt.date(2023, 3, 6))
