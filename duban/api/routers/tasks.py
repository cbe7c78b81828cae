"""/api/v1/tasks, /reports and /periods: the task domain (tasks, their reporting periods and the units'
reports), with acknowledging a task and submitting a report."""
from __future__ import annotations

import datetime as dt

from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Router, Status

from duban.api.pagination import page
from duban.api.schemas import ErrorOut, Page, PeriodOut, ReportIn, ReportOut, TaskOut, unit_ref
from duban.core.errors import ActionRefused
from duban.tasks import workflow
from duban.tasks.access import task_for, unit_part, visible_reports, visible_tasks
from duban.tasks.filters import TaskFilter
from duban.tasks.models import Task
from duban.tasks.reporting import services as report_services
from duban.tasks.reporting.models import ProgressReport, ReportingPeriod
from duban.tasks.services import ancestor_map

router = Router()


def _task(task: Task, sections: dict[str, Task]) -> dict:
    return {
        **{f: getattr(task, f) for f in ("id", "number", "kind", "parent_id", "heading", "text", "owner",
                                         "deadline", "cadence", "priority", "area", "status", "ongoing",
                                         "source_id", "updated_at")},
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


@router.get("/tasks/{task_id}", response=TaskOut, tags=["tasks"])
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
