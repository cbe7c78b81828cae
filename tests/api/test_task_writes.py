"""POST /api/v1/tasks (立项) and PATCH /api/v1/tasks/{id}: the page's rules, Chinese messages, never a 500."""
from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone
from django.utils.translation import override

from duban.core.actions import Action
from duban.core.models import ActivityLog
from duban.core.workdays import work_calendar
from duban.tasks.models import Task
from duban.units.services import find_unit

JSON = "application/json"


def _post(client, **body):  # noqa: ANN001, ANN003, ANN201
    return client.post("/api/v1/tasks", {"text": "请抓紧排查燃气管道隐患。", "source_kind": "leader_instruction",
                                         "lead_units": ["区住建局"], **body}, content_type=JSON)


def test_a_matter_is_registered_and_dispatched(login) -> None:
    response = _post(login("supervisor"), support_units=[find_unit("区人社局").pk], dispatch=True,
                     source_title="王副区长批示", leader="leader")
    assert response.status_code == 201
    [task] = response.json()
    assert [u["name"] for u in task["lead_units"]] == ["区住建局"] and task["leader"] == "王副区长"
    assert task["deadline"] == work_calendar().add_workdays(timezone.localdate(), 5).isoformat()
    stored = Task.objects.select_related("source").get(pk=task["id"])
    assert stored.dispatch_state == Task.Dispatch.DISPATCHED and stored.source.title == "王副区长批示"


def test_numbered_items_give_several_tasks(login) -> None:
    response = _post(login("supervisor"), text="1. 排查隐患。\n2. 完成整改。", working_days=10)
    assert [t["number"] for t in response.json()] == ["1", "2"]


@pytest.mark.parametrize(("body", "status"), [
    ({"lead_units": ["区不存在局"]}, 400),
    ({"source_kind": "work_report"}, 400),
    ({"cadence": "hourly"}, 400),
    ({"leader": "zhujian"}, 400),  # not a leader
    ({"deadline": "2020-01-01"}, 400),  # past, not confirmed
    ({"dispatch": True, "lead_units": []}, 400),
    ({"working_days": 0}, 400),
    ({"text": "长" * 2001}, 400),
    ({"deadline": "明天"}, 422),
    ({"lead_units": "区住建局"}, 422),
    ({"colour": "red"}, 422),
])
def test_bad_input_is_refused_with_a_chinese_message(login, body: dict, status: int) -> None:
    count = Task.objects.count()
    with override("zh-hans"):
        response = _post(login("supervisor"), **body)
    assert response.status_code == status, response.content
    assert isinstance(response.json()["detail"], str) and any("\u4e00" <= ch <= "\u9fff" for ch in response.json()["detail"])
    assert Task.objects.count() == count


def test_only_the_office_registers(login) -> None:
    for role in ("leader", "zhujian"):
        assert _post(login(role)).status_code == 403


def test_patch_edits_with_the_version(login, zhujian_task: Task) -> None:
    c = login("supervisor")
    task = c.get(f"/api/v1/tasks/{zhujian_task.pk}").json()
    url = f"/api/v1/tasks/{zhujian_task.pk}"
    response = c.patch(url, {"version": task["version"], "owner": "李四", "lead_units": ["区住建局", "区人社局"]},
                       content_type=JSON)
    assert response.status_code == 200
    assert response.json()["owner"] == "李四" and [u["name"] for u in response.json()["lead_units"]] == [
        "区住建局", "区人社局"]
    assert response.json()["version"] > task["version"]
    stale = c.patch(url, {"version": task["version"], "owner": "王五"}, content_type=JSON)
    assert stale.status_code == 409 and Task.objects.get(pk=zhujian_task.pk).owner == "李四"
    assert ActivityLog.objects.filter(action=Action.TASK_UNITS, object_id=str(zhujian_task.pk)).exists()


def test_patch_keeps_to_each_roles_fields(login, zhujian_task: Task, renshe_only_task: Task) -> None:
    liaison = login("zhujian")
    version = Task.objects.get(pk=zhujian_task.pk).version
    ok = liaison.patch(f"/api/v1/tasks/{zhujian_task.pk}", {"version": version, "owner": "联络员填"},
                       content_type=JSON)
    assert ok.status_code == 200
    refused = liaison.patch(f"/api/v1/tasks/{zhujian_task.pk}", {"version": version + 1, "deadline": "2027-01-01"},
                            content_type=JSON)
    assert refused.status_code == 403
    other = liaison.patch(f"/api/v1/tasks/{renshe_only_task.pk}", {"version": 1, "owner": "x"}, content_type=JSON)
    assert other.status_code == 404
    assert login("leader").patch(f"/api/v1/tasks/{zhujian_task.pk}", {"version": version + 1, "owner": "x"},
                                 content_type=JSON).status_code == 403


def test_patch_refuses_a_past_deadline_unless_confirmed(login, zhujian_task: Task) -> None:
    c = login("supervisor")
    url = f"/api/v1/tasks/{zhujian_task.pk}"
    version = Task.objects.get(pk=zhujian_task.pk).version
    assert c.patch(url, {"version": version, "deadline": "2020-01-31"}, content_type=JSON).status_code == 400
    done = c.patch(url, {"version": version, "deadline": "2020-01-31", "confirm_deadline": True}, content_type=JSON)
    assert done.status_code == 200 and done.json()["deadline"] == "2020-01-31"
    assert Task.objects.get(pk=zhujian_task.pk).deadline == dt.date(2020, 1, 31)


def test_the_new_endpoints_are_in_the_schema(client) -> None:  # noqa: ANN001
    paths = client.get("/api/v1/openapi.json").json()["paths"]
    assert "post" in paths["/api/v1/tasks"] and "patch" in paths["/api/v1/tasks/{task_id}"]
