"""Web hardening: CSRF, headers, escaping of everything users type, file names, uploads, API limits."""
from __future__ import annotations

import io
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from hypothesis import given
from hypothesis import settings as hsettings
from hypothesis import strategies as st

from duban.core.uploads import check_evidence
from duban.people.models import User
from duban.tasks import services
from duban.tasks.models import Task
from duban.tasks.reporting.models import ProgressReport
from duban.units.services import create_unit, find_unit

SCRIPT = '<script>alert("x")</script><img src=x onerror=alert(1)>'


def test_forms_refuse_posts_without_csrf_token(db) -> None:  # noqa: ANN001
    client = Client(enforce_csrf_checks=True)
    client.force_login(User.objects.get(username="supervisor"))
    task = Task.objects.actionable().first()
    assert client.post(f"/tasks/{task.pk}/comment/", {"text": "hi"}).status_code == 403
    assert client.post("/login/", {"username": "x", "password": "y"}).status_code == 403
    session_api = client.post(f"/api/v1/tasks/{task.pk}/acknowledge")
    assert session_api.status_code in (401, 403)


def test_pages_send_strict_security_headers(login) -> None:
    response = login("zhujian").get("/")
    csp = response.headers["Content-Security-Policy"]
    assert "default-src 'self'" in csp and "script-src 'self'" in csp and "unsafe-inline" not in csp
    assert "frame-ancestors 'none'" in csp
    assert response.headers["X-Frame-Options"] == "DENY"
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert "camera=()" in response.headers["Permissions-Policy"]


def test_rendered_pages_have_no_inline_script_or_style(login, zhujian_task) -> None:
    import re

    c = login("supervisor")
    for url in ("/", "/tasks/", f"/tasks/{zhujian_task.pk}/", "/review/", "/letters/", "/imports/", "/units/",
                "/account/security/"):
        body = c.get(url).content.decode()
        assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", body), url  # only external scripts
        assert not re.search(r"\son[a-z]+=", body), url  # no inline event handlers
        assert ' style="' not in re.sub(r"<svg.*?</svg>", "", body, flags=re.S), url


def test_user_text_is_escaped_everywhere(login, user) -> None:  # noqa: ANN001
    supervisor = user("supervisor")
    unit = create_unit(supervisor, f"区{SCRIPT}局")
    section = Task.objects.filter(kind=Task.Kind.SECTION).first()
    task = services.create_task(supervisor, parent=section, number="77", text=f"任务{SCRIPT}",
                                lead_units=[unit, find_unit("区住建局")])
    services.add_comment(user("leader"), task, f"批示{SCRIPT}")
    ProgressReport.objects.create(task=task, unit=find_unit("区住建局"), period_start="2026-10-01",
                                  period_end="2026-10-31", progress=f"进展{SCRIPT}", state="submitted")
    c = login("supervisor")
    for url in (f"/tasks/{task.pk}/", "/tasks/?q=任务", "/units/?q=区", "/review/"):
        body = c.get(url).content.decode()
        assert "<script>alert" not in body and "<img src=x" not in body, url
        assert "&lt;script&gt;alert" in body, url
    api = c.get("/api/v1/tasks?q=任务")  # JSON is data, never rendered as a page
    assert api.headers["Content-Type"].startswith("application/json")
    assert api.headers["X-Content-Type-Options"] == "nosniff"


def test_file_names_are_escaped(login, settings, tmp_path) -> None:
    from tests.imports.conftest import PLAN

    settings.MEDIA_ROOT = tmp_path
    c = login("supervisor")
    c.post("/imports/", {"file": SimpleUploadedFile('<img src=x onerror=alert(1)>.txt', PLAN.encode())})
    for url in ("/imports/", c.get("/imports/").content.decode().split('href="/imports/')[1].split('"')[0]):
        body = c.get(url if url.startswith("/") else f"/imports/{url}").content.decode()
        assert "<img src=x" not in body and "&lt;img src=x" in body


def test_uploaded_file_names_cannot_escape_the_storage(login, settings, tmp_path) -> None:
    from tests.imports.conftest import PLAN

    settings.MEDIA_ROOT = tmp_path
    for name in ("../../../etc/cron.d/x.txt", "..\\..\\windows\\win.ini.txt", "a/../../b.txt", "\x00evil.txt"):
        login("supervisor").post("/imports/", {"file": SimpleUploadedFile(name, PLAN.encode())})
    stored = [p for p in tmp_path.rglob("*") if p.is_file()]
    assert stored and all(tmp_path in p.parents for p in stored)
    assert all(".." not in p.name and "etc" not in p.parts for p in stored)


def _zip(parts: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in parts.items():
            z.writestr(name, data)
    return out.getvalue()


@pytest.mark.parametrize(("name", "data", "ok"), [
    ("photo.jpg", b"\xff\xd8\xff\xe0" + bytes(100), True),
    ("scan.pdf", b"%PDF-1.7\n" + bytes(100), True),
    ("report.docx", _zip({"word/document.xml": b"<w/>"}), True),
    ("photo.jpg", b"MZ\x90\x00 executable", False),          # an .exe named .jpg
    ("page.pdf", b"<html><script>alert(1)</script>", False),  # html named .pdf
    ("macro.docx", _zip({"vbaProject.bin": b"x"}), False),    # not a Word document inside
    ("empty.png", b"", False),
])
def test_evidence_type_is_judged_by_content(name: str, data: bytes, ok: bool) -> None:
    from django.core.exceptions import ValidationError

    upload = SimpleUploadedFile(name, data)
    if ok:
        check_evidence(upload)
    else:
        with pytest.raises(ValidationError):
            check_evidence(upload)


def test_oversized_evidence_is_refused(login, zhujian_task) -> None:
    from duban.core.uploads import MAX_EVIDENCE_BYTES

    big = SimpleUploadedFile("big.pdf", b"%PDF-" + bytes(MAX_EVIDENCE_BYTES))
    response = login("zhujian").post(f"/tasks/{zhujian_task.pk}/request/", {
        "kind": "completion", "reason": "完成", "evidence": big})
    assert response.status_code == 302
    assert not zhujian_task.requests.exists()


@hsettings(max_examples=60, deadline=None)
@given(st.binary(max_size=300))
def test_evidence_check_never_crashes(data: bytes) -> None:
    from django.core.exceptions import ValidationError

    try:
        check_evidence(SimpleUploadedFile("x.bin", data))
    except ValidationError:
        pass


def test_api_is_rate_limited(login, settings) -> None:
    from django.core.cache import cache

    cache.clear()
    settings.DUBAN_API_RATE_USER = "5/m"
    c = login("zhujian")
    codes = [c.get("/api/v1/tasks").status_code for _ in range(7)]
    assert codes[:5] == [200] * 5 and codes[5:] == [429, 429]
    cache.clear()


def test_api_token_is_revoked_in_the_admin(db, capsys) -> None:  # noqa: ANN001
    from django.core.management import call_command

    from duban.api.models import ApiToken
    from duban.core.models import ActivityLog

    call_command("token", "zhujian")
    raw = capsys.readouterr().out.strip()
    api = Client()
    assert api.get("/api/v1/tasks", HTTP_AUTHORIZATION=f"Bearer {raw}").status_code == 200
    admin = Client()
    admin.force_login(User.objects.get(username="admin"))
    token = ApiToken.objects.get(user__username="zhujian")
    admin.post("/admin/api/apitoken/", {"action": "revoke", "_selected_action": [token.pk]})
    assert api.get("/api/v1/tasks", HTTP_AUTHORIZATION=f"Bearer {raw}").status_code == 401
    assert ActivityLog.objects.filter(action="token.revoke", object_id=str(token.pk)).exists()
