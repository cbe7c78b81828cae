"""Export pages: the ledger download (at once when small, else queued), a job's progress, the file, my exports."""
from __future__ import annotations

import dataclasses

from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import content_disposition_header
from django.views.decorators.http import require_GET

from duban.core.pagination import page_of
from duban.exports import registry, services
from duban.exports.models import ExportJob
from duban.tasks.filters import TaskFilter, date_or_today

# the task list's filter parameters (whatever TaskFilter reads, except the order: the ledger is in tree order)
FILTER_KEYS = tuple(f.name for f in dataclasses.fields(TaskFilter) if f.name not in ("sort", "today"))


def _attachment(content: bytes, filename: str, content_type: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = content_disposition_header(True, filename)
    return response


@login_required
@require_GET
def ledger_export(request: HttpRequest) -> HttpResponse:
    """The 台账 of the tasks the task list shows with the same filters; queued when it is large."""
    filters = {key: request.GET[key][:200] for key in FILTER_KEYS if request.GET.get(key)}
    params = {"filters": filters, "as_of": date_or_today(request.GET.get("as_of")).isoformat()}
    kind = registry.get("ledger")
    rows = kind.count(request.user, params)
    if rows <= services.inline_rows():
        content, filename, _rows = services.export_inline(request.user, kind.name, params)
        return _attachment(content, filename, kind.content_type)
    job = services.queue_export(request.user, kind.name, params, total=rows)
    return redirect("export-job", pk=job.pk)


def _job_for(request: HttpRequest, pk: int) -> ExportJob:
    """The job if the user asked for it (or administers the system); 404 otherwise, revealing nothing."""
    job = ExportJob.objects.filter(pk=pk).first()
    if job is None or not services.may_download(request.user, job):
        raise Http404
    return job


@login_required
@require_GET
def job_detail(request: HttpRequest, pk: int) -> HttpResponse:
    job = _job_for(request, pk)
    context = {"job": job, "kind": registry.REGISTRY.get(job.kind)}
    template = "exports/_job_status.html" if request.htmx else "exports/job_detail.html"
    return render(request, template, context)


@login_required
@require_GET
def job_download(request: HttpRequest, pk: int) -> FileResponse:
    job = _job_for(request, pk)
    if job.state != ExportJob.State.DONE or not job.file:
        raise Http404
    path = services.open_download(request.user, job)
    if not path.is_file():
        raise Http404
    kind = registry.REGISTRY.get(job.kind)
    response = FileResponse(path.open("rb"), content_type=kind.content_type if kind else "application/octet-stream")
    response["Content-Disposition"] = content_disposition_header(True, job.filename or path.name)
    return response


@login_required
@require_GET
def my_exports(request: HttpRequest) -> HttpResponse:
    jobs = ExportJob.objects.filter(requested_by=request.user).order_by("-created_at", "-id")
    page = page_of(jobs, request.GET.get("page"))
    return render(request, "exports/my_exports.html", {"page": page, "kinds": registry.REGISTRY})
