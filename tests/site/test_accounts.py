"""The office's account pages and `duban users import`: creating one or a list, one-time passwords, and the
account actions (停用, 启用, 重置密码, 解除锁定, 吊销令牌), each in the activity log."""
from __future__ import annotations

import io
import re

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.test import Client

from duban.api.auth import issue_token
from duban.api.models import ApiToken
from duban.core.errors import ActionRefused
from duban.core.models import ActivityLog
from duban.people import services
from duban.people.models import Role, User
from duban.people.roster import HEADERS
from duban.site.demo.load import PASSWORD
from duban.tasks.models import Task
from duban.units.services import find_unit

PASSWORD_CELL = re.compile(r'class="[^"]*\bpassword">([^<]+)<')
GOOD_ROWS = [
    ["赵联络", "区住建局", "联络员", "13900000001", "zhao@example.cn"],
    ["钱局长", "区人社局", "单位负责人", "13900000002", ""],
    ["孙区长", "", "分管领导", "", "", "", "区住建局、区人社局", "城市建设"],
]


def xlsx(rows: list[list], header: tuple[str, ...] = HEADERS) -> bytes:
    book = openpyxl.Workbook()
    book.active.append(list(header))
    for row in rows:
        book.active.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def upload(client: Client, data: bytes, name: str = "名单.xlsx"):  # noqa: ANN201
    return client.post("/accounts/import/", {"file": SimpleUploadedFile(name, data)})


def logged(action: str, **kwargs: str) -> int:
    return ActivityLog.objects.filter(action=action, **kwargs).count()


def shown_passwords(client: Client) -> list[str]:
    response = client.get("/accounts/passwords/")
    assert response.status_code == 200
    return PASSWORD_CELL.findall(response.content.decode())


def sign_in(username: str, password: str, address: str = "10.0.0.5") -> tuple[Client, int]:
    client = Client()
    response = client.post("/login/", {"username": username, "password": password}, REMOTE_ADDR=address)
    return client, response.status_code


def test_one_account_is_created_with_a_one_time_password_shown_once(login) -> None:  # noqa: ANN001
    c = login("supervisor")
    response = c.post("/accounts/new/", {"display_name": "赵六", "role": "liaison", "unit": "区住建局",
                                         "phone": "139 0000 0009", "email": "zl@example.cn"})
    assert response.status_code == 302 and response.url == "/accounts/passwords/"
    user = User.objects.get(username="13900000009")  # the mobile number without a username
    assert (user.display_name, user.unit, user.phone, user.must_change_password) == (
        "赵六", find_unit("区住建局"), "13900000009", True)
    assert logged("user.create", object_id=str(user.pk)) == 1
    [password] = shown_passwords(c)
    assert password not in c.get("/accounts/passwords/").content.decode()  # shown once
    download = c.post("/accounts/passwords/download/")
    sheet = openpyxl.load_workbook(io.BytesIO(download.content)).active
    assert [cell.value for cell in sheet[2]][3:5] == ["13900000009", password]
    assert c.post("/accounts/passwords/download/").status_code == 302  # gone with the download
    # The first login goes to the password change, and nowhere else until it is done.
    client, status = sign_in("13900000009", password)
    assert status == 302
    assert client.get("/").url == "/account/password/"


def test_the_new_account_form_refuses_what_cannot_work(login) -> None:  # noqa: ANN001
    c = login("admin")
    for data in ({"display_name": "甲", "role": "liaison"},  # a liaison without a unit
                 {"display_name": "乙", "role": "liaison", "unit": "区不存在局"},
                 {"display_name": "丙", "role": "supervisor", "username": "zhujian"}):
        response = c.post("/accounts/new/", data)
        assert response.status_code == 200 and response.context["form"].errors
    assert not User.objects.filter(display_name__in=("甲", "乙", "丙")).exists()
    c.post("/accounts/new/", {"display_name": "丁", "role": "supervisor"})
    assert re.fullmatch(r"u\d{4}", User.objects.get(display_name="丁").username)


def test_a_list_is_previewed_then_created_all_at_once(login) -> None:  # noqa: ANN001
    c = login("supervisor")
    response = upload(c, xlsx(GOOD_ROWS))
    assert response.status_code == 200
    plan = response.context["plan"]
    assert plan.ok and [row.username for row in plan.rows][:2] == ["13900000001", "13900000002"]
    assert "赵联络" in response.content.decode()
    assert not User.objects.filter(display_name="赵联络").exists()  # nothing before the confirmation
    response = c.post("/accounts/import/apply/", {"nonce": response.context["nonce"]})
    assert response.url == "/accounts/passwords/"
    leader = User.objects.get(display_name="孙区长")
    assert leader.role == Role.LEADER and leader.areas == ["城市建设"]
    assert set(leader.oversees_units.all()) == {find_unit("区住建局"), find_unit("区人社局")}
    assert User.objects.get(display_name="钱局长").role == Role.UNIT_HEAD
    assert logged("user.import") == 3
    passwords = shown_passwords(c)
    assert len(passwords) == 3
    sheet = openpyxl.load_workbook(io.BytesIO(c.post("/accounts/passwords/download/").content)).active
    assert sorted(row[4] for row in sheet.iter_rows(min_row=2, max_row=4, values_only=True)) == sorted(passwords)
    # The same list again: every row's account exists now, so nothing is offered.
    again = upload(c, xlsx(GOOD_ROWS[:2]))
    assert not again.context["plan"].ok


def test_preview_shows_each_bad_row_and_nothing_can_be_applied(login) -> None:  # noqa: ANN001
    c = login("supervisor")
    response = upload(c, xlsx([
        GOOD_ROWS[0],
        ["周某", "区不存在局", "联络员", "", ""],         # row 3: unknown unit
        ["吴某", "区住建局", "组长", "", ""],              # row 4: unknown role
        ["郑某", "区住建局", "联络员", "13900000001", ""],  # row 5: repeats row 2's phone
        ["冯某", "区住建局", "联络员", "", "", "zhujian"],  # row 6: the username is taken
    ]))
    assert response.status_code == 200
    plan = response.context["plan"]
    assert not plan.ok
    assert {row.record.row for row in plan.rows if row.errors} == {3, 4, 5, 6}
    assert "区不存在局" in " ".join(plan.rows[1].errors)
    assert c.post("/accounts/import/apply/", {"nonce": response.context["nonce"]}).status_code == 302
    assert not User.objects.filter(display_name__in=("赵联络", "周某", "吴某", "郑某", "冯某")).exists()


def test_applying_is_all_or_nothing(login) -> None:  # noqa: ANN001
    c = login("supervisor")
    nonce = upload(c, xlsx(GOOD_ROWS)).context["nonce"]
    services.create_user(None, "13900000002", PASSWORD, role=Role.LIAISON, unit=find_unit("区人社局"))  # meanwhile
    response = c.post("/accounts/import/apply/", {"nonce": nonce})
    assert response.url == "/accounts/import/"
    assert not User.objects.filter(display_name__in=("赵联络", "孙区长")).exists()
    assert logged("user.import") == 0


@pytest.mark.parametrize(("data", "name"), [(b"\x00garbage", "名单.xlsx"), (b"PK\x03\x04broken", "名单.xlsx"),
                                            (b"\xd0\xcf\x11\xe0", "名单.xls"), (b"", "empty.csv"),
                                            (xlsx([], header=("名字", "部门")), "名单.xlsx")])
def test_unreadable_uploads_get_a_message_not_an_error_page(login, data: bytes, name: str) -> None:  # noqa: ANN001
    response = upload(login("supervisor"), data, name)
    assert response.status_code == 200 and response.context["form"].errors


def test_csv_lists_are_imported_too(login) -> None:  # noqa: ANN001
    text = "姓名,单位,角色,手机,邮箱\n陈联络,区住建局,联络员,13900000011,\n"
    response = upload(login("supervisor"), text.encode("gb18030"), "名单.csv")
    assert response.context["plan"].ok


def test_the_template_is_a_workbook_with_the_header_row(login) -> None:  # noqa: ANN001
    response = login("supervisor").get("/accounts/import/template/")
    assert response.status_code == 200 and "attachment" in response["Content-Disposition"]
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    assert tuple(cell.value for cell in sheet[1]) == HEADERS


def test_list_searches_and_filters(login, user) -> None:  # noqa: ANN001
    c = login("admin")
    services.set_active(None, user("renshe"), False)
    names = lambda url: {p.username for p in c.get(url).context["page"]}  # noqa: E731
    assert "zhujian" in names("/accounts/?q=住建") and "renshe" not in names("/accounts/?q=住建")
    assert names("/accounts/?role=leader") == {"leader"}
    assert names("/accounts/?state=disabled") == {"renshe"}
    assert "zhujian" in c.get("/accounts/").content.decode()


def test_disabling_stops_login_and_enabling_restores_it(login, user) -> None:  # noqa: ANN001
    zhujian = user("zhujian")
    session = login("zhujian")
    c = login("supervisor")
    assert c.post(f"/accounts/{zhujian.pk}/action/", {"action": "disable"}).status_code == 302
    assert not User.objects.get(pk=zhujian.pk).is_active
    assert session.get("/").status_code == 302  # the open session ends too
    assert sign_in("zhujian", PASSWORD)[1] == 200  # the login form again, with an error
    assert logged("user.disable", object_id=str(zhujian.pk)) == 1
    c.post(f"/accounts/{zhujian.pk}/action/", {"action": "enable"})
    assert sign_in("zhujian", PASSWORD)[1] == 302
    assert logged("user.enable", object_id=str(zhujian.pk)) == 1


def test_nobody_disables_themselves_or_the_last_administrator(login, user) -> None:  # noqa: ANN001
    admin = user("admin")
    login("admin").post(f"/accounts/{admin.pk}/action/", {"action": "disable"})
    assert User.objects.get(pk=admin.pk).is_active
    with pytest.raises(ActionRefused):
        services.set_active(None, admin, False)
    with pytest.raises(ActionRefused):
        services.update_user(None, admin, version=admin.version, role=Role.SUPERVISOR)


def test_only_administrators_manage_administrators(login, user) -> None:  # noqa: ANN001
    admin = user("admin")
    c = login("supervisor")
    c.post(f"/accounts/{admin.pk}/action/", {"action": "reset"})
    assert logged("user.reset_password", object_id=str(admin.pk)) == 0
    c.post("/accounts/new/", {"display_name": "越权管理员", "role": "admin"})
    assert not User.objects.filter(display_name="越权管理员").exists()
    assert not upload(c, xlsx([["越权管理员", "", "管理员", "", ""]])).context["plan"].ok
    login("admin").post("/accounts/new/", {"display_name": "第二管理员", "role": "admin"})
    assert User.objects.get(display_name="第二管理员").is_superuser


def test_reset_gives_a_new_one_time_password(login, user) -> None:  # noqa: ANN001
    renshe = user("renshe")
    c = login("supervisor")
    assert c.post(f"/accounts/{renshe.pk}/action/", {"action": "reset"}).url == "/accounts/passwords/"
    [password] = shown_passwords(c)
    assert sign_in("renshe", PASSWORD)[1] == 200  # the old password no longer works
    client, status = sign_in("renshe", password)
    assert status == 302 and client.get("/").url == "/account/password/"
    assert logged("user.reset_password", object_id=str(renshe.pk)) == 1
    c.post("/accounts/passwords/")  # dismissed
    assert not shown_passwords(c)


def test_unlock_after_a_lockout(login, user, settings) -> None:  # noqa: ANN001
    renshe = user("renshe")
    for _ in range(settings.AXES_FAILURE_LIMIT):
        sign_in("renshe", "wrong", "10.0.0.8")
    assert sign_in("renshe", PASSWORD, "10.0.0.8")[1] == 429
    c = login("supervisor")
    assert c.get(f"/accounts/{renshe.pk}/").context["locked"]
    assert "renshe" in {p.username for p in c.get("/accounts/?state=locked").context["page"]}
    c.post(f"/accounts/{renshe.pk}/action/", {"action": "unlock"})
    assert not c.get(f"/accounts/{renshe.pk}/").context["locked"]
    assert sign_in("renshe", PASSWORD, "10.0.0.8")[1] == 302
    assert logged("user.unlock", object_id=str(renshe.pk)) == 1


def test_revoking_tokens_stops_the_api(login, user) -> None:  # noqa: ANN001
    zhujian = user("zhujian")
    raw = issue_token(None, zhujian, "script")
    api = Client(HTTP_AUTHORIZATION=f"Bearer {raw}")
    assert api.get("/api/v1/tasks").status_code == 200
    c = login("admin")
    c.post(f"/accounts/{zhujian.pk}/action/", {"action": "revoke"})
    assert not ApiToken.objects.filter(user=zhujian, revoked_at__isnull=True).exists()
    assert api.get("/api/v1/tasks").status_code == 401
    assert logged("token.revoke", object_id=str(zhujian.pk)) == 1


def test_edit_is_logged_and_a_stale_edit_refused(login, user) -> None:  # noqa: ANN001
    leader = user("leader")
    c = login("supervisor")
    form = c.get(f"/accounts/{leader.pk}/").context["form"]
    data = {"display_name": "王区长", "role": "leader", "title": "副区长", "phone": "13900000099",
            "oversees": "区住建局", "areas": "城市建设、生态环境", "version": form.initial["version"]}
    assert c.post(f"/accounts/{leader.pk}/", data).status_code == 302
    leader.refresh_from_db()
    assert (leader.display_name, leader.phone, leader.areas) == ("王区长", "13900000099", ["城市建设", "生态环境"])
    assert list(leader.oversees_units.all()) == [find_unit("区住建局")]
    entry = ActivityLog.objects.get(action="user.update", object_id=str(leader.pk))
    assert "13900000099" not in str(entry.after)  # the number itself stays out of the log
    stale = c.post(f"/accounts/{leader.pk}/", {**data, "display_name": "别人改的"})  # the old version again
    assert stale.status_code == 200 and stale.context["form"].non_field_errors()
    assert User.objects.get(pk=leader.pk).display_name == "王区长"


def test_a_leader_home_shows_the_units_and_areas_he_oversees(login, user) -> None:  # noqa: ANN001
    leader = user("leader")
    renshe = find_unit("区人社局")
    services.update_user(None, leader, version=None, areas=[], oversees=[renshe])
    response = login("leader").get("/")
    assert response.context["overseen"] == "units"
    expected = Task.objects.actionable().filter(task_units__unit=renshe).distinct().count()
    assert response.context["counts"]["total"] == expected < Task.objects.actionable().count()


def test_cli_imports_a_list_and_writes_the_passwords(tmp_path, db) -> None:  # noqa: ANN001
    source, out = tmp_path / "名单.xlsx", tmp_path / "passwords.xlsx"
    source.write_bytes(xlsx(GOOD_ROWS))
    stdout = io.StringIO()
    call_command("users", "import", str(source), "--out", str(out), stdout=stdout)
    assert "已创建 3 个账号" in stdout.getvalue()
    sheet = openpyxl.load_workbook(out).active
    rows = list(sheet.iter_rows(min_row=2, max_row=4, values_only=True))
    assert {row[3] for row in rows} >= {"13900000001", "13900000002"}
    user = User.objects.get(username="13900000001")
    assert user.check_password(rows[0][4]) and user.must_change_password


def test_cli_refuses_a_list_with_a_bad_row_entirely(tmp_path, db) -> None:  # noqa: ANN001
    source, out = tmp_path / "名单.xlsx", tmp_path / "passwords.xlsx"
    source.write_bytes(xlsx([*GOOD_ROWS, ["错某", "区不存在局", "联络员", "", ""]]))
    stderr = io.StringIO()
    with pytest.raises(CommandError):
        call_command("users", "import", str(source), "--out", str(out), stderr=stderr)
    assert "第 5 行" in stderr.getvalue()
    assert not out.exists() and not User.objects.filter(display_name="赵联络").exists()


def test_account_pages_have_no_inline_script_or_style(login, user) -> None:  # noqa: ANN001
    c = login("admin")
    issue_token(None, user("zhujian"))
    for url in ("/accounts/", "/accounts/new/", f"/accounts/{user('zhujian').pk}/", "/accounts/import/",
                "/accounts/passwords/", "/accounts/?state=locked&role=liaison&q=局"):
        response = c.get(url)
        body = response.content.decode()
        assert response.status_code == 200, url
        assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", body), url
        assert not re.search(r"\son[a-z]+=", body) and ' style="' not in body, url
