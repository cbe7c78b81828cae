"""The only writers of the documents app: compiling a briefing, and logging each generated document."""
from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from django.db import transaction
from django.db.models import Model

from duban.core import audit
from duban.core.actions import Action
from duban.documents.builders import briefing_items
from duban.documents.defaults import DEFAULT_TEMPLATES
from duban.documents.models import Briefing, DocumentTemplate
from duban.letters.services import next_number
from duban.tasks.models import Task

# Documents without a row of their own are logged against their kind's template row.
LOGGED_AGAINST = {"letters": "letter", "ledger": "report"}
BRIEFING_COUNTER = "简报"  # a LetterCounter prefix of its own: issue numbers restart each year


def template_row(kind: str) -> DocumentTemplate:
    """The office's template row for ``kind``, created from the defaults when the office deleted it."""
    row = DocumentTemplate.objects.filter(kind=kind).first()
    return row or DocumentTemplate.objects.create(kind=kind, **DEFAULT_TEMPLATES[kind])


def record_generated(actor: Any, kind: str, *, as_of: dt.date, fmt: str, obj: Model | None = None,
                     detail: dict[str, Any] | None = None) -> None:
    """Log who produced which document as of when (the audit trail covers what left the office)."""
    with transaction.atomic():
        target = obj if obj is not None else template_row(LOGGED_AGAINST.get(kind, kind))
        audit.record(actor, Action.DOCUMENT_GENERATE, target, summary=f"{kind} {as_of.isoformat()} .{fmt}",
                     after={"kind": kind, "as_of": as_of, "format": fmt, **(detail or {})})


def create_briefing(actor: Any, *, tasks: Sequence[Task] | Any, lead: str = "", title: str = "",
                    issued_on: dt.date, as_of: dt.date | None = None, column: str = "",
                    article: dict[str, str] | None = None) -> Briefing:
    """Compile a briefing under the next issue number of the year, allocated atomically: first an article the
    office wrote (``article``: column, headline, unit, text; as seeds 000 and 003 print them), then the chosen
    tasks with their latest accepted progress copied in, under ``column``."""
    ids = [t.pk for t in tasks]
    items = [{key: article.get(key, "").strip() for key in ("column", "headline", "unit", "text")}] if article else []
    items += briefing_items(Task.objects.filter(pk__in=ids), as_of or issued_on, column.strip()[:20])
    with transaction.atomic():
        seq = next_number(BRIEFING_COUNTER, issued_on.year)
        briefing = Briefing.objects.create(year=issued_on.year, seq=seq, title=title.strip()[:200],
                                           lead=lead.strip(), items=items, issued_on=issued_on, created_by=actor)
        audit.record(actor, Action.BRIEFING_CREATE, briefing, summary=str(briefing),
                     after={"tasks": ids, "title": briefing.title})
    return briefing
