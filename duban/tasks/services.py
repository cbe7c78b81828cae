"""Every change to source documents and tasks goes through here, and each one writes the activity log."""
from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.db import transaction
from django.db.models import F, Max
from django.utils.translation import gettext as _

from duban.core import audit, crypto
from duban.core.actions import Action
from duban.people.models import Role
from duban.tasks.models import PATH_STEP, Comment, Indicator, SourceDocument, Task, TaskUnit
from duban.tasks.status import keep_history, recompute_one
from duban.units.models import Unit

TASK_FIELDS = (
    "kind", "number", "heading", "text", "leader", "owner", "deadline", "deadline_text", "cadence",
    "priority", "area", "tags", "status", "ongoing", "source", "source_location",
)


SOURCE_FIELDS = ("kind", "title", "short_title", "issuer", "date", "sha256")

# Changing one of these can move the task's status, which is then recomputed at once.
SCHEDULE_FIELDS = {"deadline", "start_date", "ongoing"}


class StaleEdit(Exception):
    """Someone else changed the object since the editor loaded it."""

    def __init__(self, current: Task, fields: list[str]) -> None:
        super().__init__(_("This task was changed by someone else while you were editing it."))
        self.current = current
        self.fields = fields  # the fields this edit wanted to change


def _child_path(parent: Task | None) -> tuple[str, int]:
    siblings = Task.objects.filter(parent=parent) if parent else Task.objects.filter(parent__isnull=True)
    last = siblings.aggregate(m=Max("path"))["m"]
    position = int(last.rsplit(".", 1)[-1]) + 1 if last else 1
    own = str(position).zfill(PATH_STEP)
    return (f"{parent.path}.{own}" if parent else own), (parent.depth + 1 if parent else 0)


@transaction.atomic
def create_source_document(actor: Any, **fields: Any) -> SourceDocument:
    doc = SourceDocument.objects.create(**fields)
    audit.record(actor, Action.SOURCE_CREATE, doc, summary=doc.title,
                 after=audit.snapshot(doc, ("kind", "title", "issuer", "date", "sha256")))
    return doc


@transaction.atomic
def revise_source_document(actor: Any, doc: SourceDocument, **fields: Any) -> SourceDocument:
    """Replace a source's file and header with a newer version of the same document, or correct its header."""
    before = audit.snapshot(doc, SOURCE_FIELDS)
    for name, value in fields.items():
        setattr(doc, name, value)
    doc.save()
    old, new = audit.changed(before, audit.snapshot(doc, SOURCE_FIELDS))
    if new:
        audit.record(actor, Action.SOURCE_UPDATE, doc, summary=doc.title, before=old, after=new)
    return doc


@transaction.atomic
def create_task(
    actor: Any,
    *,
    parent: Task | None = None,
    lead_units: Sequence[Unit] = (),
    support_units: Sequence[Unit] = (),
    **fields: Any,
) -> Task:
    path, depth = _child_path(parent)
    task = Task.objects.create(parent=parent, path=path, depth=depth, **fields)
    _set_units(task, lead_units, support_units)
    audit.record(actor, Action.TASK_CREATE, task, summary=str(task), after={
        **audit.snapshot(task, [f for f in TASK_FIELDS if f in fields or f == "kind"]),
        "lead_units": [u.pk for u in lead_units], "support_units": [u.pk for u in support_units],
    })
    return task


@transaction.atomic
def set_task_units(actor: Any, task: Task, lead_units: Sequence[Unit], support_units: Sequence[Unit]) -> None:
    before = {"lead_units": [u.pk for u in task.lead_units], "support_units": [u.pk for u in task.support_units]}
    _set_units(task, lead_units, support_units)
    audit.record(actor, Action.TASK_UNITS, task, summary=str(task), before=before, after={
        "lead_units": [u.pk for u in lead_units], "support_units": [u.pk for u in support_units]})


def _set_units(task: Task, lead_units: Sequence[Unit], support_units: Sequence[Unit]) -> None:
    TaskUnit.objects.filter(task=task).delete()
    rows, seen = [], set()
    for role, units in ((TaskUnit.Role.LEAD, lead_units), (TaskUnit.Role.SUPPORT, support_units)):
        for unit in units:
            if unit.pk not in seen:
                seen.add(unit.pk)
                rows.append(TaskUnit(task=task, unit=unit, role=role, order=len(rows)))
    TaskUnit.objects.bulk_create(rows)


@transaction.atomic
def update_task(actor: Any, task: Task, *, version: int, **fields: Any) -> Task:
    """Change task fields, refusing the write if the task moved on since ``version`` was read.

    The conditional UPDATE on ``version`` makes the check and the write one step, so two editors can never
    both succeed with what they loaded.
    """
    # Read "before" from the row itself: the caller's instance may already hold the new values (a ModelForm
    # writes cleaned data into its instance), and if the row moves on, the conditional UPDATE below fails anyway.
    before = audit.snapshot(Task.objects.get(pk=task.pk), fields)
    updated = Task.objects.filter(pk=task.pk, version=version).update(**fields, version=F("version") + 1)
    if not updated:
        raise StaleEdit(Task.objects.get(pk=task.pk), list(fields))
    task.refresh_from_db()
    old, new = audit.changed(before, audit.snapshot(task, fields))
    if new:
        entry = audit.record(actor, Action.TASK_UPDATE, task, summary=str(task), before=old, after=new)
        if "status" in new:
            keep_history(task, old["status"], new["status"], at=entry.at, reason=str(task))
    if SCHEDULE_FIELDS & new.keys():
        recompute_one(task, actor=actor)
    return task


@transaction.atomic
def add_indicator(actor: Any, task: Task, **fields: Any) -> Indicator:
    indicator = Indicator.objects.create(task=task, **fields)
    audit.record(actor, Action.INDICATOR_CREATE, indicator, summary=str(indicator),
                 after=audit.snapshot(indicator, ("task", *fields)))
    return indicator


@transaction.atomic
def add_comment(actor: Any, task: Task, text: str) -> Comment:
    comment = Comment.objects.create(task=task, author=actor, text=text, is_instruction=actor.role == Role.LEADER)
    # With SM4 keys configured comments are stored encrypted; the append-only log must not keep them in clear.
    secret = crypto.current_key_id() is not None
    audit.record(actor, Action.TASK_COMMENT, task, summary="" if secret else text,
                 after={"comment": comment.pk} if secret else {"comment": comment.pk, "text": text})
    return comment


def ancestor_map(tasks: Sequence[Task]) -> dict[str, Task]:
    """All ancestors of ``tasks`` keyed by path, in one query (for section headings in lists)."""
    paths = {p for t in tasks for p in t.ancestor_paths}
    return {t.path: t for t in Task.objects.filter(path__in=paths)} if paths else {}
