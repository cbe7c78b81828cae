"""立项: matters registered by hand, one task per numbered item, with the office's default deadlines."""
from __future__ import annotations

import datetime as dt

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from duban.core.actions import Action
from duban.core.models import ActivityLog
from duban.core.office import save_office
from duban.core.workdays import work_calendar
from duban.notify.models import Notification
from duban.tasks.models import SourceDocument, Task
from duban.units.services import find_unit


def _post(client, **data):  # noqa: ANN001, ANN003, ANN201
    form = {"kind": "leader_instruction", "cadence": "once", "text": "请区住建局抓紧排查老旧小区燃气管道隐患。",
            "lead_units": "区住建局", **data}
    return client.post("/tasks/new/", form)


def test_an_instruction_registered_and_dispatched_from_one_form(login) -> None:
    c = login("supervisor")
    assert c.get("/tasks/new/").status_code == 200
    response = _post(c, title="王副区长批示", source_text="请住建局牵头，一周内报结果。", support_units="区应急管理局",
                     dispatch="on")
    task = Task.objects.with_units().select_related("source").latest("pk")
    assert response.status_code == 302 and response.url == f"/tasks/{task.pk}/"
    assert task.source.kind == SourceDocument.Kind.LEADER_INSTRUCTION and task.source.title == "王副区长批示"
    assert task.source.text == "请住建局牵头，一周内报结果。"
    assert [u.pk for u in task.lead_units] == [find_unit("区住建局").pk]
    assert task.deadline == work_calendar().add_workdays(timezone.localdate(), 5)
    assert task.dispatch_state == Task.Dispatch.DISPATCHED and task.cadence == Task.Cadence.ONCE
    assert Notification.objects.filter(recipient__username="zhujian", link=f"/tasks/{task.pk}/").exists()
    assert ActivityLog.objects.filter(action=Action.TASK_REGISTER, object_id=str(task.source_id)).exists()
    assert ActivityLog.objects.filter(action=Action.TASK_DISPATCH, object_id=str(task.pk)).exists()


def test_pasted_numbered_items_become_one_task_each(login) -> None:
    text = "会议议定事项如下：\n1. 区住建局牵头完成积水点改造。\n2. 区城管局负责清理\n沿街广告牌。\n3. 区财政局保障资金。"
    response = _post(login("supervisor"), kind="meeting_decision", text=text, working_days="10")
    source = SourceDocument.objects.latest("pk")
    assert response.status_code == 302 and response.url == f"/tasks/?source={source.pk}"
    tasks = list(source.tasks.order_by("path"))
    assert [(t.number, t.text) for t in tasks] == [("1", "区住建局牵头完成积水点改造。"),
                                                    ("2", "区城管局负责清理沿街广告牌。"), ("3", "区财政局保障资金。")]
    assert {t.deadline for t in tasks} == {work_calendar().add_workdays(timezone.localdate(), 10)}
    assert all(t.dispatch_state == Task.Dispatch.DRAFT for t in tasks)
    assert source.title.startswith("会议议定")


def test_urgent_matters_and_the_offices_own_defaults(login) -> None:
    c = login("supervisor")
    save_office(None, deadline_days={"leader_instruction": 7, "urgent": 2})
    _post(c)
    assert Task.objects.latest("pk").deadline == work_calendar().add_workdays(timezone.localdate(), 7)
    _post(c, urgent="on")
    task = Task.objects.latest("pk")
    assert task.deadline == work_calendar().add_workdays(timezone.localdate(), 2)
    assert task.priority == Task.Priority.URGENT


def test_refusals_keep_everything_out(login) -> None:
    c = login("supervisor")
    count = Task.objects.count()
    bad = [
        {"dispatch": "on", "lead_units": ""},  # nobody to dispatch to
        {"lead_units": "区不存在局"},
        {"text": "长" * 2001},
        {"deadline": "2020-01-01"},  # in the past, not confirmed
        {"working_days": "0"},
        {"kind": "work_report"},
        {"attachment": SimpleUploadedFile("批示.exe", b"MZ\x90\x00binary", "application/pdf")},
    ]
    for data in bad:
        response = _post(c, **data)
        assert response.status_code == 400, data
        assert 'id="form-errors"' in response.content.decode()
    assert Task.objects.count() == count
    assert _post(c, deadline="2020-01-01", confirm_deadline="on").status_code == 302
    assert Task.objects.latest("pk").deadline == dt.date(2020, 1, 1)


def test_only_the_office_registers_matters(login) -> None:
    for role in ("leader", "zhujian", "zhujian_head"):
        assert login(role).get("/tasks/new/").status_code == 403
        assert _post(login(role)).status_code == 403
