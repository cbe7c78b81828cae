"""Claiming scheduled work. A job runs once per slot (the daily supervision pass once a day): the worker that
inserts the (job, slot) row owns the run, and a run left unfinished by a killed worker is taken over after STALE.
What the jobs do is the site's (duban.site.jobs); this module only knows slots and claims."""
from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone

from duban.core.models import JobRun

STALE = dt.timedelta(minutes=30)


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
