"""Who may see and change tasks and progress reports. Supervisors and admins see and manage everything; leaders
read everything and may comment; liaisons and unit heads see and edit only tasks where their unit is a lead or
supporting unit, and only their own unit's reports."""
from __future__ import annotations

from typing import TYPE_CHECKING

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.http import Http404

from duban.people.access import is_manager, reads_all, scoped
from duban.tasks.models import Task, TaskUnit
from duban.tasks.reporting.models import ProgressReport

if TYPE_CHECKING:
    from duban.people.models import User

# Fields unit staff may change on their own tasks; everything else is the supervisor's.
UNIT_EDITABLE_FIELDS = ("owner",)
MANAGER_EDITABLE_FIELDS = ("text", "owner", "deadline", "start_date", "cadence", "report_due_day", "priority",
                           "area", "leader", "ongoing")


def visible_tasks(user: User, qs: QuerySet[Task] | None = None) -> QuerySet[Task]:
    return scoped(user, Task.objects.all() if qs is None else qs,
                  lambda unit: Q(Exists(TaskUnit.objects.filter(task=OuterRef("pk"), unit_id=unit))))


def visible_reports(user: User, qs: QuerySet[ProgressReport] | None = None) -> QuerySet[ProgressReport]:
    return scoped(user, ProgressReport.objects.all() if qs is None else qs, lambda unit: Q(unit_id=unit))


def task_for(user: User, pk: int, qs: QuerySet[Task] | None = None) -> Task:
    """The task if ``user`` may see it; 404 otherwise, so other units' task ids reveal nothing."""
    try:
        return visible_tasks(user, qs).get(pk=pk)
    except Task.DoesNotExist:
        raise Http404 from None


def editable_task_fields(user: User, task: Task) -> tuple[str, ...]:
    """The task fields ``user`` may change (empty: read only)."""
    if is_manager(user):
        return MANAGER_EDITABLE_FIELDS
    if user.is_unit_staff and user.unit_id and any(tu.unit_id == user.unit_id for tu in task.task_units.all()):
        return UNIT_EDITABLE_FIELDS
    return ()


def can_comment(user: User, task: Task) -> bool:
    """Anyone who can see a task may comment; a leader's comment counts as an instruction."""
    return reads_all(user) or bool(editable_task_fields(user, task))


def unit_part(user: User, task: Task) -> str | None:
    """'lead' or 'support' when the user works for a unit on the task (task_units prefetched), else None."""
    if not (user.is_authenticated and user.is_unit_staff and user.unit_id):
        return None
    for tu in task.task_units.all():
        if tu.unit_id == user.unit_id:
            return tu.role
    return None
