"""The order of the steps, their timings, and the one audit entry that summarises a generation."""
from __future__ import annotations

import datetime as dt
import random
import time
from collections.abc import Callable
from typing import Any

from django.db import connection, transaction
from django.utils import timezone

from duban.core import audit
from duban.core.actions import Action
from duban.letters.models import Letter
from duban.people.models import User
from duban.tasks.models import Indicator, Milestone, SourceDocument, Task, TaskUnit
from duban.tasks.reporting.models import ProgressReport, ReportingPeriod, ReportRevision
from duban.units.models import Unit, UnitAlias

from .dates import fast_calendar
from .letters import write_letters
from .office import batch_tag, write_people, write_units
from .reports import write_reports
from .scales import SCALES, Scale
from .state import Run
from .tasks import write_documents, write_task_rows, write_task_tree
from .writer import reset_sequences

WRITTEN = [Unit, UnitAlias, User, SourceDocument, Task, TaskUnit, Indicator, Milestone, ReportingPeriod,
           ProgressReport, ReportRevision, Letter, Letter.addressees.through]


class Generator:
    """Runs the steps in one transaction, each after the ones whose rows it refers to, and times them."""

    def __init__(self, scale: Scale, seed: int, today: dt.date, log: Callable[[str], None]) -> None:
        self.run_state = Run(scale, seed, today, log, random.Random(seed), fast_calendar(today))
        self.timings: dict[str, float] = {}

    def _step(self, name: str, fn: Callable[[Run], int]) -> None:
        """Run one step and log its row count and time, so a slow step shows at a glance at province scale."""
        began = time.monotonic()
        count = fn(self.run_state)
        self.timings[name] = time.monotonic() - began
        self.run_state.counts[name] = count
        self.run_state.log(f"  {name:<12} {count:>9,} rows  {self.timings[name]:6.1f} s")

    def run(self) -> dict[str, Any]:
        """All steps or none (one transaction); the counts, timings and the username prefix used."""
        run = self.run_state
        began = time.monotonic()
        with transaction.atomic():
            run.batch = batch_tag()
            self._step("units", write_units)
            self._step("users", write_people)
            self._step("documents", write_documents)
            self._step("tasks", write_task_tree)
            self._step("reports", write_reports)
            self._step("task rows", write_task_rows)
            self._step("letters", write_letters)
            reset_sequences(WRITTEN)
            first = SourceDocument.objects.get(pk=run.doc_ids[0])
            audit.record(None, Action.DEMO_GENERATE, first, summary=f"duban gen {run.scale.level} seed {run.seed}",
                         after={"scale": run.scale.__dict__, "seed": run.seed, "counts": run.counts})
        self.timings["total"] = time.monotonic() - began
        return {"counts": run.counts, "timings": self.timings, "prefix": run.batch}


def generate(scale: str | Scale, seed: int = 1, today: dt.date | None = None,
             log: Callable[[str], None] = lambda line: None) -> dict[str, Any]:
    """Fill the database with one synthetic government's work at ``scale``; returns counts and timings."""
    spec = SCALES[scale] if isinstance(scale, str) else scale
    return Generator(spec, seed, today or timezone.localdate(), log).run()


def has_tasks() -> bool:
    """Whether the database holds tasks already (`duban gen` then needs --force)."""
    return Task.objects.exists()


def analyse() -> None:
    """Fresh planner statistics and visibility maps after a bulk load, so the planner knows the new row counts
    and index-only scans need not visit the rows (PostgreSQL; SQLite gathers statistics with ANALYZE)."""
    vacuum = connection.vendor == "postgresql" and not connection.in_atomic_block  # VACUUM refuses transactions
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE" if vacuum else "ANALYZE")
