"""The office's edit of a whole task — its fields, units, indicators and milestones — as one write: one
transaction, one version check, one audit entry per kind of change."""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.db.models import Model

from duban.core import audit
from duban.core.actions import Action
from duban.tasks import services, workflow
from duban.tasks.models import Indicator, Milestone, Task
from duban.units.models import Unit

INDICATOR_FIELDS = ("name", "target", "unit_of_measure", "baseline", "direction", "text")
MILESTONE_FIELDS = ("title", "due", "done_on")


@dataclass
class Row:
    """One indicator or milestone as the editor left it: ``pk`` None for a new one."""

    pk: int | None
    values: dict[str, Any] = field(default_factory=dict)
    delete: bool = False


@transaction.atomic
def edit_task(actor: Any, task: Task, *, version: int, fields: dict[str, Any],
              units: tuple[Sequence[Unit], Sequence[Unit]] | None = None,
              indicators: Sequence[Row] | None = None, milestones: Sequence[Row] | None = None) -> Task:
    """Apply the edit, refusing it (StaleEdit) when the task moved on since ``version`` was read. Parts left
    as None are not touched."""
    services.update_task(actor, task, version=version, **fields)  # checks and bumps the version
    if units is not None:
        lead, support = units
        current = ([u.pk for u in task.lead_units], [u.pk for u in task.support_units])
        if current != ([u.pk for u in lead], [u.pk for u in support]):
            workflow.change_units(actor, task, list(lead), list(support))
    if indicators is not None:
        _sync(actor, task, Indicator, INDICATOR_FIELDS, indicators, Action.TASK_INDICATORS)
    if milestones is not None:
        _sync(actor, task, Milestone, MILESTONE_FIELDS, milestones, Action.TASK_MILESTONES)
    task.refresh_from_db()
    return task


def _sync(actor: Any, task: Task, model: type[Model], names: Sequence[str], rows: Sequence[Row],
          action: Action) -> None:
    """Update, add and delete the task's rows of ``model`` in place (ids stay: reports keep indicator actuals
    by id), and log the list before and after when anything changed."""
    existing = {obj.pk: obj for obj in model.objects.filter(task=task)}  # type: ignore[attr-defined]
    before = [audit.snapshot(obj, names) for obj in existing.values()]
    for row in rows:
        obj = existing.get(row.pk) if row.pk else None
        if row.delete:
            if obj is not None:
                obj.delete()
            continue
        if obj is None:
            model.objects.create(task=task, **row.values)  # type: ignore[attr-defined]
        elif any(getattr(obj, k) != v for k, v in row.values.items()):
            for k, v in row.values.items():
                setattr(obj, k, v)
            obj.save()
    after = [audit.snapshot(obj, names) for obj in model.objects.filter(task=task)]  # type: ignore[attr-defined]
    if after != before:
        audit.record(actor, action, task, summary=str(task), before={"rows": before}, after={"rows": after})
