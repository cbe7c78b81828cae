"""`duban gen`: synthetic data that is consistent with the models and with what the services would produce.

The test database already holds the demo district, so generation here adds the tiny scale on top (--force)."""
from __future__ import annotations

import datetime as dt
import io
from collections import Counter

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db.models import Count, F, Q
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from duban.core.models import ActivityLog
from duban.letters.models import Letter, LetterCounter
from duban.people.models import Role, User
from duban.site.demo.synthetic import SCALES, generate
from duban.supervision import ladder, schedule
from duban.tasks.models import PATH_STEP, Task, TaskUnit
from duban.tasks.reporting.models import ProgressReport, ReportingPeriod
from duban.tasks.status import STATUS_FROM_ENGINE, facts_for, with_status_facts
from duban.units.models import Unit

TINY = SCALES["tiny"]


@pytest.fixture
def generated(db) -> dict:  # noqa: ANN001
    """The tiny scale added to the demo; yields the ids that existed before, to tell the new rows apart."""
    before = {
        "units": set(Unit.objects.values_list("pk", flat=True)),
        "tasks": set(Task.objects.values_list("pk", flat=True)),
        "reports": ProgressReport.objects.count(),
        "letters": Letter.objects.count(),
        "users": User.objects.count(),
        "log": ActivityLog.objects.count(),
    }
    out = io.StringIO()
    call_command("gen", scale="tiny", seed=7, force=True, stdout=out)
    before["output"] = out.getvalue()
    return before


def _new_tasks(generated: dict):  # noqa: ANN202
    return Task.objects.exclude(pk__in=generated["tasks"])


def test_counts_follow_the_scale(generated: dict) -> None:
    assert Unit.objects.exclude(pk__in=generated["units"]).count() == TINY.units
    assert _new_tasks(generated).actionable().count() == TINY.tasks
    assert ProgressReport.objects.count() - generated["reports"] == TINY.reports
    assert Letter.objects.count() - generated["letters"] == TINY.letters
    # A liaison and a head per unit, the supervisors, four leaders and an administrator.
    assert User.objects.count() - generated["users"] == 2 * TINY.units + TINY.supervisors + 4 + 1
    # One summary entry in the activity log, not one per row.
    assert ActivityLog.objects.count() - generated["log"] == 1
    assert "reports" in generated["output"] and " s" in generated["output"]


def test_province_is_the_scale_the_issue_asks_for() -> None:
    province, city, district = SCALES["province"], SCALES["city"], SCALES["district"]
    assert (province.units, province.tasks, province.reports, province.letters) == (2_000, 50_000, 1_000_000, 100_000)
    assert (city.tasks * 10, district.tasks * 100) == (province.tasks, province.tasks)
    assert (city.reports * 10, district.letters * 100) == (province.reports, province.letters)


def test_every_task_has_one_lead_unit(generated: dict) -> None:
    tasks = _new_tasks(generated).actionable().annotate(
        leads=Count("task_units", filter=Q(task_units__role=TaskUnit.Role.LEAD)))
    assert Counter(t.leads for t in tasks) == {1: TINY.tasks}
    assert not TaskUnit.objects.filter(task__in=_new_tasks(generated).filter(
        kind__in=(Task.Kind.SECTION, Task.Kind.SUBSECTION))).exists()
    leads = TaskUnit.objects.filter(task__in=_new_tasks(generated), role=TaskUnit.Role.LEAD)
    assert not leads.exclude(order=0).exists()  # the lead comes first (the summarising unit)


def test_materialised_paths_are_valid(generated: dict) -> None:
    tasks = {t.pk: t for t in _new_tasks(generated)}
    by_path = {t.path: t for t in Task.objects.all()}
    assert len(by_path) == Task.objects.count()
    for task in tasks.values():
        parts = task.path.split(".")
        assert all(len(p) == PATH_STEP and p.isdigit() for p in parts), task.path
        assert task.depth == len(parts) - 1
        if task.parent_id is None:
            assert task.depth == 0 and task.kind == Task.Kind.SECTION
        else:
            assert by_path[".".join(parts[:-1])].pk == task.parent_id
        expected_kind = [Task.Kind.SECTION, Task.Kind.SUBSECTION, Task.Kind.TASK, Task.Kind.SUBTASK][task.depth]
        assert task.kind == expected_kind
    # The tree queries of the model work on generated rows.
    subtask = next(t for t in tasks.values() if t.kind == Task.Kind.SUBTASK)
    assert [a.kind for a in subtask.ancestors()] == [Task.Kind.SECTION, Task.Kind.SUBSECTION, Task.Kind.TASK]
    section = next(t for t in tasks.values() if t.kind == Task.Kind.SECTION)
    assert section.descendants().count() == sum(1 for t in tasks.values() if t.path.startswith(section.path + "."))


def test_reports_lie_inside_their_periods(generated: dict) -> None:
    today = timezone.localdate()
    reports = ProgressReport.objects.filter(task__in=_new_tasks(generated)).select_related("period")
    assert reports.count() == TINY.reports
    for report in reports:
        period = report.period
        assert period.task_id == report.task_id
        assert (report.period_start, report.period_end) == (period.start, period.end)
        assert period.end < today
        if report.state == ProgressReport.State.DRAFT:
            assert report.submitted_at is None
        else:
            sent = timezone.localdate(report.submitted_at)
            assert period.start <= sent <= today
            assert report.late == (sent > period.due)
    states = Counter(reports.values_list("state", flat=True))
    assert states[ProgressReport.State.ACCEPTED] > TINY.reports // 2
    assert states[ProgressReport.State.RETURNED] >= 1
    assert not ProgressReport.objects.values("task", "unit", "period_start").annotate(n=Count("id")).filter(n__gt=1)
    # Periods are those the services would create: from the cadence, none starting in the future.
    assert not ReportingPeriod.objects.filter(task__in=_new_tasks(generated), start__gt=today).exists()


def test_letter_numbers_are_unique_and_counters_continue(generated: dict) -> None:
    letters = Letter.objects.all()
    assert letters.values("prefix", "year", "seq").distinct().count() == letters.count()
    assert letters.values("number").distinct().count() == letters.count()
    for letter in letters:
        assert letter.number == ladder.letter_number(letter.prefix, letter.year, letter.seq)
        assert letter.year == letter.issued_on.year
        assert letter.event_key.startswith(f"{letter.task_id}:")
        assert letter.unit_id == letter.task.lead_units[0].pk
    for counter in LetterCounter.objects.all():
        top = letters.filter(prefix=counter.prefix, year=counter.year).order_by("-seq").first()
        assert top is None or counter.value >= top.seq
    assert not letters.filter(acknowledged_at__isnull=False, acknowledged_at__date__lt=F("issued_on")).exists()


def test_letters_are_what_the_worker_would_have_issued(generated: dict) -> None:
    """Each generated letter is an event the worker's own ladder call fires on the letter's day, with the
    worker's view of the task (duban.letters.services.task_state): the generator follows the real rules."""
    import dataclasses

    from django.db.models import Prefetch

    from duban.core.workdays import work_calendar
    from duban.letters.models import EscalationRule
    from duban.letters.services import ladder_rule, task_state
    from duban.tasks.reporting.models import ReportRevision

    today = timezone.localdate()
    calendar = work_calendar()
    rules = {r.source_kind: r for r in EscalationRule.objects.filter(active=True)}
    tasks = _new_tasks(generated).actionable().select_related("source").prefetch_related(
        Prefetch("task_units", queryset=TaskUnit.objects.select_related("unit").order_by("order")), "periods",
        Prefetch("reports", queryset=ProgressReport.objects.prefetch_related(
            Prefetch("revisions", queryset=ReportRevision.objects.order_by("at")))))
    by_task = {t.pk: t for t in tasks}
    letters = Letter.objects.filter(task__in=by_task)
    assert letters.count() == TINY.letters
    for letter in letters:
        task = by_task[letter.task_id]
        # done and suspended tasks had their letters while they were still open
        state = dataclasses.replace(task_state(task), done=False, suspended=False)
        rule = ladder_rule(rules, task.source.kind)
        events = {e.key: e for e in ladder.due_events(state, rule, letter.issued_on, calendar=calendar)}
        assert letter.issued_on <= today
        assert letter.event_key in events, (letter.event_key, letter.issued_on, task.path)
        event = events[letter.event_key]
        assert (letter.kind, letter.level, letter.addressee_role, letter.reason) == (
            event.kind, event.level or "", event.addressee, event.reason[:300])
        assert letter.prefix == ladder.LETTER_PREFIXES[event.kind]
    kinds = Counter((letter.kind, letter.level) for letter in letters)
    assert kinds[("urge", "")] and kinds[(ladder.EventKind.ESCALATE, "yellow")], kinds


def test_statuses_are_what_the_status_engine_says(generated: dict) -> None:
    """Recomputing every generated task from its reports, milestones and indicators changes nothing."""
    today = timezone.localdate()
    tasks = with_status_facts(_new_tasks(generated).actionable())
    seen = Counter()
    for task in tasks:
        result = schedule.evaluate(facts_for(task, today))
        assert (task.status, task.light, task.status_reason, task.schedule_share) == (
            STATUS_FROM_ENGINE[result.status], result.light.value, result.reason[:200],
            round(result.schedule_share, 4)), task.path
        seen[task.status] += 1
    assert len(seen) >= 3  # a mix, not one status everywhere


def test_generation_is_deterministic(db) -> None:  # noqa: ANN001
    day = dt.date(2026, 11, 18)

    def run() -> list[tuple]:
        last = Task.objects.order_by("-pk").values_list("pk", flat=True).first()
        generate("tiny", seed=5, today=day)
        return list(Task.objects.filter(pk__gt=last).order_by("pk").values_list(
            "kind", "number", "text", "deadline", "status", "light", "area"))

    first, second = run(), run()  # the second lands on top of the first, under new ids and paths
    assert len(first) > TINY.tasks and first == second


def test_refuses_a_database_with_tasks_without_force(db) -> None:  # noqa: ANN001
    before = Task.objects.count()
    with pytest.raises(CommandError, match="--force"):
        call_command("gen", scale="tiny", stdout=io.StringIO())
    assert Task.objects.count() == before


@pytest.mark.parametrize("name", ["home", "task-list", "letter-list", "unit-list", "todo", "review-queue"])
def test_main_pages_render_on_generated_data(generated: dict, name: str) -> None:
    supervisor = User.objects.get(username="gen-supervisor1")
    lead = TaskUnit.objects.filter(role=TaskUnit.Role.LEAD, task__in=_new_tasks(generated)).values("unit") \
        .annotate(n=Count("id")).order_by("-n").first()
    liaison = User.objects.get(role=Role.LIAISON, unit_id=lead["unit"], username__startswith="gen-")
    for user, status in ((supervisor, 200), (liaison, 403 if name == "review-queue" else 200)):
        client = Client()
        client.force_login(user)
        response = client.get(reverse(name), follow=True)
        assert response.status_code == status, (name, user.username)
    task = _new_tasks(generated).actionable().filter(task_units__unit_id=lead["unit"]).first()
    client = Client()
    client.force_login(liaison)
    assert client.get(reverse("task-detail", args=[task.pk])).status_code == 200
    assert client.get(reverse("api:list_tasks")).json()["count"] == \
        Task.objects.actionable().filter(task_units__unit_id=lead["unit"]).count()


PAGES = ["home", "task-list", "unit-list", "letter-list", "review-queue", "todo", "api:list_tasks"]


def test_query_counts_stay_constant_as_data_grows(db) -> None:  # noqa: ANN001
    """The pages ask the same number of queries with one generated office as with two (twice the rows)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def queries(username: str) -> dict[str, int]:
        client = Client()
        client.force_login(User.objects.get(username=username))
        found = {}
        for name in PAGES:
            client.get(reverse(name), follow=True)  # warm: session, caches
            with CaptureQueriesContext(connection) as ctx:
                assert client.get(reverse(name), follow=True).status_code in (200, 403)
            found[name] = len(ctx.captured_queries)
        return found

    day = dt.date(2026, 11, 18)
    generate("district", seed=11, today=day)  # large enough that no list on these pages is empty
    small = {who: queries(who) for who in ("gen-supervisor1", "gen-u0001")}
    generate("tiny", seed=12, today=day)
    # More rows everywhere; and the first office's first unit also supports every task of the second.
    unit = User.objects.get(username="gen-u0001").unit_id
    second = Task.objects.actionable().filter(task_units__unit__people__username="gen2-u0001")
    TaskUnit.objects.bulk_create([TaskUnit(task=t, unit_id=unit, role=TaskUnit.Role.SUPPORT, order=9)
                                  for t in second])
    large = {who: queries(who) for who in ("gen-supervisor1", "gen-u0001")}
    assert large == small, repr((small, large))


def test_unit_options_match_the_template_loop(generated: dict) -> None:
    """The task list's prebuilt unit <option>s (fast with 2,000 units) are exactly what the loop rendered."""
    from django.template import Context, Template

    from duban.units.options import unit_options

    units = list(Unit.objects.order_by("name"))
    units[0].short_name = '<b>"A&B"</b>'  # escaped exactly as the template would
    chosen = units[3].pk
    loop = Template('{% for unit in units %}<option value="{{ unit.pk }}"{% if unit.pk == filters.unit %} '
                    'selected{% endif %}>{{ unit.display_name }}</option>{% endfor %}')
    pairs = [(unit.pk, unit.display_name) for unit in units]
    assert unit_options(pairs, chosen) == loop.render(Context({"units": units, "filters": {"unit": chosen}}))
    assert unit_options(pairs, chosen).count(" selected") == 1
