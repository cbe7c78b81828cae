"""Time the main pages, the API list, the exports and the scoring run against a generated database.

    DATABASE_URL=… DUBAN_DATA_DIR=… python benchmarks/scale.py --scale province

Run `duban gen --scale …` first (benchmarks/run_province.sh does both on a private PostgreSQL). Pages are
requested in-process through Django's test client (server-side time: URL routing, views, SQL, templates; no
network, no browser), after warm-up requests; p50/p95 are over --runs requests. Items whose URL or module
does not exist (yet) are skipped and listed. Prints a table and rewrites the `## Scale: <scale> on <database>`
section of BENCHMARKS.md (other sections are left alone).
"""
from __future__ import annotations

import argparse
import datetime as dt
import io
import os
import platform
import statistics
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "duban.settings")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.db.models import Count  # noqa: E402
from django.test import Client, override_settings  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.urls import NoReverseMatch, reverse  # noqa: E402
from django.utils import timezone  # noqa: E402

from benchmarks.sections import cpu, write_section  # noqa: E402
from duban.dashboard import figures  # noqa: E402
from duban.letters.models import Letter  # noqa: E402
from duban.people.models import Role, User  # noqa: E402
from duban.tasks.models import SourceDocument, Task, TaskUnit  # noqa: E402
from duban.tasks.reporting.models import ProgressReport  # noqa: E402
from duban.units.models import Unit  # noqa: E402

PAGE_TARGET_MS = 200
COLD = "computed on every request (cache off)"  # a page label with this is timed with the chart's cache off
NOTES = """What keeps the lists fast at this size: the task list and the API page through ids first (an index-only scan
on `(path, kind, id)`, so the last of 1,000 pages costs what the first does) and then load those 50 rows with
their units; the pager lists only the page numbers it shows; the unit filter's choices are a semi-join, the
area choices are a loose index scan of the `(area, kind)` index (one probe per area); the unit list counts
tasks for its 100 units only; the letter list reuses its headline counts as the page count and reads
newest-first from `(issued_on, id)` indexes; the review queue picks its 50 oldest reports before joining; the
to-do list and home page list a unit's 20 most urgent items per kind and count the rest. The liaison chosen is
the one whose unit leads the most tasks (the worst case, over 1,000 tasks in the province). PostgreSQL runs
with `random_page_cost=1.1`, the setting for data on SSD or in memory (see README): with the default 4
the planner reads all 50,000 tasks where the unit's thousand are wanted. On this shared two-core machine
single figures vary by ±50% from run to run: compare p50s."""


@dataclass
class Result:
    name: str
    who: str
    times: list[float]
    queries: int
    status: int | str
    target_ms: float | None = PAGE_TARGET_MS

    @property
    def p50(self) -> float:
        return statistics.median(self.times) * 1000

    @property
    def p95(self) -> float:
        ordered = sorted(self.times)
        return ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))] * 1000

    @property
    def verdict(self) -> str:
        if self.target_ms is None:
            return ""
        return "ok" if self.p95 < self.target_ms else "**over**"


def timed(fn: Callable[[], Any], runs: int, warmup: int) -> tuple[list[float], int, Any]:
    for _ in range(warmup):
        fn()
    times, value = [], None
    with CaptureQueriesContext(connection) as ctx:
        start = len(ctx.captured_queries)
        value = fn()
        queries = len(ctx.captured_queries) - start
    for _ in range(runs):
        began = time.perf_counter()
        value = fn()
        times.append(time.perf_counter() - began)
    return times, queries, value


def url(name: str, *args: Any, query: str = "") -> str | None:
    try:
        return reverse(name, args=args) + (f"?{query}" if query else "")
    except NoReverseMatch:
        return None


def machine() -> list[str]:
    try:
        mem = next(line for line in Path("/proc/meminfo").read_text().splitlines() if line.startswith("MemTotal"))
        ram = f"{int(mem.split()[1]) / 1024 / 1024:.0f} GB RAM"
    except (OSError, StopIteration):
        ram = "? RAM"
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SHOW server_version")
            db = f"PostgreSQL {cursor.fetchone()[0].split()[0]}"
        else:
            cursor.execute("select sqlite_version()")
            db = f"SQLite {cursor.fetchone()[0]}"
    return [f"{cpu()}, {os.cpu_count()} cores (shared with other work), {ram}",
            f"Python {platform.python_version()}, Django {django.get_version()}, {db}"]


def counts() -> dict[str, int]:
    return {
        "units": Unit.objects.count(),
        "users": User.objects.count(),
        "tasks (actionable)": Task.objects.actionable().count(),
        "task tree nodes": Task.objects.count(),
        "progress reports": ProgressReport.objects.count(),
        "letters": Letter.objects.count(),
    }


def accounts() -> dict[str, User]:
    """The generated office's accounts; the liaison is that of the unit leading the most tasks (worst case)."""
    sup = User.objects.filter(role=Role.SUPERVISOR, username__startswith="gen").order_by("pk").first() or \
        User.objects.filter(role=Role.SUPERVISOR).order_by("pk").first()
    leader = User.objects.filter(role=Role.LEADER, username__startswith="gen").order_by("pk").first() or \
        User.objects.filter(role=Role.LEADER).order_by("pk").first()
    busiest = (TaskUnit.objects.filter(role=TaskUnit.Role.LEAD).values("unit").annotate(n=Count("id"))
               .order_by("-n").first())
    liaison = User.objects.filter(role=Role.LIAISON, unit_id=busiest["unit"]).order_by("pk").first()
    return {"supervisor": sup, "leader": leader, "liaison": liaison}


def page_items(people: dict[str, User]) -> list[tuple[str, str, str | None]]:
    """(label, who, url) for every page measured; url None when the page does not exist here."""
    sup_tasks = Task.objects.actionable()
    deep = sup_tasks.order_by("path")[sup_tasks.count() // 2]
    liaison_task = sup_tasks.filter(task_units__unit_id=people["liaison"].unit_id).order_by("path").first()
    pages = max(1, -(-sup_tasks.count() // settings.DUBAN_PAGE_SIZE))
    busiest_unit = people["liaison"].unit_id
    items = [
        ("home", "supervisor", url("home")),
        ("home", "leader", url("home")),
        ("home", "liaison", url("home")),
        ("task list", "supervisor", url("task-list")),
        ("task list, filtered (overdue, sorted by deadline)", "supervisor",
         url("task-list", query="status=overdue&sort=deadline")),
        ("task list, filtered (unit + area + text)", "supervisor",
         url("task-list", query=f"unit={busiest_unit}&area=城市建设&q=推进")),
        (f"task list, last page ({pages})", "supervisor", url("task-list", query=f"page={pages}")),
        ("task list", "liaison", url("task-list")),
        ("task detail", "supervisor", url("task-detail", deep.pk)),
        ("task detail", "liaison", url("task-detail", liaison_task.pk) if liaison_task else None),
        ("unit list", "supervisor", url("unit-list")),
        ("unit list, last page", "supervisor",
         url("unit-list", query=f"page={max(1, -(-Unit.objects.count() // 100))}")),
        ("letter list", "supervisor", url("letter-list")),
        ("letter list, open red", "supervisor", url("letter-list", query="level=red&open=1")),
        ("letter list", "liaison", url("letter-list")),
        ("review queue", "supervisor", url("review-queue")),
        ("todo", "liaison", url("todo")),
        ("API task list", "supervisor", url("api:list_tasks")),
        ("API task list, overdue", "liaison", url("api:list_tasks", query="status=overdue")),
        (f"API task list, last page ({pages})", "supervisor", url("api:list_tasks", query=f"page={pages}")),
        ("dashboard", "supervisor", url("dashboard")),
        ("dashboard", "leader", url("dashboard")),
        (f"dashboard, {COLD}", "liaison", url("dashboard")),
        ("assessment list", "supervisor", url("assessment-list")),
        ("documents", "supervisor", url("documents-index")),
        ("documents, new briefing (tasks to choose)", "supervisor", url("documents-briefing-new")),
        ("exports", "supervisor", url("export-list")),
    ]
    return items


def assessment_items(people: dict[str, User]) -> tuple[list[tuple[str, str, str | None]], Callable | None]:
    """The scheme pages and the scoring run, on a scheme for the last full quarter (created if none)."""
    try:
        from duban.assessment import services
        from duban.assessment.models import Scheme
    except ImportError:
        return [], None
    today = timezone.localdate()
    quarter_start = dt.date(today.year, (today.month - 1) // 3 * 3 + 1, 1)
    end = quarter_start - dt.timedelta(days=1)
    start = dt.date(end.year, end.month - 2, 1)
    scheme = Scheme.objects.filter(name="Benchmark quarter", start=start, end=end).first() or \
        Scheme.objects.create(name="Benchmark quarter", start=start, end=end)

    def score() -> Any:
        return services.run_scoring(scheme, people["supervisor"])

    score()
    unit = people["liaison"].unit_id
    return [
        ("assessment scheme (rankings)", "supervisor", url("assessment-scheme", scheme.pk)),
        ("assessment unit score", "supervisor", url("assessment-unit", scheme.pk, unit)),
        ("assessment unit score", "liaison", url("assessment-unit", scheme.pk, unit)),
    ], score


def export_items(people: dict[str, User]) -> list[tuple[str, Callable[[], Any], float | None]]:
    """(label, call, target seconds or None) for the documents and the ledger."""
    items: list[tuple[str, Callable[[], Any], float | None]] = []
    today = timezone.localdate()
    try:
        from duban.documents import builders
    except ImportError:
        builders = None
    if builders is not None:
        seed = SourceDocument.objects.filter(title__contains="青云谱区").first()
        if seed is not None:
            chosen = Task.objects.actionable().filter(source=seed)
            label = f"seed-001 report .docx ({chosen.count()} tasks)"
        else:
            first = list(Task.objects.actionable().order_by("path").values_list("pk", flat=True)[:78])
            chosen = Task.objects.filter(pk__in=first)
            label = "report .docx, 78 tasks (seed-001 size; demo not loaded)"
        items.append((label, lambda: builders.render(builders.build_report(chosen, today)), 1.0))
        unit = people["liaison"].unit_id
        mine = Task.objects.actionable().filter(task_units__unit_id=unit, task_units__role="lead")
        items.append((f"report .docx, busiest unit ({mine.count()} tasks)",
                      lambda: builders.render(builders.build_report(mine, today)), None))
        if hasattr(builders, "build_bulletin") and hasattr(builders, "bulletin_rankings"):
            items.append(("bulletin .docx (督查通报), all tasks", lambda: builders.render(
                builders.build_bulletin(Task.objects.all(), today, builders.bulletin_rankings(today))), None))
    try:
        from duban.exports.ledger import write_ledger
    except ImportError:
        write_ledger = None
    if write_ledger is not None:
        n = Task.objects.actionable().count()
        items.append((f"ledger .xlsx, all {n:,} tasks (streamed)",
                      lambda: write_ledger(Task.objects.actionable(), io.BytesIO(), as_of=today), 30.0))
    return items


def measure_pages(items: list[tuple[str, str, str | None]], people: dict[str, User], runs: int,
                  warmup: int) -> tuple[list[Result], list[str]]:
    clients = {}
    for who, user in people.items():
        clients[who] = Client()
        clients[who].force_login(user)
    results, skipped = [], []
    for label, who, path in items:
        if path is None:
            skipped.append(label)
            continue
        client = clients[who]
        with override_settings(**({"DUBAN_DASHBOARD_CACHE_SECONDS": 0} if COLD in label else {})):
            times, queries, response = timed(lambda c=client, p=path: c.get(p), runs, warmup)
        results.append(Result(f"{label} `{path.split('?')[0]}`", who, times, queries, response.status_code))
        print(f"{results[-1].p50:8.1f} {results[-1].p95:8.1f} ms  {queries:3} q  {response.status_code}  "
              f"{who:<10} {label}", flush=True)
    return results, skipped


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--scale", default="?", help="the scale generated (for the report)")
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--warmup", type=int, default=3)
    parser.add_argument("--only", default="", help="measure only items whose label contains this text")
    parser.add_argument("--no-write", action="store_true", help="print only, leave BENCHMARKS.md alone")
    args = parser.parse_args(argv)
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
    call_command("migrate", interactive=False, verbosity=0)  # pages added since the data was generated
    data = counts()
    print(", ".join(f"{k} {v:,}" for k, v in data.items()))
    people = accounts()
    items = page_items(people)
    extra, score = assessment_items(people) if "assessment" in args.only or "scoring" in args.only or \
        not args.only else ([], None)
    chosen = [item for item in items + extra if args.only in item[0]]
    figures.warm(timezone.localdate())  # as the worker's pass does, before anyone opens the chart
    results, skipped = measure_pages(chosen, people, args.runs, args.warmup)
    heavy: list[Result] = []
    jobs = export_items(people)
    jobs.append(("office-wide task chart, computed (the worker's pass, every 150 s)",
                 lambda: figures.office(timezone.localdate()), None))
    if score is not None:
        jobs.append(("scoring run, one quarter, all units", score, 10.0))
    jobs = [job for job in jobs if args.only in job[0]]
    for label, fn, target in jobs:
        runs = 10 if target is not None and target < 5 else 3
        times, queries, _value = timed(fn, runs, 1)
        heavy.append(Result(label, "—", times, queries, "", None if target is None else target * 1000))
        print(f"{heavy[-1].p50:8.1f} {heavy[-1].p95:8.1f} ms  {queries:3} q  {label}", flush=True)
    if skipped:
        print("not measured (no such page here):", ", ".join(skipped))
    if not args.no_write:
        write_section(report(args, data, results, heavy, skipped, runs=args.runs), REPO / "BENCHMARKS.md")
    return 0


def report(args: argparse.Namespace, data: dict[str, int], pages: list[Result], heavy: list[Result],
           skipped: list[str], runs: int) -> str:
    vendor = "PostgreSQL" if connection.vendor == "postgresql" else "SQLite"
    lines = [f"## Scale: {args.scale} on {vendor}", "",
             f"`python benchmarks/scale.py --scale {args.scale}` after `duban gen --scale {args.scale}`"
             + (" (`benchmarks/run_province.sh` does both on a private PostgreSQL" if vendor == "PostgreSQL"
                else " (`benchmarks/run_city.sh` does both") + ", on top of the demo district)"
             + f" — {timezone.localdate():%Y-%m-%d}.", "",
             *[f"- {line}" for line in machine()],
             "- Data: " + ", ".join(f"{v:,} {k}" for k, v in data.items()) + ".", "",
             (f"Server-side times (Django test client in-process: routing, view, SQL, template; no network), "
              f"after {args.warmup} warm-up requests; p50/p95 of {runs} requests. Queries: SQL statements per "
              f"request (session and user included). Target: p95 < {PAGE_TARGET_MS} ms per page. The office-wide "
              f"task chart is served as in production, from the database cache that the worker refreshes every "
              f"150 s (its computation is timed below, as a job); a unit's chart is timed computed on every "
              f"request."), "",
             "| page | as | status | queries | p50 ms | p95 ms | target |", "|---|---|---|---|---|---|---|"]
    for r in pages:
        lines.append(f"| {r.name} | {r.who} | {r.status} | {r.queries} | {r.p50:.0f} | {r.p95:.0f} | {r.verdict} |")
    if heavy:
        lines += ["", "| export / job | queries | p50 s | max s | target |", "|---|---|---|---|---|"]
        for r in heavy:
            if r.target_ms is None:
                target = "(for comparison)"
            else:
                verdict = "ok" if max(r.times) * 1000 < r.target_ms else "**over**"
                target = f"< {r.target_ms / 1000:g} s {verdict}"
            lines.append(f"| {r.name} | {r.queries} | {r.p50 / 1000:.2f} | {max(r.times):.2f} | {target} |")
    if skipped:
        lines += ["", "Not measured (the page does not exist in this checkout): " + ", ".join(skipped) + "."]
    over = [f"{r.name} ({r.who})" for r in pages if r.verdict != "ok"]
    lines += ["", "Over the target here: " + ("; ".join(over) if over else "none") + ".", "", NOTES]
    return "\n".join(lines)


if __name__ == "__main__":
    raise SystemExit(main())
