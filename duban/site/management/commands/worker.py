from __future__ import annotations

import socket
import time
import uuid

from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.utils import timezone

from duban.core import jobs
from duban.dashboard.figures import warm as warm_chart
from duban.exports.services import requeue_stale
from duban.notify.outbox import deliver_due
from duban.site.jobs import run_job


def worker_pass(worker_id: str) -> dict:
    """One pass: claim and queue today's supervision run if due, requeue exports whose worker died, keep the
    office-wide task chart fresh, run queued tasks, deliver the outbox."""
    now = timezone.now()
    slot = timezone.localdate(now).isoformat()
    if jobs.claim("daily", slot, worker_id, now):
        run_job.enqueue("daily", slot)
    requeue_stale(now)
    warm_chart(timezone.localdate(now))
    call_command("db_worker", batch=True, startup_delay=False, reload=False, verbosity=0, worker_id=worker_id[:64])
    return {"delivered": deliver_due(timezone.now(), worker_id)}


class Command(BaseCommand):
    help = "Run scheduled work: daily status recompute, reminders and letters, and the notification outbox."

    def add_arguments(self, parser) -> None:  # noqa: ANN001
        parser.add_argument("--once", action="store_true", help="run one pass and exit")
        parser.add_argument("--interval", type=float, default=30.0, help="seconds between passes")

    def handle(self, *args, once: bool, interval: float, **options) -> None:  # noqa: ANN002, ANN003
        worker_id = f"{socket.gethostname()}-{uuid.uuid4().hex[:8]}"
        while True:
            result = worker_pass(worker_id)
            if once:
                self.stdout.write(f"worker {worker_id}: {result}")
                return
            time.sleep(interval)
