"""The office's notification channels (settings → 通知渠道): group robots and the mail server, and a test
message through the same channel code the outbox uses. Every change and every test is in the activity log;
a change saved over someone else's is refused."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from duban.core import audit
from duban.core.actions import Action
from duban.core.errors import ActionRefused
from duban.core.versioned import save_versioned, saved_version
from duban.notify import channels
from duban.notify.models import Channel, GroupRobot, SmtpSettings

ROBOT_FIELDS = ("name", "channel", "url", "secret", "unit", "active")
LOGGED_ROBOT_FIELDS = ("name", "channel", "unit", "active")  # never the secret, nor the URL's key
SMTP_FIELDS = ("host", "port", "username", "password", "from_email", "use_tls", "use_ssl")
LOGGED_SMTP_FIELDS = ("host", "port", "username", "from_email", "use_tls", "use_ssl")


def _stale() -> ActionRefused:
    return ActionRefused(_("Someone else saved this meanwhile; the page now shows their version. Check it and "
                           "save again."))


def _valid(row: Any, exclude: list[str] | None = None) -> None:
    try:
        row.full_clean(exclude=exclude)
    except ValidationError as exc:
        raise ActionRefused(" ".join(exc.messages)) from None


@transaction.atomic
def save_group_robot(actor: Any, robot_id: int | None, *, version: int | None, **fields: Any) -> GroupRobot:
    """Add a 企业微信/钉钉 robot (``robot_id`` None) or change one. A robot is switched off rather than deleted,
    so the deliveries it made keep their robot."""
    if set(fields) - set(ROBOT_FIELDS):
        raise ValueError(f"not robot fields: {sorted(set(fields) - set(ROBOT_FIELDS))}")
    if robot_id is None:
        robot, before = GroupRobot(), None
    else:
        robot = GroupRobot.objects.select_for_update().filter(pk=robot_id).first()
        if robot is None:
            raise ActionRefused(_("This robot no longer exists."))
        if version is not None and version != robot.version:
            raise _stale()
        before = audit.snapshot(robot, LOGGED_ROBOT_FIELDS)
    moved = any(name in fields and fields[name].strip() != getattr(robot, name) for name in ("url", "secret"))
    for name, value in fields.items():
        setattr(robot, name, value.strip() if isinstance(value, str) else value)
    _valid(robot)
    before, after = save_versioned(robot, before, LOGGED_ROBOT_FIELDS)
    if before is not None and moved:
        after["address_or_secret"] = "changed"
    if before is None or after:
        audit.record(actor, Action.NOTIFY_ROBOT, robot, summary=robot.name, before=before, after=after)
    return robot


def smtp_settings() -> SmtpSettings:
    return SmtpSettings.objects.filter(pk=1).first() or SmtpSettings(pk=1)


@transaction.atomic
def save_smtp(actor: Any, *, version: int | None, **fields: Any) -> SmtpSettings:
    """The office's mail server. An empty ``password`` keeps the saved one (the page never shows it);
    ``clear_password`` is how to remove it. ``version`` is 0 before the first save."""
    clear = fields.pop("clear_password", False)
    if set(fields) - set(SMTP_FIELDS):
        raise ValueError(f"not SMTP fields: {sorted(set(fields) - set(SMTP_FIELDS))}")
    smtp = SmtpSettings.objects.select_for_update().filter(pk=1).first() or SmtpSettings(pk=1)
    if version is not None and version != saved_version(smtp):
        raise _stale()
    before = None if smtp._state.adding else audit.snapshot(smtp, LOGGED_SMTP_FIELDS)
    had_password = bool(smtp.password)
    for name, value in fields.items():
        if name == "password" and not value:
            continue
        setattr(smtp, name, value.strip() if isinstance(value, str) and name != "password" else value)
    if clear:
        smtp.password = ""
    if smtp.use_tls and smtp.use_ssl:
        raise ActionRefused(_("Choose STARTTLS or SSL/TLS, not both."))
    _valid(smtp)
    before, after = save_versioned(smtp, before, LOGGED_SMTP_FIELDS)
    if bool(smtp.password) != had_password or (fields.get("password") and not clear):
        after["password"] = "changed"
    if after:
        audit.record(actor, Action.SETTINGS_NOTIFY, smtp, summary=smtp.host or "-", before=before, after=after)
    return smtp


@dataclass(frozen=True)
class Outcome:
    ok: bool
    error: str = ""  # the channel's own words (server answer, socket error), for the administrator

    @property
    def reason(self) -> str:
        """What probably went wrong, in the reader's language (the channel's words stay in ``error``)."""
        text = self.error.lower()
        for needles, reason in REASONS:
            if any(n in text for n in needles):
                return str(reason)
        return str(_("the channel did not accept the message"))


REASONS = (
    (("refused",), gettext_lazy("the server refused the connection; check the address and port")),
    (("timed out", "timeout"), gettext_lazy("no answer in time; the server may be unreachable from here")),
    (("name or service not known", "getaddrinfo", "nodename", "no address associated"),
     gettext_lazy("the host name could not be found")),
    (("authentication", "535"), gettext_lazy("the mail server refused the user name or password")),
    (("certificate", "ssl", "tls"), gettext_lazy("the encrypted connection failed; check the SSL/TLS choice")),
    (("errcode",), gettext_lazy("the robot refused the message; check the webhook address and secret")),
    (("http ",), gettext_lazy("the server answered with an error")),
)


def _test_message() -> channels.Message:
    with translation.override("zh-hans"):
        return channels.Message(_("Test message from Duban"),
                                _("If you can read this, notifications reach this channel."))


def _result(actor: Any, obj: Any, target: str, error: str | None) -> Outcome:
    with transaction.atomic():
        audit.record(actor, Action.NOTIFY_TEST, obj, summary=target[:200],
                     after={"ok": error is None, "error": (error or "")[:300]})
    return Outcome(error is None, error or "")


def send_robot_test(actor: Any, robot: GroupRobot) -> Outcome:
    """Post a test message to the robot's group now (not through the outbox), and say how it went."""
    message = _test_message()
    with translation.override("zh-hans"):
        link_text = _("View details")
    try:
        if robot.channel == Channel.DINGTALK:
            channels.send_dingtalk(robot.url, robot.secret, message, link_text)
        else:
            channels.send_wecom(robot.url, message, link_text)
        error = None
    except channels.SendError as exc:
        error = str(exc)
    return _result(actor, robot, robot.name, error)


def send_test_email(actor: Any, to: str) -> Outcome:
    """Send a test email to ``to`` through the mail server in force (the saved one, else the environment's)."""
    try:
        channels.send_email(to, _test_message())
        error = None
    except channels.SendError as exc:
        error = str(exc)
    return _result(actor, smtp_settings(), to, error)
