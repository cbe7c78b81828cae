"""The task's way through the office: dispatch (交办), acknowledgement (签收) or a request to reassign, and the
units' requests for an extension (延期) or closure (办结 → 销号), each decided by a supervisor. Steps move only
from the state they expect (conditional UPDATE), so two people acting at once cannot both succeed."""
from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from duban.core import audit
from duban.core.actions import Action
from duban.core.errors import ActionRefused
from duban.core.workdays import work_calendar
from duban.notify.services import notify
from duban.people.directory import supervisors, unit_people
from duban.tasks import services
from duban.tasks.models import Task, TaskRequest
from duban.tasks.reporting.services import ensure_periods
from duban.tasks.status import log_change, recompute_one
from duban.units.models import Unit

ACK_WORKDAYS = getattr(settings, "DUBAN_ACK_WORKDAYS", 3)


def _move(task: Task, allowed: Iterable[str], **changes: Any) -> bool:
    moved = Task.objects.filter(pk=task.pk, dispatch_state__in=list(allowed)).update(
        version=F("version") + 1, **changes)
    task.refresh_from_db()
    return bool(moved)


def _lead_ids(task: Task) -> list[int]:
    return [u.pk for u in task.lead_units]


@transaction.atomic
def dispatch(actor: Any, tasks: Iterable[Task], *, at: dt.datetime | None = None) -> int:
    """Send tasks to their lead units; each must be acknowledged within ACK_WORKDAYS working days."""
    at = at or timezone.now()
    today = timezone.localdate(at)
    calendar = work_calendar()
    ack_due = calendar.add_workdays(today, ACK_WORKDAYS)
    count = 0
    for task in tasks:
        if not task.lead_units:
            raise ActionRefused(_("Task %(number)s has no lead unit; set one before dispatching.")
                                % {"number": task.number})
        if not _move(task, (Task.Dispatch.DRAFT,), dispatch_state=Task.Dispatch.DISPATCHED,
                     dispatched_at=at, ack_due=ack_due):
            continue
        ensure_periods(task, today, calendar)
        audit.record(actor, Action.TASK_DISPATCH, task, summary=str(task), after={"ack_due": ack_due})
        notify(unit_people(_lead_ids(task)), kind="dispatched",
               title=_("New task to acknowledge: %(task)s") % {"task": str(task)[:40]},
               body=_("Please acknowledge by %(date)s.") % {"date": f"{ack_due:%Y-%m-%d}"},
               link=f"/tasks/{task.pk}/", obj=task, key=f"dispatch:{task.pk}:{task.version}")
        count += 1
    return count


@transaction.atomic
def change_units(actor: Any, task: Task, lead_units: list[Unit], support_units: list[Unit]) -> None:
    """Set the task's units. Once dispatched, a new lead unit must acknowledge it (the task waits for 签收
    again) and inherits the open reporting periods, and a unit taken off the lead is told."""
    old_lead = _lead_ids(task)
    services.set_task_units(actor, task, lead_units, support_units)
    task = Task.objects.with_units().get(pk=task.pk)
    added = [pk for pk in _lead_ids(task) if pk not in old_lead]
    removed = [pk for pk in old_lead if pk not in _lead_ids(task)]
    if task.dispatch_state == Task.Dispatch.DRAFT or not (added or removed):
        return
    if added:
        ack_due = work_calendar().add_workdays(timezone.localdate(), ACK_WORKDAYS)
        _move(task, (Task.Dispatch.DISPATCHED, Task.Dispatch.ACKNOWLEDGED, Task.Dispatch.REASSIGN),
              dispatch_state=Task.Dispatch.DISPATCHED, ack_due=ack_due, acknowledged_at=None,
              acknowledged_by=None)
        notify(unit_people(added), kind="dispatched",
               title=_("New task to acknowledge: %(task)s") % {"task": str(task)[:40]},
               body=_("Your unit now leads this task. Please acknowledge by %(date)s.") % {
                   "date": f"{ack_due:%Y-%m-%d}"},
               link=f"/tasks/{task.pk}/", obj=task, key=f"lead:{task.pk}:{task.version}")
    if removed:
        notify(unit_people(removed), kind="other",
               title=_("No longer your unit's lead: %(task)s") % {"task": str(task)[:40]},
               body=_("The office changed the lead unit to %(units)s.") % {
                   "units": "、".join(u.display_name for u in task.lead_units)},
               link="", obj=task, key=f"unlead:{task.pk}:{task.version}")


@transaction.atomic
def acknowledge(actor: Any, task: Task, *, at: dt.datetime | None = None) -> None:
    if actor.unit_id not in _lead_ids(task):
        raise ActionRefused(_("Only the lead unit acknowledges a task."))
    if not _move(task, (Task.Dispatch.DISPATCHED,), dispatch_state=Task.Dispatch.ACKNOWLEDGED,
                 acknowledged_at=at or timezone.now(), acknowledged_by=actor):
        raise ActionRefused(_("This task is not waiting for acknowledgement."))
    audit.record(actor, Action.TASK_ACKNOWLEDGE, task, summary=str(task))


@transaction.atomic
def request(actor: Any, task: Task, kind: str, *, reason: str, new_deadline: dt.date | None = None,
            evidence: Any = None) -> TaskRequest:
    """A unit asks to hand the task back (reassign), for more time (extension) or to close it (completion)."""
    if actor.unit_id not in [tu.unit_id for tu in task.task_units.all()]:
        raise ActionRefused(_("Your unit has no part in this task."))
    if not reason.strip():
        raise ActionRefused(_("Give a reason."))
    if kind == TaskRequest.Kind.EXTENSION and (not new_deadline or (task.deadline and new_deadline <= task.deadline)):
        raise ActionRefused(_("An extension needs a new deadline later than the current one."))
    if kind == TaskRequest.Kind.REASSIGN and not _move(
            task, (Task.Dispatch.DISPATCHED, Task.Dispatch.ACKNOWLEDGED), dispatch_state=Task.Dispatch.REASSIGN):
        raise ActionRefused(_("This task cannot be handed back now."))
    try:
        with transaction.atomic():
            req = TaskRequest.objects.create(task=task, kind=kind, unit=actor.unit, requested_by=actor,
                                             reason=reason, new_deadline=new_deadline, evidence=evidence or "")
    except IntegrityError:
        raise ActionRefused(_("A request of this kind is already waiting for a decision.")) from None
    audit.record(actor, Action(f"request.{kind}"), req, summary=reason[:200],
                 after={"task": task.pk, "reason": reason, "new_deadline": new_deadline})
    notify(supervisors(), kind="other", title=_("%(kind)s requested: %(task)s") % {
        "kind": req.get_kind_display(), "task": str(task)[:40]}, body=reason, link="/review/", obj=req,
        key=f"request:{req.pk}")
    return req


@transaction.atomic
def decide(actor: Any, req: TaskRequest, *, approve: bool, note: str = "", new_unit: Unit | None = None) -> None:
    """The supervisor's decision. Approving a reassignment needs the unit that takes the task over."""
    task = req.task
    if approve and req.kind == TaskRequest.Kind.REASSIGN and new_unit is None:
        raise ActionRefused(_("Choose the unit that takes the task over."))
    state = TaskRequest.State.APPROVED if approve else TaskRequest.State.REJECTED
    if not TaskRequest.objects.filter(pk=req.pk, state=TaskRequest.State.PENDING).update(
            state=state, decided_by=actor, decided_at=timezone.now(), decision_note=note):
        raise ActionRefused(_("This request has already been decided."))
    req.refresh_from_db()
    audit.record(actor, Action(f"request.{state}"), req, summary=note[:200], after={"state": state, "note": note})
    if req.kind == TaskRequest.Kind.REASSIGN:
        if approve:
            lead = [new_unit if u.pk == req.unit_id else u for u in task.lead_units]
            support = [u for u in task.support_units if u.pk != new_unit.pk]
            services.set_task_units(actor, task, lead, support)
        _move(task, (Task.Dispatch.REASSIGN,), dispatch_state=Task.Dispatch.DISPATCHED,
              ack_due=work_calendar().add_workdays(timezone.localdate(), ACK_WORKDAYS))
    elif req.kind == TaskRequest.Kind.EXTENSION and approve:
        services.update_task(actor, task, version=task.version, deadline=req.new_deadline)
    elif req.kind == TaskRequest.Kind.COMPLETION and approve:
        Task.objects.filter(pk=task.pk).update(status=Task.Status.DONE, closed_at=timezone.now(),
                                               version=F("version") + 1)
        log_change(actor, Action.TASK_CLOSE, task, task.status, Task.Status.DONE, reason=str(task))
    recompute_one(task, actor=actor)
    notify([req.requested_by], kind="other", title=_("%(kind)s %(decision)s: %(task)s") % {
        "kind": req.get_kind_display(), "decision": req.get_state_display(), "task": str(task)[:40]},
        body=note, link=f"/tasks/{task.pk}/", obj=req, key=f"decision:{req.pk}")


@transaction.atomic
def reopen(actor: Any, task: Task, *, reason: str) -> None:
    """Take a closed task back into the active ledger (logged with the reason)."""
    if not Task.objects.filter(pk=task.pk, status=Task.Status.DONE).update(
            status=Task.Status.ON_SCHEDULE, ongoing=False, closed_at=None, version=F("version") + 1):
        raise ActionRefused(_("Only a finished task can be reopened."))
    log_change(actor, Action.TASK_REOPEN, task, Task.Status.DONE, Task.Status.ON_SCHEDULE, reason=reason,
               extra={"reason": reason})
    recompute_one(task, actor=actor)


@transaction.atomic
def set_suspended(actor: Any, task: Task, suspended: bool, *, reason: str) -> None:
    """暂缓: a suspended task gets no reminders and no status changes until resumed."""
    new = Task.Status.SUSPENDED if suspended else Task.Status.ON_SCHEDULE
    old = Task.objects.filter(pk=task.pk).values_list("status", flat=True).first()
    Task.objects.filter(pk=task.pk).update(status=new, version=F("version") + 1)
    log_change(actor, Action.TASK_SUSPEND if suspended else Action.TASK_RESUME, task, old, new, reason=reason)
    if not suspended:
        recompute_one(task, actor=actor)
