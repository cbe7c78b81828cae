"""The append-only activity log that every service write records into."""
from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from duban.core.actions import action_label


class ActivityLogQuerySet(models.QuerySet):
    def update(self, **kwargs):  # noqa: ANN003, ANN201
        raise PermissionError("The activity log is append-only.")

    def delete(self):  # noqa: ANN201
        raise PermissionError("The activity log is append-only.")


class ActivityLog(models.Model):
    """One row per change: who did what to which object, with the values before and after.

    Rows are chained (duban/core/chain.py): ``hash`` covers the entry and ``prev_hash``, the hash of entry
    ``seq - 1``, so an entry changed or removed behind the application's back shows up in ``duban audit
    verify``. Database triggers refuse UPDATE and DELETE, except deleting entries older than a purge anchor.
    Write entries only through :func:`duban.core.audit.record`."""

    seq = models.BigIntegerField(_("sequence number"), unique=True, editable=False)
    at = models.DateTimeField(_("time"), default=timezone.now, editable=False, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("actor"), null=True, blank=True,
        on_delete=models.PROTECT, related_name="+",
    )
    action = models.CharField(_("action"), max_length=64)
    object_type = models.CharField(_("object type"), max_length=64)
    object_id = models.CharField(_("object id"), max_length=64)
    summary = models.CharField(_("summary"), max_length=500, blank=True)
    before = models.JSONField(_("before"), null=True, blank=True)
    after = models.JSONField(_("after"), null=True, blank=True)
    algo = models.CharField(_("hash algorithm"), max_length=10, editable=False)
    prev_hash = models.CharField(_("previous hash"), max_length=64, editable=False)
    hash = models.CharField(_("hash"), max_length=64, editable=False)

    objects = ActivityLogQuerySet.as_manager()

    class Meta:
        verbose_name = _("activity log entry")
        verbose_name_plural = _("activity log")
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["object_type", "object_id", "-at"])]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.action} {self.object_type}#{self.object_id}"

    @property
    def action_label(self) -> str:
        return action_label(self.action)

    def save(self, *args, **kwargs) -> None:  # noqa: ANN002, ANN003
        if self.pk is not None:
            raise PermissionError("The activity log is append-only.")
        if self.seq is None:
            raise PermissionError("Log entries are written by duban.core.audit.record(), which chains them.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):  # noqa: ANN002, ANN003, ANN201
        raise PermissionError("The activity log is append-only.")


class AuditChainHead(models.Model):
    """The single row holding the last entry's seq and hash. Appends lock it (SELECT … FOR UPDATE), so two
    transactions can never chain onto the same entry; verify compares it with the last entry, so entries
    cut off the end are noticed too."""

    seq = models.BigIntegerField(default=0)
    hash = models.CharField(max_length=64)

    class Meta:
        constraints = [models.CheckConstraint(condition=models.Q(id=1), name="single_audit_chain_head")]

    def __str__(self) -> str:
        return f"{self.seq} {self.hash}"


class AuditAnchor(models.Model):
    """A retention purge: entries before ``seq`` were deleted; ``hash`` is that of entry ``seq``, the first
    kept. Verify starts from the latest anchor, and the delete trigger only lets entries below one go."""

    seq = models.BigIntegerField(_("first kept entry"), unique=True)
    hash = models.CharField(_("hash"), max_length=64)
    before = models.DateField(_("purged entries before"))
    removed = models.BigIntegerField(_("entries removed"))
    at = models.DateTimeField(_("time"), default=timezone.now)

    class Meta:
        verbose_name = _("audit log purge")
        verbose_name_plural = _("audit log purges")
        ordering = ["-seq"]

    def __str__(self) -> str:
        return f"{self.before} → {self.seq}"


class WorkdayOverride(models.Model):
    """An admin's correction of the official calendar, e.g. next year's holidays before the library knows them."""

    date = models.DateField(_("date"), unique=True)
    is_workday = models.BooleanField(_("working day"))
    note = models.CharField(_("note"), max_length=100, blank=True)

    class Meta:
        verbose_name = _("working-day override")
        verbose_name_plural = _("working-day overrides")
        ordering = ["date"]

    def __str__(self) -> str:
        return f"{self.date} {'workday' if self.is_workday else 'holiday'}"


class JobRun(models.Model):
    """One run of a scheduled job for one time slot. The unique (job, slot) row is the claim: whoever inserts
    it runs the job; a claim left unfinished for too long (a worker killed mid-run) may be taken over."""

    job = models.CharField(max_length=50)
    slot = models.CharField(max_length=30)
    claimed_by = models.CharField(max_length=100)
    claimed_at = models.DateTimeField()
    finished_at = models.DateTimeField(null=True, blank=True)
    result = models.JSONField(null=True, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["job", "slot"], name="one_run_per_job_slot")]
        ordering = ["-claimed_at"]

    def __str__(self) -> str:
        return f"{self.job}@{self.slot}"
