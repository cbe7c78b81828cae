"""Task pages: the filtered list and edits within the user's rights (the task's own page, which gathers its reports
and letters, is duban.site.task_page)."""
from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Page, Paginator
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from duban.people.access import reads_all
from duban.tasks import services
from duban.tasks.access import (
    can_comment,
    editable_task_fields,
    task_for,
    visible_tasks,
)
from duban.tasks.filters import TaskFilter, all_areas, units_with_tasks
from duban.tasks.forms import CommentForm, TaskEditForm
from duban.tasks.models import Task
from duban.units.models import Unit
from duban.units.options import display_names, unit_options


class _WindowPaginator(Paginator):
    """Lists only the page numbers the pager shows (the current one ± 3): the template loops over
    ``page_range``, and at 1,000 pages the loop cost more than the queries."""

    around = 1

    @property
    def page_range(self) -> range:
        return range(max(1, self.around - 3), min(self.num_pages, self.around + 3) + 1)


def task_page(qs: QuerySet[Task], number: str | None) -> Page:
    """One page of ``qs`` with units loaded, fetched as a deferred join: the page's ids first (an index-only
    scan, cheap even on the last of 1,000 pages), then those rows. Two queries besides the count."""
    paginator = _WindowPaginator(qs.values_list("pk", flat=True), settings.DUBAN_PAGE_SIZE)
    page = paginator.get_page(number)
    paginator.around = page.number
    ids = list(page.object_list)
    rows = Task.objects.with_units().in_bulk(ids) if ids else {}
    page.object_list = [rows[pk] for pk in ids]
    return page


@login_required
def task_list(request: HttpRequest) -> HttpResponse:
    filters = TaskFilter.from_params(request.GET)
    scope = visible_tasks(request.user, Task.objects.actionable())
    page = task_page(filters.apply(scope), request.GET.get("page"))
    sections = services.ancestor_map(page.object_list)
    rows = [(task, [sections[p] for p in task.ancestor_paths if p in sections]) for task in page.object_list]
    params = request.GET.copy()
    params.pop("page", None)
    units = units_with_tasks() if reads_all(request.user) else Unit.objects.filter(pk=request.user.unit_id)
    context = {
        "page": page,
        "rows": rows,
        "filters": filters,
        "querystring": params.urlencode(),
        "unit_options": lambda: unit_options(display_names(units), filters.unit),
        "areas": all_areas() if reads_all(request.user) else
        scope.exclude(area="").order_by("area").values_list("area", flat=True).distinct(),
        "statuses": Task.Status.choices,
    }
    template = "tasks/_task_table.html" if request.htmx else "tasks/task_list.html"
    return render(request, template, context)


@login_required
def task_edit(request: HttpRequest, pk: int) -> HttpResponse:
    task = task_for(request.user, pk, Task.objects.with_units())
    allowed = editable_task_fields(request.user, task)
    if not allowed:
        raise PermissionDenied
    form = TaskEditForm(request.POST or None, instance=task, allowed=allowed)
    if request.method == "POST" and form.is_valid():
        fields = {name: form.cleaned_data[name] for name in form.changed_data if name in allowed}
        try:
            services.update_task(request.user, task, version=form.cleaned_data["version"], **fields)
        except services.StaleEdit as stale:
            current = {form.fields[name].label: getattr(stale.current, name) for name in stale.fields}
            form = TaskEditForm(instance=stale.current, allowed=allowed)
            return render(request, "tasks/task_edit.html", {
                "task": stale.current, "form": form, "stale": current,
            }, status=409)
        messages.success(request, _("Saved."))
        return redirect("task-detail", pk=task.pk)
    return render(request, "tasks/task_edit.html", {"task": task, "form": form})


@login_required
@require_POST
def task_comment(request: HttpRequest, pk: int) -> HttpResponse:
    task = task_for(request.user, pk, Task.objects.with_units())
    if not can_comment(request.user, task):
        raise PermissionDenied
    form = CommentForm(request.POST)
    if form.is_valid():
        services.add_comment(request.user, task, form.cleaned_data["text"])
        messages.success(request, _("Comment added."))
    else:
        messages.error(request, _("The comment is empty or too long."))
    return redirect("task-detail", pk=task.pk)
