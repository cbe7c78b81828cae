"""The home page (我的任务), adapted to the role of who is looking."""
from __future__ import annotations

import datetime as dt

from django.contrib.auth.decorators import login_required
from django.db.models import Q
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils import timezone

from duban.core import permissions
from duban.core.models import ActivityLog
from duban.people.models import Role
from duban.reporting.todo import todo_counts, unit_todo
from duban.tasks.models import Task

OPEN = ~Q(status__in=(Task.Status.DONE, Task.Status.SUSPENDED))


@login_required
def home(request: HttpRequest) -> HttpResponse:
    user = request.user
    scope = permissions.visible_tasks(user, Task.objects.actionable())
    if user.role == Role.LEADER and user.areas:
        scope = scope.filter(area__in=user.areas)
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
        if permissions.is_manager(user) else None,
        "today": today,
        "todo_counts": counts,
        "todo_total": sum(counts.values()) if counts else 0,
    }
    return render(request, "core/home.html", context)


@login_required
def todo(request: HttpRequest) -> HttpResponse:
    """A liaison's 待办, one tap from home; the office's equivalent is the review queue."""
    if permissions.is_manager(request.user):
        return redirect("review-queue")
    today = timezone.localdate()
    return render(request, "core/todo.html", {"todo": unit_todo(request.user, today, request.GET.get("page")),
                                              "today": today})


def healthz(request: HttpRequest) -> JsonResponse:
    """Liveness for load balancers: answers without touching sessions or templates."""
    return JsonResponse({"status": "ok"})
