"""Duban steps in a process of their own, on a fixed clock, for the worker tests (see test_workers.py).

    python tests/core/worker_harness.py setup ISO-TIME
    python tests/core/worker_harness.py pass ISO-TIME WORKER-ID
    python tests/core/worker_harness.py cli ISO-TIME
    python tests/core/worker_harness.py check ISO-TIME
"""
from __future__ import annotations

import datetime as dt
import json
import os
import sys

import time_machine


def main(mode: str, at: str, *args: str) -> None:
    with time_machine.travel(dt.datetime.fromisoformat(at), tick=True):
        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "duban.settings")
        import django

        django.setup()
        from django.conf import settings

        settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
        print(json.dumps(globals()[f"do_{mode}"](*args), ensure_ascii=False), flush=True)


def do_setup() -> dict:
    from django.core.management import call_command

    from duban.people.models import User
    from duban.site.demo.load import load_demo

    call_command("migrate", verbosity=0)
    load_demo()
    for user in User.objects.filter(role="liaison"):
        user.email = f"{user.username}@example.gov.cn"
        user.save(update_fields=["email"])
    return {"ok": True}


def do_pass(worker_id: str) -> dict:
    from duban.site.management.commands.worker import worker_pass

    return worker_pass(worker_id)


def do_cli() -> dict:
    """`duban worker --once`, as an operator would run it."""
    from django.core.management import call_command

    call_command("worker", "--once")
    return {"ok": True}


def do_check() -> dict:
    """What the tests assert on: duplicates, gaps in letter numbers, events without a letter, unsent mail."""
    from collections import Counter

    from django.core.cache import caches
    from django.utils import timezone

    from duban.core.models import JobRun
    from duban.core.workdays import work_calendar
    from duban.dashboard.figures import cache_key
    from duban.letters.models import Letter
    from duban.letters.services import EscalationRule, ladder_rule, ladder_tasks, task_state
    from duban.notify.models import Delivery
    from duban.supervision import ladder

    today = timezone.localdate()
    letters = list(Letter.objects.values_list("task_id", "kind", "level", "period_key", "prefix", "seq"))
    same_event = [k for k, n in Counter(x[:4] for x in letters).items() if n > 1]
    gaps = []
    for prefix in {x[4] for x in letters}:
        seqs = sorted(x[5] for x in letters if x[4] == prefix)
        if seqs != list(range(1, len(seqs) + 1)):
            gaps.append(prefix)
    rules = {r.source_kind: r for r in EscalationRule.objects.all()}
    keys = set(Letter.objects.values_list("event_key", flat=True))
    missing = [e.key for t in ladder_tasks() for e in ladder.due_events(
        task_state(t), ladder_rule(rules, t.source.kind if t.source else ""), today, None, work_calendar())
        if e.key not in keys]
    return {
        "letters": len(letters), "today": Letter.objects.filter(issued_on=today).count(),
        "same_event": len(same_event), "gaps": gaps, "missing": missing,
        "jobs": JobRun.objects.filter(job="daily").count(),
        "unfinished": JobRun.objects.filter(finished_at__isnull=True).count(),
        "deliveries": Delivery.objects.count(), "sent": Delivery.objects.filter(state="sent").count(),
        "emails": Delivery.objects.filter(channel="email").count(),
        "chart": caches["shared"].get(cache_key("all", today)) is not None,  # the office's task chart, ready for the pages
    }


if __name__ == "__main__":
    main(*sys.argv[1:])
