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


# How documents address and copy at each level of government (公文 conventions): the units below the office's
# government, and the standing bodies a bulletin is copied to.
# Working days from registration to the deadline until the office sets its own (settings → 默认时限):
# a leader's instruction is answered within a week, an urgent matter (急件) within three days.
DEFAULT_DEADLINE_DAYS = {"leader_instruction": 5, "meeting_decision": 15, "superior_assignment": 10,
                         "incoming_document": 15, "other": 15, "urgent": 3}
SUBORDINATES = {"district": "各街道办事处", "county": "各乡镇人民政府、街道办事处",
                "city": "各区（县）人民政府", "province": "各市（州）人民政府"}


class Office(models.Model):
    """One row (id 1). Until it exists, :func:`current_office` answers a neutral 督查室 so nothing breaks."""

    class Level(models.TextChoices):
        DISTRICT = "district", _("District or county")
        CITY = "city", _("City")
        PROVINCE = "province", _("Province")

    name = models.CharField(_("office name"), max_length=100,
                            help_text=_("The full name, e.g. 东湖区人民政府督查室."))
    authority = models.CharField(_("issuing authority (发文机关)"), max_length=100,
                                 help_text=_("Signs and prints the documents, e.g. 东湖区人民政府办公室."))
    level = models.CharField(_("level"), max_length=20, choices=Level.choices, default=Level.DISTRICT)
    letter_prefix = models.CharField(
        _("letter number prefix"), max_length=6, blank=True,
        help_text=_("Put before 提示/催办/督办 in letter numbers, e.g. 东湖 gives 东湖督办〔2026〕3号."))
    document_prefix = models.CharField(
        _("document number prefix (发文字号)"), max_length=20, blank=True,
        help_text=_("For numbered documents, e.g. 东政办督 gives 东政办督〔2026〕5号."))
    deadline_days = models.JSONField(
        _("default deadlines"), default=dict, blank=True,
        help_text=_("Working days from registration to the deadline, by source kind (e.g. 领导批示 3)."))
    status_vocabulary = models.CharField(_("status words"), max_length=20, blank=True,
                                         help_text=_("Empty: the DUBAN_STATUS_VOCABULARY setting."))
    version = models.PositiveIntegerField(default=1, editable=False)
    created_at = models.DateTimeField(_("set up"), auto_now_add=True)

    class Meta:
        verbose_name = _("office")
        verbose_name_plural = _("office")
        constraints = [models.CheckConstraint(condition=models.Q(id=1), name="single_office")]

    def __str__(self) -> str:
        return self.name

    def working_days_for(self, source_kind: str, *, urgent: bool = False) -> int:
        """The default deadline of a matter from ``source_kind``, in working days."""
        days = {**DEFAULT_DEADLINE_DAYS, **(self.deadline_days or {})}
        return int(days["urgent"] if urgent else days.get(source_kind, days["other"]))

    @property
    def government(self) -> str:
        """The government the office serves: 东湖区人民政府办公室 → 东湖区人民政府."""
        for suffix in ("办公厅", "办公室"):
            if self.authority.endswith(suffix) and len(self.authority) > len(suffix):
                return self.authority.removesuffix(suffix)
        return self.authority

    @property
    def place(self) -> str:
        """The one-character level word of short forms: 区 in 区政府各部门, 县, 市 or 省."""
        if self.level == self.Level.DISTRICT:
            return "县" if "县人民政府" in self.government or self.government.endswith("县") else "区"
        return "市" if self.level == self.Level.CITY else "省"

    @property
    def subordinates(self) -> str:
        """The governments or offices one level down, as a 主送 line names them."""
        key = "county" if self.place == "县" else self.level
        return SUBORDINATES[key]

    @property
    def departments(self) -> str:
        """区政府各部门, 市政府各部门 …"""
        return f"{self.place}政府各部门"

    @property
    def addressees(self) -> str:
        """The usual 主送 of a bulletin to the whole government: 各街道办事处，区政府各部门."""
        return f"{self.subordinates}，{self.departments}"
