"""Bulk actions on the task list (批量操作): set the lead or supporting units, the leader, deadline, cadence or area
of many tasks at once, dispatch them, or delete undispatched drafts.

Two steps, as the office works: :func:`make_plan` says what would change and which tasks are skipped and why
(the confirmation page, the API's answer); :func:`apply` re-reads the tasks under lock, refuses the whole batch
if any of them moved on since the plan was shown (their ``version``), re-plans on the fresh rows and writes it
in one transaction. Writes are set-based (one UPDATE, DELETE or bulk INSERT per kind of change), so the number
of queries does not grow with the number of tasks, except the activity log: one entry per task and kind of
change, through :func:`duban.core.audit.record` (its hash chain appends one entry at a time).
"""
from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.db.models import F
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from duban.core import audit
from duban.core.actions import Action
from duban.core.errors import ActionRefused
from duban.core.workdays import work_calendar
from duban.notify.services import notify
from duban.people.directory import find_leader, unit_people
from duban.people.models import User
from duban.tasks import workflow
from duban.tasks.access import visible_tasks
from duban.tasks.filters import TaskFilter
from duban.tasks.models import Task, TaskUnit
from duban.tasks.reporting.services import ensure_periods_for
from duban.tasks.services import SCHEDULE_FIELDS
from duban.tasks.status import recompute, with_status_facts
from duban.units.models import Unit
from duban.units.services import resolve_units

MAX_TASKS = 2000  # one batch holds the activity log's lock until it commits: keep it to a couple of seconds
FIELDS = ("leader", "deadline", "cadence", "area")  # plain task fields a bulk action sets to one value
UNIT_KEYS = ("lead_units", "support_units")
AREA_MAX = Task._meta.get_field("area").max_length


class StaleSelection(ActionRefused):
    """Some selected tasks changed (or went) since the confirmation page was shown."""

    def __init__(self, count: int) -> None:
        super().__init__(ngettext(
            "%(n)d task was changed by someone else while you were confirming; please select again.",
            "%(n)d tasks were changed by someone else while you were confirming; please select again.",
            count) % {"n": count})
        self.count = count


@dataclass
class Change:
    """What a bulk action does: ``values`` holds the keys of FIELDS and UNIT_KEYS it sets (lead units replace
    the task's, in order, the first one summarising; supporting units are added), then ``dispatch``; or
    ``delete`` alone."""

    values: dict[str, Any] = field(default_factory=dict)
    dispatch: bool = False
    delete: bool = False

    def data(self) -> dict[str, Any]:
        """JSON-ready, for a signed confirmation token: units and the leader as ids, the date as ISO."""
        values = {k: [u.pk for u in v] if k in UNIT_KEYS else _plain(v) for k, v in self.values.items()}
        return {"values": values, "dispatch": self.dispatch, "delete": self.delete}

    @classmethod
    def from_data(cls, data: Mapping[str, Any]) -> Change:
        """Back from :meth:`data`, checked again (a unit may have been deactivated since)."""
        values = dict(data.get("values") or {})
        return build_change(dispatch=bool(data.get("dispatch")), delete=bool(data.get("delete")), **values)


def _plain(value: Any) -> Any:
    if isinstance(value, User):
        return value.pk
    if isinstance(value, dt.date):
        return value.isoformat()
    return value


_UNSET: Any = object()


def build_change(*, lead_units: Sequence[Any] | str | None = None, support_units: Sequence[Any] | str | None = None,
                 leader: Any = _UNSET, deadline: Any = _UNSET, cadence: str | None = None, area: str | None = None,
                 dispatch: bool = False, delete: bool = False) -> Change:
    """Check and resolve what the user asked for (names or ids of units, a leader's username or id, an ISO date,
    a cadence code); ActionRefused with the reason otherwise. ``leader``/``deadline`` None clears them."""
    values: dict[str, Any] = {}
    for key, given in (("lead_units", lead_units), ("support_units", support_units)):
        if given is not None:
            units = resolve_units(given)
            if not units:
                raise ActionRefused(_("Choose at least one unit."))
            values[key] = units
    if leader is not _UNSET:
        values["leader"] = find_leader(leader)
    if deadline is not _UNSET:
        values["deadline"] = None if deadline in (None, "") else _date(deadline)
    if cadence is not None:
        if cadence not in Task.Cadence.values:
            raise ActionRefused(_("Unknown reporting cadence: %(value)s. Use one of: %(choices)s.") % {
                "value": cadence, "choices": ", ".join(v for v in Task.Cadence.values if v)})
        values["cadence"] = cadence
    if area is not None:
        area = str(area).strip()
        if len(area) > AREA_MAX:
            raise ActionRefused(_("The area of work is at most %(n)d characters.") % {"n": AREA_MAX})
        values["area"] = area
    if delete and (values or dispatch):
        raise ActionRefused(_("Deleting cannot be combined with other changes."))
    if not (values or dispatch or delete):
        raise ActionRefused(_("Say what to change."))
    return Change(values, dispatch=dispatch, delete=delete)


def _date(given: Any) -> dt.date:
    if isinstance(given, dt.date):
        return given
    try:
        return dt.date.fromisoformat(str(given).strip())
    except ValueError:
        raise ActionRefused(_("Not a date: %(value)s (write it as 2026-12-31).") % {"value": given}) from None


# ---------------------------------------------------------------------------------------------- selection

def select_ids(actor: Any, *, ids: Iterable[int] | None = None, params: Mapping[str, str] | None = None) -> list[int]:
    """The ids of the tasks chosen on the list (those ``actor`` may see): by id, or all that match the list's
    filters; in list order. At most MAX_TASKS."""
    scope = visible_tasks(actor, Task.objects.actionable())
    if ids is not None:
        qs = scope.filter(pk__in=list(ids)).order_by("path")
    else:
        qs = TaskFilter.from_params(params or {}).apply(scope)
    chosen = list(qs.values_list("pk", flat=True)[:MAX_TASKS + 1])
    if len(chosen) > MAX_TASKS:
        raise ActionRefused(_("At most %(n)d tasks can be changed at once; narrow the selection.")
                            % {"n": MAX_TASKS})
    return chosen


def select(actor: Any, *, ids: Iterable[int] | None = None, params: Mapping[str, str] | None = None) -> list[Task]:
    """As :func:`select_ids`, the tasks loaded for a plan."""
    return load(select_ids(actor, ids=ids, params=params))


def load(ids: Sequence[int]) -> list[Task]:
    """Tasks by id, in the order given, with what a plan reads (units, leader, source)."""
    rows = Task.objects.with_units().select_related("source").in_bulk(list(ids)) if ids else {}
    return [rows[pk] for pk in ids if pk in rows]


# ---------------------------------------------------------------------------------------------- plan

@dataclass
class Row:
    """One task in a plan: the changes shown (label, before, after), or why it is skipped."""

    task: Task
    shown: list[tuple[str, str, str]] = field(default_factory=list)
    reason: str = ""
    before: dict[str, Any] = field(default_factory=dict)  # changed plain fields, as logged
    after: dict[str, Any] = field(default_factory=dict)
    units: tuple[list[Unit], list[Unit]] | None = None  # new (lead, support) when they change
    dispatch: bool = False


@dataclass
class Plan:
    change: Change
    changed: list[Row]
    skipped: list[Row]
    versions: dict[int, int]  # every selected task's version when planned

    def reasons(self) -> list[tuple[str, int]]:
        """Why tasks are skipped, most common first."""
        return Counter(r.reason for r in self.skipped).most_common()


def make_plan(tasks: Sequence[Task], change: Change) -> Plan:
    """What ``change`` would do to each of ``tasks`` (loaded by :func:`load`). Reads nothing else except, for
    deleting, which of the tasks have subtasks."""
    deletable = _deletable(tasks) if change.delete else set()
    changed, skipped = [], []
    for task in tasks:
        row = _row(task, change, deletable)
        (skipped if row.reason else changed).append(row)
    return Plan(change, changed, skipped, {t.pk: t.version for t in tasks})


def _deletable(tasks: Sequence[Task]) -> set[int]:
    """Undispatched drafts whose subtasks (deleted with them) are all selected drafts too. One query."""
    drafts = {t.pk for t in tasks if t.dispatch_state == Task.Dispatch.DRAFT}
    children = defaultdict(set)
    for parent, child in Task.objects.filter(parent_id__in=drafts).values_list("parent_id", "pk"):
        children[parent].add(child)
    while True:
        blocked = {pk for pk in drafts if not children[pk] <= drafts}
        if not blocked:
            return drafts
        drafts -= blocked


def _row(task: Task, change: Change, deletable: set[int]) -> Row:
    row = Row(task)
    is_draft = task.dispatch_state == Task.Dispatch.DRAFT
    if change.delete:
        if not is_draft:
            row.reason = _("Already dispatched; cannot be deleted")
        elif task.pk not in deletable:
            row.reason = _("Has subtasks that are not deleted with it")
        else:
            row.shown.append((_("Task"), task.get_dispatch_state_display(), _("Deleted")))
        return row
    values = change.values
    for name in FIELDS:
        if name in values and _current(task, name) != _plain(values[name]):
            row.before[name], row.after[name] = _current(task, name), _plain(values[name])
            row.shown.append((str(Task._meta.get_field(name).verbose_name), _show(task, name, getattr(task, name)),
                              _show(task, name, values[name])))
    lead, support = list(task.lead_units), list(task.support_units)
    new_lead, new_support = lead, support
    if "lead_units" in values:
        new_lead = list(values["lead_units"])
        new_support = [u for u in support if u not in new_lead]
    if "support_units" in values:
        new_support = new_support + [u for u in values["support_units"] if u not in new_lead and u not in new_support]
    if (new_lead, new_support) != (lead, support):
        row.units = (new_lead, new_support)
        for label, old, new in ((TaskUnit.Role.LEAD.label, lead, new_lead),
                                (TaskUnit.Role.SUPPORT.label, support, new_support)):
            if old != new:
                row.shown.append((str(label), _names(old), _names(new)))
    if change.dispatch and is_draft:
        if not new_lead:
            return Row(task, reason=_("No lead unit yet; cannot be dispatched"))
        row.dispatch = True
        row.shown.append((str(Task._meta.get_field("dispatch_state").verbose_name), task.get_dispatch_state_display(),
                          str(Task.Dispatch.DISPATCHED.label)))
    if not row.shown:
        row.reason = _("Already dispatched") if change.dispatch and not values else _("Already so; nothing to change")
    return row


def _current(task: Task, name: str) -> Any:
    return task.leader_id if name == "leader" else _plain(getattr(task, name))


def _names(units: Sequence[Unit]) -> str:
    return "、".join(u.display_name for u in units) or "—"


def _show(task: Task, name: str, value: Any) -> str:
    if name == "cadence":
        return str(Task.Cadence(value).label) if value in Task.Cadence.values else str(value)
    if name == "deadline" and value:
        return formats.date_format(value)
    return str(value) if value not in (None, "") else "—"


# ---------------------------------------------------------------------------------------------- apply

@transaction.atomic
def apply(actor: Any, change: Change, ids: Sequence[int], *, versions: Mapping[int, int] | None = None,
          planned: Iterable[int] | None = None) -> Plan:
    """Apply ``change`` to the tasks ``ids`` in one transaction. Refused as a whole (StaleSelection) if a task
    is gone, its version differs from ``versions`` (those given), or it would now change where the confirmed
    plan (``planned``: the ids that were to change) said otherwise."""
    versions = versions or {}
    current = dict(Task.objects.select_for_update().filter(pk__in=list(ids)).values_list("pk", "version"))
    stale = [pk for pk in ids if pk not in current or versions.get(pk, current[pk]) != current[pk]]
    if stale:
        raise StaleSelection(len(stale))
    plan = make_plan(load(ids), change)
    if planned is not None:
        moved = set(planned) ^ {r.task.pk for r in plan.changed}
        if moved:
            raise StaleSelection(len(moved))
    if change.delete:
        _delete(actor, plan.changed)
    else:
        _write(actor, plan)
    return plan


def _write(actor: Any, plan: Plan) -> None:
    rows, values = plan.changed, plan.change.values
    if not rows:
        return
    now = timezone.now()
    fields = {k: values[k] for k in FIELDS if k in values}
    if fields:
        Task.objects.filter(pk__in=[r.task.pk for r in rows if r.after]).update(**fields)
        for row in rows:
            if row.after:
                for name, value in fields.items():
                    setattr(row.task, name, value)
                audit.record(actor, Action.TASK_UPDATE, row.task, summary=str(row.task), before=row.before,
                             after=row.after)
    _write_units(actor, [r for r in rows if r.units is not None])
    Task.objects.filter(pk__in=[r.task.pk for r in rows]).update(version=F("version") + 1, updated_at=now)
    _dispatch(actor, [r for r in rows if r.dispatch], now)
    moved = [r.task.pk for r in rows if SCHEDULE_FIELDS & r.after.keys()]
    if moved:  # once, for all of them
        recompute(with_status_facts(Task.objects.filter(pk__in=moved)), actor=actor)


def _write_units(actor: Any, rows: list[Row]) -> None:
    """New units; a dispatched task whose lead unit changes goes the single-task way (the new lead must
    acknowledge it, the old one is told): :func:`duban.tasks.workflow.change_units`."""
    redo = [r for r in rows if r.task.dispatch_state != Task.Dispatch.DRAFT
            and [u.pk for u in r.units[0]] != [u.pk for u in r.task.lead_units]]
    plain = [r for r in rows if r not in redo]
    if plain:
        TaskUnit.objects.filter(task_id__in=[r.task.pk for r in plain]).delete()
        TaskUnit.objects.bulk_create([
            TaskUnit(task=r.task, unit=unit, role=role, order=order)
            for r in plain
            for order, (role, unit) in enumerate([(TaskUnit.Role.LEAD, u) for u in r.units[0]]
                                                 + [(TaskUnit.Role.SUPPORT, u) for u in r.units[1]])])
        for r in plain:
            audit.record(actor, Action.TASK_UNITS, r.task, summary=str(r.task), before={
                "lead_units": [u.pk for u in r.task.lead_units], "support_units": [u.pk for u in r.task.support_units],
            }, after={"lead_units": [u.pk for u in r.units[0]], "support_units": [u.pk for u in r.units[1]]})
    for r in redo:
        workflow.change_units(actor, r.task, r.units[0], r.units[1])


def _dispatch(actor: Any, rows: list[Row], at: dt.datetime) -> None:
    """Dispatch the drafts as :func:`duban.tasks.workflow.dispatch` does, set-based: one UPDATE, their reporting
    periods in one INSERT, one log entry per task, and one message per lead unit for the whole batch."""
    if not rows:
        return
    today = timezone.localdate(at)
    calendar = work_calendar()
    ack_due = calendar.add_workdays(today, workflow.ACK_WORKDAYS)
    Task.objects.filter(pk__in=[r.task.pk for r in rows], dispatch_state=Task.Dispatch.DRAFT).update(
        dispatch_state=Task.Dispatch.DISPATCHED, dispatched_at=at, ack_due=ack_due)
    tasks = [r.task for r in rows]
    for task in tasks:
        task.dispatch_state, task.dispatched_at, task.ack_due = Task.Dispatch.DISPATCHED, at, ack_due
    ensure_periods_for(tasks, today, calendar)
    by_unit: dict[int, list[Task]] = defaultdict(list)
    for row in rows:
        audit.record(actor, Action.TASK_DISPATCH, row.task, summary=str(row.task), after={"ack_due": ack_due})
        lead = row.units[0] if row.units else row.task.lead_units
        for unit in lead:
            by_unit[unit.pk].append(row.task)
    people: dict[int, list[User]] = defaultdict(list)
    for person in unit_people(by_unit):
        people[person.unit_id].append(person)
    for unit_id, mine in by_unit.items():
        if len(mine) == 1:  # as a single dispatch says it
            task = mine[0]
            notify(people[unit_id], kind="dispatched", actor=actor,
                   title=_("New task to acknowledge: %(task)s") % {"task": str(task)[:40]},
                   body=_("Please acknowledge by %(date)s.") % {"date": f"{ack_due:%Y-%m-%d}"},
                   link=f"/tasks/{task.pk}/", obj=task, key=f"dispatch:{task.pk}:{task.version + 1}")
        else:
            notify(people[unit_id], kind="dispatched", actor=actor,
                   title=ngettext("%(n)d new task to acknowledge", "%(n)d new tasks to acknowledge",
                                  len(mine)) % {"n": len(mine)},
                   body=_("Please acknowledge by %(date)s: %(tasks)s") % {
                       "date": f"{ack_due:%Y-%m-%d}", "tasks": "、".join(t.number or str(t.pk) for t in mine[:20])
                       + ("…" if len(mine) > 20 else "")},
                   link="/todo/", key=f"dispatch:bulk:{unit_id}:{at.isoformat()}")


def _delete(actor: Any, rows: list[Row]) -> None:
    for row in rows:
        task = row.task
        audit.record(actor, Action.TASK_DELETE, task, summary=str(task), before={
            **audit.snapshot(task, ("number", "text", "deadline", "dispatch_state")),
            "parent": task.parent_id, "source": task.source_id,
            "lead_units": [u.pk for u in task.lead_units], "support_units": [u.pk for u in task.support_units]})
    Task.objects.filter(pk__in=[r.task.pk for r in rows]).delete()
