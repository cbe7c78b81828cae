"""The office's settings pages (/settings/): every section saves through its service and is audited, a save over
someone else's change is refused, and what is saved is what letters, documents, deadlines and pages use next.
Robots and SMTP are tested against small real servers on localhost, not mocks."""
from __future__ import annotations

import datetime as dt
import http.server
import json
import re
import socket
import socketserver
import threading
from collections.abc import Iterator

import pytest
from django.utils import timezone

from duban.core import office as offices
from duban.core.models import ActivityLog, Office, WorkdayOverride
from duban.core.workdays import work_calendar
from duban.documents import builders
from duban.letters.models import EscalationRule, Letter, LetterTemplate
from duban.letters.services import run_ladder
from duban.notify.models import GroupRobot, SmtpSettings
from duban.supervision.workdays import WorkCalendar
from duban.tasks.models import Task, TaskUnit
from duban.tasks.register import Matter, deadline_for
from duban.units.services import find_unit
from tests.site.settings_factories import robot


def logged(action: str) -> list[ActivityLog]:
    return list(ActivityLog.objects.filter(action=action).order_by("seq"))


def messages_of(response) -> list[str]:  # noqa: ANN001
    return [str(m) for m in response.context["messages"]] if response.context else []


@pytest.fixture(autouse=True)
def _fresh_vocabulary() -> Iterator[None]:
    """The status words are remembered for a while outside requests: forget them after each test, whose
    changes are rolled back."""
    yield
    offices.forget_status_vocabulary()


# --- small real servers ------------------------------------------------------------------------------------------

class Robot(http.server.BaseHTTPRequestHandler):
    received: list[dict] = []

    def do_POST(self) -> None:  # noqa: N802
        length = int(self.headers.get("Content-Length", 0))
        Robot.received.append(json.loads(self.rfile.read(length)))
        body = json.dumps({"errcode": 0, "errmsg": "ok"}).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: object) -> None:
        pass


class Smtp(socketserver.StreamRequestHandler):
    """Just enough SMTP for smtplib: greet, accept one message, remember it."""

    received: list[str] = []

    def reply(self, line: str) -> None:
        self.wfile.write(f"{line}\r\n".encode())

    def handle(self) -> None:
        self.reply("220 localhost ready")
        while line := self.rfile.readline():
            verb = line.decode().strip().split(" ")[0].upper()
            if verb == "EHLO":
                self.reply("250 localhost")
            elif verb == "DATA":
                self.reply("354 go ahead")
                data = []
                while (chunk := self.rfile.readline()) not in (b".\r\n", b""):
                    data.append(chunk.decode("utf-8", "replace"))
                Smtp.received.append("".join(data))
                self.reply("250 queued")
            elif verb == "QUIT":
                self.reply("221 bye")
                return
            else:
                self.reply("250 ok")


def _serve(server: socketserver.BaseServer) -> Iterator[int]:
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server.server_address[1]
    server.shutdown()
    server.server_close()


@pytest.fixture
def robot_server() -> Iterator[int]:
    Robot.received = []
    yield from _serve(http.server.ThreadingHTTPServer(("127.0.0.1", 0), Robot))


@pytest.fixture
def smtp_server() -> Iterator[int]:
    Smtp.received = []
    yield from _serve(socketserver.ThreadingTCPServer(("127.0.0.1", 0), Smtp))


@pytest.fixture
def dead_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


# --- the index and the office -------------------------------------------------------------------------------------

def test_index_sums_up_each_section(login) -> None:
    body = login("supervisor").get("/settings/").content.decode()
    assert body.count('class="list-group-item list-group-item-action py-3"') == 8
    assert Office.objects.get().name in body


def test_office_details_save_and_a_stale_version_is_refused(login) -> None:
    c, office = login("admin"), Office.objects.get()
    data = {"name": "东湖区人民政府督查室", "authority": "东湖区人民政府办公室", "level": "district",
            "letter_prefix": "东湖", "document_prefix": "东政办督", "version": office.version}
    assert c.post("/settings/office/", data).status_code == 302
    assert Office.objects.get().letter_prefix == "东湖"
    assert logged("office.update")[-1].after["letter_prefix"] == "东湖"
    stale = c.post("/settings/office/", {**data, "name": "别人的名字"})
    assert stale.status_code == 409 and Office.objects.get().name == "东湖区人民政府督查室"
    assert 'value="东湖区人民政府督查室"' in stale.content.decode()  # the current values, not the stale input


# --- 催办规则 and 函件模板: letters issued afterwards follow them -------------------------------------------------------

def _open_zhujian_task() -> Task:
    return (Task.objects.actionable().exclude(dispatch_state=Task.Dispatch.DRAFT)
            .exclude(status__in=(Task.Status.DONE, Task.Status.SUSPENDED))
            .filter(task_units__unit=find_unit("区住建局"), task_units__role=TaskUnit.Role.LEAD)
            .order_by("path").first())


def test_ladder_and_template_changes_reach_the_next_letter(login) -> None:
    c, today = login("supervisor"), timezone.localdate()
    rule = {"remind_before": 3, "urge_after": 1, "blue_within": 5, "yellow_returns": 2, "red_overdue": 2,
            "blue_to": "liaison", "yellow_to": "unit_head", "red_to": "unit_head", "active": "on", "version": 0}
    assert c.post("/settings/escalation/default/", rule).status_code == 302
    saved = EscalationRule.objects.get(source_kind="")
    assert (saved.red_overdue, saved.red_to) == (2, "unit_head")
    assert logged("settings.escalation")[-1].after["red_to"] == "unit_head"
    assert c.post("/settings/escalation/default/", {**rule, "red_overdue": 9}).status_code == 409  # version 0 again
    assert EscalationRule.objects.get(source_kind="").red_overdue == 2

    red = LetterTemplate.objects.filter(kind="red").first()
    template = {"title": "红色督办：{{ task.number }}号事项", "body": "{{ unit }}：请限期办结。",
                "version": red.version if red else 0}
    assert c.post("/settings/letter-templates/red/", template).status_code == 302
    assert logged("settings.template")[-1].after["title"] == "红色督办：{{ task.number }}号事项"

    task = _open_zhujian_task()
    Task.objects.filter(pk=task.pk).update(deadline=work_calendar().add_workdays(today, -2))
    letters = [x for x in run_ladder(today, task_ids=[task.pk]) if x.level == "red"]
    assert len(letters) == 1
    letter = Letter.objects.prefetch_related("addressees").get(pk=letters[0].pk)
    assert letter.title == f"红色督办：{task.number}号事项" and letter.addressee_role == "unit_head"
    assert [u.username for u in letter.addressees.all()] == ["zhujian_head"]


def test_letter_template_preview_and_errors(login) -> None:
    c = login("admin")
    page = c.get("/settings/letter-templates/urge/").content.decode()
    assert "{{ task.number }}" in page and "区住建局" in page  # placeholders and the sample preview
    shown = c.post("/settings/letter-templates/urge/", {"title": "催办：{{ unit }}", "body": "{{ reason }}",
                                                         "version": 0, "preview": "1"})
    assert shown.status_code == 200 and "催办：区住建局" in shown.content.decode()
    assert not LetterTemplate.objects.filter(kind="urge").exists()  # a preview saves nothing
    broken = c.post("/settings/letter-templates/urge/", {"title": "{% if %}", "body": "x", "version": 0})
    assert broken.status_code == 400 and not LetterTemplate.objects.filter(kind="urge").exists()
    outside = c.post("/settings/letter-templates/urge/", {"title": "x", "body": '{% include "base.html" %}',
                                                          "version": 0})
    assert outside.status_code == 400 and not LetterTemplate.objects.filter(kind="urge").exists()
    assert c.get("/settings/letter-templates/nosuch/").status_code == 404


# --- 公文模板 -----------------------------------------------------------------------------------------------------------

def test_document_template_change_is_used_by_the_next_document(login) -> None:
    from duban.documents.settings import loaded_stamp, template_for

    c = login("supervisor")
    row = template_for("report")
    data = {f: getattr(row, f) for f in ("header", "number", "addressee", "intro", "closing", "signature",
                                         "copy_to", "printed_by")}
    data.update(title="{{ year }}年重点任务落实情况（设置页）", loaded=loaded_stamp(row))
    assert c.post("/settings/document-templates/report/", data).status_code == 302
    assert logged("settings.template")[-1].object_type == "documents.documenttemplate"
    doc = builders.build_report(Task.objects.actionable().filter(number__in=["1", "2"]), dt.date(2026, 11, 18))
    assert doc.title == "2026年重点任务落实情况（设置页）"
    stale = c.post("/settings/document-templates/report/", {**data, "title": "旧页面"})
    assert stale.status_code == 409 and template_for("report").title.endswith("（设置页）")


# --- 默认期限 and 工作日调整: the next deadline counts with them ------------------------------------------------------

def _matter() -> Matter:
    return Matter(kind="leader_instruction", text="落实批示", lead_units=[find_unit("区住建局")])


def test_default_deadlines_are_used_when_registering(login) -> None:
    c, office, today = login("supervisor"), Office.objects.get(), timezone.localdate()
    form = {k: 15 for k in ("leader_instruction", "meeting_decision", "superior_assignment", "incoming_document",
                            "other")}
    assert c.post("/settings/deadlines/", {**form, "leader_instruction": 7, "urgent": 2,
                                           "version": office.version}).status_code == 302
    assert Office.objects.get().working_days_for("leader_instruction") == 7
    assert deadline_for(_matter(), today) == work_calendar().add_workdays(today, 7)
    assert logged("settings.deadlines")[-1].after["deadline_days"]["leader_instruction"] == 7
    assert c.post("/settings/deadlines/", {**form, "urgent": 0, "version": office.version + 1}).status_code == 400
    assert c.post("/settings/deadlines/", {**form, "urgent": 4, "version": office.version}).status_code == 409


def test_workday_override_moves_a_deadline(login) -> None:
    c, today = login("admin"), timezone.localdate()
    before = deadline_for(_matter(), today)
    holiday = WorkCalendar().add_workdays(today, 1)
    assert c.post("/settings/workdays/", {"date": holiday.isoformat(), "is_workday": "0",
                                          "note": "临时调整"}).status_code == 302
    assert deadline_for(_matter(), today) == work_calendar().next_workday(before + dt.timedelta(days=1))
    assert deadline_for(_matter(), today) > before
    assert logged("settings.workdays")[-1].after["is_workday"] is False
    again = c.post("/settings/workdays/", {"date": holiday.isoformat(), "is_workday": "1"})
    assert again.status_code == 409 and WorkdayOverride.objects.get(date=holiday).is_workday is False
    page = c.get("/settings/workdays/", {"year": "2026"}).content.decode()
    assert "2026-10-01" in page and holiday.isoformat() in page  # the official calendar beside the office's days
    assert c.post(f"/settings/workdays/{holiday.isoformat()}/remove/").status_code == 302
    assert deadline_for(_matter(), today) == before
    assert c.post(f"/settings/workdays/{holiday.isoformat()}/remove/").status_code == 302  # refused, no error
    assert c.post("/settings/workdays/not-a-date/remove/").status_code == 404
    assert c.get("/settings/workdays/", {"year": "abc"}).status_code == 200


# --- 状态用语 -----------------------------------------------------------------------------------------------------------

def test_status_words_switch_changes_the_task_list(login) -> None:
    c, office = login("supervisor"), Office.objects.get()
    assert "序时推进" in c.get("/tasks/", {"status": "on_schedule"}).content.decode()
    assert c.post("/settings/status-words/", {"vocabulary": "tuijin", "version": office.version}).status_code == 302
    body = c.get("/tasks/", {"status": "on_schedule"}).content.decode()
    assert 'status-badge text-bg-primary">推进中<' in body and 'status-badge text-bg-primary">序时推进<' not in body
    assert logged("settings.vocabulary")[-1].after == {"status_vocabulary": "tuijin"}
    assert c.post("/settings/status-words/", {"vocabulary": "nosuch", "version": office.version + 1}).status_code == 400


def test_status_words_default_to_the_environment_setting(db, settings) -> None:  # noqa: ANN001
    settings.DUBAN_STATUS_VOCABULARY = "shouxian"
    assert offices.status_vocabulary() == "shouxian"  # the office chose none


# --- 通知渠道 -----------------------------------------------------------------------------------------------------------

def test_robot_added_edited_and_tested_against_a_local_server(login, robot_server: int) -> None:
    c = login("supervisor")
    url = f"http://127.0.0.1:{robot_server}/cgi-bin/webhook/send?key=abc"
    assert c.post("/settings/channels/robots/new/", {"name": "督查室群", "channel": "wecom", "url": url,
                                                     "active": "on"}).status_code == 302
    made = GroupRobot.objects.get(name="督查室群")
    assert logged("notify.robot")[-1].after["name"] == "督查室群"
    sent = c.post(f"/settings/channels/robots/{made.pk}/test/", follow=True)
    assert sent.status_code == 200 and Robot.received and Robot.received[0]["msgtype"] == "markdown"
    assert logged("notify.test")[-1].after["ok"] is True
    edit = {"name": "督查室群（新）", "channel": "wecom", "url": url, "version": made.version}
    assert c.post(f"/settings/channels/robots/{made.pk}/", edit).status_code == 302  # unticked: switched off
    assert not GroupRobot.objects.get(pk=made.pk).active
    assert c.post(f"/settings/channels/robots/{made.pk}/", {**edit, "name": "旧页面"}).status_code == 409
    wecom = c.post("/settings/channels/robots/new/", {"name": "企业微信群", "channel": "wecom", "url": url,
                                                      "secret": "SEC123"})
    assert wecom.status_code == 302 and GroupRobot.objects.get(name="企业微信群").secret == ""  # only DingTalk signs
    wrong = c.post("/settings/channels/robots/new/", {"name": "坏地址", "channel": "wecom", "url": "ftp://x/y"})
    assert wrong.status_code == 400 and not GroupRobot.objects.filter(name="坏地址").exists()


def test_robot_test_to_a_dead_port_reports_the_error(login, dead_port: int) -> None:
    made = robot(f"http://127.0.0.1:{dead_port}/hook")
    response = login("admin").post(f"/settings/channels/robots/{made.pk}/test/", follow=True)
    assert response.status_code == 200
    errors = [m for m in response.context["messages"] if m.level_tag == "error"]
    assert errors and "refused" in str(errors[0]).lower()  # the socket's own words after the Chinese sentence
    assert logged("notify.test")[-1].after["ok"] is False


def test_smtp_saved_encrypted_and_used_for_the_test_message(login, smtp_server: int, dead_port: int) -> None:
    c = login("admin")
    data = {"host": "127.0.0.1", "port": smtp_server, "username": "", "password": "s3cret-口令",
            "from_email": "duban@donghu.gov.cn", "version": 0}
    assert c.post("/settings/channels/smtp/", data).status_code == 302
    smtp = SmtpSettings.objects.get()
    assert smtp.password == "s3cret-口令"
    entry = logged("settings.notify")[-1]
    assert entry.after["host"] == "127.0.0.1" and "s3cret" not in json.dumps(entry.after)
    # Without a password in the form the saved one stays (the page never shows it).
    assert c.post("/settings/channels/smtp/", {**data, "password": "", "username": "",
                                               "version": smtp.version}).status_code == 302
    assert SmtpSettings.objects.get().password == "s3cret-口令"
    assert c.post("/settings/channels/smtp/", {**data, "version": 0}).status_code == 409
    assert "s3cret" not in c.get("/settings/channels/smtp/").content.decode()

    sent = c.post("/settings/channels/smtp/test/", {"to": "liaison@example.com"}, follow=True)
    assert sent.status_code == 200 and len(Smtp.received) == 1
    assert "duban@donghu.gov.cn" in Smtp.received[0] and "liaison@example.com" in Smtp.received[0]
    assert logged("notify.test")[-1].after["ok"] is True

    SmtpSettings.objects.filter(pk=1).update(port=dead_port)
    failed = c.post("/settings/channels/smtp/test/", {"to": "liaison@example.com"}, follow=True)
    assert failed.status_code == 200 and any(m.level_tag == "error" for m in failed.context["messages"])
    assert logged("notify.test")[-1].after["ok"] is False
    assert c.post("/settings/channels/smtp/test/", {"to": "not an address"}).status_code == 302


def test_email_channel_falls_back_to_the_environment_without_a_host(db) -> None:  # noqa: ANN001
    from django.core import mail

    from duban.notify import channels

    channels.send_email("someone@example.com", channels.Message("标题", "正文"))
    assert mail.outbox[-1].to == ["someone@example.com"]


# --- navigation and /admin/ ---------------------------------------------------------------------------------------

def test_nav_shows_settings_to_the_office_and_admin_to_superusers_only(login, user) -> None:
    staff = user("supervisor")
    staff.is_staff = True  # a staff supervisor who is no superuser still does not see /admin/ in the menu
    staff.save(update_fields=["is_staff"])
    supervisor = login("supervisor").get("/").content.decode()
    assert 'href="/settings/"' in supervisor and 'href="/admin/"' not in supervisor
    admin = login("admin").get("/").content.decode()
    assert 'href="/settings/"' in admin and 'href="/admin/"' in admin
    assert 'href="/settings/"' not in login("zhujian").get("/").content.decode()


def test_admin_section_names_are_not_english(login) -> None:
    body = login("admin").get("/admin/").content.decode()
    sections = re.findall(r'<caption>\s*<a[^>]*class="section"[^>]*>([^<]*)</a>', body)
    assert sections and not [s for s in sections if re.fullmatch(r"[A-Za-z _/-]+", s.strip())]
