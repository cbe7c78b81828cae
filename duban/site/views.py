"""The pages every user starts from: home (我的任务, adapted to the role of who is looking), a unit's to-do list
and the office's review desk."""
from __future__ import annotations

import datetime as dt

from django.contrib.auth.decorators import login_required
from django.db.models import Exists, OuterRef, Q
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils import timezone

from duban.core.models import ActivityLog
from duban.letters.models import Letter
from duban.people.access import is_manager, managers_only
from duban.people.models import Role, User
from duban.site.todo import todo_counts, unit_todo
from duban.tasks.access import visible_tasks
from duban.tasks.models import Task, TaskRequest, TaskUnit
from duban.tasks.reporting.forms import ReturnForm
from duban.tasks.reporting.models import ProgressReport
from duban.units.models import Unit
from duban.units.options import display_names, unit_options

OPEN = ~Q(status__in=(Task.Status.DONE, Task.Status.SUSPENDED))


@login_required
def home(request: HttpRequest) -> HttpResponse:
    user = request.user
    scope = visible_tasks(user, Task.objects.actionable())
    units = list(user.oversees_units.values_list("pk", flat=True)) if user.role == Role.LEADER else []
    overseen = _overseen(user, units) if user.role == Role.LEADER else None
    if overseen is not None:
        scope = scope.filter(overseen)
    today = timezone.localdate()
    due_soon = scope.filter(OPEN, deadline__gte=today, deadline__lte=today + dt.timedelta(days=30))
    attention = scope.filter(status__in=(Task.Status.OVERDUE, Task.Status.BEHIND))
    counts = todo_counts(user, today) if user.is_unit_staff else None
    context = {
        "counts": scope.status_counts(),
        "due_soon": due_soon.with_units().order_by("deadline", "path")[:10],
        "attention": attention.with_units().order_by("deadline", "path")[:10],
        "mine": scope.with_units().order_by("path")[:20] if user.is_unit_staff else None,
        "activity": ActivityLog.objects.exclude(action__regex=r"^(notify|auth)\.").select_related("actor")[:10]
        if is_manager(user) else None,
        "today": today,
        "overseen": "units" if units else "areas" if overseen is not None else "",
        "todo_counts": counts,
        "todo_total": sum(counts.values()) if counts else 0,
    }
    return render(request, "site/home.html", context)


def _overseen(user: User, units: list[int]) -> Q | None:
    """What a leader oversees (分管): tasks in his or her areas of work and tasks in which a unit he or she
    oversees (``units``) has a part. None for a leader given neither, who sees every task as before."""
    if not units and not user.areas:
        return None
    mine = Q(area__in=user.areas) if user.areas else Q(pk__in=[])
    if units:
        mine |= Q(Exists(TaskUnit.objects.filter(task=OuterRef("pk"), unit_id__in=units)))
    return mine


@login_required
def todo(request: HttpRequest) -> HttpResponse:
    """A liaison's 待办, one tap from home; the office's equivalent is the review queue."""
    if is_manager(request.user):
        return redirect("review-queue")
    today = timezone.localdate()
    return render(request, "site/todo.html", {"todo": unit_todo(request.user, today, request.GET.get("page")),
                                              "today": today})


def healthz(request: HttpRequest) -> JsonResponse:
    """Liveness for load balancers: answers without touching sessions or templates."""
    return JsonResponse({"status": "ok"})


@login_required
@managers_only
def review_queue(request: HttpRequest) -> HttpResponse:
    """The supervisor's desk: reports to review, requests to decide, acknowledgements overdue."""
    # The oldest 50 are chosen first, then joined: joined before the LIMIT, the planner hashed every task and
    # unit of a province for each request.
    oldest = (ProgressReport.objects.filter(state=ProgressReport.State.SUBMITTED)
              .order_by("submitted_at", "id").values("pk")[:50])
    reports = (ProgressReport.objects.filter(pk__in=oldest)
               .select_related("task", "unit", "period", "submitted_by").order_by("submitted_at", "id"))
    requests = list(TaskRequest.objects.filter(state=TaskRequest.State.PENDING)
                    .select_related("task", "unit", "requested_by").order_by("created_at")[:50])
    # Each hand-back request offers every unit to take the task over: built once, in Python (2,000 units).
    reassigning = any(q.kind == TaskRequest.Kind.REASSIGN for q in requests)
    unacknowledged = (Task.objects.filter(dispatch_state=Task.Dispatch.DISPATCHED, ack_due__lt=timezone.localdate())
                      .with_units().order_by("ack_due")[:50])
    letters = Letter.objects.filter(acknowledged_at__isnull=True).select_related("task", "unit")[:20]
    return render(request, "site/review_queue.html", {
        "reports": reports, "requests": requests, "unacknowledged": unacknowledged, "letters": letters,
        "return_form": ReturnForm(), "quality_choices": ProgressReport.Quality.choices,
        "unit_options": unit_options(display_names(Unit.objects.filter(active=True))) if reassigning else "",
    })
