"""POST /api/v1/units and PATCH /api/v1/units/{id}: the directory pages' rules through the API."""
from __future__ import annotations

from duban.units.services import find_unit

JSON = "application/json"


def test_a_unit_is_created_and_changed(login) -> None:  # noqa: ANN001
    c = login("supervisor")
    response = c.post("/api/v1/units", {"name": "东湖区数据局", "short_name": "区数据局", "kind": "department",
                                        "parent": "区政府办", "aliases": ["区大数据局"]}, content_type=JSON)
    assert response.status_code == 201, response.content
    unit = response.json()
    assert unit["parent_id"] == find_unit("区政府办").pk and "区大数据局" in unit["aliases"]
    response = c.patch(f"/api/v1/units/{unit['id']}", {"version": unit["version"], "name": "东湖区数据资源局",
                                                        "active": False}, content_type=JSON)
    assert response.status_code == 200
    assert response.json()["active"] is False and "东湖区数据局" in response.json()["aliases"]
    stale = c.patch(f"/api/v1/units/{unit['id']}", {"version": unit["version"], "short_name": "x"},
                    content_type=JSON)
    assert stale.status_code == 409 and stale.json()["detail"]


def test_bad_input_is_a_4xx_with_a_message(login) -> None:  # noqa: ANN001
    c = login("supervisor")
    for body in ({"name": ""}, {"name": "东湖区甲局", "kind": "ministry"}, {"name": "东湖区乙局", "parent": "没有"},
                 {"name": "区住建局"}, {"name": "甲" * 300}):
        response = c.post("/api/v1/units", body, content_type=JSON)
        assert response.status_code == 400 and response.json()["detail"], body
    assert c.post("/api/v1/units", {"nam": "x"}, content_type=JSON).status_code == 422
    assert c.post("/api/v1/units", "{", content_type=JSON).status_code in (400, 422)
    assert c.patch("/api/v1/units/999999", {"version": 1}, content_type=JSON).status_code == 404


def test_only_the_office_writes(login) -> None:  # noqa: ANN001
    unit = find_unit("区住建局")
    for role in ("leader", "zhujian"):
        c = login(role)
        assert c.post("/api/v1/units", {"name": "东湖区丙局"}, content_type=JSON).status_code == 403
        assert c.patch(f"/api/v1/units/{unit.pk}", {"version": unit.version, "name": "x"},
                       content_type=JSON).status_code == 403
