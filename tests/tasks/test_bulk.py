"""Bulk actions on the task list (批量操作): selection by ticked rows or by the list's filter, every action, the
confirmation page, one log entry per task, stale confirmations refused whole, and who may use them."""
from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from duban.core import audit
from duban.core.actions import Action
from duban.core.models import ActivityLog
from duban.notify.models import Notification
from duban.tasks import bulk, services, workflow
from duban.tasks.models import StatusChange, Task, TaskUnit
from duban.tasks.reporting.models import ReportingPeriod
from duban.units.models import Unit
from duban.units.services import find_unit

MARK = "批量测试任务"


def make_drafts(actor, n: int, *, lead: list[Unit] = (), support: list[Unit] = (), parent: Task | None = None,
                **fields) -> list[Task]:  # noqa: ANN001, ANN003
    """``n`` undispatched tasks, as an import leaves them (no units or deadline unless given)."""
    parent = parent or Task.objects.filter(kind=Task.Kind.SECTION).order_by("path").first()
    return [services.create_task(actor, parent=parent, number=str(900 + i), text=f"{MARK}{i}：新建口袋公园",
                                 lead_units=lead, support_units=support, **fields) for i in range(n)]


def entries(action: str, tasks: list[Task]) -> int:
    return ActivityLog.objects.filter(action=action, object_id__in=[str(t.pk) for t in tasks]).count()


def lead_names(task: Task) -> list[str]:
    return [tu.unit.display_name for tu in TaskUnit.objects.filter(task=task, role="lead").order_by("order")]


@pytest.fixture
def sup(user):  # noqa: ANN001, ANN201
    return user("supervisor")


def confirm(client, data: dict):  # noqa: ANN001, ANN201
    """Post the list's bar (and the value form) and return the confirmation page's response."""
    response = client.post("/tasks/bulk/", {"step": "preview", **data})
    assert response.status_code == 200 and "token" in response.context, response.content.decode()[:500]
    return response


# ---------------------------------------------------------------------------------------------- permissions

def test_only_managers_see_the_checkboxes(login) -> None:
    for username in ("supervisor", "admin"):
        body = login(username).get("/tasks/").content.decode()
        assert body.count("data-bulk-row") == 50 and 'id="bulk-form"' in body
    for username in ("leader", "zhujian", "zhujian_head", "renshe"):
        body = login(username).get("/tasks/").content.decode()
        assert "data-bulk-row" not in body and "bulk-form" not in body


@pytest.mark.parametrize("username", ["leader", "zhujian", "zhujian_head", "renshe"])
def test_bulk_urls_refuse_everyone_but_the_office(login, username: str, sup) -> None:  # noqa: ANN001
    task = make_drafts(sup, 1)[0]
    c = login(username)
    assert c.post("/tasks/bulk/", {"task": [task.pk], "action": "delete"}).status_code == 403
    token = confirm(login("supervisor"), {"task": [task.pk], "action": "delete"}).context["token"]
    assert c.post("/tasks/bulk/apply/", {"token": token}).status_code == 403
    assert Task.objects.filter(pk=task.pk).exists()


def test_anonymous_is_sent_to_log_in(client) -> None:  # noqa: ANN001
    assert client.post("/tasks/bulk/", {"action": "dispatch"}).status_code == 302
    assert client.post("/tasks/bulk/apply/", {"token": "x"}).status_code == 302


def test_a_confirmation_is_only_good_for_whoever_saw_it(login, sup) -> None:  # noqa: ANN001
    tasks = make_drafts(sup, 2)
    token = confirm(login("supervisor"), {"task": [t.pk for t in tasks], "action": "delete"}).context["token"]
    assert login("admin").post("/tasks/bulk/apply/", {"token": token}).status_code == 403
    forged = token[:-3] + ("aaa" if not token.endswith("aaa") else "bbb")
    assert login("supervisor").post("/tasks/bulk/apply/", {"token": forged}).status_code == 302
    assert Task.objects.filter(pk__in=[t.pk for t in tasks]).count() == 2


# ---------------------------------------------------------------------------------------------- selection

def test_ticked_rows_set_a_deadline_through_the_value_form_and_confirmation(login, sup) -> None:  # noqa: ANN001
    tasks = make_drafts(sup, 3)
    other = make_drafts(sup, 1)[0]
    c = login("supervisor")
    ids = [t.pk for t in tasks]
    form = c.post("/tasks/bulk/", {"task": ids, "action": "deadline", "filter": "q=x&page=2"})
    assert form.status_code == 200 and [t.pk for t in form.context["tasks"]] == ids
    assert 'type="date"' in form.content.decode()
    page = confirm(c, {"task": ids, "action": "deadline", "deadline": "2026-12-31", "filter": "q=x&page=2"})
    assert [r.task.pk for r in page.context["plan"].changed] == ids
    assert page.content.decode().count('class="bulk-row"') == 3
    before = {t.pk: t.version for t in tasks}
    response = c.post("/tasks/bulk/apply/", {"token": page.context["token"]})
    assert response.status_code == 302 and response["Location"] == "/tasks/?q=x"  # back to the list, same filter
    for task in Task.objects.filter(pk__in=ids):
        assert task.deadline == dt.date(2026, 12, 31) and task.version == before[task.pk] + 1
    assert Task.objects.get(pk=other.pk).deadline is None
    assert entries(Action.TASK_UPDATE, tasks) == 3
    entry = ActivityLog.objects.filter(action=Action.TASK_UPDATE, object_id=str(ids[0])).latest("seq")
    assert entry.before == {"deadline": None} and entry.after == {"deadline": "2026-12-31"}


def test_all_tasks_matching_the_filter_are_selected_by_the_query_string(login, sup) -> None:  # noqa: ANN001
    tasks = make_drafts(sup, 60)
    c = login("supervisor")
    listing = c.get("/tasks/", {"q": MARK})
    assert listing.context["page"].paginator.count == 60 and 'name="scope" value="filter"' in listing.content.decode()
    page = confirm(c, {"scope": "filter", "filter": f"q={MARK}", "task": [tasks[0].pk], "action": "area",
                       "area": "城市建设"})
    assert len(page.context["plan"].changed) == 60
    assert page.content.decode().count('class="bulk-row"') == 50 and page.context["more"] == 10
    c.post("/tasks/bulk/apply/", {"token": page.context["token"]})
    assert Task.objects.filter(text__startswith=MARK, area="城市建设").count() == 60
    assert entries(Action.TASK_UPDATE, tasks) == 60


def test_nothing_selected_or_no_action_goes_back_to_the_list(login) -> None:
    c = login("supervisor")
    assert c.post("/tasks/bulk/", {"action": "dispatch", "filter": "status=done"})["Location"] == "/tasks/?status=done"
    assert c.post("/tasks/bulk/", {"task": ["1"], "action": "explode"}).status_code == 302


def test_too_many_tasks_are_refused(login, monkeypatch) -> None:  # noqa: ANN001
    monkeypatch.setattr(bulk, "MAX_TASKS", 10)
    response = login("supervisor").post("/tasks/bulk/", {"scope": "filter", "filter": "", "action": "dispatch"})
    assert response.status_code == 302 and "token" not in (response.context or {})


# ---------------------------------------------------------------------------------------------- actions

def test_lead_units_are_replaced_in_order_and_leave_the_supporting_list(sup) -> None:  # noqa: ANN001
    zhujian, chengguan, fagai = find_unit("区住建局"), find_unit("区城管局"), find_unit("区发改委")
    tasks = make_drafts(sup, 2, lead=[fagai], support=[chengguan])
    change = bulk.build_change(lead_units="区城管局、区住建局")
    plan = bulk.apply(sup, change, [t.pk for t in tasks])
    assert len(plan.changed) == 2
    for task in tasks:
        assert lead_names(task) == [chengguan.display_name, zhujian.display_name]
        assert not TaskUnit.objects.filter(task=task, role="support").exists()
    entry = ActivityLog.objects.filter(action=Action.TASK_UNITS, object_id=str(tasks[0].pk)).latest("seq")
    assert entry.before == {"lead_units": [fagai.pk], "support_units": [chengguan.pk]}
    assert entry.after == {"lead_units": [chengguan.pk, zhujian.pk], "support_units": []}
    again = bulk.apply(sup, change, [t.pk for t in tasks])  # the same again changes nothing
    assert not again.changed and len(again.skipped) == 2


def test_a_dispatched_task_with_a_new_lead_goes_the_single_task_way(sup) -> None:  # noqa: ANN001
    task = make_drafts(sup, 1, lead=[find_unit("区城管局")])[0]
    workflow.dispatch(sup, [Task.objects.with_units().get(pk=task.pk)])
    bulk.apply(sup, bulk.build_change(lead_units=["区住建局"]), [task.pk])
    task.refresh_from_db()
    assert lead_names(task) == ["区住建局"] and task.dispatch_state == Task.Dispatch.DISPATCHED
    assert Notification.objects.filter(key__startswith=f"lead:{task.pk}:").exists()  # the new lead is told
    assert entries(Action.TASK_UNITS, [task]) == 1


def test_supporting_units_are_added_and_tasks_that_have_them_skipped(sup) -> None:  # noqa: ANN001
    chengguan, zhujian = find_unit("区城管局"), find_unit("区住建局")
    has = make_drafts(sup, 1, lead=[zhujian], support=[chengguan])[0]
    lacks = make_drafts(sup, 1, lead=[zhujian])[0]
    plan = bulk.apply(sup, bulk.build_change(support_units=[chengguan.pk]), [has.pk, lacks.pk])
    assert [r.task.pk for r in plan.changed] == [lacks.pk] and [r.task.pk for r in plan.skipped] == [has.pk]
    assert plan.skipped[0].reason
    assert TaskUnit.objects.filter(task=lacks, unit=chengguan, role="support").exists()
    assert lead_names(lacks) == ["区住建局"]


@pytest.mark.parametrize(("key", "value", "stored"), [
    ("leader", "leader", "leader"), ("cadence", "quarterly", "quarterly"), ("area", "社会民生", "社会民生")])
def test_leader_cadence_and_area(sup, user, key: str, value: str, stored: str) -> None:  # noqa: ANN001
    tasks = make_drafts(sup, 3)
    bulk.apply(sup, bulk.build_change(**{key: value}), [t.pk for t in tasks])
    expected = user("leader").pk if key == "leader" else stored
    assert set(Task.objects.filter(pk__in=[t.pk for t in tasks]).values_list(
        "leader_id" if key == "leader" else key, flat=True)) == {expected}
    assert entries(Action.TASK_UPDATE, tasks) == 3


def test_a_deadline_recomputes_the_status_once_for_the_changed_tasks(sup) -> None:  # noqa: ANN001
    tasks = make_drafts(sup, 3, lead=[find_unit("区住建局")], start_date=dt.date(2026, 1, 1))
    plan = bulk.apply(sup, bulk.build_change(deadline="2026-11-01"), [t.pk for t in tasks])  # already past
    assert len(plan.changed) == 3
    for task in Task.objects.filter(pk__in=[t.pk for t in tasks]):
        assert task.status == Task.Status.OVERDUE
    assert StatusChange.objects.filter(task__in=tasks, after=Task.Status.OVERDUE).count() == 3


def test_dispatch_sends_what_it_can_and_says_why_not_the_rest(login, sup, user) -> None:  # noqa: ANN001
    zhujian = find_unit("区住建局")
    ready = make_drafts(sup, 3, lead=[zhujian])
    unled = make_drafts(sup, 2)
    sent = make_drafts(sup, 1, lead=[zhujian])
    workflow.dispatch(sup, [Task.objects.with_units().get(pk=sent[0].pk)])
    notes = Notification.objects.filter(recipient=user("zhujian"), kind="dispatched").count()
    ids = [t.pk for t in ready + unled + sent]
    page = confirm(login("supervisor"), {"task": ids, "action": "dispatch"})
    plan = page.context["plan"]
    assert [r.task.pk for r in plan.changed] == [t.pk for t in ready]
    assert {r.task.pk for r in plan.skipped} == {t.pk for t in unled + sent}
    assert len(plan.reasons()) == 2 and page.content.decode().count('class="bulk-skip"') == 3
    login("supervisor").post("/tasks/bulk/apply/", {"token": page.context["token"]})
    for task in Task.objects.filter(pk__in=[t.pk for t in ready]):
        assert task.dispatch_state == Task.Dispatch.DISPATCHED and task.ack_due == dt.date(2026, 11, 23)
    assert ReportingPeriod.objects.filter(task__in=ready).values("task").distinct().count() == 3
    assert Task.objects.filter(pk__in=[t.pk for t in unled], dispatch_state=Task.Dispatch.DRAFT).count() == 2
    assert entries(Action.TASK_DISPATCH, ready) == 3
    # One message for the unit's three new tasks, not three.
    assert Notification.objects.filter(recipient=user("zhujian"), kind="dispatched").count() == notes + 1


def test_delete_removes_drafts_and_refuses_dispatched_tasks(login, sup) -> None:  # noqa: ANN001
    drafts = make_drafts(sup, 2)
    sent = make_drafts(sup, 1, lead=[find_unit("区住建局")])
    workflow.dispatch(sup, [Task.objects.with_units().get(pk=sent[0].pk)])
    parent = make_drafts(sup, 1)[0]
    child = make_drafts(sup, 1, parent=parent)[0]
    ids = [t.pk for t in drafts + sent] + [parent.pk]  # the parent without its child
    page = confirm(login("supervisor"), {"task": ids, "action": "delete"})
    assert page.context["danger"] and len(page.context["plan"].skipped) == 2
    login("supervisor").post("/tasks/bulk/apply/", {"token": page.context["token"]})
    assert not Task.objects.filter(pk__in=[t.pk for t in drafts]).exists()
    assert Task.objects.filter(pk__in=[sent[0].pk, parent.pk, child.pk]).count() == 3
    assert entries(Action.TASK_DELETE, drafts) == 2 and entries(Action.TASK_DELETE, sent + [parent]) == 0
    plan = bulk.apply(sup, bulk.Change(delete=True), [parent.pk, child.pk])  # with its child it may go
    assert len(plan.changed) == 2 and not Task.objects.filter(pk__in=[parent.pk, child.pk]).exists()


# ---------------------------------------------------------------------------------------------- refusals

def test_a_task_changed_during_confirmation_refuses_the_whole_batch(login, sup) -> None:  # noqa: ANN001
    tasks = make_drafts(sup, 3)
    c = login("supervisor")
    page = confirm(c, {"task": [t.pk for t in tasks], "action": "deadline", "deadline": "2026-12-31"})
    services.update_task(sup, tasks[1], version=tasks[1].version, area="改了")
    seq = ActivityLog.objects.latest("seq").seq
    response = c.post("/tasks/bulk/apply/", {"token": page.context["token"]}, follow=True)
    assert response.status_code == 200
    assert [m.level_tag for m in response.context["messages"]] == ["error"]
    assert not Task.objects.filter(pk__in=[t.pk for t in tasks], deadline__isnull=False).exists()
    assert ActivityLog.objects.latest("seq").seq == seq


def test_stale_versions_refuse_in_the_service_too(sup) -> None:  # noqa: ANN001
    tasks = make_drafts(sup, 2)
    versions = {t.pk: t.version for t in tasks}
    Task.objects.filter(pk=tasks[0].pk).delete()
    with pytest.raises(bulk.StaleSelection) as refused:
        bulk.apply(sup, bulk.build_change(area="x"), list(versions), versions=versions)
    assert refused.value.count == 1 and Task.objects.get(pk=tasks[1].pk).area == ""


@pytest.mark.parametrize(("data", "field"), [
    ({"action": "lead_units", "lead_units": "没有这个单位"}, "lead_units"),
    ({"action": "lead_units", "lead_units": "停用的单位"}, "lead_units"),
    ({"action": "deadline", "deadline": "2026-13-45"}, "deadline"),
    ({"action": "deadline", "deadline": ""}, "deadline"),
    ({"action": "leader", "leader": "999999"}, "leader"),
])
def test_bad_values_are_asked_again_not_applied(login, sup, data: dict, field: str) -> None:  # noqa: ANN001
    Unit.objects.create(name="停用的单位", active=False)
    from duban.units.models import UnitAlias
    UnitAlias.objects.create(unit=Unit.objects.get(name="停用的单位"), name="停用的单位")
    task = make_drafts(sup, 1)[0]
    response = login("supervisor").post("/tasks/bulk/", {"task": [task.pk], "step": "preview", **data})
    assert response.status_code == 200 and "token" not in response.context
    assert response.context["form"].errors[field]


def test_inactive_units_are_refused_by_the_service(sup) -> None:  # noqa: ANN001
    unit = find_unit("区住建局")
    Unit.objects.filter(pk=unit.pk).update(active=False)
    with pytest.raises(bulk.ActionRefused):
        bulk.build_change(lead_units=[unit.pk])


# ---------------------------------------------------------------------------------------------- cost

def _queries(fn) -> int:  # noqa: ANN001
    with CaptureQueriesContext(connection) as ctx:
        fn()
    return len(ctx.captured_queries)


def _audit_cost(sup) -> int:  # noqa: ANN001
    """Queries of one activity-log entry (the hash chain appends entries one at a time)."""
    task = Task.objects.first()
    return _queries(lambda: audit.record(sup, Action.TASK_UPDATE, task, summary="x"))


@pytest.mark.parametrize("change", [
    {"lead_units": "区住建局、区城管局"}, {"support_units": "区城管局"}, {"leader": "leader"}, {"cadence": "weekly"},
    {"area": "城市建设"}, {"dispatch": True}, {"delete": True}])
def test_queries_grow_only_by_the_log_entry_of_each_task(sup, change: dict) -> None:  # noqa: ANN001
    per_entry = _audit_cost(sup)
    costs = []
    for n in (10, 50):
        tasks = make_drafts(sup, n, lead=[find_unit("区住建局")])
        ids = [t.pk for t in tasks]
        built = bulk.build_change(**change)
        costs.append(_queries(lambda ids=ids, built=built: bulk.apply(sup, built, ids)))
        Task.objects.filter(pk__in=ids).delete()
    assert costs[1] - costs[0] == 40 * per_entry, costs


def test_the_confirmation_page_costs_the_same_for_ten_or_fifty_tasks(login, sup) -> None:  # noqa: ANN001
    c = login("supervisor")
    costs = []
    for n in (10, 50):
        ids = [t.pk for t in make_drafts(sup, n)]
        costs.append(_queries(lambda ids=ids: confirm(c, {"task": ids, "action": "area", "area": "城市建设"})))
        Task.objects.filter(pk__in=ids).delete()
    assert costs[0] == costs[1]


# ---------------------------------------------------------------------------------------------- the office's day

def test_an_imported_document_gets_units_deadlines_and_is_dispatched(login, sup) -> None:  # noqa: ANN001
    """97 tasks imported without units or deadlines: 20 get a lead unit in two bulk actions, all 97 a deadline
    in one, then all are dispatched — the 20 go, the 77 without a lead are listed with the reason."""
    tasks = make_drafts(sup, 97)
    c = login("supervisor")

    def run(data: dict) -> object:
        page = confirm(c, data)
        assert c.post("/tasks/bulk/apply/", {"token": page.context["token"]}).status_code == 302
        return page.context["plan"]

    run({"task": [t.pk for t in tasks[:12]], "action": "lead_units", "lead_units": "区住建局"})
    run({"task": [t.pk for t in tasks[12:20]], "action": "lead_units", "lead_units": "区城管局、区住建局"})
    assert len(run({"scope": "filter", "filter": f"q={MARK}", "action": "deadline",
                    "deadline": "2026-12-31"}).changed) == 97
    plan = run({"scope": "filter", "filter": f"q={MARK}", "action": "dispatch"})
    assert len(plan.changed) == 20 and len(plan.skipped) == 77 and len(plan.reasons()) == 1
    assert Task.objects.filter(text__startswith=MARK, dispatch_state=Task.Dispatch.DISPATCHED).count() == 20
    assert Task.objects.filter(text__startswith=MARK, deadline=dt.date(2026, 12, 31)).count() == 97
    assert entries(Action.TASK_UNITS, tasks) == 20 and entries(Action.TASK_DISPATCH, tasks) == 20


def test_a_deadline_adds_only_the_status_recompute_per_task(sup) -> None:  # noqa: ANN001
    """Besides the log entry, a new deadline costs each task the status engine's own write of its new light and
    schedule share (duban.tasks.status.recompute, run once over all of them)."""
    per_entry = _audit_cost(sup)
    costs = []
    for n in (10, 50):
        ids = [t.pk for t in make_drafts(sup, n, lead=[find_unit("区住建局")])]
        costs.append(_queries(lambda ids=ids: bulk.apply(sup, bulk.build_change(deadline="2026-12-31"), ids)))
    assert costs[1] - costs[0] == 40 * (per_entry + 1), costs
