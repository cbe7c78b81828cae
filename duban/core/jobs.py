"""Scheduled work. A job runs once per slot (the daily supervision pass once a day): the worker that inserts
the (job, slot) row owns the run, and a run left unfinished by a killed worker is taken over after STALE.
The run itself goes through Django's task interface (django-tasks, database backend), and everything it does
is idempotent, so a run repeated after a crash adds nothing twice."""
from __future__ import annotations

import datetime as dt
import logging
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone

from duban.core.models import JobRun

STALE = dt.timedelta(minutes=30)
logger = logging.getLogger(__name__)


def claim(job: str, slot: str, worker: str, now: dt.datetime) -> bool:
    try:
        with transaction.atomic():
            JobRun.objects.create(job=job, slot=slot, claimed_by=worker, claimed_at=now)
        return True
    except IntegrityError:
        return bool(JobRun.objects.filter(job=job, slot=slot, finished_at__isnull=True,
                                          claimed_at__lt=now - STALE).update(claimed_by=worker, claimed_at=now))


def finish(job: str, slot: str, result: dict[str, Any]) -> None:
    JobRun.objects.filter(job=job, slot=slot).update(finished_at=timezone.now(), result=result)


def last_finished_slot(job: str) -> str | None:
    run = JobRun.objects.filter(job=job, finished_at__isnull=False).order_by("-slot").first()
    return run.slot if run else None


def daily_supervision(today: dt.date) -> dict[str, Any]:
    """Periods up to date, statuses recomputed, the escalation ladder run for the days since the last run."""
    from duban.core.workdays import work_calendar
    from duban.dashboard.services import recent_months, refresh_monthly
    from duban.letters.services import run_ladder
    from duban.reporting.services import ensure_periods
    from duban.tasks.models import Task
    from duban.tasks.status import recompute_open

    calendar = work_calendar()
    open_tasks = (Task.objects.actionable().exclude(dispatch_state=Task.Dispatch.DRAFT)
                  .exclude(status__in=(Task.Status.DONE, Task.Status.SUSPENDED)))
    periods = sum(ensure_periods(task, today, calendar) for task in open_tasks.iterator(chunk_size=500))
    changed = recompute_open(today)
    last = last_finished_slot("daily")
    since = min(dt.date.fromisoformat(last), today - dt.timedelta(days=1)) if last else None
    letters = run_ladder(today, since, calendar)
    figures = refresh_monthly(recent_months(today), today=today)  # the chart's monthly reporting figures
    return {"periods": periods, "status_changes": changed, "letters": len(letters), "figures": figures}


JOBS = {"daily": daily_supervision}


def run(job: str, slot: str) -> dict[str, Any]:
    result = JOBS[job](dt.date.fromisoformat(slot))
    finish(job, slot, result)
    logger.info("job %s@%s: %s", job, slot, result)
    return result
