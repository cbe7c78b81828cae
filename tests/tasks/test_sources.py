"""Sources (来源): the list with counts, the 来源 filter everywhere, labels where two sources share a list, and
documents for one source."""
from __future__ import annotations

import datetime as dt
import io
from pathlib import Path

import pytest
from django.core.management import call_command
from django.utils import timezone
from docx import Document as Docx

from duban.core.actions import Action
from duban.core.models import ActivityLog
from duban.documents import builders
from duban.tasks.models import SourceDocument, Task
from duban.tasks.register import Matter, register
from duban.units.services import find_unit


@pytest.fixture
def matter(db, user) -> SourceDocument:  # noqa: ANN001
    """A second source beside the demo's: a meeting's three decisions, registered today."""
    tasks = register(user("supervisor"), Matter(
        kind="meeting_decision", title="区政府第12次常务会议纪要", date=timezone.localdate(),
        text="1. 完成积水点改造。\n2. 清理沿街广告牌。\n3. 保障防汛资金。", lead_units=[find_unit("区住建局")]))
    return tasks[0].source


def _texts(data: bytes) -> str:
    return "\n".join(p.text for p in Docx(io.BytesIO(data)).paragraphs)


def test_the_source_list_counts_each_sources_tasks(login, matter: SourceDocument) -> None:
    response = login("supervisor").get("/sources/")
    rows = {doc.pk: doc.counts for doc in response.context["page"].object_list}
    demo = SourceDocument.objects.exclude(pk=matter.pk).get()
    assert rows[matter.pk]["total"] == 3 and rows[matter.pk]["drafts"] == 3
    assert rows[demo.pk]["total"] == Task.objects.actionable().filter(source=demo).count() == 78
    assert rows[demo.pk]["overdue"] == Task.objects.actionable().filter(source=demo, status="overdue").count()
    assert login("leader").get("/sources/").status_code == 200
    assert login("zhujian").get("/sources/").status_code == 403


def test_the_task_list_filters_by_source_and_labels_numbers_when_sources_mix(login, matter) -> None:  # noqa: ANN001
    c = login("supervisor")
    only = c.get("/tasks/", {"source": matter.pk})
    assert [t.source_id for t in only.context["page"].object_list] == [matter.pk] * 3
    assert only.context["sources"] == {}  # one source on screen: numbers need no label
    mixed = c.get("/tasks/", {"unit": find_unit("区住建局").pk})
    assert mixed.context["sources"] == {matter.pk: "区政府第12次常务会议…",
                                        SourceDocument.objects.exclude(pk=matter.pk).get().pk:
                                        SourceDocument.objects.exclude(pk=matter.pk).get().label}


def test_the_task_list_offers_the_sources_and_the_office_registers_from_it(login, matter) -> None:  # noqa: ANN001
    body = login("supervisor").get("/tasks/", {"source": matter.pk}).content.decode()
    select = body[body.index('id="id_source"'):body.index("</select>", body.index('id="id_source"'))]
    assert f'<option value="{matter.pk}" selected>{matter.label}</option>' in select
    assert SourceDocument.objects.exclude(pk=matter.pk).get().label in select
    assert 'href="/tasks/new/"' in body and 'href="/sources/"' in body
    liaison = login("zhujian").get("/tasks/").content.decode()
    assert 'id="id_source"' not in liaison and 'href="/tasks/new/"' not in liaison


def test_editing_a_source_is_audited_and_refused_when_stale(login, matter: SourceDocument) -> None:
    c = login("supervisor")
    form = c.get(f"/sources/{matter.pk}/").context["form"]
    loaded = form.initial["loaded"]
    data = {"title": matter.title, "short_title": "常务会12", "kind": matter.kind,
            "date": matter.date.isoformat(), "issuer": "", "loaded": loaded}
    assert c.post(f"/sources/{matter.pk}/", data).status_code == 302
    entry = ActivityLog.objects.filter(action=Action.SOURCE_UPDATE, object_id=str(matter.pk)).get()
    assert entry.after == {"short_title": "常务会12"}
    assert c.post(f"/sources/{matter.pk}/", {**data, "short_title": "别的"}).status_code == 409
    assert SourceDocument.objects.get(pk=matter.pk).short_title == "常务会12"
    assert login("leader").get(f"/sources/{matter.pk}/").status_code == 403


def test_documents_for_one_source_are_titled_after_it(login, matter: SourceDocument) -> None:
    c = login("supervisor")
    report = _texts(c.get("/documents/report/", {"source": matter.pk}).content)
    assert "区政府第12次常务会议纪要" in report and "完成积水点改造" in report and "洪都" not in report
    bulletin = _texts(c.get("/documents/bulletin/", {"source": matter.pk}).content)
    assert "关于区政府第12次常务会议纪要的通报" in bulletin


def test_as_of_leaves_out_tasks_that_did_not_exist_yet(matter: SourceDocument) -> None:
    yesterday = timezone.localdate() - dt.timedelta(days=1)
    assert builders.report_tasks(Task.objects.filter(source=matter), yesterday).count() == 0
    assert builders.report_tasks(Task.objects.filter(source=matter), timezone.localdate()).count() == 3
    demo = Task.objects.actionable().exclude(source=matter)
    assert builders.report_tasks(demo, yesterday).count() == 78  # imported tasks date from their document


def test_the_dashboard_shows_one_sources_chart(login, matter: SourceDocument) -> None:
    response = login("supervisor").get("/dashboard/", {"source": matter.pk})
    assert response.context["source"] == matter
    total = response.context["headlines"][0]
    assert (total.key, total.value, total.url) == ("total", 3, f"/tasks/?source={matter.pk}")
    assert response.context["headlines"][3].url == f"/tasks/?source={matter.pk}&status=behind"


def test_export_for_one_source(matter: SourceDocument, tmp_path: Path) -> None:
    out = tmp_path / "report.docx"
    call_command("export", "report", "--source", "区政府第12次常务会议纪要", "--out", str(out))
    assert "完成积水点改造" in _texts(out.read_bytes()) and "洪都" not in _texts(out.read_bytes())
