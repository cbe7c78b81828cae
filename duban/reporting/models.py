"""Progress reports (进展报送): one per task, unit and period."""
from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class ProgressReport(models.Model):
    class State(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SUBMITTED = "submitted", _("Submitted")
        RETURNED = "returned", _("Returned")
        ACCEPTED = "accepted", _("Accepted")

    task = models.ForeignKey("tasks.Task", verbose_name=_("task"), on_delete=models.CASCADE, related_name="reports")
    unit = models.ForeignKey("units.Unit", verbose_name=_("unit"), on_delete=models.PROTECT, related_name="reports")
    period_start = models.DateField(_("period start"))
    period_end = models.DateField(_("period end"))
    progress = models.TextField(_("progress"), blank=True)
    problems = models.TextField(_("problems"), blank=True)
    next_steps = models.TextField(_("next steps"), blank=True)
    coordination = models.TextField(_("coordination needed"), blank=True)
    percent = models.PositiveSmallIntegerField(_("percent complete"), null=True, blank=True)
    indicator_actuals = models.JSONField(_("indicator actuals"), default=dict, blank=True)
    status_text = models.CharField(_("status as reported"), max_length=50, blank=True)
    state = models.CharField(_("state"), max_length=20, choices=State.choices, default=State.DRAFT, db_index=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    submitted_at = models.DateTimeField(_("submitted"), null=True, blank=True)
    version = models.PositiveIntegerField(default=1, editable=False)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("progress report")
        verbose_name_plural = _("progress reports")
        ordering = ["task", "-period_end", "unit"]
        constraints = [
            models.UniqueConstraint(fields=["task", "unit", "period_start"], name="one_report_per_task_unit_period")
        ]
        indexes = [models.Index(fields=["unit", "-period_end"])]

    def __str__(self) -> str:
        return f"{self.task_id} {self.unit} {self.period_start:%Y-%m-%d}–{self.period_end:%Y-%m-%d}"
