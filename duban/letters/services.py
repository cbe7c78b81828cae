"""Run the escalation ladder and issue its letters.

The pure rules (duban.supervision.ladder) say which events fire today; here each event becomes a numbered
letter addressed up the chain and announced in the inbox. ``Letter.event_key`` is unique, so an event can
never produce two letters — not when the job runs twice, not when two workers run it at once.
"""
from __future__ import annotations

import datetime as dt
import logging
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import F, Prefetch
from django.template import Context, Template
from django.utils import timezone
from django.utils.translation import gettext as _

from duban.core import audit
from duban.core.actions import Action
from duban.core.errors import ActionRefused
from duban.core.models import Office
from duban.core.office import current_office
from duban.core.workdays import work_calendar
from duban.letters.defaults import DEFAULT_TEMPLATES
from duban.letters.models import EscalationRule, Letter, LetterCounter, LetterTemplate
from duban.notify.services import notify
from duban.people.directory import unit_people
from duban.people.models import Role
from duban.supervision import ladder
from duban.supervision.dates import chinese_date
from duban.supervision.workdays import WorkCalendar
from duban.tasks.models import Task, TaskUnit
from duban.tasks.reporting.models import ProgressReport, ReportRevision

logger = logging.getLogger(__name__)


def ladder_rule(rules: dict[str, EscalationRule], source_kind: str) -> ladder.LadderRule:
    row = rules.get(source_kind) or rules.get("")
    if row is None:
        return ladder.LadderRule()
    return ladder.LadderRule(
        rule_id=row.source_kind or "default", remind_before=row.remind_before, urge_after=row.urge_after,
        blue_within=row.blue_within, yellow_returns=row.yellow_returns, red_overdue=row.red_overdue,
        send_on_non_workdays=row.send_on_non_workdays, blue_to=ladder.Addressee(row.blue_to),
        yellow_to=ladder.Addressee(row.yellow_to), red_to=ladder.Addressee(row.red_to),
    )


def task_state(task: Task) -> ladder.TaskState:
    """What the ladder needs to know about a task, from its periods and the lead unit's reports."""
    lead = task.lead_units[0].pk if task.lead_units else None
    reports = {r.period_id: r for r in task.reports.all() if r.unit_id == lead}
    states = []
    for period in task.periods.all():
        report = reports.get(period.pk)
        submitted = timezone.localdate(report.submitted_at) if report and report.submitted_at and \
            report.state != ProgressReport.State.DRAFT else None
        returns = tuple(timezone.localdate(rev.at) for rev in (report.revisions.all() if report else ())
                        if rev.state == ProgressReport.State.RETURNED)
        states.append(ladder.ReportState(period_key=period.key, due=period.due, submitted_on=submitted,
                                         returned_on=returns))
    return ladder.TaskState(task_id=task.pk, deadline=task.deadline,
                            done=task.status == Task.Status.DONE, suspended=task.status == Task.Status.SUSPENDED,
                            reports=tuple(states))


def ladder_tasks() -> Any:
    """Dispatched, open tasks with what the ladder reads, in a fixed number of queries."""
    return (Task.objects.actionable().exclude(dispatch_state=Task.Dispatch.DRAFT)
            .exclude(status__in=(Task.Status.DONE, Task.Status.SUSPENDED))
            .select_related("source", "leader")
            .prefetch_related(
                Prefetch("task_units", queryset=TaskUnit.objects.select_related("unit").order_by("order")),
                "periods",
                Prefetch("reports", queryset=ProgressReport.objects.prefetch_related(
                    Prefetch("revisions", queryset=ReportRevision.objects.order_by("at"))))))


def next_number(prefix: str, year: int) -> int:
    """The next letter number for prefix and year: an atomic increment, safe with several workers."""
    LetterCounter.objects.get_or_create(prefix=prefix, year=year)
    LetterCounter.objects.filter(prefix=prefix, year=year).update(value=F("value") + 1)
    return LetterCounter.objects.get(prefix=prefix, year=year).value


def _template(kind: str, level: str) -> tuple[str, str]:
    key = level or kind
    row = LetterTemplate.objects.filter(kind=key).first()
    return (row.title, row.body) if row else DEFAULT_TEMPLATES[key]


def _addressees(task: Task, role: str) -> list[Any]:
    if role == Role.LEADER and task.leader_id:
        return [task.leader]
    lead = [u.pk for u in task.lead_units[:1]]
    people = unit_people(lead, role) if role != Role.LEADER else []
    return people or unit_people(lead, Role.LIAISON)


def issue(task: Task, event: ladder.Event, today: dt.date, office: Office) -> Letter | None:
    """Create the letter for ``event`` unless it exists already (then None)."""
    if Letter.objects.filter(event_key=event.key).exists():
        return None
    unit = task.lead_units[0]
    prefix = office.letter_prefix + ladder.LETTER_PREFIXES[event.kind]
    title_t, body_t = _template(event.kind, event.level or "")
    context = Context({"task": task, "unit": unit.display_name, "leader": task.leader, "reason": event.reason,
                       "office": office.name, "issued_on": chinese_date(today)})
    try:
        with transaction.atomic():
            seq = next_number(prefix, today.year)
            letter = Letter.objects.create(
                task=task, unit=unit, event_key=event.key, period_key=event.period_key, kind=event.kind,
                level=event.level or "", prefix=prefix, year=today.year, seq=seq,
                number=ladder.letter_number(prefix, today.year, seq), addressee_role=event.addressee,
                title=Template(title_t).render(context)[:200], body=Template(body_t).render(context),
                reason=event.reason[:300], issued_on=today,
            )
            people = _addressees(task, event.addressee)
            letter.addressees.set(people)
            audit.record(None, Action.LETTER_ISSUE, letter, summary=f"{letter.number} {letter.title}",
                         after={"task": task.pk, "key": event.key, "to": [p.pk for p in people]})
            notify(people, kind="letter", title=f"{letter.number} {letter.title}", body=letter.reason,
                   link=f"/letters/{letter.pk}/", obj=letter, key=f"letter:{letter.pk}")
    except IntegrityError:
        logger.info("letter for %s issued by another worker", event.key)
        return None
    return letter


def run_ladder(today: dt.date | None = None, since: dt.date | None = None,
               calendar: WorkCalendar | None = None, task_ids: list[int] | None = None) -> list[Letter]:
    """Issue every letter due in (since, today], for all open tasks or the given ones; running it again
    issues nothing new."""
    today = today or timezone.localdate()
    calendar = calendar or work_calendar()
    rules = {r.source_kind: r for r in EscalationRule.objects.filter(active=True)}
    tasks = ladder_tasks() if task_ids is None else ladder_tasks().filter(pk__in=task_ids)
    issued, office = [], current_office()
    for task in tasks.iterator(chunk_size=500):
        if not task.lead_units:
            continue
        rule = ladder_rule(rules, task.source.kind if task.source else "")
        for event in ladder.due_events(task_state(task), rule, today, since, calendar):
            if letter := issue(task, event, today, office):
                issued.append(letter)
    return issued


@transaction.atomic
def acknowledge_letter(actor: Any, letter: Letter, response: str = "") -> Letter:
    if not Letter.objects.filter(pk=letter.pk, acknowledged_at__isnull=True).update(
            acknowledged_at=timezone.now(), acknowledged_by=actor, response=response):
        raise ActionRefused(_("This letter has already been acknowledged."))
    letter.refresh_from_db()
    audit.record(actor, Action.LETTER_ACKNOWLEDGE, letter, summary=letter.number, after={"response": response})
    return letter
