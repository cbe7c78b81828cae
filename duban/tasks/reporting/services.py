"""Progress reporting: periods from the task's cadence, submission (prefilled from last time), the unit head's
approval where a unit wants it, and the supervisor's review. Every write records the activity log; every
submission and review also keeps a revision, so a returned and resubmitted report shows its whole history."""
from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from duban.core import audit
from duban.core.actions import Action
from duban.core.errors import ActionRefused
from duban.core.workdays import work_calendar
from duban.people.models import Role
from duban.supervision import cadence as rules
from duban.supervision.workdays import WorkCalendar
from duban.tasks.models import Task, TaskUnit
from duban.tasks.reporting.models import ProgressReport, ReportAttachment, ReportingPeriod, ReportRevision
from duban.units.models import Unit

CONTENT_FIELDS = ("progress", "problems", "next_steps", "coordination", "percent", "indicator_actuals")
REPORT_FIELDS = (*CONTENT_FIELDS, "status_text", "state")


def _content(report: ProgressReport) -> dict[str, Any]:
    return audit.snapshot(report, CONTENT_FIELDS)


@transaction.atomic
def record_report(
    actor: Any, task: Task, unit: Unit, *, period_start: dt.date, period_end: dt.date,
    state: str = ProgressReport.State.SUBMITTED, **fields: Any,
) -> ProgressReport:
    """Store a unit's report as received (e.g. from an imported implementation report)."""
    report = ProgressReport.objects.create(
        task=task, unit=unit, period_start=period_start, period_end=period_end, state=state,
        submitted_by=actor if getattr(actor, "pk", None) else None, submitted_at=timezone.now(), **fields,
    )
    audit.record(actor, Action.REPORT_CREATE, report, summary=str(task),
                 after=audit.snapshot(report, ("task", "unit", "period_start", "period_end",
                                               *[f for f in REPORT_FIELDS if f in fields or f == "state"])))
    return report


# ---- periods -------------------------------------------------------------------------------------------

def cadence_rule(task: Task, ancestors: Iterable[Task] = ()) -> rules.CadenceRule:
    """The task's own cadence, else the nearest ancestor's, else its source document's, else monthly by the
    5th."""
    for node in (task, *reversed(list(ancestors)), task.source):
        if node is not None and node.cadence:
            return rules.CadenceRule(rules.Cadence(node.cadence), due_day=node.report_due_day or 5)
    return rules.DEFAULT_RULE


def _due_periods(task: Task, ancestors: list[Task], today: dt.date, calendar: WorkCalendar) -> list[ReportingPeriod]:
    from duban.tasks.status import planned_period

    start, end = planned_period(task, today)
    # A unit reports from the period in which the task reached it, not for months before it was dispatched.
    dispatched = timezone.localdate(task.dispatched_at) if task.dispatched_at else start
    return [ReportingPeriod(task=task, key=p.key, start=p.start, end=p.end, due=p.due)
            for p in rules.periods(cadence_rule(task, ancestors), start, end, calendar)
            if p.start <= today and p.end >= dispatched]


def ensure_periods(task: Task, today: dt.date | None = None, calendar: WorkCalendar | None = None) -> int:
    """Create the task's reporting periods up to the current one (idempotent: existing keys are kept)."""
    wanted = _due_periods(task, task.ancestors(), today or timezone.localdate(), calendar or work_calendar())
    return len(ReportingPeriod.objects.bulk_create(wanted, ignore_conflicts=True))


def ensure_periods_for(tasks: list[Task], today: dt.date, calendar: WorkCalendar) -> None:
    """:func:`ensure_periods` for many tasks (a bulk dispatch): their sections read once, one INSERT."""
    from duban.tasks.services import ancestor_map

    sections = ancestor_map(tasks)
    wanted = [period for task in tasks for period in _due_periods(
        task, [sections[p] for p in task.ancestor_paths if p in sections], today, calendar)]
    ReportingPeriod.objects.bulk_create(wanted, ignore_conflicts=True)


def open_period(task: Task, today: dt.date | None = None) -> ReportingPeriod | None:
    """The period a report is asked for now: the earliest finished one without the lead unit's report, else
    the one in progress (a report may always be sent early)."""
    today = today or timezone.localdate()
    lead = task.lead_units[0].pk if task.lead_units else None
    periods = list(task.periods.filter(start__lte=today).order_by("start"))
    done = set(ProgressReport.objects.filter(task=task, unit_id=lead, period__in=periods).exclude(
        state__in=(ProgressReport.State.DRAFT, ProgressReport.State.RETURNED)).values_list("period_id", flat=True))
    pending = [p for p in periods if p.pk not in done and p.end < today]
    if pending:
        return pending[0]
    return periods[-1] if periods else None


# ---- submission ----------------------------------------------------------------------------------------

def previous_report(task: Task, unit: Unit, before: ReportingPeriod | None) -> ProgressReport | None:
    qs = ProgressReport.objects.filter(task=task, unit=unit).exclude(state=ProgressReport.State.DRAFT)
    if before is not None:
        qs = qs.filter(period_start__lt=before.start)
    return qs.order_by("-period_end", "-id").first()


def prefill(task: Task, unit: Unit, period: ReportingPeriod) -> dict[str, Any]:
    """The form's starting values: this period's report if one exists, else the last one's content, so a
    liaison whose facts did not change only confirms (ask for each fact once)."""
    current = ProgressReport.objects.filter(task=task, unit=unit, period=period).first()
    source = current or previous_report(task, unit, period)
    return _content(source) if source else {}


def unit_role(task: Task, unit_id: int | None) -> str | None:
    for tu in task.task_units.all():
        if tu.unit_id == unit_id:
            return tu.role
    return None


@transaction.atomic
def submit_report(actor: Any, task: Task, period: ReportingPeriod, *, content: dict[str, Any],
                  files: Iterable[Any] = (), at: dt.datetime | None = None) -> ProgressReport:
    """A unit's report for one period; a returned report is resubmitted in place (its history is kept).

    Submitting twice (a double click) finds the report already submitted and changes nothing."""
    if unit_role(task, actor.unit_id) is None:
        raise ActionRefused(_("Your unit has no part in this task."))
    at = at or timezone.now()
    unit = actor.unit
    report, created = ProgressReport.objects.get_or_create(
        task=task, unit=unit, period_start=period.start,
        defaults={"period": period, "period_end": period.end, "state": ProgressReport.State.DRAFT},
    )
    if not created and report.state not in (ProgressReport.State.DRAFT, ProgressReport.State.RETURNED):
        if _content(report) == {**_content(report), **content}:
            return report  # the same submission again
        raise ActionRefused(_("This period's report was already submitted; it can be changed after the "
                              "supervision office returns it."))
    needs_head = unit.requires_head_approval and actor.role == Role.LIAISON
    state = ProgressReport.State.PENDING_APPROVAL if needs_head else ProgressReport.State.SUBMITTED
    for name in CONTENT_FIELDS:
        if name in content:
            setattr(report, name, content[name])
    report.state = state
    report.period = period
    report.submitted_by = actor
    report.submitted_at = at
    report.late = report.late or timezone.localdate(at) > period.due
    report.version += 1
    report.save()
    for upload in files:
        ReportAttachment.objects.create(report=report, file=upload, name=upload.name[:200], size=upload.size)
    ReportRevision.objects.create(report=report, state=state, content=_content(report), actor=actor, at=at)
    audit.record(actor, Action.REPORT_SUBMIT, report, summary=str(task),
                 after={**_content(report), "state": state, "late": report.late, "period": period.key})
    return report


def _transition(report: ProgressReport, allowed: tuple[str, ...], **changes: Any) -> None:
    """Move a report on only from an expected state (conditional UPDATE: two reviewers cannot both act)."""
    done = ProgressReport.objects.filter(pk=report.pk, state__in=allowed).update(version=F("version") + 1, **changes)
    if not done:
        raise ActionRefused(_("This report has already been dealt with by someone else."))
    report.refresh_from_db()


@transaction.atomic
def approve_report(actor: Any, report: ProgressReport) -> ProgressReport:
    """The unit head lets a liaison's report go to the supervision office."""
    if actor.role != Role.UNIT_HEAD or actor.unit_id != report.unit_id:
        raise ActionRefused(_("Only the head of the reporting unit can approve this report."))
    _transition(report, (ProgressReport.State.PENDING_APPROVAL,), state=ProgressReport.State.SUBMITTED,
                approved_by=actor)
    ReportRevision.objects.create(report=report, state=report.state, content=_content(report), actor=actor)
    audit.record(actor, Action.REPORT_APPROVE, report, summary=str(report.task))
    return report


@transaction.atomic
def review_report(actor: Any, report: ProgressReport, *, accept: bool, note: str = "",
                  at: dt.datetime | None = None, quality: int | None = None) -> ProgressReport:
    """Accept, or return with a comment the liaison sees. Accepting recomputes the task's status.
    ``quality`` (优 4 … 差 1, optional) is the supervisor's rating, which the assessment counts."""
    from duban.notify.services import notify
    from duban.people.directory import unit_people
    from duban.tasks.status import recompute_one

    if quality is not None and quality not in ProgressReport.Quality.values:
        raise ActionRefused(_("Choose a quality rating from the list."))
    rating = {} if quality is None else {"quality": quality}
    at = at or timezone.now()
    if accept:
        _transition(report, (ProgressReport.State.SUBMITTED,), state=ProgressReport.State.ACCEPTED,
                    reviewed_by=actor, reviewed_at=at, review_note=note, **rating)
    else:
        if not note.strip():
            raise ActionRefused(_("Say why the report is returned, so the unit knows what to change."))
        _transition(report, (ProgressReport.State.SUBMITTED,), state=ProgressReport.State.RETURNED,
                    reviewed_by=actor, reviewed_at=at, review_note=note,
                    returned_count=F("returned_count") + 1, **rating)
    ReportRevision.objects.create(report=report, state=report.state, content=_content(report), note=note,
                                  actor=actor, at=at)
    audit.record(actor, Action.REPORT_ACCEPT if accept else Action.REPORT_RETURN, report, summary=note or str(report.task),
                 after={"state": report.state, "note": note, **rating})
    if accept:
        recompute_one(report.task, actor=actor, today=timezone.localdate(at))
    else:
        notify(unit_people([report.unit_id]), kind="report_returned",
               title=_("Report returned: %(task)s") % {"task": str(report.task)[:40]},
               body=note, link=f"/tasks/{report.task_id}/report/", obj=report,
               key=f"report-returned:{report.pk}:{report.returned_count}")
    return report


def support_contributions(task: Task, period: ReportingPeriod) -> list[ProgressReport]:
    """What supporting units reported for the period, for the lead unit to consolidate."""
    support = [tu.unit_id for tu in task.task_units.all() if tu.role == TaskUnit.Role.SUPPORT]
    return list(ProgressReport.objects.filter(task=task, period=period, unit_id__in=support)
                .exclude(state=ProgressReport.State.DRAFT).select_related("unit"))


