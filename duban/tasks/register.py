"""Registering a matter by hand (立项): a leader's instruction, a meeting's decision, an assignment from above or
an incoming document becomes a source of its own with one task per item, and may be dispatched at once. The
page and the API both come here."""
from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from duban.core import audit
from duban.core.actions import Action
from duban.core.errors import ActionRefused
from duban.core.office import current_office
from duban.core.workdays import work_calendar
from duban.ingest.matters import split_items
from duban.people.models import User
from duban.supervision.dates import chinese_date
from duban.tasks import services, workflow
from duban.tasks.models import SourceDocument, Task
from duban.tasks.status import recompute, with_status_facts
from duban.units.models import Unit

# The kinds of matter registered by hand, as the form offers them.
MATTER_KINDS = (SourceDocument.Kind.LEADER_INSTRUCTION, SourceDocument.Kind.MEETING_DECISION,
                SourceDocument.Kind.SUPERIOR_ASSIGNMENT, SourceDocument.Kind.INCOMING_DOCUMENT,
                SourceDocument.Kind.OTHER)
TEXT_MAX = 2000  # a task's text; longer is a document, not a task
TITLE_MAX = 300


@dataclass(frozen=True)
class Matter:
    kind: str
    text: str  # the task text; numbered items make one task each
    lead_units: Sequence[Unit]
    support_units: Sequence[Unit] = ()
    title: str = ""  # e.g. 王副区长在《…》上的批示; empty: made from the kind and date
    source_text: str = ""  # the 批示 wording or the minutes item
    date: dt.date | None = None  # of the source; default today
    leader: User | None = None
    owner: str = ""
    deadline: dt.date | None = None
    working_days: int | None = None  # instead of a deadline; neither: the office's default for the kind
    urgent: bool = False
    cadence: str = Task.Cadence.ONCE
    area: str = ""
    dispatch: bool = False


def deadline_for(matter: Matter, today: dt.date) -> dt.date:
    if matter.deadline:
        return matter.deadline
    days = matter.working_days or current_office().working_days_for(matter.kind, urgent=matter.urgent)
    return work_calendar().add_workdays(today, days)


def default_title(kind: str, date: dt.date) -> str:
    return f"{SourceDocument.Kind(kind).label}（{chinese_date(date)}）"


@transaction.atomic
def register(actor: Any, matter: Matter, attachment: UploadedFile | None = None) -> list[Task]:
    """Create the source and its tasks (and dispatch them when asked); refuse what can't be a task."""
    if matter.kind not in MATTER_KINDS:
        raise ActionRefused(_("Unknown kind of matter."))
    items = split_items(matter.text)
    if not items:
        raise ActionRefused(_("Enter the task: what is to be done."))
    if any(len(item) > TEXT_MAX for item in items):
        raise ActionRefused(_("A task's text may have at most %(n)d characters; put the rest in the source text or "
                              "an attachment.") % {"n": TEXT_MAX})
    if len(matter.title) > TITLE_MAX:
        raise ActionRefused(_("The title may have at most %(n)d characters.") % {"n": TITLE_MAX})
    if matter.working_days is not None and not 1 <= matter.working_days <= 365:
        raise ActionRefused(_("Working days must be between 1 and 365."))
    if matter.dispatch and not matter.lead_units:
        raise ActionRefused(_("Choose a lead unit before dispatching."))
    today = timezone.localdate()
    date = matter.date or today
    deadline = deadline_for(matter, today)
    source = services.create_source_document(
        actor, kind=matter.kind, title=matter.title.strip() or default_title(matter.kind, date),
        date=date, text=matter.source_text, cadence=matter.cadence, file=attachment or "",
        issuer=str(matter.leader or ""))
    tasks = [services.create_task(
        actor, number=str(n) if len(items) > 1 else "1", text=item, lead_units=matter.lead_units,
        support_units=matter.support_units, leader=matter.leader, owner=matter.owner, deadline=deadline,
        cadence=matter.cadence, area=matter.area, source=source,
        priority=Task.Priority.URGENT if matter.urgent else Task.Priority.NORMAL)
        for n, item in enumerate(items, 1)]
    audit.record(actor, Action.TASK_REGISTER, source, summary=source.title,
                 after={"tasks": [t.pk for t in tasks], "deadline": deadline, "dispatch": matter.dispatch})
    recompute(with_status_facts(Task.objects.filter(pk__in=[t.pk for t in tasks])), today, actor=actor)
    if matter.dispatch:
        workflow.dispatch(actor, Task.objects.with_units().filter(pk__in=[t.pk for t in tasks]).order_by("path"))
    return tasks
