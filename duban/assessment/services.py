"""Assessment (考核) services: scoring runs, office bonuses, and the rankings a bulletin may print.

A run reads the period's events with a handful of set-based queries (``values_list`` over tasks, periods,
reports, letters and bonuses — never one query per unit or task), scores them with the pure rules in
:mod:`duban.supervision.scoring`, and writes totals and items with ``bulk_create``; it replaces the scheme's
previous run in one transaction. Activity (logins, clicks, time online) is never read, so it cannot change
a score.
"""
from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Hashable
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.db import connection, transaction
from django.db.models import Count, Exists, F, OuterRef, Q
from django.db.models.functions import Substr
from django.utils import timezone
from django.utils.translation import gettext as _

from duban.assessment.models import Bonus, Scheme, ScoreItem, ScoreRun, ScoreTotal
from duban.core import audit
from duban.core.actions import Action
from duban.core.errors import ActionRefused
from duban.letters.models import Letter
from duban.people.models import User
from duban.supervision import scoring
from duban.tasks.models import Task, TaskUnit
from duban.tasks.reporting.models import ProgressReport, ReportingPeriod
from duban.units.models import Unit

BATCH = 5000
_GOOD = {Task.Status.ON_SCHEDULE, Task.Status.AHEAD, Task.Status.DONE}


@dataclass(frozen=True)
class RankRow:
    """One unit's line in a published ranking (ties share a rank)."""

    rank: int
    unit_id: int
    unit_name: str
    score: float
    honour: bool
    warning: bool


def bulletin_rankings(as_of: dt.date) -> list[RankRow] | None:
    """The unit ranking a 督查通报 may print for ``as_of``: from the latest scheme covering that date. None when
    no scheme covers it, when its public rankings / 红黑榜 are off (the default), or when it has not
    been scored yet."""
    scheme = Scheme.objects.filter(start__lte=as_of, end__gte=as_of).order_by("-start", "-id").first()
    if scheme is None or not scheme.public_rankings:
        return None
    rows = (ScoreTotal.objects.filter(run__scheme=scheme, subject=ScoreTotal.Subject.UNIT)
            .order_by("rank", "name").values_list("rank", "unit_id", "name", "total", "honour", "warning"))
    if not ScoreRun.objects.filter(scheme=scheme).exists():
        return None
    return [RankRow(rank, unit_id, name, float(total), honour, warning)
            for rank, unit_id, name, total, honour, warning in rows]


@transaction.atomic
def add_bonus(actor: Any, scheme: Scheme, unit: Unit, points: Decimal, reason: str) -> Bonus:
    """The office adds (positive) or deducts (negative) points for a unit, with a reason the unit sees.
    It counts from the next scoring run."""
    reason = reason.strip()
    if not reason:
        raise ActionRefused(_("Say why, so the unit knows what the points are for."))
    if not points:
        raise ActionRefused(_("The points must not be zero."))
    bonus = Bonus.objects.create(scheme=scheme, unit=unit, points=points, reason=reason[:300], created_by=actor)
    audit.record(actor, Action.ASSESSMENT_BONUS, bonus, summary=f"{unit} {points:+} {reason}"[:500],
                 after={"scheme": scheme.pk, "unit": unit.pk, "points": points, "reason": bonus.reason})
    return bonus


def _tasks(scheme: Scheme) -> Any:
    """The dispatched tasks that were live during the scheme's period."""
    return (Task.objects.actionable().exclude(dispatch_state=Task.Dispatch.DRAFT)
            .filter(Q(start_date__isnull=True) | Q(start_date__lte=scheme.end))
            .filter(Q(deadline__isnull=True) | Q(deadline__gte=scheme.start)))


def _status(status: str) -> str:
    if status in _GOOD:
        return "good"
    if status in (Task.Status.BEHIND, Task.Status.OVERDUE):
        return str(status)
    return "other"


@dataclass
class Collected:
    facts: dict[int, scoring.Facts]  # by unit id
    tasks: dict[int, tuple[str, str, str, int | None, str]]  # id → (number, status, area, leader, short text)
    lead: dict[int, int]  # task id → its first lead unit (the one that reports)


def collect(scheme: Scheme, as_of: dt.date) -> Collected:
    """Every unit's facts for the period, in seven queries whatever its size. Only events that cost or win
    points come back row by row (late, missing, returned or rated reports, letters, tasks, bonuses); the
    reports owed are counted by the database."""
    tasks_qs = _tasks(scheme)
    task_ids = tasks_qs.values("id")
    tasks = {tid: (number, status, area, leader, text) for tid, number, status, area, leader, text in
             tasks_qs.annotate(short=Substr("text", 1, 20))
             .values_list("id", "number", "status", "area", "leader_id", "short")}
    lead: dict[int, int] = {}
    for task_id, unit_id in (TaskUnit.objects.filter(role=TaskUnit.Role.LEAD, task_id__in=task_ids)
                             .order_by("task_id", "order", "id").values_list("task_id", "unit_id")):
        lead.setdefault(task_id, unit_id)
    facts: dict[int, scoring.Facts] = defaultdict(scoring.Facts)

    labels = {tid: f"{info[0]} {info[4]}".strip() for tid, info in tasks.items()}

    def label(task_id: int) -> str:
        return labels.get(task_id) or str(task_id)

    for task_id, (_number, status, _area, _leader, _text) in tasks.items():
        kind = _status(status)
        if kind != "other" and task_id in lead:
            facts[lead[task_id]].tasks.append(scoring.TaskState(task_id, label(task_id), kind))

    # Reports owed: the periods of open tasks due within the scheme before as_of, owed by the first lead unit
    # (nothing is owed for a finished or suspended task, as on the escalation ladder).
    owed_periods = ReportingPeriod.objects.filter(
        due__gte=scheme.start, due__lte=scheme.end, due__lt=as_of,
        task_id__in=tasks_qs.exclude(status__in=(Task.Status.DONE, Task.Status.SUSPENDED)).values("id"))
    open_tasks: set[int] = set()
    for task_id, n in owed_periods.order_by().values("task_id").annotate(n=Count("id")).values_list("task_id", "n"):
        open_tasks.add(task_id)
        if task_id in lead:
            facts[lead[task_id]].owed += n
    # A period is settled by a report from a lead unit (the first one normally reports; a co-lead may).
    sent = (ProgressReport.objects.filter(period_id=OuterRef("pk")).exclude(state=ProgressReport.State.DRAFT)
            .filter(task__task_units__unit_id=F("unit_id"), task__task_units__role=TaskUnit.Role.LEAD))
    for period_id, task_id, key in owed_periods.filter(~Exists(sent)).values_list("id", "task_id", "key"):
        if task_id in lead:
            facts[lead[task_id]].due.append(scoring.Due(period_id, task_id, f"{label(task_id)} · {key}"))

    # Reports that cost or win points: late, returned, or rated below 优.
    flagged = (ProgressReport.objects.exclude(state=ProgressReport.State.DRAFT)
               .filter(Q(period__due__gte=scheme.start, period__due__lte=scheme.end, period__due__lt=as_of)
                       | Q(period__isnull=True, period_end__gte=scheme.start, period_end__lte=scheme.end))
               .filter(Q(late=True) | Q(returned_count__gt=0) | Q(quality__isnull=False))
               .values_list("id", "task_id", "unit_id", "period_id", "late", "returned_count", "quality",
                            "period__key", "period_end"))
    for rid, task_id, unit_id, period_id, late, returned, quality, key, end in flagged:
        text = f"{label(task_id)} · {key or end.strftime('%Y-%m')}"
        f = facts[unit_id]
        if late:
            f.late.append(scoring.Late(rid, task_id, text))
            if period_id and task_id in open_tasks and lead.get(task_id) == unit_id:
                f.due.append(scoring.Due(period_id, task_id, text, rid, late=True))
        if returned:
            f.returned.append(scoring.Returned(rid, task_id, text, returned))
        if quality:
            f.ratings.append(scoring.Rating(rid, task_id, text, quality))

    letters = (Letter.objects.filter(issued_on__gte=scheme.start, issued_on__lte=min(scheme.end, as_of))
               .filter(Q(kind=Letter.Kind.URGE) | Q(kind=Letter.Kind.ESCALATE, level__in=scoring.LETTER_KINDS))
               .values_list("id", "task_id", "unit_id", "kind", "level", "number"))
    for lid, task_id, unit_id, kind, level, number in letters:
        facts[unit_id].letters.append(scoring.LetterEvent(
            lid, task_id, f"{number} {label(task_id)}", scoring.URGE if kind == Letter.Kind.URGE else level))

    for bid, unit_id, points, reason in scheme.bonuses.values_list("id", "unit_id", "points", "reason"):
        facts[unit_id].bonuses.append(scoring.BonusEvent(bid, points, reason))
    return Collected(dict(facts), tasks, lead)


_COMPONENT_FIELDS = ("total", "reporting", "schedule", "quality", "deductions", "bonus")


def _weighted(units: dict[int, dict[str, Decimal]], weights: dict[int, int]) -> dict[str, Decimal]:
    """An area's or a leader's score: the average of the scores of the units leading its tasks, each weighted
    by the number of those tasks it leads."""
    whole = sum(weights.values())
    return {name: (sum(units[u][name] * w for u, w in weights.items()) / whole).quantize(scoring.CENT, ROUND_HALF_UP)
            for name in _COMPONENT_FIELDS}


@transaction.atomic
def run_scoring(scheme: Scheme, actor: Any, as_of: dt.date | None = None) -> ScoreRun:
    """Score every unit of ``scheme`` as of ``as_of`` (default: today, or the day after the period if it is
    over), and every area and leader from them, replacing the scheme's previous run. Logins, clicks and time
    online are not inputs."""
    today = timezone.localdate()
    as_of = as_of or min(today, scheme.end + dt.timedelta(days=1))
    collected = collect(scheme, as_of)
    rules = scheme.rules()
    results = {unit_id: scoring.score(rules, f) for unit_id, f in collected.facts.items()}
    units = {u: {"total": r.total, **{c: r.component(c) for c in _COMPONENT_FIELDS[1:]}}
             for u, r in results.items()}

    # Areas and leaders, from the units leading their tasks.
    groups: dict[tuple[str, Hashable], dict[int, int]] = defaultdict(lambda: defaultdict(int))
    for task_id, unit_id in collected.lead.items():
        _number, _status, area, leader, _text = collected.tasks[task_id]
        if unit_id in units:
            if area:
                groups[(ScoreTotal.Subject.AREA, area)][unit_id] += 1
            if leader:
                groups[(ScoreTotal.Subject.LEADER, leader)][unit_id] += 1
    scores: dict[tuple[str, Hashable], dict[str, Decimal]] = {
        (ScoreTotal.Subject.UNIT, u): values for u, values in units.items()}
    scores.update({key: _weighted(units, weights) for key, weights in groups.items()})

    leader_ids = [k for (s, k) in scores if s == ScoreTotal.Subject.LEADER]
    unit_names = {pk: short or name for pk, name, short in
                  Unit.objects.filter(pk__in=list(units)).values_list("id", "name", "short_name")}
    leader_names = {pk: display or username for pk, display, username in
                    User.objects.filter(pk__in=leader_ids).values_list("id", "display_name", "username")}

    previous = ScoreRun.objects.filter(scheme=scheme).values_list("id", flat=True).first()
    if previous:
        ScoreItem.objects.filter(run_id=previous).delete()
        ScoreTotal.objects.filter(run_id=previous).delete()
        ScoreRun.objects.filter(pk=previous).delete()
    run = ScoreRun.objects.create(scheme=scheme, as_of=as_of, ran_at=timezone.now(), ran_by=actor,
                                  units=len(units))

    totals: list[ScoreTotal] = []
    for subject in (ScoreTotal.Subject.UNIT, ScoreTotal.Subject.AREA, ScoreTotal.Subject.LEADER):
        of_subject = {k: v["total"] for (s, k), v in scores.items() if s == subject}
        ranks = scoring.rank(of_subject.items())
        honour: set[Hashable] = set()
        warning: set[Hashable] = set()
        if subject == ScoreTotal.Subject.UNIT and scheme.public_rankings:
            honour, warning = scoring.honour_and_warning(
                of_subject, top=scheme.honour_top, bottom=scheme.warning_bottom, honour_min=scheme.honour_min,
                warning_below=scheme.warning_below)
        for key in of_subject:
            name = (unit_names.get(key) if subject == ScoreTotal.Subject.UNIT
                    else leader_names.get(key) if subject == ScoreTotal.Subject.LEADER else key)
            totals.append(ScoreTotal(
                run=run, subject=subject, unit_id=key if subject == ScoreTotal.Subject.UNIT else None,
                leader_id=key if subject == ScoreTotal.Subject.LEADER else None, name=str(name or key)[:200],
                rank=ranks[key], honour=key in honour, warning=key in warning, **scores[(subject, key)]))
    ScoreTotal.objects.bulk_create(totals, batch_size=BATCH)

    rows: list[tuple] = []
    add, run_id = rows.append, run.pk
    for unit_id, result in results.items():
        for item in result.items:
            kind, pk = item.ref or ("", None)
            add((run_id, unit_id, item.kind, item.points, item.share, item.label[:300], item.count,
                 pk if kind == "task" else item.task_id, pk if kind == "report" else None,
                 pk if kind == "period" else None, pk if kind == "letter" else None, pk if kind == "bonus" else None))
    _write_items(rows)
    ScoreRun.objects.filter(pk=run.pk).update(items=len(rows))
    run.items = len(rows)
    audit.record(actor, Action.ASSESSMENT_RUN, run, summary=f"{scheme} @ {as_of}",
                 after={"scheme": scheme.pk, "as_of": as_of, "units": len(units), "items": len(rows)})
    return run


_ITEM_COLUMNS = ("run_id", "unit_id", "kind", "points", "share", "label", "count", "task_id", "report_id", "period_id",
                 "letter_id", "bonus_id")


def _write_items(rows: list[tuple]) -> None:
    """A province run writes hundreds of thousands of items, so not through model instances: PostgreSQL's
    COPY where available, else one prepared INSERT executed for all rows."""
    if not rows:
        return
    table = connection.ops.quote_name(ScoreItem._meta.db_table)
    columns = ", ".join(connection.ops.quote_name(c) for c in _ITEM_COLUMNS)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            with cursor.cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
            return
        marks = ", ".join(["%s"] * len(_ITEM_COLUMNS))
        for first in range(0, len(rows), BATCH):
            cursor.executemany(f"INSERT INTO {table} ({columns}) VALUES ({marks})", rows[first:first + BATCH])


def unit_total(scheme: Scheme, unit_id: int) -> ScoreTotal | None:
    return ScoreTotal.objects.filter(run__scheme=scheme, subject=ScoreTotal.Subject.UNIT, unit_id=unit_id).first()
