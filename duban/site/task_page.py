"""The task's page: everything about one task in one place (its place in the tree, units, indicators and
milestones, the units' reports, requests, letters, comments and the history of all of them), so it sits above
the tasks and letters it gathers."""
from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.db.models import Prefetch
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from duban.letters.access import visible_letters
from duban.letters.models import Letter
from duban.people.access import is_manager
from duban.tasks.access import (
    can_comment,
    editable_task_fields,
    task_for,
    unit_part,
    visible_reports,
    visible_tasks,
)
from duban.tasks.forms import CommentForm
from duban.tasks.models import Comment, Task
from duban.tasks.reporting.models import ProgressReport
from duban.tasks.timeline import timeline


@login_required
def task_detail(request: HttpRequest, pk: int) -> HttpResponse:
    task = task_for(
        request.user, pk,
        Task.objects.with_units().select_related("source").prefetch_related(
            "indicators", "milestones",
            Prefetch("comments", queryset=Comment.objects.select_related("author")),
        ),
    )
    reports = list(visible_reports(request.user, ProgressReport.objects.filter(task=task))
                   .select_related("unit", "submitted_by"))
    children = visible_tasks(request.user, task.descendants()).with_units()
    letters = list(visible_letters(request.user, Letter.objects.filter(task=task)))
    requests = list(task.requests.select_related("unit", "requested_by"))
    return render(request, "site/task_detail.html", {
        "task": task,
        "ancestors": task.ancestors(),
        "children": children,
        "reports": reports,
        "activity": timeline(task, (reports, requests, letters)),
        "letters": letters,
        "requests": requests,
        "part": unit_part(request.user, task),
        "is_manager": is_manager(request.user),
        "can_edit": bool(editable_task_fields(request.user, task)),
        "can_comment": can_comment(request.user, task),
        "comment_form": CommentForm(),
    })
