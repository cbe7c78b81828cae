"""Progress reports (进展报送): one per task, unit and period."""
from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from duban.core.clock import day_end
from duban.core.files import evidence_path


class ReportingPeriod(models.Model):
    """One reporting period of a task (e.g. March 2026), created from the task's cadence."""

    task = models.ForeignKey("tasks.Task", verbose_name=_("task"), on_delete=models.CASCADE, related_name="periods")
    key = models.CharField(_("period"), max_length=20)
    start = models.DateField(_("period start"))
    end = models.DateField(_("period end"))
    due = models.DateField(_("due"), db_index=True)

    class Meta:
        verbose_name = _("reporting period")
        verbose_name_plural = _("reporting periods")
        ordering = ["task", "start"]
        constraints = [models.UniqueConstraint(fields=["task", "key"], name="one_period_per_key")]

    def __str__(self) -> str:
        return f"{self.key} ({self.start:%Y-%m-%d}–{self.end:%Y-%m-%d})"


class ProgressReportQuerySet(models.QuerySet):
    def known_on(self, as_of: dt.date) -> ProgressReportQuerySet:
        """Accepted reports the office knew of on ``as_of``: their period had begun and they were accepted by
        the end of that day (imported reports carry no review time and count from their period). What every
        "as of" document and ledger shows as a task's progress."""
        return self.filter(state=ProgressReport.State.ACCEPTED, period_start__lte=as_of).filter(
            models.Q(reviewed_at__isnull=True) | models.Q(reviewed_at__lt=day_end(as_of)))


class ProgressReport(models.Model):
    class State(models.TextChoices):
        DRAFT = "draft", _("Draft")
        PENDING_APPROVAL = "pending_approval", _("Awaiting unit head")
        SUBMITTED = "submitted", _("Submitted")
        RETURNED = "returned", _("Returned")
        ACCEPTED = "accepted", _("Accepted")

    class Quality(models.IntegerChoices):
        """The supervisor's rating of a report (优/良/中/差), one input of the assessment."""

        EXCELLENT = 4, _("Excellent")
        GOOD = 3, _("Good")
        FAIR = 2, _("Fair")
        POOR = 1, _("Poor")

    task = models.ForeignKey("tasks.Task", verbose_name=_("task"), on_delete=models.CASCADE, related_name="reports")
    period = models.ForeignKey(
        ReportingPeriod, verbose_name=_("period"), null=True, blank=True, on_delete=models.CASCADE,
        related_name="reports",
    )
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
    late = models.BooleanField(_("late"), default=False)
    returned_count = models.PositiveSmallIntegerField(_("times returned"), default=0)
    review_note = models.TextField(_("review comment"), blank=True)
    quality = models.PositiveSmallIntegerField(
        _("quality rating"), choices=Quality.choices, null=True, blank=True,
        help_text=_("Optional, set by the supervisor when reviewing; counts in the assessment."))
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    reviewed_at = models.DateTimeField(_("reviewed"), null=True, blank=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    version = models.PositiveIntegerField(default=1, editable=False)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    objects = ProgressReportQuerySet.as_manager()

    class Meta:
        verbose_name = _("progress report")
        verbose_name_plural = _("progress reports")
        ordering = ["task", "-period_end", "unit"]
        constraints = [
            models.UniqueConstraint(fields=["task", "unit", "period_start"], name="one_report_per_task_unit_period")
        ]
        indexes = [models.Index(fields=["unit", "-period_end"]),
                   models.Index(fields=["state", "submitted_at"], name="report_state_submitted"),
                   # "Has this unit sent a report for this period?", asked for every period a unit owes (its
                   # to-do list), answered from the index alone.
                   models.Index(fields=["period", "unit", "state"], name="report_period_unit_state")]

    def __str__(self) -> str:
        return f"{self.task_id} {self.unit} {self.period_start:%Y-%m-%d}–{self.period_end:%Y-%m-%d}"


class ReportRevision(models.Model):
    """Each submission and each review of a report, so a returned and resubmitted report keeps its history."""

    report = models.ForeignKey(ProgressReport, on_delete=models.CASCADE, related_name="revisions")
    state = models.CharField(_("state"), max_length=20, choices=ProgressReport.State.choices)
    content = models.JSONField(_("content"))
    note = models.TextField(_("comment"), blank=True)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(_("time"), default=timezone.now)

    class Meta:
        verbose_name = _("report revision")
        verbose_name_plural = _("report revisions")
        ordering = ["report", "at", "id"]


class ReportAttachment(models.Model):
    """Optional evidence (never required: 基层减负)."""

    report = models.ForeignKey(ProgressReport, on_delete=models.CASCADE, related_name="attachments")
    file = models.FileField(upload_to=evidence_path)
    name = models.CharField(_("file name"), max_length=200)
    size = models.PositiveIntegerField()
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("evidence file")
        verbose_name_plural = _("evidence files")
