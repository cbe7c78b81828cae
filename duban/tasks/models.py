"""Source documents and the task tree they are decomposed into, with targets and milestones.

The tree uses a materialised path: ``path`` is the zero-padded position of each ancestor and the node itself
(``0003.0002.0039``), so a subtree is one ``path__startswith`` query and the ancestors are one ``path__in`` query.
"""
from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from duban.core.clock import day_end
from duban.core.fields import EncryptedTextField
from duban.core.files import evidence_path, source_path
from duban.core.office import status_vocabulary
from duban.supervision import schedule

PATH_STEP = 4  # digits per level: up to 9,999 children under one node


class SourceDocument(models.Model):
    class Kind(models.TextChoices):
        WORK_REPORT = "work_report", _("Government work report")
        DECOMPOSITION = "decomposition", _("Decomposition plan")
        IMPLEMENTATION_REPORT = "implementation_report", _("Implementation report")
        MEETING_DECISION = "meeting_decision", _("Meeting decision")
        LEADER_INSTRUCTION = "leader_instruction", _("Leader instruction")
        INSPECTION_FEEDBACK = "inspection_feedback", _("Inspection feedback")
        SUPERIOR_ASSIGNMENT = "superior_assignment", _("Assigned by a higher authority")
        INCOMING_DOCUMENT = "incoming_document", _("Incoming document")
        OTHER = "other", _("Other")

    kind = models.CharField(_("kind"), max_length=30, choices=Kind.choices, default=Kind.OTHER)
    title = models.CharField(_("title"), max_length=300)
    short_title = models.CharField(_("short title"), max_length=30, blank=True,
                                   help_text=_("Shown beside task numbers when tasks of several sources are listed."))
    issuer = models.CharField(_("issuer"), max_length=200, blank=True)
    date = models.DateField(_("date"), null=True, blank=True)
    file = models.FileField(_("original file"), upload_to=source_path, blank=True)
    text = models.TextField(_("text"), blank=True)
    cadence = models.CharField(_("default reporting cadence"), max_length=20, blank=True,
                               help_text=_("For tasks from this document that set none themselves."))
    report_due_day = models.PositiveSmallIntegerField(_("report due day"), null=True, blank=True)
    sha256 = models.CharField(max_length=64, blank=True, db_index=True, editable=False)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("source document")
        verbose_name_plural = _("source documents")
        ordering = ["-date", "-id"]

    def __str__(self) -> str:
        return self.title

    @property
    def label(self) -> str:
        """A short name that tells sources apart in lists: the short title, else the title's start."""
        return self.short_title or (self.title if len(self.title) <= 12 else f"{self.title[:11]}…")


class TaskQuerySet(models.QuerySet):
    def actionable(self) -> TaskQuerySet:
        """Tasks and subtasks, without the section headings that only group them."""
        return self.filter(kind__in=(Task.Kind.TASK, Task.Kind.SUBTASK))

    def status_counts(self) -> dict[str, int]:
        """Headline figures in one query: total, and per status (on schedule includes ahead; ongoing is
        done and kept under watch)."""
        s = Task.Status
        return self.aggregate(
            total=models.Count("pk"),
            done=models.Count("pk", filter=models.Q(status=s.DONE)),
            ongoing=models.Count("pk", filter=models.Q(status=s.DONE, ongoing=True)),
            on_schedule=models.Count("pk", filter=models.Q(status__in=(s.ON_SCHEDULE, s.AHEAD))),
            behind=models.Count("pk", filter=models.Q(status=s.BEHIND)),
            overdue=models.Count("pk", filter=models.Q(status=s.OVERDUE)),
            not_started=models.Count("pk", filter=models.Q(status=s.NOT_STARTED)),
            suspended=models.Count("pk", filter=models.Q(status=s.SUSPENDED)),
        )

    def known_on(self, as_of: dt.date) -> TaskQuerySet:
        """Tasks that existed on ``as_of``: from a source dated then or earlier (an imported document's tasks
        date from the document), or, without a source date, created by the end of that day."""
        return self.exclude(source__date__gt=as_of).filter(
            models.Q(source__date__isnull=False) | models.Q(created_at__lt=day_end(as_of)))

    def with_units(self) -> TaskQuerySet:
        return self.select_related("leader").prefetch_related(
            models.Prefetch("task_units", queryset=TaskUnit.objects.select_related("unit").order_by("order"))
        )


class Task(models.Model):
    class Kind(models.TextChoices):
        SECTION = "section", _("Section")
        SUBSECTION = "subsection", _("Subsection")
        TASK = "task", _("Task")
        SUBTASK = "subtask", _("Subtask")

    class Status(models.TextChoices):
        NOT_STARTED = "not_started", _("Not started")
        ON_SCHEDULE = "on_schedule", _("On schedule")
        AHEAD = "ahead", _("Ahead of schedule")
        BEHIND = "behind", _("Behind schedule")
        OVERDUE = "overdue", _("Overdue")
        DONE = "done", _("Done")
        SUSPENDED = "suspended", _("Suspended")

    class Cadence(models.TextChoices):
        INHERIT = "", _("Inherited")
        WEEKLY = "weekly", _("Weekly")
        BIWEEKLY = "biweekly", _("Every two weeks")
        MONTHLY = "monthly", _("Monthly")
        QUARTERLY = "quarterly", _("Quarterly")
        ONCE = "once", _("Once")

    class Dispatch(models.TextChoices):
        DRAFT = "draft", _("Not dispatched")
        DISPATCHED = "dispatched", _("Dispatched, awaiting acknowledgement")
        ACKNOWLEDGED = "acknowledged", _("Acknowledged")
        REASSIGN = "reassign", _("Reassignment requested")

    class Light(models.TextChoices):
        GREEN = "green", _("Green")
        YELLOW = "yellow", _("Yellow")
        RED = "red", _("Red")
        BLUE = "blue", _("Blue")
        GREY = "grey", _("Grey")

    class Priority(models.IntegerChoices):
        NORMAL = 0, _("Normal")
        HIGH = 1, _("High")
        URGENT = 2, _("Urgent")

    parent = models.ForeignKey(
        "self", verbose_name=_("parent"), null=True, blank=True, on_delete=models.CASCADE, related_name="children"
    )
    path = models.CharField(max_length=255, unique=True, editable=False)
    depth = models.PositiveSmallIntegerField(editable=False)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.TASK)
    number = models.CharField(_("number"), max_length=20, blank=True)
    heading = models.CharField(_("heading"), max_length=300, blank=True)
    text = models.TextField(_("task content"), blank=True)
    leader = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("responsible leader"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="led_tasks",
    )
    owner = models.CharField(_("responsible person"), max_length=100, blank=True)
    deadline = models.DateField(_("deadline"), null=True, blank=True, db_index=True)
    deadline_text = models.CharField(_("deadline as written"), max_length=100, blank=True)
    cadence = models.CharField(_("reporting cadence"), max_length=20, choices=Cadence.choices, blank=True)
    report_due_day = models.PositiveSmallIntegerField(
        _("report due day"), null=True, blank=True,
        help_text=_("Day of the month after the period by which the report is due (e.g. 5); empty: inherited."),
    )
    start_date = models.DateField(_("planned start"), null=True, blank=True)
    priority = models.SmallIntegerField(_("priority"), choices=Priority.choices, default=Priority.NORMAL)
    area = models.CharField(_("area of work"), max_length=100, blank=True, db_index=True)
    tags = models.JSONField(_("tags"), default=list, blank=True)
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.NOT_STARTED, db_index=True
    )
    ongoing = models.BooleanField(
        _("ongoing"), default=False, help_text=_("Done, and kept under watch (已完成并长期坚持).")
    )
    source = models.ForeignKey(
        SourceDocument, verbose_name=_("source document"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="tasks",
    )
    source_location = models.CharField(_("location in source"), max_length=100, blank=True)
    dispatch_state = models.CharField(
        _("dispatch"), max_length=20, choices=Dispatch.choices, default=Dispatch.DRAFT, db_index=True
    )
    dispatched_at = models.DateTimeField(_("dispatched"), null=True, blank=True)
    ack_due = models.DateField(_("acknowledge by"), null=True, blank=True)
    acknowledged_at = models.DateTimeField(_("acknowledged"), null=True, blank=True)
    acknowledged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    closed_at = models.DateTimeField(_("closed (销号)"), null=True, blank=True)
    light = models.CharField(_("light"), max_length=10, choices=Light.choices, default=Light.GREY)
    status_reason = models.CharField(_("status reason"), max_length=200, blank=True)
    schedule_share = models.FloatField(_("schedule progress"), null=True, blank=True)
    version = models.PositiveIntegerField(default=1, editable=False)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects = TaskQuerySet.as_manager()

    class Meta:
        verbose_name = _("task")
        verbose_name_plural = _("tasks")
        ordering = ["path"]
        indexes = [
            # Lists page through actionable tasks in tree order: an index-only scan counts them and finds the
            # ids of any page (even the last of 1,000) without reading the rows.
            models.Index(fields=["path", "kind", "id"], name="task_path_kind"),
            # The area filter's choices (SELECT DISTINCT area) from the index alone.
            models.Index(fields=["area", "kind"], name="task_area_kind"),
        ]

    def __str__(self) -> str:
        label = self.heading if self.kind in (self.Kind.SECTION, self.Kind.SUBSECTION) else self.text
        return f"{self.number} {label[:40]}".strip()

    @property
    def is_heading(self) -> bool:
        return self.kind in (self.Kind.SECTION, self.Kind.SUBSECTION)

    @property
    def label(self) -> str:
        """The number as documents write it: 一、 for sections, (一) for subsections, 1. for tasks."""
        if not self.number:
            return ""
        return {self.Kind.SECTION: f"{self.number}、", self.Kind.SUBSECTION: f"({self.number})"}.get(
            self.kind, f"{self.number}.")

    @property
    def ancestor_paths(self) -> list[str]:
        parts = self.path.split(".")
        return [".".join(parts[:i]) for i in range(1, len(parts))]

    def ancestors(self) -> TaskQuerySet:
        """All ancestors, root first, in one query."""
        return Task.objects.filter(path__in=self.ancestor_paths).order_by("path")

    def descendants(self) -> TaskQuerySet:
        """The whole subtree below this node, in tree order, in one query."""
        return Task.objects.filter(path__startswith=self.path + ".").order_by("path")

    @property
    def lead_units(self) -> list:
        return [tu.unit for tu in self.task_units.all() if tu.role == TaskUnit.Role.LEAD]

    @property
    def support_units(self) -> list:
        return [tu.unit for tu in self.task_units.all() if tu.role == TaskUnit.Role.SUPPORT]

    @property
    def status_label(self) -> str:
        """In Chinese, the words of the office's chosen vocabulary (settings → 状态用语)."""
        if get_language() == "zh-hans":
            return schedule.display("done_ongoing" if self.status == self.Status.DONE and self.ongoing
                                    else self.status, status_vocabulary())
        if self.status == self.Status.DONE and self.ongoing:
            return str(_("Done and ongoing"))
        return self.get_status_display()


class TaskRequest(models.Model):
    """A unit's request the supervision office decides: reassignment, extension (延期) or completion (办结)."""

    class Kind(models.TextChoices):
        REASSIGN = "reassign", _("Reassignment")
        EXTENSION = "extension", _("Extension")
        COMPLETION = "completion", _("Completion")

    class State(models.TextChoices):
        PENDING = "pending", _("Pending")
        APPROVED = "approved", _("Approved")
        REJECTED = "rejected", _("Rejected")

    task = models.ForeignKey(Task, verbose_name=_("task"), on_delete=models.CASCADE, related_name="requests")
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    unit = models.ForeignKey("units.Unit", verbose_name=_("unit"), on_delete=models.PROTECT, related_name="+")
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    reason = models.TextField(_("reason"))
    new_deadline = models.DateField(_("new deadline"), null=True, blank=True)
    evidence = models.FileField(_("evidence"), upload_to=evidence_path, blank=True)
    state = models.CharField(_("state"), max_length=20, choices=State.choices, default=State.PENDING, db_index=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)
    decision_note = models.TextField(_("decision note"), blank=True)
    created_at = models.DateTimeField(_("requested"), auto_now_add=True)

    class Meta:
        verbose_name = _("request")
        verbose_name_plural = _("requests")
        ordering = ["-created_at"]
        constraints = [models.UniqueConstraint(
            fields=["task", "kind"], condition=models.Q(state="pending"), name="one_pending_request_per_kind")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.task}"


class TaskUnit(models.Model):
    """A unit's part in a task: lead (牵头, the first is the summarising unit) or support (配合)."""

    class Role(models.TextChoices):
        LEAD = "lead", _("Lead unit")
        SUPPORT = "support", _("Supporting unit")

    task = models.ForeignKey(Task, on_delete=models.CASCADE, related_name="task_units")
    unit = models.ForeignKey("units.Unit", verbose_name=_("unit"), on_delete=models.PROTECT, related_name="task_units")
    role = models.CharField(_("role"), max_length=10, choices=Role.choices)
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        verbose_name = _("task unit")
        verbose_name_plural = _("task units")
        ordering = ["task", "order"]
        constraints = [models.UniqueConstraint(fields=["task", "unit"], name="task_unit_once")]
        indexes = [models.Index(fields=["unit", "task"])]

    def __str__(self) -> str:
        return f"{self.unit} ({self.get_role_display()})"


class Indicator(models.Model):
    """A quantitative target (指标) of a task."""

    class Direction(models.TextChoices):
        AT_LEAST = ">=", "≥"
        EQUAL = "=", "="
        AT_MOST = "<=", "≤"

    task = models.ForeignKey(Task, on_delete=models.CASCADE, related_name="indicators")
    name = models.CharField(_("indicator"), max_length=200)
    target = models.DecimalField(_("target"), max_digits=18, decimal_places=4)
    unit_of_measure = models.CharField(_("unit of measure"), max_length=30, blank=True)
    baseline = models.DecimalField(_("baseline"), max_digits=18, decimal_places=4, null=True, blank=True)
    direction = models.CharField(_("direction"), max_length=2, choices=Direction.choices, default=Direction.AT_LEAST)
    text = models.CharField(_("as written"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("indicator")
        verbose_name_plural = _("indicators")
        ordering = ["task", "id"]

    def __str__(self) -> str:
        return f"{self.name} {self.direction} {self.target.normalize():f}{self.unit_of_measure}"


class Milestone(models.Model):
    """A dated checkpoint (节点) of a task, e.g. a quarter's expected stage."""

    task = models.ForeignKey(Task, on_delete=models.CASCADE, related_name="milestones")
    title = models.CharField(_("milestone"), max_length=300)
    due = models.DateField(_("due"))
    done_on = models.DateField(_("reached on"), null=True, blank=True)

    class Meta:
        verbose_name = _("milestone")
        verbose_name_plural = _("milestones")
        ordering = ["task", "due"]

    def __str__(self) -> str:
        return self.title


class Comment(models.Model):
    """A remark on a task; a leader's remark is an instruction (批示)."""

    task = models.ForeignKey(Task, on_delete=models.CASCADE, related_name="comments")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    text = EncryptedTextField(_("comment"))
    is_instruction = models.BooleanField(_("leader's instruction"), default=False)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("comment")
        verbose_name_plural = _("comments")
        ordering = ["task", "created_at"]

    def __str__(self) -> str:
        return self.text[:40]


class StatusChange(models.Model):
    """One move of a task's status, written in the same transaction as the move by duban.tasks.status. "The
    status on a day" is read from here (the ``before`` of the first change after that day), so documents dated
    in the past stay right after old audit entries are purged."""

    task = models.ForeignKey(Task, verbose_name=_("task"), on_delete=models.CASCADE, related_name="status_changes")
    at = models.DateTimeField(_("time"))
    day = models.DateField(_("day"))
    before = models.CharField(_("status before"), max_length=20, choices=Task.Status.choices)
    after = models.CharField(_("status after"), max_length=20, choices=Task.Status.choices)
    reason = models.CharField(_("reason"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("status change")
        verbose_name_plural = _("status changes")
        ordering = ["at", "id"]
        indexes = [models.Index(fields=["day", "task"], name="status_change_day_task")]

    def __str__(self) -> str:
        return f"{self.task_id} {self.day} {self.before}→{self.after}"
