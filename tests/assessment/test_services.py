"""Scoring the demo district: every point traceable, deductions for the events that deserve them, bonuses capped,
reruns idempotent, ties sharing a rank, activity never scored, and the bulletin's rankings off by default."""
from __future__ import annotations

import datetime as dt
from decimal import ROUND_HALF_UP, Decimal

import pytest
from django.core.management import call_command
from django.db.models import Sum
from django.test import Client

from duban.assessment.demo import ensure_demo_scheme, quarter
from duban.assessment.models import Bonus, Scheme, ScoreItem, ScoreRun, ScoreTotal
from duban.assessment.services import RankRow, add_bonus, bulletin_rankings, run_scoring
from duban.core.errors import ActionRefused
from duban.core.models import ActivityLog
from duban.letters.models import Letter
from duban.site.demo.load import PASSWORD
from duban.tasks.models import Task
from duban.tasks.reporting.models import ProgressReport, ReportingPeriod
from duban.units.models import Unit
from duban.units.services import find_unit

TODAY = dt.date(2026, 11, 18)


@pytest.fixture
def scheme(db) -> Scheme:
    return ensure_demo_scheme(TODAY)


def _totals(scheme: Scheme) -> dict[int, Decimal]:
    return dict(ScoreTotal.objects.filter(run__scheme=scheme, subject="unit").values_list("unit_id", "total"))


def _unit_total(scheme: Scheme, unit: Unit) -> ScoreTotal:
    return ScoreTotal.objects.get(run__scheme=scheme, subject="unit", unit=unit)


def test_demo_scheme_is_this_quarter_unpublished_and_scored_once(scheme: Scheme) -> None:
    assert (scheme.start, scheme.end) == (dt.date(2026, 10, 1), dt.date(2026, 12, 31))
    assert scheme.public_rankings is False and scheme.scale == 100
    run = ScoreRun.objects.get(scheme=scheme)
    assert run.units >= 20 and run.items == ScoreItem.objects.filter(run=run).count()
    logged = ActivityLog.objects.count()
    assert ensure_demo_scheme(TODAY) == scheme  # a second call changes nothing
    assert ScoreRun.objects.get(scheme=scheme).pk == run.pk and ActivityLog.objects.count() == logged
    assert quarter(dt.date(2026, 2, 10)) == (dt.date(2026, 1, 1), dt.date(2026, 3, 31))


def test_each_total_is_the_sum_of_its_items_and_components(scheme: Scheme) -> None:
    sums = dict(ScoreItem.objects.filter(run__scheme=scheme).values("unit_id").annotate(s=Sum("points"))
                .values_list("unit_id", "s"))
    totals = ScoreTotal.objects.filter(run__scheme=scheme, subject="unit")
    assert totals.count() == len(sums)
    for t in totals:
        assert sums[t.unit_id] == t.total, t.name
        assert t.reporting + t.schedule + t.quality + t.deductions + t.bonus == t.total
        assert Decimal(0) <= t.total <= Decimal(105)


def test_every_item_links_to_a_real_event(scheme: Scheme) -> None:
    items = list(ScoreItem.objects.filter(run__scheme=scheme))
    rules_only = {"reporting_base", "schedule_base", "quality_base", "bonus_cap", "floor"}
    lost = [i for i in items if i.kind not in rules_only]
    assert lost, "the demo has late, missing and returned reports and letters"
    for item in lost:
        assert item.label and any((item.report_id, item.period_id, item.letter_id, item.task_id, item.bonus_id))
    ids = {name: {getattr(i, name) for i in items if getattr(i, name)} for name in
           ("report_id", "period_id", "letter_id", "task_id")}
    assert ProgressReport.objects.filter(pk__in=ids["report_id"]).count() == len(ids["report_id"])
    assert ReportingPeriod.objects.filter(pk__in=ids["period_id"]).count() == len(ids["period_id"])
    assert Letter.objects.filter(pk__in=ids["letter_id"]).count() == len(ids["letter_id"])
    assert Task.objects.filter(pk__in=ids["task_id"]).count() == len(ids["task_id"])
    # A report's item belongs to the unit that wrote it; a letter's to the unit it was sent to.
    for item in lost:
        if item.letter_id:
            assert Letter.objects.get(pk=item.letter_id).unit_id == item.unit_id
        elif item.report_id:
            assert ProgressReport.objects.get(pk=item.report_id).unit_id == item.unit_id


def test_returned_report_is_deducted(scheme: Scheme) -> None:
    returned = ProgressReport.objects.get(state="returned")
    item = ScoreItem.objects.get(run__scheme=scheme, kind="returned", report=returned)
    assert item.unit_id == returned.unit_id and item.points == -scheme.deduct_returned * returned.returned_count


def test_red_letter_is_deducted(scheme: Scheme) -> None:
    zhujian = find_unit("区住建局")
    task = Task.objects.actionable().filter(task_units__unit=zhujian, task_units__role="lead").first()
    before = _unit_total(scheme, zhujian).total
    letter = Letter.objects.create(task=task, unit=zhujian, event_key="test-red", kind="escalate", level="red",
                                   prefix="督办", year=2026, seq=9901, number="督办〔2026〕9901号",
                                   addressee_role="leader", title="红色督办单", body="…", reason="逾期",
                                   issued_on=TODAY)
    run_scoring(scheme, None, as_of=TODAY)
    item = ScoreItem.objects.get(run__scheme=scheme, letter=letter)
    assert item.kind == "red" and item.points == -scheme.deduct_red and "9901" in item.label
    assert _unit_total(scheme, zhujian).total == before - scheme.deduct_red


def test_letters_outside_the_period_and_reminders_cost_nothing(scheme: Scheme) -> None:
    zhujian = find_unit("区住建局")
    task = Task.objects.actionable().filter(task_units__unit=zhujian).first()
    before = _unit_total(scheme, zhujian).total
    for seq, (kind, level, day) in enumerate([("escalate", "red", dt.date(2026, 9, 30)),
                                              ("reminder", "", TODAY)], start=9800):
        Letter.objects.create(task=task, unit=zhujian, event_key=f"test-{seq}", kind=kind, level=level,
                              prefix="督办", year=2026, seq=seq, number=f"督办〔2026〕{seq}号",
                              addressee_role="liaison", title="t", body="b", reason="r", issued_on=day)
    run_scoring(scheme, None, as_of=TODAY)
    assert _unit_total(scheme, zhujian).total == before


def test_bonus_counted_capped_and_logged(scheme: Scheme, user) -> None:
    renshe = find_unit("区人社局")
    before = _unit_total(scheme, renshe)
    supervisor = user("supervisor")
    first = add_bonus(supervisor, scheme, renshe, Decimal(3), "在全市就业工作会议上作典型发言")
    second = add_bonus(supervisor, scheme, renshe, Decimal(4), "获省级表彰")
    with pytest.raises(ActionRefused):
        add_bonus(supervisor, scheme, renshe, Decimal(1), "  ")
    assert ActivityLog.objects.filter(action="assessment.bonus", object_id=str(first.pk)).exists()
    run_scoring(scheme, supervisor, as_of=TODAY)
    after = _unit_total(scheme, renshe)
    assert after.bonus == scheme.bonus_cap == Decimal(5)
    assert after.total == before.total + 5
    kinds = list(ScoreItem.objects.filter(run__scheme=scheme, unit=renshe, kind__in=["bonus", "bonus_cap"])
                 .values_list("kind", "points", "bonus_id").order_by("id"))
    assert kinds == [("bonus", Decimal(3), first.pk), ("bonus", Decimal(4), second.pk),
                     ("bonus_cap", Decimal(-2), None)]
    assert Bonus.objects.filter(scheme=scheme).count() == 2


def test_rerun_replaces_the_previous_run(scheme: Scheme) -> None:
    first = ScoreRun.objects.get(scheme=scheme)
    totals, items = _totals(scheme), first.items
    runs_logged = ActivityLog.objects.filter(action="assessment.run").count()
    second = run_scoring(scheme, None, as_of=TODAY)
    assert _totals(scheme) == totals and second.items == items
    assert ScoreRun.objects.filter(scheme=scheme).count() == 1 and not ScoreRun.objects.filter(pk=first.pk).exists()
    assert ScoreItem.objects.filter(run__scheme=scheme).count() == items
    assert ScoreItem.objects.filter(run_id=first.pk).count() == 0
    assert ActivityLog.objects.filter(action="assessment.run").count() == runs_logged + 1


def test_rankings_share_ties(scheme: Scheme) -> None:
    for subject in ("unit", "area", "leader"):
        rows = list(ScoreTotal.objects.filter(run__scheme=scheme, subject=subject).values_list("total", "rank"))
        assert rows, subject
        for total, rank in rows:
            assert rank == 1 + sum(1 for other, _ in rows if other > total)
    totals = list(_totals(scheme).values())
    assert len(set(totals)) < len(totals), "the demo has ties (units with full marks)"


def test_areas_and_leaders_are_scored(scheme: Scheme) -> None:
    areas = set(ScoreTotal.objects.filter(run__scheme=scheme, subject="area").values_list("name", flat=True))
    assert areas == set(Task.objects.actionable().exclude(area="").exclude(dispatch_state="draft")
                        .values_list("area", flat=True))
    leader = ScoreTotal.objects.get(run__scheme=scheme, subject="leader")
    assert leader.name == "王副区长"


def test_logging_in_and_browsing_change_nothing(scheme: Scheme) -> None:
    before = _totals(scheme)
    for name in ("zhujian", "renshe", "leader"):
        c = Client()
        assert c.post("/login/", {"username": name, "password": PASSWORD}, REMOTE_ADDR="10.0.0.7").status_code == 302
        for url in ("/", "/tasks/", "/letters/", "/assessment/"):
            c.get(url)
    assert ActivityLog.objects.filter(action="auth.login", actor__username="renshe").exists()
    run_scoring(scheme, None, as_of=TODAY)
    assert _totals(scheme) == before


def test_quality_rating_counts(scheme: Scheme, user) -> None:
    from duban.tasks.reporting.services import review_report

    zhujian = find_unit("区住建局")
    report = ProgressReport.objects.filter(unit=zhujian, period__due__gte=scheme.start,
                                           period__due__lt=TODAY).exclude(state="draft").first()
    ProgressReport.objects.filter(pk=report.pk).update(state="submitted")
    report.refresh_from_db()
    review_report(user("supervisor"), report, accept=True, quality=ProgressReport.Quality.FAIR)
    report.refresh_from_db()
    assert report.quality == 2
    entry = ActivityLog.objects.filter(action="report.accept", object_id=str(report.pk)).latest("seq")
    assert entry.after["quality"] == 2
    run_scoring(scheme, None, as_of=TODAY)
    total = _unit_total(scheme, zhujian)
    assert total.quality == Decimal(10)  # one rated report, 中 = 2 of 4
    assert ScoreItem.objects.get(run__scheme=scheme, kind="quality_share", report=report).points == -10


def test_bulletin_rankings_off_by_default_and_rows_when_enabled(scheme: Scheme) -> None:
    assert bulletin_rankings(TODAY) is None
    assert bulletin_rankings(dt.date(2026, 3, 1)) is None  # no scheme covers it
    scheme.public_rankings, scheme.honour_top, scheme.warning_bottom = True, 3, 2
    scheme.save()
    run_scoring(scheme, None, as_of=TODAY)
    rows = bulletin_rankings(TODAY)
    assert rows and all(isinstance(r, RankRow) for r in rows)
    assert len(rows) == ScoreTotal.objects.filter(run__scheme=scheme, subject="unit").count()
    assert [r.rank for r in rows] == sorted(r.rank for r in rows) and rows[0].rank == 1
    assert all(r.honour for r in rows if r.rank <= 3) and not any(r.honour for r in rows if r.rank > 3)
    assert any(r.warning for r in rows) and not any(r.honour and r.warning for r in rows)
    assert {r.unit_name for r in rows} >= {"区住建局", "区人社局"}


def test_lists_stay_empty_when_rankings_are_off(scheme: Scheme) -> None:
    scheme.honour_top = scheme.warning_bottom = 3
    scheme.save()
    run_scoring(scheme, None, as_of=TODAY)
    assert not ScoreTotal.objects.filter(run__scheme=scheme).filter(honour=True).exists()
    assert not ScoreTotal.objects.filter(run__scheme=scheme).filter(warning=True).exists()


def test_score_command(scheme: Scheme, capsys) -> None:
    call_command("score", "--scheme", str(scheme.pk), "--as-of", "2026-11-18")
    assert "units" in capsys.readouterr().out
    call_command("score", "--period", "2026-07..2026-09")
    created = Scheme.objects.get(start=dt.date(2026, 7, 1), end=dt.date(2026, 9, 30))
    assert ScoreRun.objects.filter(scheme=created).exists()


def test_area_score_is_the_task_weighted_mean_of_its_lead_units(scheme: Scheme) -> None:
    units = _totals(scheme)
    area = ScoreTotal.objects.filter(run__scheme=scheme, subject="area").order_by("name").first()
    weights: dict[int, int] = {}
    for task in Task.objects.actionable().exclude(dispatch_state="draft").filter(area=area.name).with_units():
        if task.lead_units and task.lead_units[0].pk in units:
            weights[task.lead_units[0].pk] = weights.get(task.lead_units[0].pk, 0) + 1
    expected = sum(units[u] * w for u, w in weights.items()) / sum(weights.values())
    assert area.total == expected.quantize(Decimal("0.01"), ROUND_HALF_UP)
