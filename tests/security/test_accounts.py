"""Accounts to 等保 level: lockout, password policy, forced change, expiry, idle sessions, second factor, and
every login event in the activity log."""
from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.contrib.auth import SESSION_KEY
from django.test import Client
from django.utils import timezone
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from duban.core.models import ActivityLog
from duban.people.models import Role, User
from duban.people.services import create_user
from duban.units.services import find_unit

STRONG = "Duban#2026new"


def _login(client: Client, username: str, password: str, **extra: str) -> int:
    return client.post("/login/", {"username": username, "password": password, **extra},
                       REMOTE_ADDR=extra.pop("addr", "10.0.0.1") if "addr" in extra else "10.0.0.1").status_code


def test_lockout_after_repeated_failures_with_a_clear_message(db) -> None:  # noqa: ANN001
    client = Client()
    for _ in range(4):
        assert _login(client, "zhujian", "wrong") == 200
    assert _login(client, "zhujian", "wrong") == 429  # the fifth failure locks
    response = client.post("/login/", {"username": "zhujian", "password": "duban-demo"}, REMOTE_ADDR="10.0.0.9")
    assert response.status_code == 429
    assert "登录失败次数过多" in response.content.decode()
    assert SESSION_KEY not in client.session
    assert ActivityLog.objects.filter(action="auth.failed", object_id="zhujian").count() >= 5


def test_lockout_by_address_stops_guessing_across_accounts(db) -> None:  # noqa: ANN001
    client = Client()
    for name in ("a1", "a2", "a3", "a4", "a5", "a6"):
        client.post("/login/", {"username": name, "password": "x"}, REMOTE_ADDR="10.9.9.9")
    response = client.post("/login/", {"username": "renshe", "password": "duban-demo"}, REMOTE_ADDR="10.9.9.9")
    assert response.status_code == 429
    other = Client().post("/login/", {"username": "renshe", "password": "duban-demo"}, REMOTE_ADDR="10.1.1.1")
    assert other.status_code == 302


def test_admin_unlocks(db) -> None:  # noqa: ANN001
    from django.core.management import call_command

    client = Client()
    for _ in range(5):
        client.post("/login/", {"username": "renshe", "password": "wrong"}, REMOTE_ADDR="10.0.0.2")
    call_command("axes_reset_username", "renshe")
    call_command("axes_reset_ip", "10.0.0.2")
    assert client.post("/login/", {"username": "renshe", "password": "duban-demo"},
                       REMOTE_ADDR="10.0.0.2").status_code == 302


def test_successful_login_and_logout_are_logged_with_the_address(db) -> None:  # noqa: ANN001
    client = Client()
    assert client.post("/login/", {"username": "renshe", "password": "duban-demo"},
                       REMOTE_ADDR="10.2.3.4").status_code == 302
    entry = ActivityLog.objects.filter(action="auth.login").first()
    assert entry.actor.username == "renshe" and entry.after == {"address": "10.2.3.4"}
    client.post("/logout/")
    assert ActivityLog.objects.filter(action="auth.logout", actor__username="renshe").exists()


@pytest.mark.parametrize(("password", "ok"), [
    ("short1A!", False),           # too short
    ("alllowercaseletters", False),  # one class
    ("1234567890123", False),      # numeric
    ("zhujian2026abc", True),      # lower + digits only: 2 classes
    ("Zhujian2026abc", True),      # 3 classes
])
def test_password_policy(db, password: str, ok: bool) -> None:  # noqa: ANN001
    from django.contrib.auth.password_validation import validate_password
    from django.core.exceptions import ValidationError

    user = User.objects.get(username="renshe")
    if password == "zhujian2026abc":
        ok = False  # two classes are not enough
    try:
        validate_password(password, user)
        assert ok
    except ValidationError:
        assert not ok


def test_initial_password_must_be_changed_and_old_ones_not_reused(db) -> None:  # noqa: ANN001
    user = create_user(None, "newliaison", "Initial#2026", role=Role.LIAISON, unit=find_unit("区住建局"))
    User.objects.filter(pk=user.pk).update(must_change_password=True)
    client = Client()
    client.post("/login/", {"username": "newliaison", "password": "Initial#2026"})
    response = client.get("/tasks/")
    assert response.status_code == 302 and response.url == "/account/password/"
    page = client.post("/account/password/", {"old_password": "Initial#2026", "new_password1": "Initial#2026",
                                              "new_password2": "Initial#2026"})
    assert page.status_code == 200 and "最近" in page.content.decode()  # reuse refused
    client.post("/account/password/", {"old_password": "Initial#2026", "new_password1": STRONG,
                                       "new_password2": STRONG})
    user.refresh_from_db()
    assert not user.must_change_password and user.password_changed_at
    assert client.get("/tasks/").status_code == 200
    assert ActivityLog.objects.filter(action="auth.password", actor=user).exists()


def test_expired_password_must_be_changed(db, settings) -> None:  # noqa: ANN001
    settings.DUBAN_PASSWORD_MAX_AGE_DAYS = 90
    User.objects.filter(username="renshe").update(password_changed_at=timezone.now() - dt.timedelta(days=91))
    client = Client()
    client.force_login(User.objects.get(username="renshe"))
    assert client.get("/").url == "/account/password/"


def test_session_expires_after_inactivity(db, settings) -> None:  # noqa: ANN001
    client = Client()
    client.force_login(User.objects.get(username="renshe"))
    assert client.get("/").status_code == 200
    idle = settings.SESSION_COOKIE_AGE
    with time_machine.travel(timezone.now() + dt.timedelta(seconds=idle - 60), tick=False):
        assert client.get("/").status_code == 200  # activity keeps it alive
    with time_machine.travel(timezone.now() + dt.timedelta(seconds=2 * idle + 120), tick=False):
        response = client.get("/")
        assert response.status_code == 302 and response.url.startswith("/login/")


def test_authenticator_app_is_required_once_set_up(db) -> None:  # noqa: ANN001
    client = Client()
    client.force_login(User.objects.get(username="supervisor"))
    page = client.get("/account/security/").content.decode()
    assert "<svg" in page
    device = TOTPDevice.objects.get(user__username="supervisor", confirmed=False)
    client.post("/account/security/", {"action": "confirm", "token": "000000"})
    device.refresh_from_db()
    assert not device.confirmed
    device.throttle_reset()  # a wrong code delays the next try (django-otp's throttling); skip the wait
    client.post("/account/security/", {"action": "confirm", "token": str(totp(device.bin_key)).zfill(6)})
    device.refresh_from_db()
    assert device.confirmed
    fresh = Client()
    fresh.post("/login/", {"username": "supervisor", "password": "duban-demo"})
    assert SESSION_KEY not in fresh.session  # the code is missing
    used = str(totp(device.bin_key)).zfill(6)
    fresh.post("/login/", {"username": "supervisor", "password": "duban-demo", "otp_token": used})
    assert SESSION_KEY not in fresh.session  # a code cannot be used twice
    with time_machine.travel(timezone.now() + dt.timedelta(seconds=31), tick=False):
        fresh.post("/login/", {"username": "supervisor", "password": "duban-demo",
                               "otp_token": str(totp(device.bin_key)).zfill(6)})
    assert SESSION_KEY in fresh.session
    assert ActivityLog.objects.filter(action="auth.otp_added").exists()


def test_roles_can_be_required_to_use_a_second_factor(db, settings) -> None:  # noqa: ANN001
    settings.DUBAN_OTP_REQUIRED_ROLES = ["supervisor"]
    client = Client()
    client.force_login(User.objects.get(username="supervisor"))
    assert client.get("/review/").url == "/account/security/"
    renshe = Client()
    renshe.force_login(User.objects.get(username="renshe"))
    assert renshe.get("/todo/").status_code == 200


def test_role_change_in_admin_is_logged(db) -> None:  # noqa: ANN001
    admin = Client()
    admin.force_login(User.objects.get(username="admin"))
    user = User.objects.get(username="renshe")
    form = admin.get(f"/admin/people/user/{user.pk}/change/")
    assert form.status_code == 200
    data = {"username": "renshe", "role": "unit_head", "unit": user.unit_id, "display_name": user.display_name,
            "is_active": "on", "date_joined_0": "2026-11-18", "date_joined_1": "10:00:00", "areas": "[]",
            "title": user.title, "phone": ""}
    response = admin.post(f"/admin/people/user/{user.pk}/change/", data)
    assert response.status_code == 302, response.content.decode()[:2000]
    entry = ActivityLog.objects.get(action="user.permissions", object_id=str(user.pk))
    assert entry.before["role"] == "liaison" and entry.after["role"] == "unit_head"
