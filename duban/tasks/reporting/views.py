"""Reporting pages: a unit's report form (prefilled), the unit head's approval, the supervisor's review decision and
a report's history (the review desk itself is duban.site.views.review_queue)."""
from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Prefetch
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from duban.core.errors import ActionRefused
from duban.core.navigation import attempt, back
from duban.people.access import managers_only
from duban.tasks.access import task_for, unit_part, visible_reports
from duban.tasks.models import Task, TaskUnit
from duban.tasks.reporting import services
from duban.tasks.reporting.forms import ReportForm
from duban.tasks.reporting.models import ProgressReport, ReportRevision


@login_required
def report_form(request: HttpRequest, pk: int) -> HttpResponse:
    task = task_for(request.user, pk, Task.objects.with_units().prefetch_related("indicators"))
    part = unit_part(request.user, task)
    if part is None:
        raise PermissionDenied
    services.ensure_periods(task)
    # The period comes with the form, so a double click or a late second submit lands on the same period.
    chosen = request.POST.get("period") or request.GET.get("period")
    period = (task.periods.filter(pk=chosen, start__lte=timezone.localdate()).first() if chosen and chosen.isdigit()
              else services.open_period(task))
    if period is None:
        messages.info(request, _("This task has no reporting period yet."))
        return redirect("task-detail", pk=task.pk)
    current = ProgressReport.objects.filter(task=task, unit=request.user.unit, period=period).first()
    initial = services.prefill(task, request.user.unit, period)
    form = ReportForm(request.POST or None, request.FILES or None, task=task, initial=initial)
    if request.method == "POST" and form.is_valid():
        files = [form.cleaned_data["evidence"]] if form.cleaned_data.get("evidence") else []
        try:
            services.submit_report(request.user, task, period, content=form.content(), files=files)
        except ActionRefused as exc:
            messages.error(request, str(exc))
        else:
            messages.success(request, _("Report submitted for %(period)s.") % {"period": period.key})
            return redirect("todo")
    return render(request, "reporting/report_form.html", {
        "task": task, "period": period, "form": form, "current": current, "part": part,
        "prefilled": bool(initial) and current is None,
        "contributions": services.support_contributions(task, period) if part == TaskUnit.Role.LEAD else [],
        "late": timezone.localdate() > period.due,
    })


@login_required
@require_POST
@managers_only
def review(request: HttpRequest, pk: int) -> HttpResponse:
    report = get_object_or_404(ProgressReport.objects.select_related("task"), pk=pk)
    accept = request.POST.get("decision") == "accept"
    raw = request.POST.get("quality", "")
    quality = int(raw) if raw.isdigit() else None
    attempt(request, lambda: services.review_report(request.user, report, accept=accept,
                                                    note=request.POST.get("note", "").strip(), quality=quality),
            _("Report accepted.") if accept else _("Report returned to the unit."))
    return back(request, "/review/")


@login_required
@require_POST
def approve(request: HttpRequest, pk: int) -> HttpResponse:
    report = get_object_or_404(visible_reports(request.user), pk=pk)
    attempt(request, lambda: services.approve_report(request.user, report),
            _("Report approved and sent to the supervision office."))
    return redirect("todo")


@login_required
def report_history(request: HttpRequest, pk: int) -> HttpResponse:
    report = get_object_or_404(
        visible_reports(request.user).select_related("task", "unit", "period").prefetch_related(
            Prefetch("revisions", queryset=ReportRevision.objects.select_related("actor")), "attachments"),
        pk=pk)
    return render(request, "reporting/report_history.html", {"report": report})


@login_required
def attachment(request: HttpRequest, pk: int) -> HttpResponse:
    """Evidence is served only through this permission check, never from a public folder."""
    from django.http import FileResponse

    from duban.tasks.reporting.models import ReportAttachment

    item = get_object_or_404(ReportAttachment.objects.filter(report__in=visible_reports(request.user)),
                             pk=pk)
    return FileResponse(item.file.open("rb"), as_attachment=True, filename=item.name)
