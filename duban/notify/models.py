"""The inbox (Notification), the outbox (Delivery), and who wants what where (Preference, GroupRobot).

Every external message is a Delivery row first, so a failing channel or a dead worker loses nothing: the row
stays until it is sent or has used up its retries.
"""
from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from duban.core.fields import EncryptedTextField


class Kind(models.TextChoices):
    REMINDER = "reminder", _("Reminder")
    URGE = "urge", _("Urging")
    ESCALATION = "escalation", _("Escalation")
    LETTER = "letter", _("Letter")
    REPORT_RETURNED = "report_returned", _("Report returned")
    REPORT_DUE = "report_due", _("Report due")
    DISPATCHED = "dispatched", _("Task dispatched")
    COMMENT = "comment", _("Comment")
    OTHER = "other", _("Other")


class Channel(models.TextChoices):
    EMAIL = "email", _("Email")
    WECOM = "wecom", _("WeCom group robot")
    DINGTALK = "dingtalk", _("DingTalk group robot")


class Notification(models.Model):
    """One message in one person's inbox. ``key`` makes sending idempotent: (recipient, key) is unique."""

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("recipient"), on_delete=models.CASCADE,
        related_name="notifications",
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.OTHER)
    title = models.CharField(_("title"), max_length=200)
    body = models.TextField(_("content"), blank=True)
    link = models.CharField(_("link"), max_length=500, blank=True, help_text=_("A path on this site."))
    object_type = models.CharField(_("object type"), max_length=64, blank=True)
    object_id = models.CharField(_("object id"), max_length=64, blank=True)
    key = models.CharField(max_length=200, editable=False)
    created_at = models.DateTimeField(_("time"), default=timezone.now)
    read_at = models.DateTimeField(_("read at"), null=True, blank=True)

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        ordering = ["-created_at", "-id"]
        constraints = [models.UniqueConstraint(fields=["recipient", "key"], name="notify_once_per_recipient")]
        indexes = [models.Index(fields=["recipient", "read_at"], name="notify_recipient_read")]

    def __str__(self) -> str:
        return self.title

    @property
    def unread(self) -> bool:
        return self.read_at is None


class GroupRobot(models.Model):
    """A 企业微信 or 钉钉 group the office or a unit already uses. A unit's robot also receives the messages
    sent to that unit's staff; a robot without a unit is the office's own group (messages to supervisors)."""

    name = models.CharField(_("name"), max_length=100)
    channel = models.CharField(_("channel"), max_length=20,
                               choices=[(c.value, c.label) for c in (Channel.WECOM, Channel.DINGTALK)])
    url = models.URLField(_("webhook URL"), max_length=500)
    secret = models.CharField(_("signing secret"), max_length=200, blank=True,
                              help_text=_("DingTalk only: the secret of a robot with signing enabled."))
    unit = models.ForeignKey("units.Unit", verbose_name=_("unit"), null=True, blank=True,
                             on_delete=models.CASCADE, related_name="group_robots",
                             help_text=_("Empty: the supervision office's own group."))
    active = models.BooleanField(_("active"), default=True)
    version = models.PositiveIntegerField(default=1, editable=False)

    class Meta:
        verbose_name = _("group robot")
        verbose_name_plural = _("group robots")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        if not self.url.startswith(("https://", "http://")):
            raise ValidationError({"url": _("Enter an http or https address.")})
        if self.secret and self.channel != Channel.DINGTALK:
            raise ValidationError({"secret": _("Only DingTalk robots use a signing secret.")})


class Preference(models.Model):
    """A person's choices. The inbox is always on; email is on by default when the account has an address."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, verbose_name=_("user"), on_delete=models.CASCADE,
                                primary_key=True, related_name="notify_preference")
    email = models.BooleanField(_("send me email"), default=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("notification preference")
        verbose_name_plural = _("notification preferences")

    def __str__(self) -> str:
        return str(self.user)


class Delivery(models.Model):
    """One message to one external target, kept until sent or given up (the outbox)."""

    class State(models.TextChoices):
        PENDING = "pending", _("Pending")
        SENDING = "sending", _("Sending")
        SENT = "sent", _("Sent")
        FAILED = "failed", _("Failed")

    notification = models.ForeignKey(Notification, verbose_name=_("notification"), on_delete=models.CASCADE,
                                     related_name="deliveries")
    channel = models.CharField(_("channel"), max_length=20, choices=Channel.choices)
    target = models.CharField(_("sent to"), max_length=500)
    robot = models.ForeignKey(GroupRobot, verbose_name=_("group robot"), null=True, blank=True,
                              on_delete=models.SET_NULL, related_name="deliveries")
    # sha256 of (key, channel, target): the same message never goes twice to the same place.
    dedupe_key = models.CharField(max_length=64, unique=True, editable=False)
    state = models.CharField(_("delivery state"), max_length=10, choices=State.choices, default=State.PENDING)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    next_attempt_at = models.DateTimeField(_("next attempt"), default=timezone.now)
    claimed_by = models.CharField(_("claimed by"), max_length=100, blank=True)
    claimed_at = models.DateTimeField(_("claimed at"), null=True, blank=True)
    last_error = models.TextField(_("last error"), blank=True)
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)

    class Meta:
        verbose_name = _("delivery")
        verbose_name_plural = _("deliveries")
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["state", "next_attempt_at"], name="notify_delivery_due"),
            models.Index(fields=["state", "claimed_at"], name="notify_delivery_claimed"),
        ]

    def __str__(self) -> str:
        return f"{self.get_channel_display()} → {self.target}"


class SmtpSettings(models.Model):
    """The office's mail server (settings → 通知渠道), one row. While it names no host, email goes out as the
    DUBAN_EMAIL_* environment settings say. The password is stored encrypted."""

    host = models.CharField(_("SMTP server"), max_length=200, blank=True,
                            help_text=_("Empty: use the server set in the environment (DUBAN_EMAIL_HOST)."))
    port = models.PositiveIntegerField(_("port"), default=25)
    username = models.CharField(_("user name"), max_length=200, blank=True)
    password = EncryptedTextField(_("password"), max_length=200, blank=True)
    from_email = models.CharField(_("sender address"), max_length=200, blank=True,
                                  help_text=_("e.g. duban@donghu.gov.cn; empty: DUBAN_EMAIL_FROM."))
    use_tls = models.BooleanField(_("STARTTLS"), default=False)
    use_ssl = models.BooleanField(_("SSL/TLS"), default=False)
    version = models.PositiveIntegerField(default=1, editable=False)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("mail server")
        verbose_name_plural = _("mail server")
        constraints = [models.CheckConstraint(condition=models.Q(id=1), name="single_smtp_settings")]

    def __str__(self) -> str:
        return self.host or "-"
