"""Builders from the demo district: the seed-001 report, the bulletin, letters and briefings."""
from __future__ import annotations

import datetime as dt
import io

import pytest
from django.db import connection
from django.db.models import Count
from django.test.utils import CaptureQueriesContext
from docx import Document as read_docx

from duban import ingest
from duban.documents import builders, services
from duban.documents.gbt9704 import Heading, Item, Paragraph
from duban.documents.models import Briefing, DocumentTemplate
from duban.letters.models import Letter
from duban.tasks.models import Task, TaskUnit
from duban.tasks.reporting.models import ProgressReport
from duban.units.models import Unit
from duban.units.services import find_unit

AS_OF = dt.date(2026, 11, 18)


def _texts(data: bytes) -> list[str]:
    return [p.text for p in read_docx(io.BytesIO(data)).paragraphs]


@pytest.fixture
def report(db) -> bytes:
    return builders.render(builders.build_report(Task.objects.actionable(), AS_OF))


def test_report_has_all_78_tasks_under_their_sections(db) -> None:
    document = builders.build_report(Task.objects.actionable(), AS_OF)
    items = [b for b in document.blocks if isinstance(b, Item)]
    assert [i.label for i in items] == [f"{n}." for n in range(1, 79)]
    headings = [b.text for b in document.blocks if isinstance(b, Heading)]
    assert sum(1 for b in document.blocks if isinstance(b, Heading) and b.level == 1) == 6
    assert sum(1 for b in document.blocks if isinstance(b, Heading) and b.level == 2) == 15
    assert headings[:2] == ["一、聚焦两手抓、两战赢,确保经济社会实现稳增长", "(一)抓实抓细强化疫情防控"]
    # each task is followed by its 责任单位 and 落实情况 lines
    for i, block in enumerate(document.blocks):
        if isinstance(block, Item):
            units, progress = document.blocks[i + 1], document.blocks[i + 2]
            assert isinstance(units, Paragraph) and units.lead == "责任单位:" and units.text
            assert isinstance(progress, Paragraph) and progress.lead == "落实情况:"


def test_report_units_list_lead_units_first(db) -> None:
    document = builders.build_report(Task.objects.actionable().filter(number="1"), AS_OF)
    units = next(b for b in document.blocks if isinstance(b, Paragraph) and b.lead == "责任单位:")
    assert units.text == "区卫生健康委、区教体局、区市场监管局、区民政局"


def test_progress_starts_with_the_status_and_the_latest_accepted_report(db) -> None:
    task = Task.objects.actionable().get(number="1")
    assert task.status == Task.Status.DONE and task.ongoing
    report = ProgressReport.objects.filter(task=task, state=ProgressReport.State.ACCEPTED).first()
    report.progress = "已完成。本月完成全部闭环管理。"
    report.save(update_fields=["progress"])
    doc = builders.build_report(Task.objects.filter(pk=task.pk), AS_OF)
    progress = next(b for b in doc.blocks if isinstance(b, Paragraph) and b.lead == "落实情况:")
    assert progress.text == "已完成并长期坚持。本月完成全部闭环管理。"


def test_reports_after_the_as_of_date_are_left_out(db) -> None:
    task = (Task.objects.actionable().filter(reports__state=ProgressReport.State.ACCEPTED,
                                            reports__reviewed_at__isnull=False).order_by("path").first())
    latest = (ProgressReport.objects.filter(task=task, state=ProgressReport.State.ACCEPTED)
              .order_by("-period_end").first())
    before = latest.period_start - dt.timedelta(days=1)
    doc = builders.build_report(Task.objects.filter(pk=task.pk), before)
    progress = next(b for b in doc.blocks if isinstance(b, Paragraph) and b.lead == "落实情况:")
    assert latest.progress.strip() not in progress.text


def test_status_words_follow_the_vocabulary_when_the_parser_reads_them(settings, db) -> None:  # noqa: ANN001
    settings.DUBAN_STATUS_VOCABULARY = "shouxian"
    assert builders.status_word("behind", False) == "滞后序时"
    settings.DUBAN_STATUS_VOCABULARY = "default"
    assert builders.status_word("on_schedule", False) == "序时推进"
    assert builders.status_word("done", True) == "已完成并长期坚持"
    assert builders.status_word("ahead", False) == "超进度"  # 超序时 would not parse back
    assert builders.status_word("overdue", False) == "进展滞后"


def test_report_parses_back_to_the_same_78_tasks_and_units(report: bytes) -> None:
    parsed = ingest.parse_bytes(report, "report.docx", date=AS_OF)
    assert len(parsed.tasks) == 78
    tasks = {t.number: t for t in Task.objects.actionable().with_units()}
    for item in parsed.tasks:
        task = tasks[str(item.number)]
        assert item.lead_units == [u.display_name for u in task.lead_units], item.number
        assert item.support_units == [u.display_name for u in task.support_units], item.number
        assert item.status == ("done" if task.status == Task.Status.DONE else item.status)


def test_report_docx_has_the_sections_and_fields(report: bytes) -> None:
    texts = _texts(report)
    assert texts[0] == "青云谱区2026年《政府工作报告》重点任务落实情况"
    assert sum(t.startswith("责任单位：") for t in texts) == 78
    assert sum(t.startswith("落实情况：") for t in texts) == 78
    assert "一、聚焦两手抓、两战赢，确保经济社会实现稳增长" in texts


def test_report_queries_do_not_grow_with_the_tasks(db) -> None:
    def count(qs) -> int:
        with CaptureQueriesContext(connection) as queries:
            builders.build_report(qs, AS_OF)
        return len(queries)

    few = count(Task.objects.actionable().filter(number__in=["1", "2"]))
    assert count(Task.objects.actionable()) == few


def test_report_uses_the_office_template(db) -> None:
    DocumentTemplate.objects.filter(kind="report").update(
        title="{{ year }}年重点任务落实情况", signature="青云谱区人民政府办公室", intro="共{{ task_count }}项。")
    doc = builders.build_report(Task.objects.actionable(), AS_OF)
    assert doc.title == "2026年重点任务落实情况"
    assert doc.signature == "青云谱区人民政府办公室"
    assert doc.blocks[0].text == "共78项。"


def test_every_kind_has_a_default_template_row(db) -> None:
    assert set(DocumentTemplate.objects.values_list("kind", flat=True)) == {
        "report", "bulletin", "briefing", "letter"}


def test_bulletin_figures_equal_the_database_counts(db) -> None:
    figures = builders.bulletin_figures(Task.objects.actionable())
    tasks = Task.objects.actionable()
    assert figures["tasks"] == tasks.count() == 78
    assert figures["done"] == tasks.filter(status="done").count()
    assert figures["ongoing"] == tasks.filter(status="done", ongoing=True).count()
    assert figures["on_schedule"] == tasks.filter(status__in=("on_schedule", "ahead")).count()
    assert figures["behind"] == tasks.filter(status="behind").count()
    assert figures["overdue"] == tasks.filter(status="overdue").count()
    texts = "\n".join(_texts(builders.render(builders.build_bulletin(Task.objects.all(), AS_OF))))
    assert f"共有重点任务{figures['tasks']}项" in texts
    assert f"已完成{figures['done']}项" in texts
    assert f"滞后序时{figures['behind']}项" in texts
    assert f"逾期未完成{figures['overdue']}项" in texts


def test_bulletin_names_late_tasks_and_their_units(db) -> None:
    late = Task.objects.actionable().filter(status__in=("behind", "overdue")).with_units()
    doc = builders.build_bulletin(Task.objects.all(), AS_OF)
    items = {b.text for b in doc.blocks if isinstance(b, Item)}
    assert items == {t.text for t in late}
    leads = [b.text for b in doc.blocks if isinstance(b, Paragraph) and b.lead == "牵头单位:"]
    assert any(t.lead_units[0].display_name in line for t in late for line in leads)
    overdue = next(t for t in late if t.status == "overdue")
    assert any(line.endswith(f"已逾期，{overdue.status_reason}。") for line in leads)  # no brackets inside brackets
    letters = Letter.objects.filter(issued_on__lte=AS_OF, year=2026)
    text = "\n".join(b.text for b in doc.blocks if isinstance(b, Paragraph))
    escalations = letters.filter(kind="escalate").count()
    assert f"督办单{escalations}件" in text


def test_a_long_bulletin_names_the_first_items_and_counts_the_rest_by_unit(db, monkeypatch) -> None:
    monkeypatch.setattr(builders, "BULLETIN_ITEMS", 3)
    late = Task.objects.actionable().filter(status__in=("behind", "overdue"))
    doc = builders.build_bulletin(Task.objects.all(), AS_OF)
    assert len([b for b in doc.blocks if isinstance(b, Item)]) == 3
    rest = next(b.text for b in doc.blocks if isinstance(b, Paragraph) and b.text.startswith("另有"))
    assert rest.startswith(f"另有{late.count() - 3}项滞后或逾期事项")
    busiest = (TaskUnit.objects.filter(task__in=late, role="lead").values("unit").annotate(n=Count("pk"))
               .order_by("-n").first())
    assert f"{Unit.objects.get(pk=busiest['unit']).display_name}{busiest['n']}项" in rest


def test_bulletin_rankings_only_when_given(db, monkeypatch) -> None:
    doc = builders.build_bulletin(Task.objects.all(), AS_OF, None)
    assert not any(isinstance(b, Heading) and "排名" in b.text for b in doc.blocks)
    rows = [{"rank": 1, "unit_name": "区住建局", "score": 98.5, "honour": True, "warning": False}]
    doc = builders.build_bulletin(Task.objects.all(), AS_OF, rows)
    assert any(isinstance(b, Heading) and b.text == "四、考核排名" for b in doc.blocks)
    assert any(isinstance(b, Paragraph) and b.text == "1.区住建局 98.5分(红榜)" for b in doc.blocks)


def test_rankings_are_off_by_default(db) -> None:
    assert builders.bulletin_rankings(AS_OF) is None


def test_letter_has_its_number_addressee_body_and_date(db) -> None:
    letter = Letter.objects.select_related("unit").order_by("id").first()
    doc = builders.build_letter(letter)
    assert doc.header.number == letter.number
    assert doc.title == letter.title
    assert doc.addressee == letter.body.splitlines()[0].rstrip(":：")
    assert doc.date == letter.issued_on
    assert doc.signature == doc.header.org == "青云谱区人民政府督查室"  # the demo office, from its record
    texts = _texts(builders.render(doc))
    assert letter.number in texts
    assert f"{doc.addressee}：" in texts
    assert not any(t.endswith(f"{letter.issued_on.day}日") and t.startswith("青云谱区") for t in texts)


def test_letters_each_start_on_a_new_page(db) -> None:
    letters = list(Letter.objects.select_related("unit").order_by("id")[:3])
    docx = read_docx(io.BytesIO(builders.render(builders.build_letters(letters))))
    texts = [p.text for p in docx.paragraphs]
    for letter in letters:
        assert letter.number in texts
    assert docx.element.xml.count('w:type="page"') == 2


def test_briefing_numbers_increase_within_a_year(db, user) -> None:
    tasks = list(Task.objects.actionable().order_by("path")[:2])
    first = services.create_briefing(user("supervisor"), tasks=tasks, issued_on=AS_OF, lead="编者按文字")
    second = services.create_briefing(user("supervisor"), tasks=tasks[:1], issued_on=AS_OF)
    next_year = services.create_briefing(user("supervisor"), tasks=tasks[:1], issued_on=dt.date(2027, 1, 5))
    assert second.seq == first.seq + 1
    assert next_year.seq == 1
    assert [i["task"] for i in first.items] == [t.pk for t in tasks]
    doc = builders.build_briefing(first)
    assert doc.header.number == f"第{first.seq}期"
    assert doc.header.date == AS_OF
    texts = _texts(builders.render(doc))
    assert "编者按：编者按文字" in texts
    assert f"第{first.seq}期" in texts
    assert Briefing.objects.filter(year=2026).count() == 2


def test_briefing_items_copy_the_latest_accepted_progress(db) -> None:
    task = Task.objects.actionable().get(number="1")
    item = builders.briefing_items(Task.objects.filter(pk=task.pk), AS_OF)[0]
    assert item["unit"] == "区卫生健康委"
    assert item["text"].startswith("已完成并长期坚持。")
    assert item["headline"] == "严格落实“五个闭环”管理"


def test_units_line_puts_the_lead_first(db) -> None:
    task = Task.objects.actionable().with_units().get(number="1")
    TaskUnit.objects.filter(task=task, role=TaskUnit.Role.LEAD).update(order=99)  # listed last, still leads
    task = Task.objects.actionable().with_units().get(number="1")
    assert builders.units_line(task).startswith(find_unit("区卫生健康委").display_name + "、")
