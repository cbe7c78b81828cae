"""The office edits a whole task on its page: fields, units in order, indicators and milestones, under one
version check."""
from __future__ import annotations

import datetime as dt

import pytest

from duban.core.actions import Action
from duban.core.models import ActivityLog
from duban.notify.models import Notification
from duban.tasks.models import Indicator, Milestone, Task
from duban.units.services import find_unit


def _form(task: Task, **changes: object) -> dict:
    """What the edit page posts for ``task`` unchanged, with ``changes`` applied."""
    data = {
        "version": task.version, "text": task.text, "owner": task.owner,
        "deadline": task.deadline.isoformat() if task.deadline else "",
        "start_date": task.start_date.isoformat() if task.start_date else "", "cadence": task.cadence,
        "report_due_day": task.report_due_day or "", "priority": task.priority, "area": task.area,
        "leader": task.leader_id or "", "lead_units": "、".join(u.name for u in task.lead_units),
        "support_units": "、".join(u.name for u in task.support_units),
        "ind-TOTAL_FORMS": 0, "ind-INITIAL_FORMS": 0, "ms-TOTAL_FORMS": 0, "ms-INITIAL_FORMS": 0,
    }
    if task.ongoing:
        data["ongoing"] = "on"
    return {**data, **changes}


@pytest.fixture
def dispatched(db) -> Task:  # noqa: ANN001
    return Task.objects.with_units().exclude(dispatch_state=Task.Dispatch.DRAFT).filter(
        task_units__unit=find_unit("区住建局"), task_units__role="lead").order_by("path").first()


def test_the_page_offers_units_indicators_and_milestones_to_the_office(login, dispatched: Task) -> None:
    body = login("supervisor").get(f"/tasks/{dispatched.pk}/edit/").content.decode()
    assert 'name="lead_units"' in body and 'id="unit-names"' in body and 'name="ind-TOTAL_FORMS"' in body
    assert dispatched.lead_units[0].name in body
    liaison = login("zhujian").get(f"/tasks/{dispatched.pk}/edit/").content.decode()
    assert 'name="lead_units"' not in liaison and 'name="owner"' in liaison


def test_units_are_set_in_order_by_any_of_their_names(login, dispatched: Task) -> None:
    c = login("supervisor")
    response = c.post(f"/tasks/{dispatched.pk}/edit/", _form(dispatched, lead_units="区住建局，区发改委",
                                                                support_units="区财政局 区城管局"))
    assert response.status_code == 302
    task = Task.objects.with_units().get(pk=dispatched.pk)
    assert [u.name for u in task.lead_units] == [find_unit("区住建局").name, find_unit("区发改委").name]
    assert [u.name for u in task.support_units] == [find_unit("区财政局").name, find_unit("区城管局").name]
    assert ActivityLog.objects.filter(action=Action.TASK_UNITS, object_id=str(task.pk)).exists()


def test_a_new_lead_of_a_dispatched_task_must_acknowledge_and_the_old_one_is_told(login, dispatched: Task) -> None:
    zhujian, renshe = find_unit("区住建局"), find_unit("区人社局")
    last = Notification.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    response = login("supervisor").post(f"/tasks/{dispatched.pk}/edit/", _form(dispatched, lead_units="区人社局",
                                                                              support_units=""))
    assert response.status_code == 302
    task = Task.objects.with_units().get(pk=dispatched.pk)
    assert task.lead_units == [renshe] and task.dispatch_state == Task.Dispatch.DISPATCHED and task.ack_due
    told = {(n.recipient.unit_id, n.kind, n.link) for n in Notification.objects.filter(pk__gt=last)}
    assert told == {(renshe.pk, "dispatched", f"/tasks/{task.pk}/"), (zhujian.pk, "other", "")}


def test_unknown_or_conflicting_units_are_refused_and_nothing_changes(login, dispatched: Task) -> None:
    c = login("supervisor")
    for units in ({"lead_units": "区不存在局"}, {"lead_units": "区住建局", "support_units": "区住建局"}):
        response = c.post(f"/tasks/{dispatched.pk}/edit/", _form(dispatched, owner="新的责任人", **units))
        assert response.status_code == 400
        assert 'id="form-errors"' in response.content.decode()
    task = Task.objects.with_units().get(pk=dispatched.pk)
    assert task.owner == dispatched.owner and task.lead_units == dispatched.lead_units


def test_a_post_without_the_units_leaves_them_alone(login, dispatched: Task) -> None:
    data = _form(dispatched, owner="张三")
    for key in ("lead_units", "support_units", "ind-TOTAL_FORMS", "ms-TOTAL_FORMS"):
        data.pop(key)
    assert login("supervisor").post(f"/tasks/{dispatched.pk}/edit/", data).status_code == 302
    task = Task.objects.with_units().get(pk=dispatched.pk)
    assert task.owner == "张三" and task.lead_units == dispatched.lead_units


def test_indicators_and_milestones_are_added_changed_and_deleted_in_place(login, dispatched: Task) -> None:
    kept = Indicator.objects.create(task=dispatched, name="开工面积", target=10, unit_of_measure="万平方米")
    gone = Indicator.objects.create(task=dispatched, name="旧指标", target=1)
    data = _form(dispatched, **{
        "ind-TOTAL_FORMS": 3, "ind-INITIAL_FORMS": 2,
        "ind-0-id": kept.pk, "ind-0-name": "开工面积", "ind-0-target": "12.5", "ind-0-unit_of_measure": "万平方米",
        "ind-0-direction": ">=",
        "ind-1-id": gone.pk, "ind-1-name": "旧指标", "ind-1-target": "1", "ind-1-direction": ">=",
        "ind-1-DELETE": "on",
        "ind-2-name": "新建学位", "ind-2-target": "900", "ind-2-unit_of_measure": "个", "ind-2-direction": ">=",
        "ms-TOTAL_FORMS": 1, "ms-INITIAL_FORMS": 0, "ms-0-title": "完成主体结构", "ms-0-due": "2026-12-20",
    })
    assert login("supervisor").post(f"/tasks/{dispatched.pk}/edit/", data).status_code == 302
    rows = {i.name: i for i in Indicator.objects.filter(task=dispatched)}
    assert set(rows) == {"开工面积", "新建学位"} and rows["开工面积"].pk == kept.pk
    assert float(rows["开工面积"].target) == 12.5
    assert list(Milestone.objects.filter(task=dispatched).values_list("title", "due")) == [
        ("完成主体结构", dt.date(2026, 12, 20))]
    entry = ActivityLog.objects.get(action=Action.TASK_INDICATORS, object_id=str(dispatched.pk))
    assert {r["name"] for r in entry.before["rows"]} == {"开工面积", "旧指标"}
    assert {r["name"] for r in entry.after["rows"]} == {"开工面积", "新建学位"}
    assert ActivityLog.objects.filter(action=Action.TASK_MILESTONES, object_id=str(dispatched.pk)).count() == 1


def test_a_stale_edit_saves_nothing_not_even_the_units(login, dispatched: Task) -> None:
    c = login("supervisor")
    stale = _form(dispatched, lead_units="区发改委", owner="甲")
    assert c.post(f"/tasks/{dispatched.pk}/edit/", _form(dispatched, owner="乙")).status_code == 302
    response = c.post(f"/tasks/{dispatched.pk}/edit/", stale)
    assert response.status_code == 409
    task = Task.objects.with_units().get(pk=dispatched.pk)
    assert task.owner == "乙" and task.lead_units == dispatched.lead_units


def test_a_past_deadline_needs_confirming(login, dispatched: Task) -> None:
    c = login("supervisor")
    past = _form(dispatched, deadline="2020-01-31")
    response = c.post(f"/tasks/{dispatched.pk}/edit/", past)
    assert response.status_code == 400 and 'name="confirm_deadline"' in response.content.decode()
    assert Task.objects.get(pk=dispatched.pk).deadline == dispatched.deadline
    assert c.post(f"/tasks/{dispatched.pk}/edit/", {**past, "confirm_deadline": "on"}).status_code == 302
    assert Task.objects.get(pk=dispatched.pk).deadline == dt.date(2020, 1, 31)


def test_task_text_over_2000_characters_is_refused(login, dispatched: Task) -> None:
    response = login("supervisor").post(f"/tasks/{dispatched.pk}/edit/", _form(dispatched, text="长" * 2001))
    assert response.status_code == 400
    assert Task.objects.get(pk=dispatched.pk).text == dispatched.text
