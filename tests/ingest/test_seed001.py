"""Seed 001 (青云谱区 2020 落实情况): the target output — 78 tasks with sections, units and status."""

from __future__ import annotations

import datetime as dt
import json
import re
from collections import Counter
from pathlib import Path

import pytest

from duban.ingest import ParsedDocument, parse_file

# (top section, subsection or None) → task numbers, read off the document by hand
EXPECTED_SECTIONS: dict[tuple[str, ...], range] = {
    ("一", "一"): range(1, 5), ("一", "二"): range(5, 10), ("一", "三"): range(10, 14),
    ("二", "一"): range(14, 16), ("二", "二"): range(16, 20), ("二", "三"): range(20, 24),
    ("三", "一"): range(24, 29), ("三", "二"): range(29, 32), ("三", "三"): range(32, 34),
    ("四", "一"): range(34, 39), ("四", "二"): range(39, 50), ("四", "三"): range(50, 55),
    ("五", "一"): range(55, 60), ("五", "二"): range(60, 68), ("五", "三"): range(68, 78),
    ("六",): range(78, 79),
}
TOP_TITLES = {
    "一": "聚焦两手抓、两战赢,确保经济社会实现稳增长",
    "二": "聚焦动能转换,推动产业集聚实现再升级",
    "三": "聚焦改革开放,推动发展活力实现再突破",
    "四": "聚焦新城打造,推动文明形象实现再提升",
    "五": "聚焦社会民生,推动幸福生活实现再改善",
    "六": "聚焦根本宗旨,推动“五型”政府建设再加力",
}


@pytest.fixture(scope="module")
def doc(seed001_path: Path) -> ParsedDocument:
    return parse_file(seed001_path)


@pytest.fixture(scope="module")
def source_records(seed001_path: Path) -> list[dict[str, str]]:
    """An independent, naive reading of the source: each task's number, unit line and status line."""
    records: list[dict[str, str]] = []
    for line in seed001_path.read_text(encoding="utf-8").splitlines():
        if m := re.match(r"^(\d+)\.(.*)$", line):
            records.append({"number": m.group(1), "text": m.group(2)})
        elif line.startswith("责任单位:"):
            records[-1]["units"] = line.removeprefix("责任单位:")
        elif line.startswith("贯彻落实情况:"):
            records[-1]["progress"] = line.removeprefix("贯彻落实情况:")
    return records


def test_header(doc: ParsedDocument) -> None:
    assert doc.issuer == "青云谱区人民政府"
    assert doc.date == dt.date(2020, 12, 16)
    assert doc.kind == "implementation_report"
    assert doc.title is None  # the page has no title line; nothing is invented


def test_exactly_78_tasks_numbered_in_order(doc: ParsedDocument) -> None:
    assert [t.number for t in doc.tasks] == [str(n) for n in range(1, 79)]


def test_paths_follow_the_sections(doc: ParsedDocument) -> None:
    by_number = {t.number: t for t in doc.tasks}
    for sections, numbers in EXPECTED_SECTIONS.items():
        for n in numbers:
            assert by_number[str(n)].path == [*sections, str(n)]
    assert by_number["39"].path == ["四", "二", "39"]


def test_section_titles_and_headings(doc: ParsedDocument) -> None:
    for task in doc.tasks:
        top = task.sections[0]
        assert top.title == TOP_TITLES[top.number]
        assert task.heading == task.sections[-1].title
    by_number = {t.number: t for t in doc.tasks}
    assert by_number["34"].heading == "大力打造洪都新城"
    assert by_number["39"].heading == "用心建设文明家园"
    assert [s.to_dict() for s in by_number["39"].sections] == [
        {"number": "四", "title": "聚焦新城打造,推动文明形象实现再提升"},
        {"number": "二", "title": "用心建设文明家园"},
    ]
    assert by_number["78"].heading == TOP_TITLES["六"]


def test_text_is_the_task_line_without_label_or_fields(doc: ParsedDocument, source_records) -> None:
    for task, record in zip(doc.tasks, source_records, strict=True):
        assert task.text == record["text"]
    intro = "为及时、准确掌握"
    assert not any(intro in (t.text + (t.progress or "")) for t in doc.tasks)


def test_units_exact_first_listed_leads(doc: ParsedDocument, source_records) -> None:
    for task, record in zip(doc.tasks, source_records, strict=True):
        names = record["units"].split("、")
        assert task.lead_units == names[:1], task.number
        assert task.support_units == names[1:], task.number


def test_32_distinct_unit_names(doc: ParsedDocument) -> None:
    names = {u for t in doc.tasks for u in t.lead_units + t.support_units}
    assert len(names) == 32
    assert {"区政府办(区外办)", "区政府办", "区人社局", "区人力资源和社会保障局", "集聚区"} <= names
    assert "区外办" not in names and "区政府办(区外办" not in names


def test_every_status_exact(doc: ParsedDocument, source_records) -> None:
    expected = {"已完成并长期坚持": ("done", True), "已完成": ("done", False), "推进中": ("in_progress", False)}
    for task, record in zip(doc.tasks, source_records, strict=True):
        words = re.match(r"^(已完成并长期坚持|已完成|推进中)", record["progress"]).group(1)
        assert (task.status, task.ongoing) == expected[words], task.number
        assert task.status_text == words
    counts = Counter((t.status_text, t.deadline) for t in doc.tasks)
    assert counts == {
        ("已完成并长期坚持", None): 44,
        ("已完成", None): 4,
        ("推进中", None): 29,
        ("推进中", dt.date(2020, 12, 31)): 1,
    }


def test_deadline_from_status_clause(doc: ParsedDocument) -> None:
    task = next(t for t in doc.tasks if t.deadline)
    assert task.number == "14"
    assert task.deadline_text == "年底前"
    assert task.progress.startswith("计划年底前完成。完成低效用地摸底工作")


def test_progress_is_the_text_after_the_status(doc: ParsedDocument, source_records) -> None:
    for task, record in zip(doc.tasks, source_records, strict=True):
        assert record["progress"] == f"{task.status_text}。{task.progress}" or task.number == "14"
    assert doc.tasks[0].progress.startswith("全面落实中央、省、市")


def test_nothing_needs_review(doc: ParsedDocument) -> None:
    assert [t.number for t in doc.tasks if t.needs_review] == []


def test_indicators(doc: ParsedDocument) -> None:
    by_number = {t.number: t for t in doc.tasks}
    assert [i.to_dict() for i in by_number["39"].indicators] == [
        {"name": "新增停车泊位", "target": 1934, "unit": "个", "op": "=", "text": "新增停车泊位1934个"},
        {"name": "道路彩化工程", "target": 5, "unit": "条", "op": "=", "text": "实施井冈山大道等5条道路彩化工程"},
    ]
    assert [(i.name, i.target, i.unit, i.op) for i in by_number["46"].indicators] == [
        ("实现全区道路机械化清扫率", 95, "%", ">=")
    ]


def test_json_shape(doc: ParsedDocument) -> None:
    data = json.loads(json.dumps(doc.to_dict(), ensure_ascii=False))
    assert {"title", "issuer", "date", "kind", "tasks"} <= data.keys()
    assert data["date"] == "2020-12-16"
    task = next(t for t in data["tasks"] if t["number"] == "14")
    assert {
        "number", "path", "heading", "text", "lead_units", "support_units", "leader", "deadline", "deadline_text",
        "status", "status_text", "ongoing", "progress", "indicators", "needs_review", "sections",
    } <= task.keys()
    assert task["deadline"] == "2020-12-31"
    assert task["path"] == ["二", "一", "14"]
    assert task["lead_units"] == ["市自然资源局青云谱分局"] and task["support_units"] == ["区投促局"]
    assert task["needs_review"] is False and task["ongoing"] is False
