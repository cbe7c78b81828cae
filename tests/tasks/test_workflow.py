"""Dispatch, acknowledgement, requests and decisions, closure and reopening — each step logged."""
from __future__ import annotations

import datetime as dt

import pytest

from duban.core.errors import ActionRefused
from duban.core.models import ActivityLog
from duban.letters.models import Letter
from duban.letters.services import run_ladder
from duban.notify.models import Notification
from duban.tasks import services, workflow
from duban.tasks.models import Task, TaskRequest
from duban.units.services import find_unit


@pytest.fixture
def draft_task(user) -> Task:  # noqa: ANN001
    section = Task.objects.filter(kind=Task.Kind.SECTION).first()
    task = services.create_task(user("supervisor"), parent=section, number="90", text="新建口袋公园5个。",
                                lead_units=[find_unit("区住建局")], support_units=[find_unit("区城管局")],
                                deadline=dt.date(2026, 12, 31), start_date=dt.date(2026, 11, 1),
                                cadence=Task.Cadence.MONTHLY)
    return Task.objects.with_units().get(pk=task.pk)


def _logged(task: Task, action: str) -> bool:
    return ActivityLog.objects.filter(action=action, object_id=str(task.pk)).exists()


def test_bulk_dispatch_from_the_list_notifies_the_lead_unit(login, draft_task: Task, user) -> None:  # noqa: ANN001
    other = services.create_task(user("supervisor"), parent=draft_task.parent, number="91", text="增设公厕3座。",
                                 lead_units=[find_unit("区城管局")])
    response = login("supervisor").post("/tasks/dispatch/", {"task": [draft_task.pk, other.pk]})
    assert response.status_code == 302
    draft_task.refresh_from_db()
    assert draft_task.dispatch_state == Task.Dispatch.DISPATCHED and draft_task.ack_due == dt.date(2026, 11, 23)
    assert draft_task.periods.exists()
    assert Notification.objects.filter(recipient=user("zhujian"), kind="dispatched",
                                       object_id=str(draft_task.pk)).count() == 1
    assert _logged(draft_task, "task.dispatch")
    # dispatching again changes nothing
    login("supervisor").post("/tasks/dispatch/", {"task": [draft_task.pk]})
    assert ActivityLog.objects.filter(action="task.dispatch", object_id=str(draft_task.pk)).count() == 1


def test_acknowledge_from_the_todo_list(login, draft_task: Task, user) -> None:  # noqa: ANN001
    workflow.dispatch(user("supervisor"), [draft_task])
    c = login("zhujian")
    assert draft_task.text in c.get("/todo/").content.decode()
    c.post(f"/tasks/{draft_task.pk}/acknowledge/", {"next": "/todo/"})
    draft_task.refresh_from_db()
    assert draft_task.dispatch_state == Task.Dispatch.ACKNOWLEDGED and draft_task.acknowledged_by == user("zhujian")
    assert _logged(draft_task, "task.acknowledge")
    with pytest.raises(ActionRefused):
        workflow.acknowledge(user("zhujian"), draft_task)


def test_supporting_unit_cannot_acknowledge(draft_task: Task, user) -> None:  # noqa: ANN001
    from duban.people.models import Role
    from duban.people.services import create_user

    workflow.dispatch(user("supervisor"), [draft_task])
    chengguan = create_user(None, "cg", None, role=Role.LIAISON, unit=find_unit("区城管局"))
    with pytest.raises(ActionRefused):
        workflow.acknowledge(chengguan, draft_task)


def test_not_our_responsibility_goes_to_the_supervisor_who_reassigns(login, draft_task: Task, user) -> None:  # noqa: ANN001
    workflow.dispatch(user("supervisor"), [draft_task])
    login("zhujian").post(f"/tasks/{draft_task.pk}/request/", {"kind": "reassign", "reason": "属于城管职责"})
    req = TaskRequest.objects.get(task=draft_task, kind="reassign")
    draft_task.refresh_from_db()
    assert draft_task.dispatch_state == Task.Dispatch.REASSIGN
    sup = login("supervisor")
    page = sup.get("/review/").content.decode()
    assert "属于城管职责" in page
    assert f'<option value="{find_unit("区城管局").pk}">区城管局</option>' in page  # the unit to take it over
    sup.post(f"/requests/{req.pk}/decide/", {"decision": "approve"})  # no unit chosen: refused
    req.refresh_from_db()
    assert req.state == "pending"
    sup.post(f"/requests/{req.pk}/decide/", {"decision": "approve", "new_unit": find_unit("区城管局").pk})
    task = Task.objects.with_units().get(pk=draft_task.pk)
    assert [u.display_name for u in task.lead_units] == ["区城管局"] and task.support_units == []
    assert task.dispatch_state == Task.Dispatch.DISPATCHED
    assert _logged(task, "task.units")
    assert Notification.objects.filter(recipient=user("zhujian"), key=f"decision:{req.pk}").exists()


def test_extension_moves_the_deadline(login, draft_task: Task, user) -> None:  # noqa: ANN001
    workflow.dispatch(user("supervisor"), [draft_task])
    c = login("zhujian")
    c.post(f"/tasks/{draft_task.pk}/request/", {"kind": "extension", "reason": "资金未到位",
                                                "new_deadline": "2026-12-01"})
    assert not TaskRequest.objects.filter(task=draft_task).exists()  # earlier than the deadline: refused
    c.post(f"/tasks/{draft_task.pk}/request/", {"kind": "extension", "reason": "资金未到位",
                                                "new_deadline": "2027-03-31"})
    c.post(f"/tasks/{draft_task.pk}/request/", {"kind": "extension", "reason": "再次申请",
                                                "new_deadline": "2027-04-30"})
    assert TaskRequest.objects.filter(task=draft_task, state="pending").count() == 1  # one at a time
    req = TaskRequest.objects.get(task=draft_task)
    login("supervisor").post(f"/requests/{req.pk}/decide/", {"decision": "approve", "note": "同意"})
    draft_task.refresh_from_db()
    assert draft_task.deadline == dt.date(2027, 3, 31)


def test_completion_closes_and_reopen_brings_it_back(login, draft_task: Task, user) -> None:  # noqa: ANN001
    workflow.dispatch(user("supervisor"), [draft_task])
    login("zhujian").post(f"/tasks/{draft_task.pk}/request/", {"kind": "completion", "reason": "5个公园均已建成"})
    req = TaskRequest.objects.get(task=draft_task, kind="completion")
    login("supervisor").post(f"/requests/{req.pk}/decide/", {"decision": "approve"})
    draft_task.refresh_from_db()
    assert draft_task.status == Task.Status.DONE and draft_task.closed_at is not None
    assert _logged(draft_task, "task.close")
    assert not run_ladder(dt.date(2026, 12, 24), task_ids=[draft_task.pk])  # nothing for a finished task
    login("supervisor").post(f"/tasks/{draft_task.pk}/reopen/", {"reason": "群众反映公园未开放"})
    draft_task.refresh_from_db()
    assert draft_task.status != Task.Status.DONE and draft_task.closed_at is None
    entry = ActivityLog.objects.get(action="task.reopen", object_id=str(draft_task.pk))
    assert entry.after == {"status": "on_schedule", "reason": "群众反映公园未开放"}
    assert entry.before == {"status": "done"}  # what the as-of documents read back (duban.tasks.history)


def test_suspended_task_gets_no_letters(login, draft_task: Task, user) -> None:  # noqa: ANN001
    workflow.dispatch(user("supervisor"), [draft_task])
    login("supervisor").post(f"/tasks/{draft_task.pk}/suspend/", {"suspend": "1", "reason": "规划调整"})
    draft_task.refresh_from_db()
    assert draft_task.status == Task.Status.SUSPENDED
    for day in (dt.date(2026, 12, 24), dt.date(2026, 12, 28), dt.date(2027, 1, 4)):
        assert not run_ladder(day, task_ids=[draft_task.pk])
    assert not Letter.objects.filter(task=draft_task).exists()
