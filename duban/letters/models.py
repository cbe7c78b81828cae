"""The escalation ladder's configuration and what it produces: numbered letters (提示函/催办函/督办函)."""
from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

# Who a 督办单 may go to: the lead unit's liaison or head, or the task's responsible leader (Role values).
RECIPIENTS = [("liaison", _("the lead unit's liaison")), ("unit_head", _("the lead unit's head")),
              ("leader", _("the responsible leader"))]


class EscalationRule(models.Model):
    """When to remind, urge and escalate, per kind of task source (empty: the default for all sources)."""

    source_kind = models.CharField(_("task source"), max_length=30, blank=True, unique=True)
    remind_before = models.PositiveSmallIntegerField(_("remind N working days before"), default=3)
    urge_after = models.PositiveSmallIntegerField(_("urge N working days after a miss"), default=1)
    blue_within = models.PositiveSmallIntegerField(_("blue: deadline within N working days"), default=5)
    yellow_returns = models.PositiveSmallIntegerField(_("yellow: reports returned N times"), default=2)
    red_overdue = models.PositiveSmallIntegerField(_("red: overdue by N working days"), default=5)
    send_on_non_workdays = models.BooleanField(_("also on non-working days"), default=False)
    active = models.BooleanField(_("active"), default=True)
    # Who each 督办单 is addressed to (reminders and urges always go to the liaison); the ladder's defaults.
    blue_to = models.CharField(_("blue letter to"), max_length=20, choices=RECIPIENTS, default="liaison")
    yellow_to = models.CharField(_("yellow letter to"), max_length=20, choices=RECIPIENTS, default="unit_head")
    red_to = models.CharField(_("red letter to"), max_length=20, choices=RECIPIENTS, default="leader")
    version = models.PositiveIntegerField(default=1, editable=False)

    class Meta:
        verbose_name = _("escalation rule")
        verbose_name_plural = _("escalation rules")

    def __str__(self) -> str:
        return self.source_kind or str(_("Default"))


class LetterTemplate(models.Model):
    """The wording of a letter, editable by the office (Django template syntax, e.g. {{ task.text }})."""

    class Kind(models.TextChoices):
        REMINDER = "reminder", _("Notice (提示函)")
        URGE = "urge", _("Urging letter (催办函)")
        BLUE = "blue", _("Supervision letter, blue (督办单·蓝)")
        YELLOW = "yellow", _("Supervision letter, yellow (督办单·黄)")
        RED = "red", _("Supervision letter, red (督办单·红)")

    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, unique=True)
    title = models.CharField(_("title"), max_length=200)
    body = models.TextField(_("body"))
    version = models.PositiveIntegerField(default=1, editable=False)

    class Meta:
        verbose_name = _("letter template")
        verbose_name_plural = _("letter templates")

    def __str__(self) -> str:
        return self.get_kind_display()


class LetterCounter(models.Model):
    """The last number used for a prefix in a year; incremented with a conditional UPDATE."""

    prefix = models.CharField(max_length=10)
    year = models.PositiveSmallIntegerField()
    value = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["prefix", "year"], name="one_counter_per_prefix_year")]


class Letter(models.Model):
    class Kind(models.TextChoices):
        REMINDER = "reminder", _("Reminder")
        URGE = "urge", _("Urge")
        ESCALATE = "escalate", _("Escalation")

    class Level(models.TextChoices):
        NONE = "", _("—")
        BLUE = "blue", _("Blue")
        YELLOW = "yellow", _("Yellow")
        RED = "red", _("Red")

    task = models.ForeignKey("tasks.Task", verbose_name=_("task"), on_delete=models.CASCADE, related_name="letters")
    unit = models.ForeignKey("units.Unit", verbose_name=_("unit"), on_delete=models.PROTECT, related_name="letters")
    event_key = models.CharField(max_length=200, unique=True)
    period_key = models.CharField(_("period"), max_length=40, blank=True)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    level = models.CharField(_("level"), max_length=10, choices=Level.choices, blank=True)
    prefix = models.CharField(max_length=10)
    year = models.PositiveSmallIntegerField()
    seq = models.PositiveIntegerField()
    number = models.CharField(_("number"), max_length=40)
    addressee_role = models.CharField(_("addressed to"), max_length=20)
    addressees = models.ManyToManyField(settings.AUTH_USER_MODEL, related_name="letters", blank=True)
    title = models.CharField(_("title"), max_length=200)
    body = models.TextField(_("body"))
    reason = models.CharField(_("reason"), max_length=300)
    issued_on = models.DateField(_("issued"))
    acknowledged_at = models.DateTimeField(_("acknowledged"), null=True, blank=True)
    acknowledged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    response = models.TextField(_("response"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("letter")
        verbose_name_plural = _("letters")
        ordering = ["-issued_on", "-id"]
        constraints = [models.UniqueConstraint(fields=["prefix", "year", "seq"], name="one_letter_number")]
        indexes = [
            models.Index(fields=["unit", "acknowledged_at"]),
            # The letter list, newest first: all, by level, and the unanswered ones (review queue too).
            models.Index(fields=["-issued_on", "-id"], name="letter_issued"),
            models.Index(fields=["level", "-issued_on", "-id"], name="letter_level_issued"),
            models.Index(fields=["-issued_on", "-id"], condition=models.Q(acknowledged_at__isnull=True),
                         name="letter_open_issued"),
            # The list's headline counts from the index alone.
            models.Index(fields=["level", "acknowledged_at"], name="letter_level_ack"),
        ]

    def __str__(self) -> str:
        return self.number
