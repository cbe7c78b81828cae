"""Task pages: the filtered list and edits within the user's rights (the task's own page, which gathers its reports
and letters, is duban.site.task_page)."""
from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Page, Paginator
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from duban.core.errors import ActionRefused
from duban.core.office import current_office
from duban.people.access import is_manager, managers_only, reads_all
from duban.tasks import editing, services
from duban.tasks.access import (
    can_comment,
    editable_task_fields,
    task_for,
    visible_tasks,
)
from duban.tasks.editing import INDICATOR_FIELDS, MILESTONE_FIELDS
from duban.tasks.filters import TaskFilter, all_areas, units_with_tasks
from duban.tasks.forms import (
    CommentForm,
    IndicatorFormSet,
    MilestoneFormSet,
    RegisterForm,
    TaskEditForm,
    UnitsForm,
    formset_rows,
)
from duban.tasks.models import SourceDocument, Task
from duban.tasks.register import MATTER_KINDS, register
from duban.units.models import Unit
from duban.units.options import active_names, display_names, unit_options


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
        "sources": source_labels(page.object_list),
        "page": page,
        "rows": rows,
        "filters": filters,
        "querystring": params.urlencode(),
        "unit_options": lambda: unit_options(display_names(units), filters.unit),
        "areas": all_areas() if reads_all(request.user) else
        scope.exclude(area="").order_by("area").values_list("area", flat=True).distinct(),
        "statuses": Task.Status.choices,
        # 来源: offered once there is more than one source (lazily: the results fragment does not need it)
        "source_choices": lambda: [(doc.pk, doc.label) for doc in SourceDocument.objects.only("title", "short_title")
                                   .order_by("-date", "-pk")] if reads_all(request.user) else [],
        "manages": is_manager(request.user),
    }
    template = "tasks/_task_table.html" if request.htmx else "tasks/task_list.html"
    return render(request, template, context)


def source_labels(tasks: list[Task]) -> dict[int, str]:
    """Where tasks of two sources share the screen, each number is shown with its source's short label
    (numbering restarts in every document); with one source, nothing."""
    ids = {t.source_id for t in tasks} - {None}
    if len(ids) < 2:
        return {}
    return {doc.pk: doc.label for doc in SourceDocument.objects.filter(pk__in=ids)
            .only("title", "short_title")}


@login_required
def task_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """The task's own fields for whoever may change them; for the office also its units, indicators and
    milestones, saved together under one version check."""
    task = task_for(request.user, pk, Task.objects.with_units().select_related("source"))
    allowed = editable_task_fields(request.user, task)
    if not allowed:
        raise PermissionDenied
    data = request.POST or None
    form = TaskEditForm(data, instance=task, allowed=allowed)
    parts = _office_parts(data, task) if is_manager(request.user) else {}
    if request.method == "POST" and form.is_valid() and all(p.is_valid() for p in parts.values()):
        fields = {name: form.cleaned_data[name] for name in form.changed_data if name in allowed}
        try:
            editing.edit_task(
                request.user, task, version=form.cleaned_data["version"], fields=fields,
                units=(parts["units"].cleaned_data["lead_units"], parts["units"].cleaned_data["support_units"])
                if "units" in parts else None,
                indicators=formset_rows(parts["indicators"], INDICATOR_FIELDS) if "indicators" in parts else None,
                milestones=formset_rows(parts["milestones"], MILESTONE_FIELDS) if "milestones" in parts else None)
        except services.StaleEdit as stale:
            current = {form.fields[name].label: getattr(stale.current, name) for name in stale.fields}
            task = Task.objects.with_units().select_related("source").get(pk=task.pk)
            return _edit_page(request, {"task": task, "form": TaskEditForm(instance=task, allowed=allowed),
                                        "stale": current, **(_office_parts(None, task) if is_manager(request.user) else {})},
                              409)
        messages.success(request, _("Saved."))
        return redirect("task-detail", pk=task.pk)
    return _edit_page(request, {"task": task, "form": form, **parts}, 400 if request.method == "POST" else 200)


def _edit_page(request: HttpRequest, context: dict[str, Any], status: int) -> HttpResponse:
    if "units" in context:
        context["unit_names"] = active_names()
    return render(request, "tasks/task_edit.html", context, status=status)


def _office_parts(data: Any, task: Task) -> dict[str, Any]:
    """The units form and the two formsets; on a POST only those it carries, so a post that leaves a part out
    (an older form, a script) never clears it."""
    parts = {
        "units": lambda: UnitsForm(data, initial={"lead_units": task.lead_units,
                                                  "support_units": task.support_units}),
        "indicators": lambda: IndicatorFormSet(data, instance=task, prefix="ind"),
        "milestones": lambda: MilestoneFormSet(data, instance=task, prefix="ms"),
    }
    sent = {"units": "lead_units", "indicators": "ind-TOTAL_FORMS", "milestones": "ms-TOTAL_FORMS"}
    return {name: make() for name, make in parts.items() if data is None or sent[name] in data}


@login_required
@managers_only
def task_register(request: HttpRequest) -> HttpResponse:
    """立项: a leader's instruction, a meeting decision … registered by hand, dispatched at once if asked."""
    form = RegisterForm(request.POST or None, request.FILES or None,
                        initial={"date": timezone.localdate(), "cadence": Task.Cadence.ONCE})
    if request.method == "POST" and form.is_valid():
        try:
            tasks = register(request.user, form.matter(), form.cleaned_data["attachment"])
        except ActionRefused as exc:
            form.add_error(None, str(exc))
        else:
            dispatched = form.cleaned_data["dispatch"]
            messages.success(request, (_("Registered and dispatched %(n)d task(s).") if dispatched else
                                       _("Registered %(n)d task(s).")) % {"n": len(tasks)})
            if len(tasks) == 1:
                return redirect("task-detail", pk=tasks[0].pk)
            return redirect(f"{reverse('task-list')}?source={tasks[0].source_id}")
    office = current_office()
    defaults = [(kind.label, office.working_days_for(kind)) for kind in MATTER_KINDS]
    return render(request, "tasks/task_register.html", {
        "form": form, "defaults": defaults, "urgent_days": office.working_days_for("", urgent=True),
        "unit_names": active_names(),
        "areas": all_areas(),
    }, status=400 if request.method == "POST" else 200)


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
