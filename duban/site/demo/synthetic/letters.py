"""The 提示函, 催办函 and 督办单 the escalation ladder would have issued over each task's life so far.

Which letters a task gets, on which days and to whom is decided by the ladder's own rules
(duban.supervision.ladder) under the office's EscalationRule for the task's source, read as the worker reads
it (duban.letters.services.ladder_rule); only the worker's daily runs are folded into a few calls per task
(`ladder_events`). Escalations and urges are written first and reminders fill the rest of the scale's count,
so the pages see every kind of letter at every scale."""
from __future__ import annotations

import datetime as dt
import random

from duban.letters.models import EscalationRule, Letter, LetterCounter
from duban.letters.services import ladder_rule
from duban.people.models import Role
from duban.supervision import ladder
from duban.supervision.workdays import WorkCalendar
from duban.tasks.models import Task

from .dates import ONE_DAY, at
from .scales import pick
from .state import Plan, Run
from .tasks import percent_on
from .writer import Writer, next_id

LETTER_COLUMNS = ["id", "task_id", "unit_id", "event_key", "period_key", "kind", "level", "prefix", "year", "seq",
                  "number", "addressee_role", "title", "body", "reason", "issued_on", "acknowledged_at",
                  "acknowledged_by_id", "response", "created_at"]
TITLES = {"reminder": "提示函", "urge": "催办函", "blue": "督办单(蓝)", "yellow": "督办单(黄)", "red": "督办单(红)"}
KIND_ORDER = {ladder.EventKind.REMINDER: 0, ladder.EventKind.URGE: 1, ladder.EventKind.ESCALATE: 2}


def task_state(plan: Plan) -> ladder.TaskState:
    """What the worker's ladder reads of the task (as duban.letters.services.task_state does): the lead unit's
    report per period, a draft or a report never written counting as not sent. Neither done nor suspended:
    `worker_until` ends the task's timeline instead, since letters issued before then stand."""
    reports = []
    for p in plan.periods:
        sent = plan.lead_reports.get(p.key)
        reports.append(ladder.ReportState(period_key=p.key, due=p.due,
                                          submitted_on=sent.submitted_on if sent else None,
                                          returned_on=sent.returned_on if sent else ()))
    return ladder.TaskState(task_id=plan.id, deadline=plan.deadline, reports=tuple(reports))


def worker_until(run: Run, plan: Plan) -> dt.date:
    """The last day the worker looked at the task. It skips done and suspended tasks, so for those it is the
    day before they became so: a done task when its reports reached 100 % (the deadline at the latest), a
    suspended one when its current period began; an open task is still looked at today."""
    if plan.status == Task.Status.DONE:
        closed = next((p.end for p in plan.periods if percent_on(plan, p.end) == 100), plan.deadline)
    elif plan.status == Task.Status.SUSPENDED:
        closed = plan.periods[-1].start if plan.periods else plan.start
    else:
        return run.today
    return min(closed - ONE_DAY, run.today)


def last_run_on(day: dt.date, rule: ladder.LadderRule, calendar: WorkCalendar) -> dt.date:
    """The last run on or before ``day`` that can fire anything: the ladder fires nothing on non-working
    days (unless the rule sends on them), so that run's window ends the worker's view."""
    while not rule.send_on_non_workdays and not calendar.is_workday(day):
        day -= ONE_DAY
    return day


def ladder_events(state: ladder.TaskState, rule: ladder.LadderRule, until: dt.date,
                  calendar: WorkCalendar) -> list[ladder.Event]:
    """Every event the daily worker would have fired for the task up to ``until``, each on its own day.

    The worker calls `ladder.due_events` every working day with what it knows that day; doing that here
    would take tens of minutes at the province scale. Two calls over the task's whole timeline give the
    same events. Every trigger is a dated fact, so the first, as of ``until``, finds them all except what a
    report sent since has stopped (the ladder drops a report's reminder, urge and late-report escalation
    once it is in). The second asks as if those reports had never come in, and keeps what fired before each
    report did: on that day the worker still saw it missing. Keys are the ladder's, so the two merge."""
    last = last_run_on(until, rule, calendar)
    found = {e.key: e for e in ladder.due_events(state, rule, last, since=dt.date.min, calendar=calendar)}
    sent = {r.period_key: r.submitted_on for r in state.reports
            if r.submitted_on is not None and r.submitted_on <= until}
    if sent:
        unsent = ladder.TaskState(task_id=state.task_id, deadline=None, reports=tuple(
            ladder.ReportState(period_key=r.period_key, due=r.due) for r in state.reports if r.period_key in sent))
        for event in ladder.due_events(unsent, rule, last, since=dt.date.min, calendar=calendar):
            if event.on < sent[event.period_key]:
                found.setdefault(event.key, event)
    return sorted(found.values(), key=lambda e: (e.on, KIND_ORDER[e.kind], e.key))


def write_letters(run: Run) -> int:
    """Exactly the scale's number of letters out of the ladder's events, numbered in order of issue and
    continuing the office's counters; most of those older than ten days are acknowledged."""
    rng = random.Random(run.seed * 7 + 2)
    rules = {r.source_kind: r for r in EscalationRule.objects.filter(active=True)}
    main: list[tuple[Plan, ladder.Event]] = []  # urges and escalations
    reminders: list[tuple[Plan, ladder.Event]] = []
    for plan in run.plans:
        rule = ladder_rule(rules, run.doc_kinds[plan.doc])
        for event in ladder_events(task_state(plan), rule, worker_until(run, plan), run.calendar):
            (reminders if event.kind == ladder.EventKind.REMINDER else main).append((plan, event))
    want = run.scale.letters
    take_main = pick(len(main), min(len(main), want))
    take_rem = pick(len(reminders), max(0, min(len(reminders), want - len(main))))
    chosen = [c for i, c in enumerate(main) if take_main(i)] + [c for j, c in enumerate(reminders) if take_rem(j)]
    chosen.sort(key=lambda c: (c[1].on, c[0].id, KIND_ORDER[c[1].kind], c[1].key))
    counters = {(c.prefix, c.year): c.value for c in LetterCounter.objects.all()}
    taken = set(Letter.objects.values_list("event_key", flat=True)) if Letter.objects.exists() else set()
    w = Writer(Letter, LETTER_COLUMNS)
    through = Writer(Letter.addressees.through, ["id", "letter_id", "user_id"])
    lid, aid = next_id(Letter), next_id(Letter.addressees.through)
    for plan, event in chosen:
        if event.key in taken:
            continue
        on, level = event.on, event.level.value if event.level else ""
        prefix = ladder.LETTER_PREFIXES[event.kind]
        seq = counters.get((prefix, on.year), 0) + 1
        counters[(prefix, on.year)] = seq
        role = event.addressee.value
        to = (run.leaders.get(plan.area) if role == Role.LEADER else
              run.head[plan.lead] if role == Role.UNIT_HEAD else run.liaison[plan.lead])
        acked = on < run.today - dt.timedelta(days=10) and rng.random() < 0.97
        w.add(lid, plan.id, plan.lead, event.key, event.period_key, event.kind.value, level, prefix, on.year, seq,
              ladder.letter_number(prefix, on.year, seq), role,
              f"关于第{plan.row[5]}项任务的{TITLES[level or event.kind.value]}",
              f"{run.unit_name(plan.lead) or '你单位'}:{event.reason},请抓紧办理并及时反馈。", event.reason[:300], on,
              at(on + dt.timedelta(days=rng.randint(1, 3)), 11) if acked else None,
              (to or run.liaison[plan.lead]) if acked else None, "已收悉,正在抓紧推进。" if acked else "",
              at(on, 8))
        if to:
            through.add(aid, lid, to)
            aid += 1
        lid += 1
    w.flush()
    through.flush()
    for (prefix, year), value in counters.items():
        LetterCounter.objects.update_or_create(prefix=prefix, year=year, defaults={"value": value})
    return w.count
