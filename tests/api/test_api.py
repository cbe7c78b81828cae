from __future__ import annotations

import pytest
from django.core.management import call_command

from duban.api.models import ApiToken
from duban.units.services import find_unit


@pytest.mark.parametrize(("username", "count"), [("supervisor", 78), ("leader", 78), ("admin", 78),
                                                 ("zhujian", 9), ("renshe", 6)])
def test_task_counts_per_role(login, username: str, count: int) -> None:
    body = login(username).get("/api/v1/tasks", {"page_size": 200}).json()
    assert body["count"] == count
    assert len(body["results"]) == count


def test_liaison_sees_only_own_unit_tasks(login) -> None:
    unit_id = find_unit("区住建局").pk
    for task in login("zhujian").get("/api/v1/tasks").json()["results"]:
        assert unit_id in [u["id"] for u in task["lead_units"] + task["support_units"]]


def test_task_shape_and_pagination(login) -> None:
    body = login("supervisor").get("/api/v1/tasks", {"page": 2, "page_size": 10}).json()
    assert (body["count"], body["page"], body["page_size"], len(body["results"])) == (78, 2, 10, 10)
    first = body["results"][0]
    assert first["number"] == "11"
    assert first["sections"] == ["一", "三"]
    assert {"id", "text", "lead_units", "support_units", "deadline", "status", "ongoing"} <= first.keys()


def test_task_filters(login) -> None:
    c = login("supervisor")
    unit = find_unit("区人社局")
    assert c.get("/api/v1/tasks", {"unit": unit.pk}).json()["count"] == 6
    assert c.get("/api/v1/tasks", {"status": "ongoing"}).json()["count"] == 44
    assert c.get("/api/v1/tasks", {"status": "done"}).json()["count"] == 48
    assert c.get("/api/v1/tasks", {"q": "洪都新城"}).json()["count"] >= 1
    assert c.get("/api/v1/tasks", {"status": "nonsense", "page": "x"}).json()["count"] == 78


def test_reports_follow_unit_permissions(login) -> None:
    unit_id = find_unit("区人社局").pk
    body = login("renshe").get("/api/v1/reports", {"page_size": 200}).json()
    assert body["count"] > 0
    assert {r["unit"]["id"] for r in body["results"]} == {unit_id}


def test_token_authentication(db, client, capsys) -> None:  # noqa: ANN001
    call_command("token", "zhujian")
    raw = capsys.readouterr().out.strip()
    assert raw.startswith("dbn_")
    assert not ApiToken.objects.filter(key_hash=raw).exists()  # only the hash is stored
    ok = client.get("/api/v1/tasks", HTTP_AUTHORIZATION=f"Bearer {raw}")
    assert ok.status_code == 200 and ok.json()["count"] == 9
    assert client.get("/api/v1/tasks", HTTP_AUTHORIZATION="Bearer dbn_wrong").status_code == 401
    ApiToken.objects.update(revoked_at="2026-01-01T00:00:00Z")
    assert client.get("/api/v1/tasks", HTTP_AUTHORIZATION=f"Bearer {raw}").status_code == 401


def test_openapi_schema_describes_endpoints(client) -> None:
    schema = client.get("/api/v1/openapi.json").json()
    assert {"/api/v1/tasks", "/api/v1/units", "/api/v1/reports"} <= schema["paths"].keys()
    assert "count" in schema["components"]["schemas"]["Page_TaskOut_"]["properties"]


def test_api_query_count_is_constant(login, django_assert_num_queries) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    c = login("supervisor")
    with CaptureQueriesContext(connection) as small:
        c.get("/api/v1/tasks", {"page_size": 5})
    with django_assert_num_queries(len(small.captured_queries)):
        c.get("/api/v1/tasks", {"page_size": 78})
