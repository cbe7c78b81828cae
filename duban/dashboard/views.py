"""The task chart (挂图作战): headline figures and charts that each drill down to the task list."""
from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from duban.dashboard import charts, figures
from duban.people.access import reads_all
from duban.supervision.dates import chinese_date
from duban.tasks.access import visible_tasks
from duban.tasks.filters import NONE, TaskFilter
from duban.tasks.models import SourceDocument, Task


def _labels() -> dict[str, dict[str, str]]:
    status = {value: str(label) for value, label in Task.Status.choices}
    return {
        "headline": {"total": _("Tasks"), "done": _("Done"), "on_track": _("On schedule"),
                     "behind": _("Behind schedule"), "overdue": _("Overdue"),
                     "reports_due": _("Reports due this week")},
        "groups": {"done": _("Done"), "on_track": _("On schedule"), "behind": _("Behind schedule"),
                   "overdue": _("Overdue"), "not_started": _("Not started"), "suspended": _("Suspended")},
        "status": {**status, "done_only": _("Done"), "ongoing": _("Done and ongoing")},
        "js": {"schedule": _("Schedule progress"), "actual": _("Completion rate"), "tasks": _("tasks"),
               "today": _("Today"), "target": _("Target"), "notReported": _("no figure reported yet"),
               "onTime": _("Reports on time"), "late": _("Reports late"), "missing": _("Reports missing"),
               "doneTotal": _("Tasks done (cumulative)"), "deadline": _("Deadline"), "start": _("Start"),
               "milestone": _("Milestone"), "reached": _("reached"), "open": _("open")},
    }


def _month_label(key: str, first: bool) -> str:
    """'2026年6月' for the first month and each January, '7月' for the others: short enough for a phone."""
    values = {"year": key[:4], "month": int(key[5:7])}
    return (_("%(year)s-%(month)s") if first or key.endswith("-01") else _("Month %(month)s")) % values


@login_required
def dashboard(request: HttpRequest) -> HttpResponse:
    """Everyone signed in may look; unit staff see the chart of their own unit's tasks (visible_tasks)."""
    today = timezone.localdate()
    scope = visible_tasks(request.user, Task.objects.actionable())
    everything = reads_all(request.user)
    # The unit whose monthly report figures are shown: the same scope as visible_tasks/visible_reports.
    unit_id = request.user.unit_id if not everything and request.user.is_unit_staff else None
    scope_key = "all" if everything else f"unit-{unit_id or 0}"
    source = sources_shown(request)
    if source:  # one source's chart: its tasks only, and every number links into them
        scope = scope.filter(source=source)
        f = figures.cached(f"{scope_key}:source-{source.pk}", today,
                           lambda: figures.collect(scope, today, unit_id=unit_id))
        base = f"{reverse('task-list')}?source={source.pk}"
    else:
        f = figures.cached(scope_key, today, (lambda: figures.office(today)) if everything else
                           (lambda: figures.collect(scope, today, unit_id=unit_id)))
        base = reverse("task-list")
    labels = _labels()

    def task_url(pk: int) -> str:
        return reverse("task-detail", args=[pk])

    leader_names = {**f.leader_names, None: _("No leader assigned")}
    areas = sorted({a for a, _s, _n in f.area_rows}, key=lambda a: (a == "", a))
    data: dict[str, Any] = {
        "labels": labels["js"],
        "area": charts.stacked(f.area_rows, {"": _("Unclassified")}, base, labels["groups"],
                               lambda a: {"area": a or NONE}, order=areas),
        "unit": charts.stacked(f.unit_rows, f.unit_names, base, labels["groups"],
                               lambda u: {"unit": u, "role": "lead"}, limit=figures.BAR_ROWS),
        "leader": charts.stacked([(lid or None, s, n) for lid, s, n in f.leader_rows], leader_names, base,
                                 labels["groups"], lambda lid: {"leader": lid or NONE}, limit=figures.BAR_ROWS),
        "pie": charts.status_pie(f.by_status, f.ongoing, base, labels["status"]),
        "indicators": charts.indicator_chart(f.indicators, today, task_url, figures.INDICATOR_ROWS),
        "gantt": {**charts.gantt(f.gantt_tasks, f.milestones, task_url), "today": today.isoformat()},
        "trends": charts.trends(f.months, f.on_time, f.late, f.missing, f.done_by_month, f.done_before, base,
                                _month_label),
    }
    return render(request, "dashboard/dashboard.html", {
        "today": today,
        "computed_at": f.computed_at,
        # The monthly report figures are stored (refreshed daily): say when they were counted.
        "reporting_as_of": (f"{chinese_date(timezone.localdate(f.reporting_as_of))} "
                            f"{timezone.localtime(f.reporting_as_of):%H:%M}") if f.reporting_as_of else "",
        "as_of": chinese_date(today),
        "headlines": charts.headlines(f.by_status, f.reports_due_week, base, labels["headline"]),
        "data": data,
        "overdue": f.overdue,
        "overdue_total": f.by_status.get(Task.Status.OVERDUE, 0),
        "overdue_url": charts.drill(base, status="overdue", sort="deadline"),
        "gantt_all_url": charts.drill(base, status="open", due_from=today.isoformat(), sort="deadline"),
        "gantt_shown": len(f.gantt_tasks),
        "unit_scope": request.user.unit if request.user.is_unit_staff else None,
        "source": source,
        "sources": SourceDocument.objects.order_by("-date", "-id").only("title", "short_title")[:SOURCE_CHOICES]
        if everything else [],
    })


SOURCE_CHOICES = 200


def sources_shown(request: HttpRequest) -> SourceDocument | None:
    """The source chosen in the 来源 filter, if any and if it exists."""
    pk = TaskFilter.from_params(request.GET).source
    return SourceDocument.objects.filter(pk=pk).first() if pk else None
