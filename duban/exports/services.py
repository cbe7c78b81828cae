"""Requesting, running and downloading exports: the only writers of ExportJob, each with its audit entry.

A small export is written in the request (a few thousand rows take well under a second); a larger one becomes
a queued job that a worker claims with a conditional UPDATE, so two workers never run the same job.
"""
from __future__ import annotations

import datetime as dt
import io
import logging
import os
import uuid
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from duban.core import audit
from duban.core.actions import Action
from duban.exports import registry
from duban.exports.models import ExportJob

# A job still running after this long lost its worker (a 50,000-row ledger takes well under a minute).
STALE = dt.timedelta(minutes=30)

logger = logging.getLogger(__name__)


def inline_rows() -> int:
    """Largest export written in the request (settings.DUBAN_EXPORT_INLINE_ROWS)."""
    return settings.DUBAN_EXPORT_INLINE_ROWS


def export_root() -> Path:
    return Path(settings.GENERATED_ROOT) / "exports"


def is_export_admin(user: Any) -> bool:
    from duban.people.models import Role

    return bool(user.is_authenticated and (user.is_superuser or user.role == Role.ADMIN))


def may_download(user: Any, job: ExportJob) -> bool:
    return job.requested_by_id == user.pk or is_export_admin(user)


def export_inline(actor: Any, kind: str, params: dict[str, Any]) -> tuple[bytes, str, int]:
    """Write a small export at once; (content, file name, rows)."""
    export = registry.get(kind)
    buffer = io.BytesIO()
    rows = export.write(actor, params, buffer, None)
    audit.record(actor, Action.EXPORT_DOWNLOAD, actor, summary=f"{kind}: {rows}",
                 after={"kind": kind, "params": params, "rows": rows, "inline": True})
    return buffer.getvalue(), export.filename(params), rows


@transaction.atomic
def queue_export(actor: Any, kind: str, params: dict[str, Any], *, total: int | None = None) -> ExportJob:
    """Record the request and queue it; the worker picks it up once this transaction has committed."""
    export = registry.get(kind)
    job = ExportJob.objects.create(kind=kind, params=params, requested_by=actor, total=total,
                                   filename=export.filename(params))
    audit.record(actor, Action.EXPORT_REQUEST, job, summary=f"{kind}: {total or ''}".strip(),
                 after={"kind": kind, "params": params, "rows": total})
    transaction.on_commit(lambda: _enqueue(job.pk))
    return job


def _enqueue(job_id: int) -> None:
    from duban.exports.jobs import run_export_job

    run_export_job.enqueue(job_id)


def claim(job_id: int, worker: str) -> bool:
    """Take a queued job; False when another worker already has (the UPDATE matches no row)."""
    return bool(ExportJob.objects.filter(pk=job_id, state=ExportJob.State.QUEUED).update(
        state=ExportJob.State.RUNNING, claimed_by=worker[:100], started_at=timezone.now()))


def requeue_stale(now: dt.datetime) -> list[int]:
    """Queue again the jobs whose worker died mid-run (running for longer than STALE), each by a conditional
    UPDATE so that two workers passing at once requeue it once."""
    requeued = []
    for pk in ExportJob.objects.filter(state=ExportJob.State.RUNNING, started_at__lt=now - STALE).values_list(
            "pk", flat=True):
        if ExportJob.objects.filter(pk=pk, state=ExportJob.State.RUNNING, started_at__lt=now - STALE).update(
                state=ExportJob.State.QUEUED, claimed_by="", started_at=None, done=0):
            _enqueue(pk)
            requeued.append(pk)
    return requeued


def run_export(job_id: int, worker: str = "") -> ExportJob | None:
    """Claim and run one job; None when it was not ours to run. A failure is stored on the job, not raised."""
    if not claim(job_id, worker or f"pid-{os.getpid()}"):
        return None
    job = ExportJob.objects.select_related("requested_by").get(pk=job_id)
    export = registry.get(job.kind)
    root = export_root()
    root.mkdir(parents=True, exist_ok=True)
    name = f"{job.pk}-{uuid.uuid4().hex}.{export.extension}"
    partial = root / f".{name}.part"

    def progress(done: int, total: int) -> None:
        ExportJob.objects.filter(pk=job.pk).update(done=done, total=total)

    try:
        with open(partial, "wb") as target:
            rows = export.write(job.requested_by, job.params, target, progress)
        os.replace(partial, root / name)
    except Exception as exc:  # any failure ends the job with a message the requester can read
        logger.exception("export %s failed", job.pk)
        partial.unlink(missing_ok=True)
        ExportJob.objects.filter(pk=job.pk).update(
            state=ExportJob.State.FAILED, error=(str(exc) or exc.__class__.__name__)[:2000],
            finished_at=timezone.now())
    else:
        ExportJob.objects.filter(pk=job.pk).update(
            state=ExportJob.State.DONE, done=rows, total=rows, file=f"exports/{name}", finished_at=timezone.now())
    job.refresh_from_db()
    return job


def open_download(actor: Any, job: ExportJob) -> Path:
    """The finished file of ``job`` (the caller has checked ``may_download``), logged as a download."""
    path = Path(settings.GENERATED_ROOT) / job.file
    audit.record(actor, Action.EXPORT_DOWNLOAD, job, summary=job.filename, after={"kind": job.kind, "job": job.pk})
    return path
