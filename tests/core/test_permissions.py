"""The role matrix: every URL and API endpoint, for every role, including other units' objects.

A refused request answers 302 (to log in), 401, 403 or 404 and never contains the object's data.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

import pytest
from django.urls import URLPattern, URLResolver, get_resolver

from django.core.files.uploadedfile import SimpleUploadedFile

from duban.imports.services import create_draft
from duban.reporting.models import ProgressReport
from duban.tasks.models import Task

ROLES = ("anonymous", "admin", "supervisor", "leader", "zhujian", "zhujian_head", "renshe")
ALL = {r: 200 for r in ROLES if r != "anonymous"}


@dataclass(frozen=True)
class Case:
    url_name: str
    method: str
    url: Callable[[dict], str]
    expect: dict[str, int]
    data: dict | None = None
    secret: Callable[[dict], str] | None = None  # text that must not appear in a refused response


def page(url_name: str, url: Callable[[dict], str], **expect: int) -> Case:
    return Case(url_name, "get", url, {"anonymous": 302, **ALL, **expect})


def api(url_name: str, url: Callable[[dict], str], **expect: int) -> Case:
    return Case(url_name, "get", url, {"anonymous": 401, **ALL, **expect},
                secret=lambda o: o["own"].text[:20] if "task" in url_name else "")


REFUSED_OWN = {"renshe": 404}
MATRIX = [
    page("home", lambda o: "/"),
    page("task-list", lambda o: "/tasks/"),
    Case("task-detail", "get", lambda o: f"/tasks/{o['own'].pk}/", {"anonymous": 302, **ALL, **REFUSED_OWN},
         secret=lambda o: o["own"].text[:20]),
    Case("task-detail", "get", lambda o: f"/tasks/{o['other'].pk}/",
         {"anonymous": 302, **ALL, "zhujian": 404, "zhujian_head": 404}, secret=lambda o: o["other"].text[:20]),
    Case("task-edit", "get", lambda o: f"/tasks/{o['own'].pk}/edit/",
         {"anonymous": 302, **ALL, "leader": 403, **REFUSED_OWN}, secret=lambda o: o["own"].text[:20]),
    Case("task-edit", "post", lambda o: f"/tasks/{o['other'].pk}/edit/",
         {"anonymous": 302, "admin": 302, "supervisor": 302, "leader": 403, "zhujian": 404, "zhujian_head": 404,
          "renshe": 302},
         data={"owner": "张三", "version": 1, "status": "on_schedule", "priority": 0, "text": "改后的任务"}),
    Case("task-comment", "post", lambda o: f"/tasks/{o['own'].pk}/comment/",
         {"anonymous": 302, "admin": 302, "supervisor": 302, "leader": 302, "zhujian": 302,
          "zhujian_head": 302, "renshe": 404}, data={"text": "请加快进度"}),
    page("unit-list", lambda o: "/units/"),
    page("import-start", lambda o: "/imports/", leader=403, zhujian=403, zhujian_head=403, renshe=403),
    Case("import-start", "post", lambda o: "/imports/",
         {"anonymous": 302, "admin": 400, "supervisor": 400, "leader": 403, "zhujian": 403, "zhujian_head": 403,
          "renshe": 403}),
    Case("import-preview", "get", lambda o: f"/imports/{o['draft'].pk}/",
         {"anonymous": 302, "admin": 200, "supervisor": 200, "leader": 403, "zhujian": 403, "zhujian_head": 403,
          "renshe": 403}, secret=lambda o: "区文化新闻出版局"),
    Case("import-preview", "post", lambda o: f"/imports/{o['draft'].pk}/",
         {"anonymous": 302, "admin": 302, "supervisor": 302, "leader": 403, "zhujian": 403, "zhujian_head": 403,
          "renshe": 403}, data={"action": "discard", "version": 1}),
    page("healthz", lambda o: "/healthz", anonymous=200),
    page("login", lambda o: "/login/", anonymous=200, **{r: 302 for r in ALL}),
    Case("logout", "post", lambda o: "/logout/", {r: 302 for r in ROLES}),
    api("api:list_units", lambda o: "/api/v1/units"),
    api("api:list_tasks", lambda o: "/api/v1/tasks"),
    api("api:get_task", lambda o: f"/api/v1/tasks/{o['own'].pk}", **REFUSED_OWN),
    api("api:get_task", lambda o: f"/api/v1/tasks/{o['other'].pk}", zhujian=404, zhujian_head=404),
    api("api:list_reports", lambda o: "/api/v1/reports"),
    api("api:get_report", lambda o: f"/api/v1/reports/{o['own_report'].pk}", **REFUSED_OWN),
    api("api:get_report", lambda o: f"/api/v1/reports/{o['other_report'].pk}", zhujian=404, zhujian_head=404),
    Case("api:api-root", "get", lambda o: "/api/v1/", {r: 404 for r in ROLES}),
    Case("api:openapi-json", "get", lambda o: "/api/v1/openapi.json", {r: 200 for r in ROLES}),
]
# Django's own pages, whose permissions Django enforces and tests.
NOT_OURS = {"set_language", "javascript-catalog", "json-catalog"}


def _names(patterns: list, prefix: str = "") -> set[str]:
    names = set()
    for p in patterns:
        if isinstance(p, URLResolver):
            if p.app_name == "admin":
                continue
            names |= _names(p.url_patterns, f"{prefix}{p.namespace}:" if p.namespace else prefix)
        elif isinstance(p, URLPattern) and p.name:
            names.add(prefix + p.name)
    return names


def test_matrix_covers_every_url() -> None:
    assert _names(get_resolver().url_patterns) - NOT_OURS <= {c.url_name for c in MATRIX}


@pytest.fixture
def objects(zhujian_task: Task, renshe_only_task: Task, user) -> dict:  # noqa: ANN001
    from tests.imports.conftest import PLAN

    upload = SimpleUploadedFile("plan.txt", PLAN.encode())
    return {
        "draft": create_draft(user("supervisor"), upload),
        "own": zhujian_task,
        "other": renshe_only_task,
        "own_report": ProgressReport.objects.filter(task=zhujian_task, unit__aliases__name="区住建局").first(),
        "other_report": ProgressReport.objects.filter(task=renshe_only_task).first(),
    }


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("case", MATRIX, ids=lambda c: f"{c.method}:{c.url_name}")
def test_role_matrix(case: Case, role: str, objects: dict, client, login) -> None:  # noqa: ANN001
    if case.url_name.startswith("api:get_report"):
        assert objects["own_report"] and objects["other_report"]
    c = client if role == "anonymous" else login(role)
    response = getattr(c, case.method)(case.url(objects), data=case.data or {})
    assert response.status_code == case.expect[role], (role, case.url(objects))
    secret = case.secret(objects) if case.secret else ""
    if response.status_code >= 400 and secret:
        assert secret not in response.content.decode()
