"""Time the task list's bulk actions on 1,000 selected tasks, on a fresh SQLite database.

    python benchmarks/bulk.py

Builds a throw-away data directory (a new office, 40 units, two sources with 500 undispatched tasks each), then
times, for every selected task: setting the lead units, the deadline and the area, and dispatching. Each
action is timed twice: the service call alone (plan + apply in one transaction: duban.tasks.bulk.apply) and
the confirming POST of the page (/tasks/bulk/apply/, through Django's test client: signed token, the
version check, the writes, one audit entry per task, the redirect). Each run is rolled back, so every run
changes the same 1,000 tasks; medians of --runs. Rewrites the `## Bulk actions` section of BENCHMARKS.md.
The target (issue 12) is 2 s per action.
"""
from __future__ import annotations

import argparse
import os
import platform
import re
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
os.environ["DUBAN_DATA_DIR"] = tempfile.mkdtemp(prefix="duban-bulk-")
os.environ.pop("DATABASE_URL", None)
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "duban.settings")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import transaction  # noqa: E402
from django.test import Client  # noqa: E402
from django.utils import timezone  # noqa: E402

from benchmarks.sections import cpu, write_section  # noqa: E402
from duban.core.models import ActivityLog  # noqa: E402
from duban.people.models import Role, User  # noqa: E402
from duban.people.services import create_user  # noqa: E402
from duban.site.setup import set_up  # noqa: E402
from duban.tasks import bulk  # noqa: E402
from duban.tasks.models import Task  # noqa: E402
from duban.tasks.register import Matter, register  # noqa: E402
from duban.units.services import create_unit  # noqa: E402

TASKS = 1000
TOKEN = re.compile(r'name="token" value="([^"]+)"')
TARGET_S = 2.0


class Rollback(Exception):
    pass


def setup() -> User:
    call_command("migrate", interactive=False, verbosity=0)
    set_up(None, name="东湖区人民政府督查室", level="district")
    for n in range(40):
        create_unit(None, f"东湖区测试局{n + 1:02d}")
    clerk = create_user(None, "clerk", "bench-pass-1", role=Role.SUPERVISOR, display_name="督查员")
    text = "\n".join(f"{n}. 第{n}项重点工作:推进项目建设,年底前完成。" for n in range(1, TASKS // 2 + 1))
    for meeting in ("第1次", "第2次"):  # two sources of 500 numbered items each (立项 by pasting the list)
        register(clerk, Matter(kind="meeting_decision", text=text, lead_units=[],
                               title=f"区政府{meeting}常务会议议定事项"))
    assert Task.objects.actionable().count() == TASKS
    return clerk


def timed(run: Callable[[], object]) -> float:
    """Seconds for ``run``, its writes rolled back afterwards."""
    start = time.perf_counter()
    try:
        with transaction.atomic():
            run()
            elapsed = time.perf_counter() - start
            raise Rollback
    except Rollback:
        return elapsed


def service_run(clerk: User, change: bulk.Change) -> Callable[[], object]:
    def run() -> None:
        ids = bulk.select_ids(clerk, params={})
        plan = bulk.apply(clerk, change, ids)
        assert len(plan.changed) == TASKS, plan.reasons
    return run


def page_run(client: Client, action: str, value: dict[str, str]) -> Callable[[], object]:
    """The two requests a supervisor waits for: the confirmation page for "all tasks matching this filter",
    then its confirming POST."""
    def run() -> None:
        page = client.post("/tasks/bulk/", {"scope": "filter", "filter": "", "action": action, "step": "preview",
                                            **value})
        token = TOKEN.search(page.content.decode())
        assert token, f"no confirmation page for {action}: {page.status_code}"
        before = ActivityLog.objects.count()
        response = client.post("/tasks/bulk/apply/", {"token": token.group(1)})
        assert response.status_code == 302, response.status_code
        assert ActivityLog.objects.count() - before >= TASKS, "one audit entry per task"
    return run


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--no-write", action="store_true", help="print only, leave BENCHMARKS.md alone")
    args = parser.parse_args(argv)
    clerk = setup()
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
    client = Client()
    client.force_login(clerk)
    units = ["东湖区测试局01", "东湖区测试局02"]
    day = timezone.localdate().replace(month=12, day=31)
    actions = [
        ("set lead units (2 units)", bulk.build_change(lead_units=units), "lead_units",
         {"lead_units": "、".join(units)}),
        ("set the deadline", bulk.build_change(deadline=day.isoformat()), "deadline", {"deadline": day.isoformat()}),
        ("set the area", bulk.build_change(area="城市建设"), "area", {"area": "城市建设"}),
    ]
    rows = []
    for label, change, action, value in actions:
        rows.append((label, [timed(service_run(clerk, change)) for _ in range(args.runs)],
                     [timed(page_run(client, action, value)) for _ in range(args.runs)]))
    # Dispatching needs lead units: give them (kept for the dispatch runs, each rolled back).
    bulk.apply(clerk, actions[0][1], bulk.select_ids(clerk, params={}))
    rows.append(("dispatch (periods, messages)",
                 [timed(service_run(clerk, bulk.build_change(dispatch=True))) for _ in range(args.runs)],
                 [timed(page_run(client, "dispatch", {})) for _ in range(args.runs)]))
    lines = [
        "## Bulk actions",
        "",
        f"`python benchmarks/bulk.py` — {cpu()}, {os.cpu_count()} cores, "
        f"Python {platform.python_version()}, SQLite (a fresh file), {timezone.localdate():%Y-%m-%d}.",
        "",
        f"{TASKS} undispatched tasks of two sources, all selected (\"all {TASKS} tasks matching this filter\"). "
        f"Median of {args.runs} runs, each rolled back; target {TARGET_S:.0f} s. *service*: select, plan and apply "
        "in one transaction; *page*: the two requests the supervisor waits for, through Django's test client: the "
        "confirmation page, then its confirming POST (token, version check, writes, one audit entry per task). Nothing was tuned on these figures beyond the set-based writes "
        "already in duban.tasks.bulk.",
        "",
        "| action on 1,000 tasks | service (s) | page (s) | within target |",
        "|---|---|---|---|",
    ]
    for label, service, page in rows:
        s, p = statistics.median(service), statistics.median(page)
        lines.append(f"| {label} | {s:.2f} | {p:.2f} | {'yes' if max(s, p) <= TARGET_S else 'NO'} |")
    text = "\n".join(lines)
    print(text)
    if not args.no_write:
        write_section(text, REPO / "BENCHMARKS.md")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
