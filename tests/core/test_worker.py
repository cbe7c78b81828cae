"""The background worker on the living demo: a pass issues today's letters once; the next pass adds nothing."""
from __future__ import annotations

from django.core.management import call_command

from duban.core.models import JobRun
from duban.letters.models import Letter
from duban.notify.models import Delivery, Notification


def _counts() -> tuple[int, int, int]:
    return Letter.objects.count(), Notification.objects.count(), Delivery.objects.count()


def test_worker_once_twice_on_the_demo(db, capsys) -> None:  # noqa: ANN001
    before = _counts()
    call_command("worker", "--once")
    first = _counts()
    issued = Letter.objects.filter(issued_on="2026-11-18")
    assert first[0] > before[0] and issued.count() == first[0] - before[0]
    assert {(l.kind, l.level) for l in issued} >= {("escalate", "blue"), ("escalate", "red")}
    assert first[1] > before[1]
    assert JobRun.objects.get(job="daily", slot="2026-11-18").finished_at is not None
    call_command("worker", "--once")
    assert _counts() == first
    assert "worker" in capsys.readouterr().out
