"""The read API under /api/v1/, with the same permissions as the pages (duban.core.permissions)."""
from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db.models import Prefetch, QuerySet
from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from ninja import NinjaAPI, Status
from ninja.renderers import JSONRenderer

from duban.api.auth import AUTH
from duban.api.throttling import AnonThrottle, UserThrottle
from duban.api.schemas import (
    AcknowledgeIn, ErrorOut, LetterOut, Page, PeriodOut, ReportIn, ReportOut, TaskOut, UnitOut,
)
from duban.core import permissions
from duban.notify.api import router as notify_router
from duban.core.errors import ActionRefused
from duban.letters import services as letter_services
from duban.letters.models import Letter
from duban.reporting import services as report_services
from duban.reporting.models import ProgressReport, ReportingPeriod
from duban.tasks import workflow
from duban.tasks.filters import TaskFilter
from duban.tasks.models import Task
from duban.tasks.services import ancestor_map
from duban.units.models import Unit, UnitAlias

class ChineseJSONRenderer(JSONRenderer):
    json_dumps_params = {"ensure_ascii": False}  # readable Chinese, and a third smaller


api = NinjaAPI(
    title="Duban API", version="1", urls_namespace="api", auth=AUTH, renderer=ChineseJSONRenderer(),
    throttle=[AnonThrottle(), UserThrottle()],
    openapi_url="/openapi.json", docs_url=None,  # the interactive docs would load assets from a CDN
)


def _page(request: HttpRequest, qs: QuerySet) -> tuple[dict, list]:
    params = request.GET
    size = min(int(params["page_size"]) if params.get("page_size", "").isdigit() else settings.DUBAN_PAGE_SIZE,
               settings.DUBAN_API_MAX_PAGE_SIZE) or settings.DUBAN_PAGE_SIZE
    page = max(int(params["page"]) if params.get("page", "").isdigit() else 1, 1)
    count = qs.count()
    items = list(qs[(page - 1) * size: page * size])
    return {"count": count, "page": page, "page_size": size}, items


def _unit_ref(unit: Unit) -> dict:
    return {"id": unit.pk, "name": unit.display_name}


def _task(task: Task, sections: dict[str, Task]) -> dict:
    return {
        **{f: getattr(task, f) for f in ("id", "number", "kind", "parent_id", "heading", "text", "owner",
                                         "deadline", "cadence", "priority", "area", "status", "ongoing",
                                         "source_id", "updated_at")},
        "sections": [sections[p].number for p in task.ancestor_paths if p in sections],
        "lead_units": [_unit_ref(u) for u in task.lead_units],
        "support_units": [_unit_ref(u) for u in task.support_units],
        "leader": str(task.leader) if task.leader else None,
        "status_label": task.status_label,
    }


def _report(report: ProgressReport) -> dict:
    return {**{f: getattr(report, f) for f in ReportOut.model_fields if f != "unit"},
            "unit": _unit_ref(report.unit)}


api.add_router("/notifications", notify_router)


@api.get("/units", response=Page[UnitOut], tags=["units"])
def list_units(request: HttpRequest):  # noqa: ANN201
    qs = Unit.objects.prefetch_related(Prefetch("aliases", queryset=UnitAlias.objects.order_by("name")))
    meta, items = _page(request, qs.order_by("name"))
    return {**meta, "results": [{**{f: getattr(u, f) for f in ("id", "name", "short_name", "kind", "parent_id",
                                                              "active")},
                                 "aliases": [a.name for a in u.aliases.all()]} for u in items]}


@api.get("/tasks", response=Page[TaskOut], tags=["tasks"])
def list_tasks(request: HttpRequest):  # noqa: ANN201
    """Tasks the caller may see. Filters: unit, status, area, q, due_from, due_to, sort; paged by page."""
    scope = permissions.visible_tasks(request.user, Task.objects.actionable())
    # A deferred join, as in the task list: the page's ids from the index, then those rows with their units.
    meta, ids = _page(request, TaskFilter.from_params(request.GET).apply(scope).values_list("pk", flat=True))
    rows = Task.objects.with_units().in_bulk(ids) if ids else {}
    items = [rows[pk] for pk in ids]
    sections = ancestor_map(items)
    return {**meta, "results": [_task(t, sections) for t in items]}


@api.get("/tasks/{task_id}", response=TaskOut, tags=["tasks"])
def get_task(request: HttpRequest, task_id: int):  # noqa: ANN201
    task = permissions.task_for(request.user, task_id, Task.objects.with_units())
    return _task(task, ancestor_map([task]))


@api.get("/reports", response=Page[ReportOut], tags=["reports"])
def list_reports(request: HttpRequest, task: int | None = None, unit: int | None = None):  # noqa: ANN201
    qs = permissions.visible_reports(request.user).select_related("unit").order_by("-period_end", "task_id", "id")
    if task:
        qs = qs.filter(task_id=task)
    if unit:
        qs = qs.filter(unit_id=unit)
    meta, items = _page(request, qs)
    return {**meta, "results": [_report(r) for r in items]}


@api.get("/reports/{report_id}", response=ReportOut, tags=["reports"])
def get_report(request: HttpRequest, report_id: int):  # noqa: ANN201
    report = get_object_or_404(permissions.visible_reports(request.user).select_related("unit"), pk=report_id)
    return _report(report)


@api.get("/periods", response=Page[PeriodOut], tags=["reporting"])
def list_periods(request: HttpRequest, task: int | None = None, due_from: dt.date | None = None,
                 due_to: dt.date | None = None):  # noqa: ANN201
    """Reporting periods of the tasks the caller may see, soonest due first."""
    qs = ReportingPeriod.objects.filter(task__in=permissions.visible_tasks(request.user)).order_by("due", "id")
    if task:
        qs = qs.filter(task_id=task)
    if due_from:
        qs = qs.filter(due__gte=due_from)
    if due_to:
        qs = qs.filter(due__lte=due_to)
    meta, items = _page(request, qs)
    return {**meta, "results": [{f: getattr(p, f) for f in PeriodOut.model_fields} for p in items]}


def _letter(letter: Letter) -> dict:
    return {**{f: getattr(letter, f) for f in LetterOut.model_fields if f != "unit"}, "unit": _unit_ref(letter.unit)}


@api.get("/letters", response=Page[LetterOut], tags=["letters"])
def list_letters(request: HttpRequest, open: bool = False, level: str = ""):  # noqa: A002, ANN201
    qs = permissions.visible_letters(request.user).select_related("unit").order_by("-issued_on", "-id")
    if open:
        qs = qs.filter(acknowledged_at__isnull=True)
    if level:
        qs = qs.filter(level=level)
    meta, items = _page(request, qs)
    return {**meta, "results": [_letter(x) for x in items]}


@api.post("/letters/{letter_id}/acknowledge", response={200: LetterOut, 403: ErrorOut, 409: ErrorOut},
          tags=["letters"])
def acknowledge_letter(request: HttpRequest, letter_id: int, payload: AcknowledgeIn):  # noqa: ANN201
    letter = get_object_or_404(permissions.visible_letters(request.user).select_related("unit"), pk=letter_id)
    if not permissions.can_answer_letter(request.user, letter):
        return Status(403, {"detail": "not an addressee of this letter"})
    try:
        return Status(200, _letter(letter_services.acknowledge_letter(request.user, letter, payload.response)))
    except ActionRefused as exc:
        return Status(409, {"detail": str(exc)})


@api.post("/tasks/{task_id}/acknowledge", response={200: TaskOut, 409: ErrorOut}, tags=["tasks"])
def acknowledge_task(request: HttpRequest, task_id: int):  # noqa: ANN201
    task = permissions.task_for(request.user, task_id, Task.objects.with_units())
    try:
        workflow.acknowledge(request.user, task)
    except ActionRefused as exc:
        return Status(409, {"detail": str(exc)})
    return Status(200, _task(task, ancestor_map([task])))


@api.post("/tasks/{task_id}/reports", response={201: ReportOut, 403: ErrorOut, 409: ErrorOut}, tags=["reports"])
def submit_report(request: HttpRequest, task_id: int, payload: ReportIn):  # noqa: ANN201
    """Submit the lead or supporting unit's report for the task's open period (same rules as the form)."""
    task = permissions.task_for(request.user, task_id, Task.objects.with_units())
    if permissions.unit_part(request.user, task) is None:
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
