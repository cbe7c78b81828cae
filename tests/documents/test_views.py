"""Document downloads on the web: who gets what, file names, the audit trail, the briefing builder."""
from __future__ import annotations

import io
from urllib.parse import quote

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from docx import Document as read_docx

from duban.core.models import ActivityLog
from duban.documents import pdf
from duban.documents.models import Briefing
from duban.letters.models import Letter
from duban.tasks.access import visible_tasks
from duban.tasks.models import Task
from duban.units.services import find_unit

ROLES = ("admin", "supervisor", "leader", "zhujian", "renshe")


def _client(login, role: str) -> Client:
    return Client() if role == "anonymous" else login(role)


def _texts(response) -> list[str]:
    return [p.text for p in read_docx(io.BytesIO(response.content)).paragraphs]


@pytest.fixture
def zhujian_letter(db) -> Letter:
    return Letter.objects.filter(unit=find_unit("区住建局")).order_by("id").first()


@pytest.fixture
def briefing(db, user) -> Briefing:
    import datetime as dt

    from duban.documents.services import create_briefing

    return create_briefing(user("supervisor"), tasks=list(Task.objects.actionable()[:2]),
                           issued_on=dt.date(2026, 11, 18))


@pytest.mark.parametrize("role, index, report, bulletin, letter, builder, briefing_dl", [
    ("anonymous", 302, 302, 302, 302, 302, 302),
    ("admin", 200, 200, 200, 200, 200, 200),
    ("supervisor", 200, 200, 200, 200, 200, 200),
    ("leader", 200, 200, 200, 200, 403, 200),
    ("zhujian", 200, 200, 403, 200, 403, 403),
    ("renshe", 200, 200, 403, 404, 403, 403),
])
def test_role_matrix(login, zhujian_letter, briefing, role: str, index: int, report: int,
                     bulletin: int, letter: int, builder: int, briefing_dl: int) -> None:
    c = _client(login, role)
    assert c.get(reverse("documents-index")).status_code == index
    assert c.get(reverse("documents-report")).status_code == report
    assert c.get(reverse("documents-bulletin")).status_code == bulletin
    assert c.get(reverse("documents-letter", args=[zhujian_letter.pk])).status_code == letter
    assert c.get(reverse("documents-briefing-new")).status_code == builder
    assert c.get(reverse("documents-briefing", args=[briefing.pk])).status_code == briefing_dl


def test_report_download_is_a_docx_with_a_chinese_file_name(login) -> None:
    response = login("supervisor").get(reverse("documents-report"), {"as_of": "2026-11-18"})
    assert response["Content-Type"].startswith("application/vnd.openxmlformats-officedocument")
    assert response["Content-Disposition"] == (
        "attachment; filename*=utf-8''" + quote("落实情况报告_2026-11-18.docx"))
    texts = _texts(response)
    assert sum(t.startswith("责任单位：") for t in texts) == 78
    assert "（截至2026年11月18日）" in texts


def test_liaison_report_holds_only_the_units_tasks(login, user) -> None:
    texts = _texts(login("zhujian").get(reverse("documents-report")))
    visible = visible_tasks(user("zhujian"), Task.objects.actionable())
    assert sum(t.startswith("责任单位：") for t in texts) == visible.count() == 9
    other = Task.objects.actionable().exclude(pk__in=visible.values("pk")).first()
    assert not any(other.text[:20] in t for t in texts)


def test_report_follows_the_task_filters(login) -> None:
    unit = find_unit("区人社局")
    texts = _texts(login("supervisor").get(reverse("documents-report"), {"unit": unit.pk, "status": "done"}))
    expected = Task.objects.actionable().filter(task_units__unit=unit, status="done").distinct().count()
    assert expected and sum(t.startswith("责任单位：") for t in texts) == expected


def test_each_download_is_logged(login, zhujian_letter) -> None:
    c = login("zhujian")
    before = ActivityLog.objects.filter(action="document.generate").count()
    c.get(reverse("documents-report"), {"as_of": "2026-11-01"})
    c.get(reverse("documents-letter", args=[zhujian_letter.pk]))
    entries = list(ActivityLog.objects.filter(action="document.generate").order_by("seq")[before:])
    assert len(entries) == 2
    assert entries[0].actor.username == "zhujian"
    assert entries[0].after["kind"] == "report" and entries[0].after["as_of"] == "2026-11-01"
    assert entries[1].object_type == "letters.letter" and entries[1].object_id == str(zhujian_letter.pk)


def test_letter_download_names_the_number(login, zhujian_letter) -> None:
    response = login("zhujian").get(reverse("documents-letter", args=[zhujian_letter.pk]))
    assert quote(f"{zhujian_letter.number}.docx") in response["Content-Disposition"]
    assert zhujian_letter.number in _texts(response)


def test_letter_page_links_the_download(login, zhujian_letter) -> None:
    page = login("zhujian").get(reverse("letter-detail", args=[zhujian_letter.pk])).content.decode()
    assert reverse("documents-letter", args=[zhujian_letter.pk]) in page
    assert ("?format=pdf" in page) == pdf.available()


def test_task_list_links_the_report_with_its_filters(login) -> None:
    page = login("supervisor").get(reverse("task-list"), {"status": "done", "q": "疫情"}).content.decode()
    assert f'{reverse("documents-report")}?status=done&amp;q=' in page


def test_pdf_is_refused_when_libreoffice_is_missing(login, monkeypatch) -> None:
    monkeypatch.setattr(pdf, "soffice", lambda: None)
    assert login("supervisor").get(reverse("documents-report"), {"format": "pdf"}).status_code == 404
    page = login("supervisor").get(reverse("documents-index")).content.decode()
    assert 'value="pdf"' not in page


def test_briefing_builder_compiles_the_next_issue(login) -> None:
    c = login("supervisor")
    page = c.get(reverse("documents-briefing-new"), {"unit": find_unit("区住建局").pk})
    assert page.status_code == 200
    tasks = list(Task.objects.actionable().filter(task_units__unit=find_unit("区住建局")).order_by("path")[:2])
    last = Briefing.objects.filter(year=2026).order_by("-seq").values_list("seq", flat=True).first() or 0
    response = c.post(reverse("documents-briefing-new"),
                      {"task": [t.pk for t in tasks], "lead": "住建局挂图作战成效明显。", "title": "城建专刊"})
    assert response.status_code == 302
    briefing = Briefing.objects.get(year=2026, seq=last + 1)
    assert [i["task"] for i in briefing.items] == [t.pk for t in tasks]
    assert ActivityLog.objects.filter(action="briefing.create", object_id=str(briefing.pk)).exists()
    texts = _texts(c.get(reverse("documents-briefing", args=[briefing.pk])))
    assert f"第{last + 1}期" in texts and "城建专刊" in texts
    assert c.post(reverse("documents-briefing-new"), {"lead": "x"}).status_code == 400


def test_briefing_with_a_written_article_and_columns(login) -> None:
    """As seeds 000 and 003: 【栏目】 above its first item, the office's own article first; a refused form keeps
    what was typed."""
    c = login("supervisor")
    article = {"article_column": "典型推介", "article_headline": "三到位三强化三保障",
               "article_unit": "市人社局", "article_text": "一、全员动员,确保“三个到位”。\n二、全面参与,做到“三个强化”。"}
    refused = c.post(reverse("documents-briefing-new"), {**article, "article_text": "", "lead": "编者按草稿"})
    assert refused.status_code == 400
    assert "三到位三强化三保障" in refused.content.decode() and "编者按草稿" in refused.content.decode()
    task = Task.objects.actionable().order_by("path").first()
    assert c.post(reverse("documents-briefing-new"), {**article, "task": [task.pk], "column": "工作动态"}
                  ).status_code == 302
    briefing = Briefing.objects.order_by("-pk").first()
    assert [(i["column"], i.get("task")) for i in briefing.items] == [("典型推介", None), ("工作动态", task.pk)]
    texts = _texts(c.get(reverse("documents-briefing", args=[briefing.pk])))
    assert texts.index("【典型推介】") < texts.index("三到位三强化三保障") < texts.index("（市人社局）") \
        < texts.index("二、全面参与，做到“三个强化”。") < texts.index("【工作动态】")
    only_article = c.post(reverse("documents-briefing-new"), article)  # no task chosen: the article alone
    assert only_article.status_code == 302 and len(Briefing.objects.order_by("-pk").first().items) == 1


def test_briefing_builder_queries_stay_constant(login) -> None:
    c = login("supervisor")

    def count(params: dict) -> int:
        with CaptureQueriesContext(connection) as queries:
            assert c.get(reverse("documents-briefing-new"), params).status_code == 200
        return len(queries)

    assert count({"q": "疫情"}) == count({})


def test_letter_as_pdf(login, zhujian_letter) -> None:
    assert pdf.available(), "LibreOffice (soffice) must be installed for the PDF tests"
    response = login("zhujian").get(reverse("documents-letter", args=[zhujian_letter.pk]), {"format": "pdf"})
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    assert quote(f"{zhujian_letter.number}.pdf") in response["Content-Disposition"]
