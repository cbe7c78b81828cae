"""The background side of exports: one django-tasks task that `duban worker` runs (DB backend)."""
from __future__ import annotations

from django_tasks import task


@task()
def run_export_job(job_id: int) -> str:
    from duban.exports.services import run_export

    job = run_export(job_id, worker="django-tasks")
    return job.state if job else "skipped"
