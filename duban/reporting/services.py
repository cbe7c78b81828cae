"""Writes to progress reports, each recorded in the activity log."""
from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.utils import timezone

from duban.core import audit
from duban.reporting.models import ProgressReport
from duban.tasks.models import Task
from duban.units.models import Unit

REPORT_FIELDS = ("progress", "problems", "next_steps", "coordination", "percent", "indicator_actuals",
                 "status_text", "state")


@transaction.atomic
def record_report(
    actor: Any,
    task: Task,
    unit: Unit,
    *,
    period_start: dt.date,
    period_end: dt.date,
    state: str = ProgressReport.State.SUBMITTED,
    **fields: Any,
) -> ProgressReport:
    """Store a unit's report on a task for one period (as received, e.g. from an imported document)."""
    report = ProgressReport.objects.create(
        task=task, unit=unit, period_start=period_start, period_end=period_end, state=state,
        submitted_by=actor if getattr(actor, "pk", None) else None, submitted_at=timezone.now(), **fields,
    )
    audit.record(actor, "report.create", report, summary=str(task),
                 after=audit.snapshot(report, ("task", "unit", "period_start", "period_end",
                                               *[f for f in REPORT_FIELDS if f in fields or f == "state"])))
    return report
