"""The read API under /api/v1/, with the same permissions as the pages (duban.core.permissions)."""
from __future__ import annotations

from django.conf import settings
from django.db.models import Prefetch, QuerySet
from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from ninja import NinjaAPI
from ninja.renderers import JSONRenderer

from duban.api.auth import AUTH
from duban.api.schemas import Page, ReportOut, TaskOut, UnitOut
from duban.core import permissions
from duban.notify.api import router as notify_router
from duban.reporting.models import ProgressReport
from duban.tasks.filters import TaskFilter
from duban.tasks.models import Task
from duban.tasks.services import ancestor_map
from duban.units.models import Unit, UnitAlias

class ChineseJSONRenderer(JSONRenderer):
    json_dumps_params = {"ensure_ascii": False}  # readable Chinese, and a third smaller


api = NinjaAPI(
    title="Duban API", version="1", urls_namespace="api", auth=AUTH, renderer=ChineseJSONRenderer(),
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
    meta, items = _page(request, TaskFilter.from_params(request.GET).apply(scope).with_units())
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
