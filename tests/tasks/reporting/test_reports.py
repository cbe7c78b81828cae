from __future__ import annotations

import datetime as dt
import re

from django.core.files.uploadedfile import SimpleUploadedFile

from duban.core.models import ActivityLog
from duban.tasks.models import Task, TaskUnit
from duban.tasks.reporting.models import ProgressReport, ReportRevision
from duban.tasks.reporting.services import open_period, prefill
from duban.units.services import find_unit


def _due_task(unit_name: str = "区住建局") -> Task:
    """An open task of the unit whose current period still awaits the unit's report."""
    from duban.people.models import User
    from duban.site.todo import unit_todo

    liaison = User.objects.filter(unit=find_unit(unit_name), role="liaison").first()
    task, _period = unit_todo(liaison).report[0]
    return task


def _form_values(html: str) -> dict[str, str]:
    """What a browser would send back for the form as rendered (inputs and textareas)."""
    values = dict(re.findall(r'<input[^>]*name="([^"]+)"[^>]*value="([^"]*)"', html))
    values |= {name: text.strip() for name, text in re.findall(
        r'<textarea[^>]*name="([^"]+)"[^>]*>(.*?)</textarea>', html, re.S)}
    values.pop("evidence", None)
    return values


def test_prefilled_report_is_sent_as_is_in_two_interactions(login) -> None:
    task = _due_task()
    c = login("zhujian")
    page = c.get(f"/tasks/{task.pk}/report/").content.decode()  # 1: open the form from the to-do list
    assert 'id="prefill-note"' in page
    previous = ProgressReport.objects.filter(task=task, unit=find_unit("区住建局")).exclude(
        state="draft").order_by("-period_end").first()
    assert previous.progress[:10] in page
    response = c.post(f"/tasks/{task.pk}/report/", _form_values(page))  # 2: send
    assert response.status_code == 302
    report = ProgressReport.objects.filter(task=task, unit=find_unit("区住建局")).order_by("-period_start").first()
    assert report.state == ProgressReport.State.SUBMITTED
    assert report.progress == previous.progress and report.percent == previous.percent
    assert ReportRevision.objects.filter(report=report).count() == 1
    assert ActivityLog.objects.filter(action="report.submit", object_id=str(report.pk)).exists()


def test_double_submit_creates_one_report(login) -> None:
    task = _due_task()
    c = login("zhujian")
    form = _form_values(c.get(f"/tasks/{task.pk}/report/").content.decode())
    data = {**form, "progress": "本月完成主体施工。", "percent": "60"}
    before = ProgressReport.objects.count()
    assert c.post(f"/tasks/{task.pk}/report/", data).status_code == 302
    c.post(f"/tasks/{task.pk}/report/", data)
    assert ProgressReport.objects.count() == before + 1


def test_late_report_is_accepted_and_marked(login, user) -> None:
    task = _due_task()
    period = open_period(task)
    assert period.due < dt.date(2026, 11, 18)  # the demo's October report, due 5 November
    login("zhujian").post(f"/tasks/{task.pk}/report/", {"progress": "补报十月进展。"})
    report = ProgressReport.objects.get(task=task, period=period, unit=find_unit("区住建局"))
    assert report.late


def test_evidence_is_optional_and_served_only_with_permission(login, settings, tmp_path) -> None:
    settings.MEDIA_ROOT = tmp_path
    task = _due_task()
    login("zhujian").post(f"/tasks/{task.pk}/report/", {
        "progress": "已完成。", "evidence": SimpleUploadedFile("现场照片.jpg", b"\xff\xd8\xff data")})
    report = ProgressReport.objects.filter(task=task).order_by("-id").first()
    attachment = report.attachments.get()
    assert attachment.name == "现场照片.jpg" and "现场照片" not in attachment.file.name
    assert login("zhujian").get(f"/reports/attachments/{attachment.pk}/").status_code == 200
    assert login("renshe").get(f"/reports/attachments/{attachment.pk}/").status_code == 404


def test_return_and_resubmit_keep_the_history(login) -> None:
    report = ProgressReport.objects.filter(state="submitted").select_related("task").first()
    sup = login("supervisor")
    assert sup.post(f"/reports/{report.pk}/review/", {"decision": "return", "note": ""}).status_code == 302
    report.refresh_from_db()
    assert report.state == "submitted"  # a return needs a reason
    sup.post(f"/reports/{report.pk}/review/", {"decision": "return", "note": "请补充资金到位情况"})
    report.refresh_from_db()
    assert report.state == "returned" and report.returned_count == 1
    unit_user = report.unit.people.filter(role="liaison").first()
    from django.test import Client
    c = Client()
    c.force_login(unit_user)
    assert "请补充资金到位情况" in c.get("/todo/").content.decode()
    page = c.get(f"/tasks/{report.task_id}/report/").content.decode()
    assert "请补充资金到位情况" in page and report.progress[:10] in page
    c.post(f"/tasks/{report.task_id}/report/", {"progress": report.progress + "资金到位80%。"})
    report.refresh_from_db()
    assert report.state == "submitted" and report.progress.endswith("资金到位80%。")
    states = list(report.revisions.values_list("state", flat=True))
    assert states[-3:] == ["submitted", "returned", "submitted"]
    history = sup.get(f"/reports/{report.pk}/").content.decode()
    assert history.count('class="revision"') == len(states) and "请补充资金到位情况" in history


def test_accepting_recomputes_the_task(login) -> None:
    report = ProgressReport.objects.filter(state="submitted").select_related("task").first()
    before = report.task.status_reason
    login("supervisor").post(f"/reports/{report.pk}/review/", {"decision": "accept"})
    report.refresh_from_db()
    report.task.refresh_from_db()
    assert report.state == "accepted"
    assert report.task.status_reason and (report.task.status_reason != before or report.percent is not None)


def test_unit_head_approval_when_the_unit_wants_it(login, user) -> None:
    unit = find_unit("区住建局")
    unit.requires_head_approval = True
    unit.save()
    task = _due_task()
    login("zhujian").post(f"/tasks/{task.pk}/report/", {"progress": "本月进展。"})
    report = ProgressReport.objects.filter(task=task, unit=unit).order_by("-id").first()
    assert report.state == ProgressReport.State.PENDING_APPROVAL
    assert "本月进展" not in login("supervisor").get("/review/").content.decode()
    head = login("zhujian_head")
    assert "本月进展" in head.get("/todo/").content.decode()
    head.post(f"/reports/{report.pk}/approve/")
    report.refresh_from_db()
    assert report.state == ProgressReport.State.SUBMITTED and report.approved_by.username == "zhujian_head"


def test_supporting_unit_contributes_and_the_lead_sees_it(db) -> None:  # noqa: ANN001
    from django.test import Client

    tu = (TaskUnit.objects.filter(role="support", task__status__in=["on_schedule", "behind", "ahead"])
          .exclude(task__dispatch_state="draft").select_related("task", "unit").first())
    task = Task.objects.with_units().get(pk=tu.task_id)
    supporter, lead = Client(), Client()
    supporter.force_login(tu.unit.people.filter(role="liaison").first())
    lead.force_login(task.lead_units[0].people.filter(role="liaison").first())
    assert "作为配合单位" in supporter.get(f"/tasks/{task.pk}/report/").content.decode()
    supporter.post(f"/tasks/{task.pk}/report/", {"progress": "配合完成道路改造设计。"})
    contribution = ProgressReport.objects.get(task=task, unit=tu.unit, progress="配合完成道路改造设计。")
    assert contribution.period == open_period(task)
    assert "配合完成道路改造设计" in lead.get(f"/tasks/{task.pk}/report/").content.decode()


def test_prefill_uses_the_last_report(db) -> None:  # noqa: ANN001
    task = _due_task()
    period = open_period(task)
    values = prefill(task, find_unit("区住建局"), period)
    last = ProgressReport.objects.filter(task=task, unit=find_unit("区住建局"), period_start__lt=period.start).exclude(
        state="draft").order_by("-period_end").first()
    assert values["progress"] == last.progress
