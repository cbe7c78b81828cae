"""Background tasks (django-tasks). `duban worker` enqueues and runs them."""
from __future__ import annotations

from typing import Any

from django_tasks import task

from duban.core import jobs


@task()
def run_job(job: str, slot: str) -> dict[str, Any]:
    return jobs.run(job, slot)
