"""The scheduled jobs and the background task that runs them. The worker claims a slot (duban.core.jobs),
then queues :func:`run_job` through Django's task interface (django-tasks, database backend); everything a job
does is idempotent, so a run repeated after a crash adds nothing twice."""
from __future__ import annotations

import datetime as dt
import logging
from typing import Any

from django_tasks import task

from duban.core.jobs import finish, last_finished_slot
from duban.core.workdays import work_calendar
from duban.dashboard.services import recent_months, refresh_monthly
from duban.letters.services import run_ladder
from duban.tasks.models import Task
from duban.tasks.reporting.services import ensure_periods
from duban.tasks.status import recompute_open

logger = logging.getLogger(__name__)


def daily_supervision(today: dt.date) -> dict[str, Any]:
    """Periods up to date, statuses recomputed, the escalation ladder run for the days since the last run."""
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


@task()
def run_job(job: str, slot: str) -> dict[str, Any]:
    return run(job, slot)
