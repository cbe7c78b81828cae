"""Turn a parsed document (``duban.ingest`` output) into a source document and its task tree.

Everything is written in one transaction through the services, so the activity log shows the import and a
failure leaves nothing behind. Importing the same file twice returns the first import.
"""
from __future__ import annotations

import datetime as dt
import hashlib
from decimal import Decimal
from typing import Any, Callable

from django.core.files.base import ContentFile
from django.db import transaction

from duban.reporting.models import ProgressReport
from duban.reporting.services import record_report
from duban.tasks import services
from duban.tasks.models import SourceDocument, Task
from duban.units.services import resolve_or_create

STATUS_FROM_INGEST = {
    "done": Task.Status.DONE,
    "in_progress": Task.Status.ON_SCHEDULE,
    "behind": Task.Status.BEHIND,
    "not_started": Task.Status.NOT_STARTED,
    None: Task.Status.NOT_STARTED,
}
SOURCE_KINDS = {choice.value for choice in SourceDocument.Kind}


def _date(value: str | None) -> dt.date | None:
    return dt.date.fromisoformat(value) if value else None


@transaction.atomic
def import_document(
    actor: Any,
    parsed: dict[str, Any],
    *,
    data: bytes,
    filename: str,
    text: str = "",
    title: str = "",
    fields_for: Callable[[list[dict[str, str]]], dict[str, Any]] | None = None,
) -> SourceDocument:
    """Import ``parsed`` (a ``ParsedDocument.to_dict()``).

    ``fields_for`` may give extra task fields (area, leader …) from a task's section headings; by default the
    area is the title of the task's top section.
    """
    digest = hashlib.sha256(data).hexdigest()
    if existing := SourceDocument.objects.filter(sha256=digest).first():
        return existing
    doc_date = _date(parsed.get("date"))
    source = services.create_source_document(
        actor,
        kind=parsed.get("kind") if parsed.get("kind") in SOURCE_KINDS else SourceDocument.Kind.OTHER,
        title=(title or parsed.get("title") or filename)[:300],
        issuer=parsed.get("issuer") or "",
        date=doc_date,
        file=ContentFile(data, name=filename),
        text=text,
        sha256=digest,
    )
    headings: dict[tuple[str, ...], Task] = {}
    for position, item in enumerate(parsed["tasks"], start=1):
        sections = item.get("sections") or [{"number": n, "title": ""} for n in item["path"][:-1]]
        parent = _heading_chain(actor, source, sections, headings)
        task = services.create_task(
            actor,
            parent=parent,
            kind=Task.Kind.SUBTASK if parent and parent.kind == Task.Kind.TASK else Task.Kind.TASK,
            number=item.get("number") or "",
            heading=item.get("heading") or "",
            text=item["text"],
            owner=(item.get("owner") or "")[:100],
            deadline=_date(item.get("deadline")),
            deadline_text=item.get("deadline_text") or "",
            status=STATUS_FROM_INGEST.get(item.get("status"), Task.Status.NOT_STARTED),
            ongoing=bool(item.get("ongoing")),
            **(fields_for(sections) if fields_for else {"area": sections[0]["title"][:100] if sections else ""}),
            source=source,
            source_location=str(position),
            lead_units=[resolve_or_create(actor, name) for name in item.get("lead_units", [])],
            support_units=[resolve_or_create(actor, name) for name in item.get("support_units", [])],
        )
        for ind in item.get("indicators", []):
            services.add_indicator(actor, task, name=ind["name"][:200], target=Decimal(str(ind["target"])),
                                   unit_of_measure=ind.get("unit", "")[:30], direction=ind.get("op", ">="),
                                   text=ind.get("text", "")[:300])
        if item.get("progress") and task.lead_units and doc_date:
            record_report(
                actor, task, task.lead_units[0],
                period_start=doc_date.replace(month=1, day=1), period_end=doc_date,
                state=ProgressReport.State.ACCEPTED, progress=item["progress"],
                status_text=item.get("status_text") or "",
            )
    return source


def _heading_chain(
    actor: Any, source: SourceDocument, sections: list[dict[str, str]], made: dict[tuple[str, ...], Task]
) -> Task | None:
    """The section node for ``sections``, creating missing levels once per import."""
    parent = None
    for depth in range(len(sections)):
        key = tuple(s["number"] for s in sections[: depth + 1])
        if key not in made:
            section = sections[depth]
            made[key] = services.create_task(
                actor, parent=parent, kind=Task.Kind.SECTION if depth == 0 else Task.Kind.SUBSECTION,
                number=section["number"], heading=section.get("title", ""), source=source,
            )
        parent = made[key]
    return parent
