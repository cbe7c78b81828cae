"""POST /api/v1/tasks/bulk: the task list's bulk actions for programs — the office only, ids or a filter,
``set`` and ``dispatch``, stale versions refused whole, and every bad input a 4xx with a message, never a 500."""
from __future__ import annotations

import datetime as dt
import json

import pytest
from django.core.management import call_command

from duban.core.actions import Action
from duban.core.models import ActivityLog
from duban.tasks import services
from duban.tasks.models import Task, TaskUnit
from duban.units.models import Unit
from duban.units.services import find_unit

URL = "/api/v1/tasks/bulk"
MARK = "接口批量任务"


@pytest.fixture
def drafts(user) -> list[Task]:  # noqa: ANN001
    section = Task.objects.filter(kind=Task.Kind.SECTION).order_by("path").first()
    return [services.create_task(user("supervisor"), parent=section, number=str(800 + i), text=f"{MARK}{i}")
            for i in range(5)]


def post(client, body: object):  # noqa: ANN001, ANN201
    data = body if isinstance(body, str) else json.dumps(body)
    return client.post(URL, data=data, content_type="application/json")


def test_set_a_deadline_by_ids(login, drafts: list[Task]) -> None:
    ids = [t.pk for t in drafts[:3]]
    response = post(login("supervisor"), {"ids": ids, "set": {"deadline": "2026-12-31"}})
    assert response.status_code == 200, response.content
    body = response.json()
    assert (body["changed"], body["skipped"], body["changed_ids"]) == (3, 0, ids)
    assert Task.objects.filter(pk__in=ids, deadline=dt.date(2026, 12, 31)).count() == 3
    assert Task.objects.get(pk=drafts[3].pk).deadline is None
    assert ActivityLog.objects.filter(action=Action.TASK_UPDATE, object_id__in=map(str, ids)).count() == 3


def test_set_units_by_filter_then_dispatch_with_reasons(login, drafts: list[Task]) -> None:
    c = login("supervisor")
    first = drafts[0]
    response = post(c, {"ids": [first.pk, drafts[1].pk],
                        "set": {"lead_units": ["区住建局", find_unit("区城管局").pk], "support_units": ["区发改委"]}})
    assert response.json()["changed"] == 2
    roles = list(TaskUnit.objects.filter(task=first).order_by("order").values_list("unit__short_name", "role"))
    assert [r for _u, r in roles] == ["lead", "lead", "support"]
    body = post(c, {"filter": {"q": MARK}, "dispatch": True}).json()
    assert body["changed"] == 2 and body["skipped"] == 3
    assert {s["id"] for s in body["skipped_tasks"]} == {t.pk for t in drafts[2:]}
    assert all(s["reason"] and s["number"] for s in body["skipped_tasks"])
    assert Task.objects.filter(pk=first.pk, dispatch_state=Task.Dispatch.DISPATCHED).exists()
    again = post(c, {"filter": {"q": MARK}, "dispatch": True}).json()
    assert again["changed"] == 0 and again["skipped"] == 5


def test_clearing_a_leader_and_setting_cadence_and_area(login, drafts: list[Task], user) -> None:  # noqa: ANN001
    c = login("supervisor")
    ids = [t.pk for t in drafts]
    post(c, {"ids": ids, "set": {"leader": "leader", "cadence": "quarterly", "area": "城市建设"}})
    assert set(Task.objects.filter(pk__in=ids).values_list("leader_id", "cadence", "area")) == {
        (user("leader").pk, "quarterly", "城市建设")}
    assert post(c, {"ids": ids, "set": {"leader": None}}).json()["changed"] == 5
    assert not Task.objects.filter(pk__in=ids, leader__isnull=False).exists()


def test_stale_versions_refuse_the_whole_batch(login, drafts: list[Task], user) -> None:  # noqa: ANN001
    versions = {str(t.pk): t.version for t in drafts}
    services.update_task(user("supervisor"), drafts[2], version=drafts[2].version, area="别人改了")
    c = login("supervisor")
    seq = ActivityLog.objects.latest("seq").seq
    response = post(c, {"ids": [t.pk for t in drafts], "set": {"area": "城市建设"},
                                           "versions": versions})
    assert response.status_code == 409 and response.json()["detail"]
    assert not Task.objects.filter(pk__in=[t.pk for t in drafts], area="城市建设").exists()
    assert ActivityLog.objects.latest("seq").seq == seq
    current = {str(t.pk): Task.objects.get(pk=t.pk).version for t in drafts}
    ok = post(login("supervisor"), {"ids": [t.pk for t in drafts], "set": {"area": "城市建设"}, "versions": current})
    assert ok.status_code == 200 and ok.json()["changed"] == 5


@pytest.mark.parametrize(("body", "status"), [
    ({"set": {"lead_units": ["没有这个单位"]}}, 400),
    ({"set": {"lead_units": []}}, 400),
    ({"set": {"lead_units": "区住建局"}}, 422),
    ({"set": {"support_units": [99999999]}}, 400),
    ({"set": {"deadline": "2026-02-30"}}, 400),
    ({"set": {"deadline": "next week"}}, 400),
    ({"set": {"cadence": "daily"}}, 400),
    ({"set": {"leader": "zhujian"}}, 400),
    ({"set": {"area": "长" * 101}}, 400),
    ({"set": {"colour": "red"}}, 422),
    ({"set": "deadline"}, 422),
    ({}, 400),
    ({"dispatch": "sometimes"}, 422),
    ({"dispatch": True, "versions": {"x": 1}}, 422),
], ids=lambda b: json.dumps(b, ensure_ascii=False)[:40] if isinstance(b, dict) else str(b))
def test_bad_input_is_refused_with_a_message(login, drafts: list[Task], body: dict, status: int) -> None:
    """A body of the wrong shape is a 422, one asking for what cannot be done a 400; both say why in Chinese."""
    response = post(login("supervisor"), {"ids": [drafts[0].pk], **body})
    assert response.status_code == status, response.content
    detail = response.json()["detail"]
    assert isinstance(detail, str) and not detail.isascii()
    assert Task.objects.get(pk=drafts[0].pk).version == drafts[0].version


@pytest.mark.parametrize(("body", "status"), [
    ("not json", 400), ("[1, 2]", 422), ({"ids": ["abc"], "dispatch": True}, 422),
    ({"ids": [1], "filter": {"q": "x"}, "dispatch": True}, 400),
    ({"dispatch": True}, 400), ({"ids": [], "dispatch": True}, 400), ({"ids": [999999], "dispatch": True}, 400),
    ({"filter": {"status": "nonsense"}, "dispatch": True}, 400), ({"filter": {"colour": "red"}, "dispatch": True}, 422),
    ({"filter": {"reports_due": "2026-13"}, "dispatch": True}, 400), ({"filter": {"unit": "x"}, "dispatch": True}, 422),
], ids=lambda b: (b if isinstance(b, str) else json.dumps(b, ensure_ascii=False))[:40])
def test_bad_selections_are_refused(login, body: object, status: int) -> None:
    response = post(login("supervisor"), body)
    assert response.status_code == status, response.content
    assert response.json()["detail"]


def test_a_section_heading_is_not_a_task(login) -> None:
    section = Task.objects.filter(kind=Task.Kind.SECTION).first()
    assert post(login("supervisor"), {"ids": [section.pk], "dispatch": True}).status_code == 400


def test_inactive_units_are_refused(login, drafts: list[Task]) -> None:
    Unit.objects.filter(pk=find_unit("区住建局").pk).update(active=False)
    response = post(login("supervisor"), {"ids": [drafts[0].pk], "set": {"lead_units": ["区住建局"]}})
    assert response.status_code == 400 and not TaskUnit.objects.filter(task=drafts[0]).exists()


@pytest.mark.parametrize(("username", "status"), [
    ("leader", 403), ("zhujian", 403), ("zhujian_head", 403), ("renshe", 403), ("admin", 200)])
def test_only_the_office(login, drafts: list[Task], username: str, status: int) -> None:
    response = post(login(username), {"ids": [drafts[0].pk], "set": {"area": "城市建设"}})
    assert response.status_code == status and (status == 200 or response.json()["detail"])
    assert Task.objects.get(pk=drafts[0].pk).area == ("城市建设" if status == 200 else "")


def test_anonymous_and_token(client, drafts: list[Task], capsys) -> None:  # noqa: ANN001
    assert post(client, {"ids": [drafts[0].pk], "dispatch": True}).status_code == 401
    call_command("token", "supervisor")
    raw = capsys.readouterr().out.strip()
    response = client.post(URL, data=json.dumps({"ids": [drafts[0].pk], "set": {"area": "城市建设"}}),
                           content_type="application/json", HTTP_AUTHORIZATION=f"Bearer {raw}")
    assert response.status_code == 200 and response.json()["changed"] == 1


def test_described_in_the_openapi_schema(client) -> None:  # noqa: ANN001
    schema = client.get("/api/v1/openapi.json").json()
    operation = schema["paths"]["/api/v1/tasks/bulk"]["post"]
    ref = operation["requestBody"]["content"]["application/json"]["schema"]["$ref"]
    body = schema["components"]["schemas"][ref.rsplit("/", 1)[1]]
    assert {"ids", "filter", "set", "dispatch", "versions"} <= body["properties"].keys()
    assert {"200", "400", "403", "409"} <= operation["responses"].keys()
