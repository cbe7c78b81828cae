"""/api/v1/tasks, /reports and /periods: the task domain (tasks, their reporting periods and the units'
reports), with acknowledging a task and submitting a report."""
from __future__ import annotations

import datetime as dt

from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Router, Schema, Status
from pydantic import ConfigDict

from duban.api.pagination import page
from duban.api.schemas import ErrorOut, Page, PeriodOut, ReportIn, ReportOut, TaskOut, unit_ref
from duban.core.errors import ActionRefused
from duban.people.access import is_manager
from duban.people.directory import find_leader
from duban.supervision.dates import doubtful_deadline
from duban.tasks import bulk, editing, services, workflow
from duban.tasks.access import editable_task_fields, task_for, unit_part, visible_reports, visible_tasks
from duban.tasks.filters import TaskFilter
from duban.tasks.models import SourceDocument, Task
from duban.tasks.register import TEXT_MAX, Matter, register
from duban.tasks.reporting import services as report_services
from duban.tasks.reporting.models import ProgressReport, ReportingPeriod
from duban.tasks.services import ancestor_map
from duban.units.services import resolve_units

router = Router()


def _task(task: Task, sections: dict[str, Task]) -> dict:
    return {
        **{f: getattr(task, f) for f in ("id", "number", "kind", "parent_id", "heading", "text", "owner",
                                         "deadline", "cadence", "priority", "area", "status", "ongoing",
                                         "source_id", "updated_at", "version")},
        "sections": [sections[p].number for p in task.ancestor_paths if p in sections],
        "lead_units": [unit_ref(u) for u in task.lead_units],
        "support_units": [unit_ref(u) for u in task.support_units],
        "leader": str(task.leader) if task.leader else None,
        "status_label": task.status_label,
    }


def _report(report: ProgressReport) -> dict:
    return {**{f: getattr(report, f) for f in ReportOut.model_fields if f != "unit"},
            "unit": unit_ref(report.unit)}


@router.get("/tasks", response=Page[TaskOut], tags=["tasks"])
def list_tasks(request: HttpRequest):  # noqa: ANN201
    """Tasks the caller may see. Filters: unit, status, area, q, due_from, due_to, sort; paged by page."""
    scope = visible_tasks(request.user, Task.objects.actionable())
    # A deferred join, as in the task list: the page's ids from the index, then those rows with their units.
    meta, ids = page(request, TaskFilter.from_params(request.GET).apply(scope).values_list("pk", flat=True))
    rows = Task.objects.with_units().in_bulk(ids) if ids else {}
    items = [rows[pk] for pk in ids]
    sections = ancestor_map(items)
    return {**meta, "results": [_task(t, sections) for t in items]}


@router.get("/tasks/{int:task_id}", response=TaskOut, tags=["tasks"])
def get_task(request: HttpRequest, task_id: int):  # noqa: ANN201
    task = task_for(request.user, task_id, Task.objects.with_units())
    return _task(task, ancestor_map([task]))


@router.get("/reports", response=Page[ReportOut], tags=["reports"])
def list_reports(request: HttpRequest, task: int | None = None, unit: int | None = None):  # noqa: ANN201
    qs = visible_reports(request.user).select_related("unit").order_by("-period_end", "task_id", "id")
    if task:
        qs = qs.filter(task_id=task)
    if unit:
        qs = qs.filter(unit_id=unit)
    meta, items = page(request, qs)
    return {**meta, "results": [_report(r) for r in items]}


@router.get("/reports/{report_id}", response=ReportOut, tags=["reports"])
def get_report(request: HttpRequest, report_id: int):  # noqa: ANN201
    report = get_object_or_404(visible_reports(request.user).select_related("unit"), pk=report_id)
    return _report(report)


@router.get("/periods", response=Page[PeriodOut], tags=["reporting"])
def list_periods(request: HttpRequest, task: int | None = None, due_from: dt.date | None = None,
                 due_to: dt.date | None = None):  # noqa: ANN201
    """Reporting periods of the tasks the caller may see, soonest due first."""
    qs = ReportingPeriod.objects.filter(task__in=visible_tasks(request.user)).order_by("due", "id")
    if task:
        qs = qs.filter(task_id=task)
    if due_from:
        qs = qs.filter(due__gte=due_from)
    if due_to:
        qs = qs.filter(due__lte=due_to)
    meta, items = page(request, qs)
    return {**meta, "results": [{f: getattr(p, f) for f in PeriodOut.model_fields} for p in items]}


@router.post("/tasks/{task_id}/acknowledge", response={200: TaskOut, 409: ErrorOut}, tags=["tasks"])
def acknowledge_task(request: HttpRequest, task_id: int):  # noqa: ANN201
    task = task_for(request.user, task_id, Task.objects.with_units())
    try:
        workflow.acknowledge(request.user, task)
    except ActionRefused as exc:
        return Status(409, {"detail": str(exc)})
    return Status(200, _task(task, ancestor_map([task])))


@router.post("/tasks/{task_id}/reports", response={201: ReportOut, 403: ErrorOut, 409: ErrorOut},
             tags=["reports"])
def submit_report(request: HttpRequest, task_id: int, payload: ReportIn):  # noqa: ANN201
    """Submit the lead or supporting unit's report for the task's open period (same rules as the form)."""
    task = task_for(request.user, task_id, Task.objects.with_units())
    if unit_part(request.user, task) is None:
        return Status(403, {"detail": "your unit has no part in this task"})
    report_services.ensure_periods(task)
    period = report_services.open_period(task)
    if period is None:
        return Status(409, {"detail": "no reporting period yet"})
    try:
        report = report_services.submit_report(request.user, task, period, content=payload.dict())
    except ActionRefused as exc:
        return Status(409, {"detail": str(exc)})
    return Status(201, _report(ProgressReport.objects.select_related("unit").get(pk=report.pk)))


# --- 立项 and edits ---
# POST /api/v1/tasks registers a matter as the 立项 page does (duban.tasks.register); PATCH /api/v1/tasks/{id}
# edits a task as its edit page does, refused with 409 when ``version`` is no longer the task's.

class TaskIn(Schema):
    """A matter to register: one task, or one per numbered item of ``text``. Units by id or name (full, short
    or alias), in order; leader by id or username; no deadline and no working_days: the office's default for
    the source kind."""

    model_config = ConfigDict(extra="forbid")
    text: str
    source_kind: str = SourceDocument.Kind.OTHER
    source_title: str = ""
    source_text: str = ""
    source_date: dt.date | None = None
    lead_units: list[int | str] = []
    support_units: list[int | str] = []
    leader: int | str | None = None
    owner: str = ""
    deadline: dt.date | None = None
    working_days: int | None = None
    urgent: bool = False
    confirm_deadline: bool = False  # a deadline before today or the source's date must be confirmed
    cadence: str = Task.Cadence.ONCE
    area: str = ""
    dispatch: bool = False


class TaskPatch(Schema):
    """The fields to change, with the ``version`` the caller read (GET /tasks/{id} returns it)."""

    model_config = ConfigDict(extra="forbid")
    version: int
    text: str | None = None
    owner: str | None = None
    deadline: dt.date | None = None
    start_date: dt.date | None = None
    cadence: str | None = None
    priority: int | None = None
    area: str | None = None
    leader: int | str | None = None
    ongoing: bool | None = None
    lead_units: list[int | str] | None = None
    support_units: list[int | str] | None = None
    confirm_deadline: bool = False


def _past_deadline(deadline: dt.date | None, source_date: dt.date | None, confirmed: bool) -> None:
    if not confirmed and doubtful_deadline(deadline, timezone.localdate(), source_date):
        raise ActionRefused(_("The deadline is before today or before the source's date; send confirm_deadline: "
                              "true to keep it."))


def _choice(value: str, choices: type, what: str) -> str:
    if value not in choices.values:
        raise ActionRefused(_("Unknown %(what)s: %(value)s.") % {"what": what, "value": value})
    return value


@router.post("/tasks", response={201: list[TaskOut], 400: ErrorOut, 403: ErrorOut}, tags=["tasks"])
def create_task(request: HttpRequest, payload: TaskIn):  # noqa: ANN201
    """Register a matter by hand (立项), the office only; ``dispatch`` sends it to the lead units at once."""
    if not is_manager(request.user):
        return Status(403, {"detail": _("Only the supervision office registers matters.")})
    try:
        _past_deadline(payload.deadline, payload.source_date, payload.confirm_deadline)
        matter = Matter(
            kind=payload.source_kind, text=payload.text, title=payload.source_title, source_text=payload.source_text,
            date=payload.source_date, lead_units=resolve_units(payload.lead_units),
            support_units=resolve_units(payload.support_units),
            leader=find_leader(payload.leader), owner=payload.owner,
            deadline=payload.deadline, working_days=payload.working_days, urgent=payload.urgent,
            cadence=_choice(payload.cadence, Task.Cadence, _("cadence")), area=payload.area,
            dispatch=payload.dispatch)
        tasks = register(request.user, matter)
    except ActionRefused as exc:
        return Status(400, {"detail": str(exc)})
    rows = Task.objects.with_units().in_bulk([t.pk for t in tasks])
    return Status(201, [_task(rows[t.pk], {}) for t in tasks])


@router.patch("/tasks/{int:task_id}", response={200: TaskOut, 400: ErrorOut, 403: ErrorOut, 409: ErrorOut},
              tags=["tasks"])
def patch_task(request: HttpRequest, task_id: int, payload: TaskPatch):  # noqa: ANN201
    """Change a task as its edit page does: the office any field, unit staff only ``owner``."""
    task = task_for(request.user, task_id, Task.objects.with_units().select_related("source"))
    given = payload.dict(exclude_unset=True)
    version, confirmed = given.pop("version"), given.pop("confirm_deadline", False)
    allowed = set(editable_task_fields(request.user, task)) | ({"lead_units", "support_units"}
                                                                if is_manager(request.user) else set())
    refused = sorted(set(given) - allowed)
    if refused:
        return Status(403, {"detail": _("You may not change: %(fields)s.") % {"fields": ", ".join(refused)}})
    try:
        if "deadline" in given:
            _past_deadline(given["deadline"], task.source.date if task.source else None, confirmed)
        if len(given.get("text") or "") > TEXT_MAX:
            raise ActionRefused(_("A task's text may have at most %(n)d characters.") % {"n": TEXT_MAX})
        if "cadence" in given:
            _choice(given["cadence"], Task.Cadence, _("cadence"))
        if "priority" in given:
            _choice(given["priority"], Task.Priority, _("priority"))
        if "leader" in given:
            given["leader"] = find_leader(given["leader"])
        units = None
        if {"lead_units", "support_units"} & given.keys():
            units = (resolve_units(given.pop("lead_units", [u.pk for u in task.lead_units])),
                     resolve_units(given.pop("support_units", [u.pk for u in task.support_units])))
        editing.edit_task(request.user, task, version=version, fields=given, units=units)
    except services.StaleEdit:
        return Status(409, {"detail": _("This task was changed by someone else since you read it; read it again.")})
    except ActionRefused as exc:
        return Status(400, {"detail": str(exc)})
    task = Task.objects.with_units().get(pk=task.pk)
    return Status(200, _task(task, ancestor_map([task])))


# --- bulk ---
# POST /api/v1/tasks/bulk: the task list's bulk actions (duban.tasks.bulk). A body of the wrong shape is a 422
# (duban.api.errors); a right-shaped one asking for what cannot be done is a 400 with the reason.

class BulkFilterIn(Schema):
    """The filters of GET /api/v1/tasks; a value that is not understood is refused, never ignored."""

    model_config = ConfigDict(extra="forbid")
    unit: int | None = None
    role: str | None = None
    status: str | None = None
    area: str | None = None
    q: str | None = None
    due_from: str | None = None
    due_to: str | None = None
    leader: str | None = None
    light: str | None = None
    overdue: bool | None = None
    due_within: int | None = None
    due: str | None = None
    reports_due: str | None = None
    report: str | None = None


class BulkSetIn(Schema):
    """Values to set. Units by id or name (lead units replace the task's, in order, the first one
    summarising; supporting units are added); leader by id or username; deadline as YYYY-MM-DD; leader or
    deadline null clears it; cadence one of Task.Cadence ("" inherits)."""

    model_config = ConfigDict(extra="forbid")
    lead_units: list[int | str] | None = None
    support_units: list[int | str] | None = None
    leader: int | str | None = None
    deadline: str | None = None
    cadence: str | None = None
    area: str | None = None


class BulkIn(Schema):
    """Either ``ids`` or ``filter``; ``set`` and/or ``dispatch``; ``versions`` ({id: version}) refuses the
    whole batch with 409 if one of those tasks has changed since."""

    model_config = ConfigDict(extra="forbid")
    ids: list[int] | None = None
    filter: BulkFilterIn | None = None
    set: BulkSetIn | None = None
    dispatch: bool = False
    versions: dict[int, int] | None = None


class BulkSkipOut(Schema):
    id: int
    number: str
    reason: str


class BulkOut(Schema):
    changed: int
    changed_ids: list[int]
    skipped: int
    skipped_tasks: list[BulkSkipOut]


def _bulk_filter(given: BulkFilterIn) -> dict[str, str]:
    """The filter as query parameters, refusing values TaskFilter would silently drop (and so select more)."""
    raw = {k: ("1" if v is True else "" if v is False else str(v)) for k, v in given.model_dump(exclude_none=True).items()}
    parsed = TaskFilter.from_params(raw)
    for key, value in raw.items():
        understood = getattr(parsed, key)
        if key == "status":
            understood = set(parsed.status.split(",")) == set(value.split(","))
        if value.strip() and understood in (None, "", False):
            raise ActionRefused(_("Filter not understood: %(key)s=%(value)s.") % {"key": key, "value": value})
    return raw


@router.post("/tasks/bulk", response={200: BulkOut, 400: ErrorOut, 403: ErrorOut, 409: ErrorOut}, tags=["tasks"])
def bulk_tasks(request: HttpRequest, body: BulkIn):  # noqa: ANN201
    """Change many tasks at once (the office only), in one transaction with one log entry per task: the tasks
    by ``ids`` or by ``filter`` (as GET /api/v1/tasks), ``set`` values, then ``dispatch`` the drafts. Tasks
    the change cannot apply to are skipped, each with the reason."""
    if not is_manager(request.user):
        return Status(403, {"detail": _("Only the supervision office can change tasks in bulk.")})
    given = body.set.model_dump(exclude_unset=True) if body.set else {}
    try:
        if (body.ids is None) == (body.filter is None):
            raise ActionRefused(_("Give either ids or filter."))
        change = bulk.build_change(dispatch=body.dispatch, **given)
        params = _bulk_filter(body.filter) if body.filter is not None else None
        ids = bulk.select_ids(request.user, ids=body.ids, params=params)
        missing = sorted(set(body.ids or ()) - set(ids))
        if missing:
            raise ActionRefused(_("No such tasks: %(ids)s.") % {"ids": ", ".join(map(str, missing[:20]))})
        if not ids:
            raise ActionRefused(_("No tasks selected."))
    except ActionRefused as exc:
        return Status(400, {"detail": str(exc)})
    try:
        plan = bulk.apply(request.user, change, ids, versions=body.versions)
    except ActionRefused as exc:
        return Status(409, {"detail": str(exc)})
    return Status(200, {
        "changed": len(plan.changed), "changed_ids": [r.task.pk for r in plan.changed],
        "skipped": len(plan.skipped),
        "skipped_tasks": [{"id": r.task.pk, "number": r.task.number, "reason": r.reason} for r in plan.skipped],
    })
