"""The role matrix: every URL and API endpoint, for every role, including other units' objects.

A refused request answers 302 (to log in), 401, 403 or 404 and never contains the object's data.
"""
from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import URLPattern, URLResolver, get_resolver

from duban.assessment.demo import ensure_demo_scheme
from duban.documents.services import create_briefing
from duban.exports.models import ExportJob
from duban.exports.services import queue_export, run_export
from duban.imports.services import create_draft
from duban.letters.models import Letter
from duban.people.models import User
from duban.tasks.models import Task, TaskRequest
from duban.tasks.reporting.models import ProgressReport, ReportAttachment
from tests.notify.factories import SECRET_TITLE, inbox_item
from tests.site import settings_factories as sf

ROLES = ("anonymous", "admin", "supervisor", "leader", "zhujian", "zhujian_head", "renshe")
ALL = {r: 200 for r in ROLES if r != "anonymous"}


@dataclass(frozen=True)
class Case:
    url_name: str
    method: str
    url: Callable[[dict], str]
    expect: dict[str, int]
    data: dict | Callable[[dict], dict] | None = None
    secret: Callable[[dict], str] | None = None  # text that must not appear in a refused response
    json: bool = False


def page(url_name: str, url: Callable[[dict], str], **expect: int) -> Case:
    return Case(url_name, "get", url, {"anonymous": 302, **ALL, **expect})


def api(url_name: str, url: Callable[[dict], str], **expect: int) -> Case:
    return Case(url_name, "get", url, {"anonymous": 401, **ALL, **expect},
                secret=lambda o: o["own"].text[:20] if "task" in url_name else "")


REFUSED_OWN = {"renshe": 404}
# Settings pages: the office only; a save redirects, a page that is only shown refuses other methods.
# Pages and endpoints of the office's own administration: everyone outside the office is refused.
NOT_OFFICE = {"leader": 403, "zhujian": 403, "zhujian_head": 403, "renshe": 403}
OFFICE_ONLY = {"anonymous": 302, **NOT_OFFICE}
OFFICE_API = {"anonymous": 401, **NOT_OFFICE}
SAVED = {**OFFICE_ONLY, "admin": 302, "supervisor": 302}  # a write by the office is done and redirects
OFFICE_405 = {"admin": 405, "supervisor": 405}
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
         data=lambda o: {"owner": "张三", "version": o["other"].version, "status": "on_schedule", "priority": 0,
                         "text": "改后的任务"}),
    Case("task-comment", "post", lambda o: f"/tasks/{o['own'].pk}/comment/",
         {"anonymous": 302, "admin": 302, "supervisor": 302, "leader": 302, "zhujian": 302,
          "zhujian_head": 302, "renshe": 404}, data={"text": "请加快进度"}),
    page("unit-list", lambda o: "/units/"),
    page("todo", lambda o: "/todo/", admin=302, supervisor=302),
    page("password-change", lambda o: "/account/password/"),
    page("account-security", lambda o: "/account/security/"),
    page("review-queue", lambda o: "/review/", **NOT_OFFICE),
    page("letter-list", lambda o: "/letters/"),
    Case("letter-detail", "get", lambda o: f"/letters/{o['letter'].pk}/", {"anonymous": 302, **ALL, **REFUSED_OWN},
         secret=lambda o: o["letter"].title),
    Case("letter-acknowledge", "post", lambda o: f"/letters/{o['letter'].pk}/acknowledge/",
         {"anonymous": 302, "admin": 403, "supervisor": 403, "leader": 403, "zhujian": 302, "zhujian_head": 302,
          "renshe": 404}, data={"response": "已收到"}),
    Case("report-form", "get", lambda o: f"/tasks/{o['own'].pk}/report/",
         {"anonymous": 302, "admin": 403, "supervisor": 403, "leader": 403, "zhujian": 200, "zhujian_head": 200,
          "renshe": 404}),
    Case("report-history", "get", lambda o: f"/reports/{o['own_report'].pk}/", {"anonymous": 302, **ALL, **REFUSED_OWN},
         secret=lambda o: o["own_report"].progress[:20]),
    Case("report-review", "post", lambda o: f"/reports/{o['own_report'].pk}/review/",
         SAVED, data={"decision": "return", "note": "请补充数据"}),
    Case("report-approve", "post", lambda o: f"/reports/{o['own_report'].pk}/approve/",
         {"anonymous": 302, "admin": 302, "supervisor": 302, "leader": 302, "zhujian": 302, "zhujian_head": 302,
          "renshe": 404}),
    Case("report-attachment", "get", lambda o: f"/reports/attachments/{o['attachment'].pk}/",
         {"anonymous": 302, **ALL, **REFUSED_OWN}),
    Case("task-dispatch", "post", lambda o: "/tasks/dispatch/",
         SAVED, data={"task": "0"}),
    Case("task-acknowledge", "post", lambda o: f"/tasks/{o['own'].pk}/acknowledge/",
         {"anonymous": 302, **{r: 302 for r in ALL}, **REFUSED_OWN}),
    Case("task-request", "post", lambda o: f"/tasks/{o['own'].pk}/request/",
         {"anonymous": 302, **{r: 302 for r in ALL}, **REFUSED_OWN}, data={"kind": "extension", "reason": "x"}),
    Case("task-reopen", "post", lambda o: f"/tasks/{o['own'].pk}/reopen/",
         SAVED, data={"reason": "x"}),
    Case("task-suspend", "post", lambda o: f"/tasks/{o['own'].pk}/suspend/",
         SAVED, data={"suspend": "0", "reason": "x"}),
    Case("request-decide", "post", lambda o: f"/requests/{o['request'].pk}/decide/",
         SAVED, data={"decision": "reject"}),
    page("import-start", lambda o: "/imports/", **NOT_OFFICE),
    Case("import-start", "post", lambda o: "/imports/",
         {"anonymous": 302, "admin": 400, "supervisor": 400, "leader": 403, "zhujian": 403, "zhujian_head": 403,
          "renshe": 403}),
    Case("import-preview", "get", lambda o: f"/imports/{o['draft'].pk}/",
         {"anonymous": 302, "admin": 200, "supervisor": 200, "leader": 403, "zhujian": 403, "zhujian_head": 403,
          "renshe": 403}, secret=lambda o: "区图书馆"),
    Case("import-preview", "post", lambda o: f"/imports/{o['draft'].pk}/",
         SAVED, data={"action": "discard", "version": 1}),
    page("healthz", lambda o: "/healthz", anonymous=200),
    page("login", lambda o: "/login/", anonymous=200, **{r: 302 for r in ALL}),
    # The office's own administration: managers only; liaisons and leaders are refused.
    Case("first-run", "get", lambda o: "/setup/", {r: 302 for r in ROLES}),  # the office is set up: go home
    page("task-register", lambda o: "/tasks/new/", **NOT_OFFICE),
    Case("task-register", "post", lambda o: "/tasks/new/",
         SAVED,
         data={"kind": "leader_instruction", "text": "矩阵立项任务", "lead_units": "区住建局", "cadence": "once"}),
    Case("task-bulk", "post", lambda o: "/tasks/bulk/",
         {"anonymous": 302, "admin": 200, "supervisor": 200, "leader": 403, "zhujian": 403, "zhujian_head": 403,
          "renshe": 403}, data=lambda o: {"task": [o["own"].pk], "action": "deadline"}),
    Case("task-bulk-apply", "post", lambda o: "/tasks/bulk/apply/",
         SAVED, data={"token": "forged"}),
    page("source-list", lambda o: "/sources/", zhujian=403, zhujian_head=403, renshe=403),
    Case("source-edit", "get", lambda o: f"/sources/{o['own'].source_id}/",
         {"anonymous": 302, "admin": 200, "supervisor": 200, "leader": 403, "zhujian": 403, "zhujian_head": 403,
          "renshe": 403}),
    # The unit directory: everyone reads it; only the office changes it.
    page("unit-detail", lambda o: f"/units/{o['letter'].unit_id}/"),
    Case("unit-detail", "post", lambda o: f"/units/{o['letter'].unit_id}/", SAVED,
         data=lambda o: {"name": o["letter"].unit.name, "short_name": "矩阵", "kind": "department",
                         "version": o["letter"].unit.version}),
    page("unit-new", lambda o: "/units/new/", **NOT_OFFICE),
    Case("unit-new", "post", lambda o: "/units/new/", SAVED,
         data={"name": "矩阵新单位", "kind": "department"}),
    page("unit-import", lambda o: "/units/import/", **NOT_OFFICE),
    Case("unit-import", "post", lambda o: "/units/import/", {**OFFICE_ONLY, "admin": 200, "supervisor": 200},
         data={"text": "矩阵导入单位"}),
    page("unit-export", lambda o: "/units/export/", **NOT_OFFICE),
    Case("unit-merge", "post", lambda o: f"/units/{o['letter'].unit_id}/merge/",
         SAVED, data={"into": "", "version": 1}),
    Case("unit-active", "post", lambda o: f"/units/{o['letter'].unit_id}/active/",
         SAVED, data=lambda o: {"active": "0", "version": o["letter"].unit.version}),
    Case("api:create_unit", "post", lambda o: "/api/v1/units", {**OFFICE_API, "admin": 201, "supervisor": 201},
         data={"name": "矩阵接口单位"}, json=True),
    Case("api:patch_unit", "patch", lambda o: f"/api/v1/units/{o['letter'].unit_id}",
         {**OFFICE_API, "admin": 200, "supervisor": 200},
         data=lambda o: {"version": o["letter"].unit.version, "short_name": "矩阵"}, json=True),
    Case("api:create_task", "post", lambda o: "/api/v1/tasks",
         {"anonymous": 401, "admin": 201, "supervisor": 201, "leader": 403, "zhujian": 403, "zhujian_head": 403,
          "renshe": 403}, data={"text": "接口立项任务", "lead_units": ["区住建局"]}, json=True),
    Case("api:patch_task", "patch", lambda o: f"/api/v1/tasks/{o['own'].pk}",
         {"anonymous": 401, "admin": 200, "supervisor": 200, "leader": 403, "zhujian": 403, "zhujian_head": 403,
          "renshe": 404}, data=lambda o: {"version": o["own"].version, "area": "矩阵领域"}, json=True,
         secret=lambda o: o["own"].text[:20]),
    Case("api:bulk_tasks", "post", lambda o: "/api/v1/tasks/bulk",
         {"anonymous": 401, "admin": 200, "supervisor": 200, "leader": 403, "zhujian": 403, "zhujian_head": 403,
          "renshe": 403}, data=lambda o: {"ids": [o["own"].pk], "set": {"area": "矩阵领域"}}, json=True),
    Case("logout", "post", lambda o: "/logout/", {r: 302 for r in ROLES}),
    api("api:list_units", lambda o: "/api/v1/units"),
    api("api:list_tasks", lambda o: "/api/v1/tasks"),
    api("api:get_task", lambda o: f"/api/v1/tasks/{o['own'].pk}", **REFUSED_OWN),
    api("api:get_task", lambda o: f"/api/v1/tasks/{o['other'].pk}", zhujian=404, zhujian_head=404),
    api("api:list_reports", lambda o: "/api/v1/reports"),
    api("api:get_report", lambda o: f"/api/v1/reports/{o['own_report'].pk}", **REFUSED_OWN),
    api("api:get_report", lambda o: f"/api/v1/reports/{o['other_report'].pk}", zhujian=404, zhujian_head=404),
    Case("api:api-root", "get", lambda o: "/api/v1/", {r: 404 for r in ROLES}),
    api("api:list_periods", lambda o: "/api/v1/periods"),
    api("api:list_letters", lambda o: "/api/v1/letters"),
    Case("api:acknowledge_letter", "post", lambda o: f"/api/v1/letters/{o['letter'].pk}/acknowledge",
         {"anonymous": 401, "admin": 403, "supervisor": 403, "leader": 403, "zhujian": 200, "zhujian_head": 200,
          "renshe": 404}, data={"response": "已收到"}, json=True),
    Case("api:acknowledge_task", "post", lambda o: f"/api/v1/tasks/{o['fresh'].pk}/acknowledge",
         {"anonymous": 401, "admin": 409, "supervisor": 409, "leader": 409, "zhujian": 200, "zhujian_head": 200,
          "renshe": 404}, json=True),
    Case("api:submit_report", "post", lambda o: f"/api/v1/tasks/{o['returned'].task_id}/reports",
         {"anonymous": 401, "admin": 403, "supervisor": 403, "leader": 403, "zhujian": 201, "zhujian_head": 201,
          "renshe": 404}, data={"progress": "补充了资金到位情况。", "percent": 70}, json=True),
    Case("api:openapi-json", "get", lambda o: "/api/v1/openapi.json", {r: 200 for r in ROLES}),
    # Official documents: a unit's report holds only its own tasks; bulletins and briefings are the office's.
    page("documents-index", lambda o: "/documents/"),
    page("documents-report", lambda o: "/documents/report/"),
    page("documents-bulletin", lambda o: "/documents/bulletin/", zhujian=403, zhujian_head=403, renshe=403),
    Case("documents-letter", "get", lambda o: f"/documents/letters/{o['letter'].pk}/",
         {"anonymous": 302, **ALL, **REFUSED_OWN}),
    page("documents-briefing-new", lambda o: "/documents/briefings/new/",
         **NOT_OFFICE),
    Case("documents-briefing-new", "post", lambda o: "/documents/briefings/new/",
         SAVED, data=lambda o: {"task": [o["own"].pk], "lead": "编者按"}),
    Case("documents-briefing", "get", lambda o: f"/documents/briefings/{o['briefing'].pk}/",
         {"anonymous": 302, **ALL, "zhujian": 403, "zhujian_head": 403, "renshe": 403}),
    # Exports: everyone exports what they may see; a background job's file is its requester's (and admins').
    page("export-list", lambda o: "/exports/"),
    page("export-ledger", lambda o: "/exports/ledger/"),
    Case("export-job", "get", lambda o: f"/exports/{o['export'].pk}/",
         {"anonymous": 302, **{r: 404 for r in ALL}, "admin": 200, "leader": 200}),
    Case("export-download", "get", lambda o: f"/exports/{o['export'].pk}/download/",
         {"anonymous": 302, **{r: 404 for r in ALL}, "admin": 200, "leader": 200}),
    # The task chart: every role sees the figures of the tasks it may see.
    page("dashboard", lambda o: "/dashboard/"),
    # Assessment: everyone sees their own unit's score; other units' only when the scheme's rankings are public.
    page("assessment-list", lambda o: "/assessment/"),
    page("assessment-scheme", lambda o: f"/assessment/{o['scheme'].pk}/"),
    Case("assessment-unit", "get", lambda o: f"/assessment/{o['scheme'].pk}/units/{o['letter'].unit_id}/",
         {"anonymous": 302, **ALL, "renshe": 404}),
    Case("assessment-run", "post", lambda o: f"/assessment/{o['scheme'].pk}/run/",
         SAVED),
    Case("assessment-bonus", "post", lambda o: f"/assessment/{o['scheme'].pk}/bonus/",
         SAVED, data=lambda o: {"unit": o["letter"].unit_id, "points": "1", "reason": "测试"}),
    # Notifications: everyone has their own inbox; another user's notification id answers 404.
    page("notify-inbox", lambda o: "/inbox/"),
    Case("notify-read", "post", lambda o: f"/inbox/{inbox_item('zhujian').pk}/read/",
         {"anonymous": 302, **{r: 404 for r in ALL}, "zhujian": 302}, data={"open": "1"},
         secret=lambda o: SECRET_TITLE),
    Case("notify-read-all", "post", lambda o: "/inbox/read-all/", {r: 302 for r in ROLES}),
    page("notify-settings", lambda o: "/inbox/settings/"),
    Case("notify-settings", "post", lambda o: "/inbox/settings/", {r: 302 for r in ROLES}, data={"email": "on"}),
    api("api:list_notifications", lambda o: "/api/v1/notifications?unread=1"),
    # Accounts: the office's pages (账号管理); liaisons, unit heads and leaders are refused every one.
    page("account-list", lambda o: "/accounts/", **NOT_OFFICE),
    page("account-new", lambda o: "/accounts/new/", **NOT_OFFICE),
    Case("account-new", "post", lambda o: "/accounts/new/",
         SAVED, data={"display_name": "矩阵督查员", "role": "supervisor"}),
    Case("account-detail", "get", lambda o: f"/accounts/{User.objects.get(username='zhujian').pk}/",
         {"anonymous": 302, "admin": 200, "supervisor": 200, "leader": 403, "zhujian": 403, "zhujian_head": 403,
          "renshe": 403}),
    Case("account-detail", "post", lambda o: f"/accounts/{User.objects.get(username='renshe').pk}/",
         SAVED,
         data=lambda o: {"display_name": "人社联络员", "role": "liaison", "unit": "区人社局",
                         "version": User.objects.get(username="renshe").version}),
    Case("account-action", "post", lambda o: f"/accounts/{User.objects.get(username='zhujian').pk}/action/",
         SAVED, data={"action": "unlock"}),
    page("account-import", lambda o: "/accounts/import/", **NOT_OFFICE),
    Case("account-import", "post", lambda o: "/accounts/import/",
         {"anonymous": 302, "admin": 200, "supervisor": 200, "leader": 403, "zhujian": 403, "zhujian_head": 403,
          "renshe": 403}),
    Case("account-import-apply", "post", lambda o: "/accounts/import/apply/",
         SAVED, data={"nonce": "forged"}),
    page("account-template", lambda o: "/accounts/import/template/",
         **NOT_OFFICE),
    page("account-passwords", lambda o: "/accounts/passwords/", **NOT_OFFICE),
    Case("account-passwords", "post", lambda o: "/accounts/passwords/",
         SAVED),
    Case("account-passwords-download", "post", lambda o: "/accounts/passwords/download/",
         SAVED),
    Case("api:read_notification", "post", lambda o: f"/api/v1/notifications/{inbox_item('zhujian').pk}/read",
         {"anonymous": 401, **{r: 404 for r in ALL}, "zhujian": 200}, secret=lambda o: SECRET_TITLE),
    # Settings pages
    page("settings", lambda o: "/settings/", **NOT_OFFICE),
    Case("settings", "post", lambda o: "/settings/", {"anonymous": 302, **OFFICE_405, **NOT_OFFICE}),
    page("settings-office", lambda o: "/settings/office/", **NOT_OFFICE),
    Case("settings-office", "post", lambda o: "/settings/office/", SAVED, data=lambda o: sf.office_form()),
    page("settings-escalation", lambda o: "/settings/escalation/", **NOT_OFFICE),
    page("settings-escalation-rule", lambda o: "/settings/escalation/leader_instruction/", **NOT_OFFICE),
    Case("settings-escalation-rule", "post", lambda o: "/settings/escalation/default/", SAVED,
         data=lambda o: sf.rule_form()),
    page("settings-letter-templates", lambda o: "/settings/letter-templates/", **NOT_OFFICE),
    page("settings-letter-template", lambda o: "/settings/letter-templates/red/", **NOT_OFFICE),
    Case("settings-letter-template", "post", lambda o: "/settings/letter-templates/urge/", SAVED,
         data=lambda o: sf.letter_template_form()),
    page("settings-document-templates", lambda o: "/settings/document-templates/", **NOT_OFFICE),
    page("settings-document-template", lambda o: "/settings/document-templates/bulletin/", **NOT_OFFICE),
    Case("settings-document-template", "post", lambda o: "/settings/document-templates/bulletin/", SAVED,
         data=lambda o: sf.document_template_form()),
    page("settings-deadlines", lambda o: "/settings/deadlines/", **NOT_OFFICE),
    Case("settings-deadlines", "post", lambda o: "/settings/deadlines/", SAVED, data=lambda o: sf.deadlines_form()),
    page("settings-workdays", lambda o: "/settings/workdays/", **NOT_OFFICE),
    Case("settings-workdays", "post", lambda o: "/settings/workdays/", SAVED,
         data={"date": "2030-01-03", "is_workday": "0", "note": "测试"}),
    Case("settings-workday-remove", "post", lambda o: f"/settings/workdays/{sf.override()}/remove/", SAVED),
    page("settings-vocabulary", lambda o: "/settings/status-words/", **NOT_OFFICE),
    Case("settings-vocabulary", "post", lambda o: "/settings/status-words/", SAVED,
         data=lambda o: sf.vocabulary_form()),
    page("settings-channels", lambda o: "/settings/channels/", **NOT_OFFICE),
    page("settings-robot-new", lambda o: "/settings/channels/robots/new/", **NOT_OFFICE),
    Case("settings-robot-new", "post", lambda o: "/settings/channels/robots/new/", SAVED,
         data={"name": "住建局工作群", "channel": "wecom", "url": "https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=k",
               "active": "on"}),
    page("settings-robot", lambda o: f"/settings/channels/robots/{sf.robot().pk}/", **NOT_OFFICE),
    Case("settings-robot", "post", lambda o: f"/settings/channels/robots/{sf.robot(name='旧群').pk}/", SAVED,
         data={"name": "新群", "channel": "wecom", "url": "https://qyapi.weixin.qq.com/x", "version": 1}),
    Case("settings-robot-test", "post", lambda o: f"/settings/channels/robots/{sf.robot().pk}/test/", SAVED),
    page("settings-smtp", lambda o: "/settings/channels/smtp/", **NOT_OFFICE),
    Case("settings-smtp", "post", lambda o: "/settings/channels/smtp/", SAVED,
         data={"host": "", "port": 25, "version": 0}),
    Case("settings-smtp-test", "post", lambda o: "/settings/channels/smtp/test/", SAVED, data={"to": "a@example.com"}),
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


def _finished_export(actor) -> ExportJob:  # noqa: ANN001
    job = queue_export(actor, "ledger", {"filters": {}, "as_of": "2026-11-18"})
    return run_export(job.pk)


@pytest.fixture
def objects(zhujian_task: Task, renshe_only_task: Task, user) -> dict:  # noqa: ANN001
    from tests.imports.conftest import PLAN

    upload = SimpleUploadedFile("plan.txt", PLAN.encode())
    own_report = ProgressReport.objects.filter(task=zhujian_task, unit__aliases__name="区住建局").first()
    zhujian = user("zhujian")
    letter = Letter.objects.create(
        task=zhujian_task, unit=zhujian.unit, event_key="test", kind="escalate", level="red", prefix="督办",
        year=2026, seq=999, number="督办〔2026〕999号", addressee_role="liaison", title="督办单:测试任务已逾期",
        body="请限期办结。", reason="逾期", issued_on=dt.date(2026, 11, 2))
    return {
        "letter": letter,
        "fresh": Task.objects.get(dispatch_state="dispatched", task_units__unit=zhujian.unit),
        "returned": ProgressReport.objects.get(state="returned", unit=zhujian.unit),
        "attachment": ReportAttachment.objects.create(report=own_report, file=SimpleUploadedFile("a.txt", b"x"),
                                                      name="a.txt", size=1),
        "request": TaskRequest.objects.create(task=zhujian_task, kind="extension", unit=zhujian.unit,
                                              requested_by=zhujian, reason="疫情影响"),
        "draft": create_draft(user("supervisor"), upload),
        "scheme": ensure_demo_scheme(dt.date(2026, 11, 18)),
        "briefing": create_briefing(user("supervisor"), tasks=[zhujian_task], issued_on=dt.date(2026, 11, 18)),
        "export": _finished_export(user("leader")),
        "own": zhujian_task,
        "other": renshe_only_task,
        "own_report": own_report,
        "other_report": ProgressReport.objects.filter(task=renshe_only_task).first(),
    }


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("case", MATRIX, ids=lambda c: f"{c.method}:{c.url_name}")
def test_role_matrix(case: Case, role: str, objects: dict, client, login) -> None:  # noqa: ANN001
    if case.url_name.startswith("api:get_report"):
        assert objects["own_report"] and objects["other_report"]
    c = client if role == "anonymous" else login(role)
    data = case.data(objects) if callable(case.data) else case.data
    if case.json:
        response = getattr(c, case.method)(case.url(objects), data=data or {}, content_type="application/json")
    else:
        response = getattr(c, case.method)(case.url(objects), data=data or {})
    assert response.status_code == case.expect[role], (role, case.url(objects))
    secret = case.secret(objects) if case.secret else ""
    if response.status_code >= 400 and secret:
        assert secret not in response.content.decode()
