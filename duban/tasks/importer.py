"""Turn a parsed document (``duban.ingest`` output) into a source document and its task tree.

Everything is written in one transaction through the services, so the activity log shows the import and a
failure leaves nothing behind. Tasks are keyed by their numbers along the tree (``("四", "二", "39")``): importing
a revised version of a document updates the tasks it already created instead of adding them twice, and
importing the very same file again changes nothing.
"""
from __future__ import annotations

import datetime as dt
import hashlib
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.core.files.base import ContentFile
from django.db import transaction

from duban.tasks import services
from duban.tasks.models import SourceDocument, Task
from duban.tasks.reporting.models import ProgressReport
from duban.tasks.reporting.services import record_report
from duban.units.models import Unit
from duban.units.services import resolve_or_create

STATUS_FROM_INGEST = {
    "done": Task.Status.DONE,
    "in_progress": Task.Status.ON_SCHEDULE,
    "behind": Task.Status.BEHIND,
    "not_started": Task.Status.NOT_STARTED,
    # Duban's own words (超序时, 逾期, 暂缓) in a 台账 it exported, so the ledger imports back unchanged
    "ahead": Task.Status.AHEAD,
    "overdue": Task.Status.OVERDUE,
    "suspended": Task.Status.SUSPENDED,
    None: Task.Status.NOT_STARTED,
}
SOURCE_KINDS = {choice.value for choice in SourceDocument.Kind}
Key = tuple[str, ...]


def _date(value: str | None) -> dt.date | None:
    return dt.date.fromisoformat(value) if value else None


def _sections(item: dict[str, Any]) -> list[dict[str, str]]:
    return item.get("sections") or [{"number": n, "title": ""} for n in item["path"][:-1]]


def task_fields(item: dict[str, Any]) -> dict[str, Any]:
    """The task fields an imported item sets (units, indicators and reports are handled apart)."""
    return {
        "number": item.get("number") or "",
        "heading": (item.get("heading") or "")[:300],
        "text": item["text"],
        "owner": (item.get("owner") or "")[:100],
        "deadline": _date(item.get("deadline")),
        "deadline_text": (item.get("deadline_text") or "")[:100],
        "status": STATUS_FROM_INGEST.get(item.get("status"), Task.Status.NOT_STARTED),
        "ongoing": bool(item.get("ongoing")),
    }


def leaders_by_name() -> dict[str, Any]:
    """Leader accounts by every name a document may write them under (as the ledger writes them: the display
    name, else the full name, else the username)."""
    from duban.people.models import Role, User

    return {name: user for user in User.objects.filter(role=Role.LEADER, is_active=True).order_by("pk")
            for name in (user.username, user.get_full_name(), user.display_name) if name}


def leader_of(item: dict[str, Any], leaders: dict[str, Any]) -> Any:
    """The account of the first 责任领导 the item names that has one; None when none has (nothing is changed
    then: a document without the column, or with names the office has no account for, clears no leader)."""
    for name in re.split(r"[、,，;；\s]+", item.get("leader") or ""):
        if name in leaders:
            return leaders[name]
    return None


@dataclass
class Change:
    """How one proposed task compares with what an earlier import created."""

    key: Key
    state: str  # "new", "changed", "unchanged"
    fields: list[str] = field(default_factory=list)
    task: Task | None = None


def existing_tasks(source: SourceDocument) -> dict[Key, Task]:
    """Every node of a source's tree keyed by the numbers along its path, in two queries."""
    nodes = list(source.tasks.with_units().order_by("path"))
    by_path = {t.path: t for t in nodes}
    keyed = {}
    for node in nodes:
        numbers = [by_path[p].number for p in node.ancestor_paths if p in by_path]
        keyed[(*numbers, node.number)] = node
    return keyed


def compare(items: list[dict[str, Any]], previous: SourceDocument | None,
            resolve: Callable[[str], list[Unit | None]],
            leaders: dict[str, Any] | None = None) -> tuple[list[Change], list[Task]]:
    """Which proposed tasks are new or changed against ``previous``, and which of its tasks are gone.
    ``resolve`` gives the units a name stands for (None for one not in the directory yet); ``leaders`` the
    leader accounts by name (leaders_by_name)."""
    existing = existing_tasks(previous) if previous else {}
    leaders = leaders_by_name() if leaders is None else leaders
    changes = []
    for item in items:
        key = tuple(item["path"])
        task = existing.get(key)
        if task is None or task.is_heading:
            changes.append(Change(key, "new"))
            continue
        wanted = task_fields(item)
        differ = [name for name, value in wanted.items() if getattr(task, name) != value]
        leader = leader_of(item, leaders)
        if leader is not None and leader.pk != task.leader_id:
            differ.append("leader")

        def ids(names: list[str]) -> list[int | None]:
            return [u.pk if u else None for name in names for u in resolve(name)]

        if ids(item.get("lead_units", [])) != [u.pk for u in task.lead_units] or \
                ids(item.get("support_units", [])) != [u.pk for u in task.support_units]:
            differ.append("units")
        changes.append(Change(key, "changed" if differ else "unchanged", differ, task))
    seen = {c.key for c in changes}
    removed = [t for k, t in existing.items() if k not in seen and not t.is_heading]
    return changes, removed


@dataclass
class ImportResult:
    source: SourceDocument
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    missing: int = 0


@transaction.atomic
def import_document(
    actor: Any,
    parsed: dict[str, Any],
    *,
    data: bytes,
    filename: str,
    text: str = "",
    title: str = "",
    previous: SourceDocument | None = None,
    fields_for: Callable[[list[dict[str, str]]], dict[str, Any]] | None = None,
    units_for: Callable[[str], list[Unit]] | None = None,
) -> ImportResult:
    """Import ``parsed`` (a ``ParsedDocument.to_dict()``), as a new source or as a revision of ``previous``.

    ``fields_for`` may give extra task fields (area, leader …) from a task's section headings; by default the
    area is the title of the task's top section. ``units_for`` turns a unit name as written into units (by
    default: the unit of that name or alias, created when unknown).
    """
    units_for = units_for or (lambda name: [resolve_or_create(actor, name)])
    digest = hashlib.sha256(data).hexdigest()
    same = SourceDocument.objects.filter(sha256=digest).first()
    if same:
        return ImportResult(same, unchanged=same.tasks.actionable().count())
    fields = {
        "kind": parsed.get("kind") if parsed.get("kind") in SOURCE_KINDS else SourceDocument.Kind.OTHER,
        "title": (title or parsed.get("title") or filename)[:300],
        "issuer": (parsed.get("issuer") or "")[:200],
        "date": _date(parsed.get("date")),
        "text": text,
        "sha256": digest,
    }
    if previous is None:
        source = services.create_source_document(actor, file=ContentFile(data, name=filename), **fields)
    else:
        source = services.revise_source_document(actor, previous, file=ContentFile(data, name=filename), **fields)
    result = ImportResult(source)
    leaders = leaders_by_name()
    changes, removed = compare(parsed["tasks"], previous, units_for, leaders)
    headings = {k: t for k, t in existing_tasks(source).items() if t.is_heading} if previous else {}
    for position, (item, change) in enumerate(zip(parsed["tasks"], changes), start=1):
        lead = [unit for name in item.get("lead_units", []) for unit in units_for(name)]
        support = [unit for name in item.get("support_units", []) for unit in units_for(name)]
        if change.state == "unchanged":
            result.unchanged += 1
        elif change.state == "changed":
            task = change.task
            updates = {name: value for name, value in task_fields(item).items() if name in change.fields}
            if "leader" in change.fields:
                updates["leader"] = leader_of(item, leaders)
            if updates:
                services.update_task(actor, task, version=task.version, **updates)
            if "units" in change.fields:
                services.set_task_units(actor, task, lead, support)
            result.updated += 1
        else:
            _create(actor, source, item, position, lead, support, headings, fields_for, leader_of(item, leaders))
            result.created += 1
    result.missing = len(removed)
    return result


def _create(actor: Any, source: SourceDocument, item: dict[str, Any], position: int, lead: list[Unit],
            support: list[Unit], headings: dict[Key, Task],
            fields_for: Callable[[list[dict[str, str]]], dict[str, Any]] | None, leader: Any) -> Task:
    sections = _sections(item)
    parent = _heading_chain(actor, source, sections, headings)
    extra = fields_for(sections) if fields_for else {"area": sections[0]["title"][:100] if sections else ""}
    if leader is not None:  # the document's own 责任领导 column wins over one inferred from its sections
        extra = {**extra, "leader": leader}
    task = services.create_task(
        actor, parent=parent,
        kind=Task.Kind.SUBTASK if parent and parent.kind in (Task.Kind.TASK, Task.Kind.SUBTASK) else Task.Kind.TASK,
        source=source, source_location=str(position), lead_units=lead, support_units=support,
        **task_fields(item), **extra,
    )
    for ind in item.get("indicators", []):
        services.add_indicator(actor, task, name=ind["name"][:200], target=Decimal(str(ind["target"])),
                               unit_of_measure=ind.get("unit", "")[:30], direction=ind.get("op", ">="),
                               text=ind.get("text", "")[:300])
    if item.get("progress") and lead and source.date:
        record_report(actor, task, lead[0], period_start=source.date.replace(month=1, day=1),
                      period_end=source.date, state=ProgressReport.State.ACCEPTED, progress=item["progress"],
                      status_text=item.get("status_text") or "")
    return task


def _heading_chain(actor: Any, source: SourceDocument, sections: list[dict[str, str]],
                   made: dict[Key, Task]) -> Task | None:
    """The section node for ``sections``, creating missing levels once per import."""
    parent = None
    for depth in range(len(sections)):
        key = tuple(s["number"] for s in sections[: depth + 1])
        if key not in made:
            section = sections[depth]
            made[key] = services.create_task(
                actor, parent=parent, kind=Task.Kind.SECTION if depth == 0 else Task.Kind.SUBSECTION,
                number=section["number"], heading=section.get("title", "")[:300], source=source,
            )
        parent = made[key]
    return parent



