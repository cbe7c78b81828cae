"""Buttons of the supervision loop on a task: dispatch, acknowledge, requests and decisions, reopen."""
from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from duban.core.errors import ActionRefused
from duban.core.navigation import attempt, back
from duban.core.uploads import check_evidence
from duban.people.access import managers_only
from duban.tasks import workflow
from duban.tasks.access import task_for
from duban.tasks.models import Task, TaskRequest
from duban.units.models import Unit


@login_required
@require_POST
@managers_only
def dispatch(request: HttpRequest) -> HttpResponse:
    """Dispatch one task (``task``) or several (``task`` repeated) from the list."""
    ids = [int(i) for i in request.POST.getlist("task") if i.isdigit()]
    tasks = list(Task.objects.actionable().filter(pk__in=ids).with_units())
    try:
        count = workflow.dispatch(request.user, tasks)
        messages.success(request, _("%(n)d task(s) dispatched.") % {"n": count})
    except ActionRefused as exc:
        messages.error(request, str(exc))
    return back(request, "/tasks/")


@login_required
@require_POST
def acknowledge(request: HttpRequest, pk: int) -> HttpResponse:
    task = task_for(request.user, pk, Task.objects.with_units())
    attempt(request, lambda: workflow.acknowledge(request.user, task), _("Task acknowledged."))
    return back(request, f"/tasks/{task.pk}/")


@login_required
@require_POST
def make_request(request: HttpRequest, pk: int) -> HttpResponse:
    task = task_for(request.user, pk, Task.objects.with_units())
    kind = request.POST.get("kind", "")
    if kind not in TaskRequest.Kind.values:
        raise PermissionDenied
    try:
        new_deadline = dt.date.fromisoformat(request.POST["new_deadline"]) if request.POST.get("new_deadline") else None
    except ValueError:
        new_deadline = None
    evidence = request.FILES.get("evidence")
    if evidence is not None:
        try:
            check_evidence(evidence)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
            return redirect("task-detail", pk=task.pk)
    attempt(request, lambda: workflow.request(
        request.user, task, kind, reason=request.POST.get("reason", "").strip()[:2000], new_deadline=new_deadline,
        evidence=evidence), _("Request sent to the supervision office."))
    return redirect("task-detail", pk=task.pk)


@login_required
@require_POST
@managers_only
def decide(request: HttpRequest, pk: int) -> HttpResponse:
    req = get_object_or_404(TaskRequest.objects.select_related("task"), pk=pk)
    unit = Unit.objects.filter(pk=request.POST.get("new_unit") or 0).first()
    approve = request.POST.get("decision") == "approve"
    attempt(request, lambda: workflow.decide(request.user, req, approve=approve,
                                           note=request.POST.get("note", "").strip()[:2000], new_unit=unit),
          _("Decision recorded."))
    return back(request, "/review/")


@login_required
@require_POST
@managers_only
def reopen(request: HttpRequest, pk: int) -> HttpResponse:
    task = task_for(request.user, pk)
    attempt(request, lambda: workflow.reopen(request.user, task, reason=request.POST.get("reason", "")),
          _("Task reopened."))
    return redirect("task-detail", pk=task.pk)


@login_required
@require_POST
@managers_only
def suspend(request: HttpRequest, pk: int) -> HttpResponse:
    task = task_for(request.user, pk)
    suspended = request.POST.get("suspend") == "1"
    attempt(request, lambda: workflow.set_suspended(request.user, task, suspended,
                                                  reason=request.POST.get("reason", "")),
          _("Task suspended.") if suspended else _("Task resumed."))
    return redirect("task-detail", pk=task.pk)
