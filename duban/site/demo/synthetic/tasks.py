"""Source documents and the task tree under them, each task with a fate that its reports will bear out.

A task's fate (done, overdue, behind …) decides its deadline, milestones and percent trajectory; its status
and light are not invented but judged from the generated facts by the status engine, as the daily worker
would, once the reports are known (`write_task_rows`)."""
from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import Max

from duban.supervision import cadence, schedule
from duban.tasks.models import PATH_STEP, Indicator, Milestone, SourceDocument, Task, TaskUnit
from duban.tasks.status import STATUS_FROM_ENGINE

from .dates import add_months, at
from .state import Plan, Run
from .vocabulary import AREAS, MEASURES, NUMERALS, PROJECTS, VERBS
from .writer import Writer, next_id

TASK_COLUMNS = ["id", "parent_id", "path", "depth", "kind", "number", "heading", "text", "leader_id", "owner",
                "deadline", "deadline_text", "cadence", "report_due_day", "start_date", "priority", "area",
                "status", "ongoing", "source_id", "source_location", "dispatch_state", "dispatched_at", "ack_due",
                "acknowledged_at", "acknowledged_by_id", "light", "status_reason", "schedule_share"]


def write_documents(run: Run) -> int:
    """The documents tasks come from: every fourth a 政府工作报告 decomposition, the others 督办 lists."""
    w = Writer(SourceDocument, ["id", "kind", "title", "issuer", "date", "cadence", "report_due_day", "text"])
    first = next_id(SourceDocument)
    run.doc_ids, run.doc_dates, run.doc_kinds = [], [], {}
    top = run.unit_names[0].removesuffix("政府")
    kinds = [SourceDocument.Kind.DECOMPOSITION, SourceDocument.Kind.WORK_REPORT,
             SourceDocument.Kind.MEETING_DECISION, SourceDocument.Kind.LEADER_INSTRUCTION]
    for n in range(run.scale.documents):
        date = run.today - dt.timedelta(days=150 + (n * 397) % 600)
        title = (f"{date.year}年《政府工作报告》重点任务分解方案" if n % 4 == 0
                 else f"{date.year}年第{n}号重点工作督办事项清单")
        w.add(first + n, kinds[n % 4], f"{title}({n + 1})", f"{top}政府办公室", date, "monthly", 5, "")
        run.doc_ids.append(first + n)
        run.doc_dates.append(date)
        run.doc_kinds[first + n] = kinds[n % 4]
    w.flush()
    return w.count


def write_task_tree(run: Run) -> int:
    """Sections, subsections, tasks and subtasks per document, with their units, indicators and milestones.

    The actionable tasks are only planned here: `write_task_rows` writes them once their status is known."""
    scale, rng = run.scale, run.rng
    tasks = Writer(Task, TASK_COLUMNS)
    links = Writer(TaskUnit, ["id", "task_id", "unit_id", "role", "order"])
    indicators = Writer(Indicator, ["id", "task_id", "name", "target", "unit_of_measure", "direction", "text"])
    milestones = Writer(Milestone, ["id", "task_id", "title", "due", "done_on"])
    task_id, link_id, ind_id, ms_id = next_id(Task), next_id(TaskUnit), next_id(Indicator), next_id(Milestone)
    last_root = Task.objects.filter(depth=0).aggregate(m=Max("path"))["m"]
    root_pos = int(last_root) if last_root else 0
    run.plans, run.indicators = [], {}
    per_doc = [scale.tasks // scale.documents + (1 if d < scale.tasks % scale.documents else 0)
               for d in range(scale.documents)]
    for d, quota in enumerate(per_doc):
        doc_id, doc_date = run.doc_ids[d], run.doc_dates[d]
        sections = min(8, max(2, quota // 40))
        subs = min(6, max(1, quota // (sections * 8)))
        slots = sections * subs
        made, number = 0, 0
        for s in range(sections):
            area = AREAS[(s + d) % len(AREAS)]
            root_pos += 1
            s_path = str(root_pos).zfill(PATH_STEP)
            s_id = task_id
            task_id += 1
            tasks.add(s_id, None, s_path, 0, Task.Kind.SECTION, NUMERALS[s], f"{area}方面", "", None, "", None,
                      "", "", None, None, 0, area, Task.Status.NOT_STARTED, False, doc_id, f"第{s + 1}部分",
                      Task.Dispatch.DRAFT, None, None, None, None, Task.Light.GREY, "", None)
            for u in range(subs):
                slot = s * subs + u
                want = (quota * (slot + 1)) // slots - (quota * slot) // slots
                sub_path = f"{s_path}.{str(u + 1).zfill(PATH_STEP)}"
                sub_id = task_id
                task_id += 1
                project = PROJECTS[area][u % len(PROJECTS[area])]
                tasks.add(sub_id, s_id, sub_path, 1, Task.Kind.SUBSECTION, NUMERALS[u % 10], f"推进{project}",
                          "", None, "", None, "", "", None, None, 0, area, Task.Status.NOT_STARTED, False,
                          doc_id, "", Task.Dispatch.DRAFT, None, None, None, None, Task.Light.GREY, "", None)
                pos, left = 0, want
                while left > 0:
                    pos += 1
                    number += 1
                    n_sub = rng.choice((2, 3)) if left >= 4 and rng.random() < 0.12 else 0
                    parent_path = f"{sub_path}.{str(pos).zfill(PATH_STEP)}"
                    parent_id = task_id
                    items = [(parent_id, sub_id, parent_path, 2, Task.Kind.TASK, str(number))]
                    task_id += 1
                    for k in range(n_sub):
                        items.append((task_id, parent_id, f"{parent_path}.{str(k + 1).zfill(PATH_STEP)}", 3,
                                      Task.Kind.SUBTASK, str(k + 1)))
                        task_id += 1
                    for tid, parent, path, depth, kind, num in items:
                        plan = plan_task(run, tid, doc_id, doc_date, area)
                        extra = describe_task(run, plan, parent, path, depth, kind, num, project)
                        for order, unit in enumerate([plan.lead, *plan.supports]):
                            links.add(link_id, tid, unit, "lead" if order == 0 else "support", order)
                            link_id += 1
                        if extra.get("indicator"):
                            name, target, uom = extra["indicator"]
                            indicators.add(ind_id, tid, name, target, uom, ">=", f"{name}{target}{uom}")
                            run.indicators[tid] = (ind_id, float(target))
                            ind_id += 1
                        for title, due, done_on in extra.get("milestones", ()):
                            milestones.add(ms_id, tid, title, due, done_on)
                            ms_id += 1
                        made += 1
                    left -= len(items)
        run.log(f"    document {d + 1}/{scale.documents}: {made} tasks")
    for w in (links, indicators, milestones):
        w.flush()
    run.task_writer = tasks
    run.counts["task_units"] = links.count
    run.counts["indicators"] = indicators.count
    run.counts["milestones"] = milestones.count
    return len(run.plans)


def plan_task(run: Run, tid: int, doc: int, doc_date: dt.date, area: str) -> Plan:
    """Deadline, units, fate and reporting periods of one task; the plan is kept on the run."""
    rng, n_units = run.rng, len(run.unit_ids)
    start = doc_date + dt.timedelta(days=15)
    deadline = add_months(start, rng.choice((8, 11, 14, 17, 20, 23, 29)))
    # A few units lead many tasks (发改委, 住建 …), most lead a few: a skewed pick.
    lead = run.unit_ids[int(n_units * rng.random() ** 2)]
    supports = list({run.unit_ids[rng.randrange(n_units)] for _ in range(rng.choice((0, 1, 1, 2, 2, 3, 4)))} - {lead})
    if deadline < run.today:
        fate = "ongoing" if rng.random() < 0.15 else ("done" if rng.random() < 0.75 else "overdue")
    else:
        r = rng.random()
        fate = ("idle" if r < 0.03 else "suspended" if r < 0.04 else "behind" if r < 0.22
                else "ahead" if r < 0.37 else "on")
    plan = Plan(tid, doc, area, start, deadline, "quarterly" if rng.random() < 0.2 else "monthly", lead,
                supports, fate)
    rule = cadence.CadenceRule(cadence.Cadence(plan.cadence), due_day=5)
    plan.periods = [p for p in cadence.periods(rule, start, deadline, run.calendar) if p.start <= run.today]
    run.plans.append(plan)
    return plan


def describe_task(run: Run, plan: Plan, parent: int, path: str, depth: int, kind: str, number: str,
                  project: str) -> dict[str, Any]:
    """The task's text, indicator, milestones and dispatch; its row waits on the plan for its status."""
    rng = run.rng
    extra: dict[str, Any] = {}
    verb = rng.choice(VERBS)
    place = run.unit_name(plan.lead) or ""
    uom, lo, hi = rng.choice(MEASURES)
    amount = rng.randint(lo, hi)
    text = f"{verb}{project}{'工作' if kind == Task.Kind.TASK else '专项行动'},全年完成{amount}{uom}。{place}".strip()
    if rng.random() < 0.15:
        extra["indicator"] = (project, amount, uom)
    ms: list[tuple[str, dt.date, dt.date | None]] = []
    if rng.random() < 0.25:
        for q in range(1, 4):
            due = add_months(plan.start, q * 3)
            if due >= plan.deadline:
                break
            reached = due <= run.today and plan.fate != "behind"
            ms.append((f"第{q}阶段:完成{project}{q * 25}%", due, due - dt.timedelta(days=3) if reached else None))
        extra["milestones"] = ms
    plan.milestones = ms
    plan.extra = extra
    long_term = plan.fate == "ongoing"
    deadline_text = "长期坚持" if long_term else f"{plan.deadline.year}年{plan.deadline.month}月底前"
    dispatched = at(run.calendar.next_workday(plan.start), 9)
    fresh = plan.fate != "idle" and rng.random() < 0.01  # still to acknowledge
    ack_due = run.calendar.add_workdays(dispatched.date(), 3)
    acked = None if fresh else at(run.calendar.add_workdays(dispatched.date(), 1), 15)
    plan.row = (plan.id, parent, path, depth, kind, number, "", text,
                run.leaders.get(plan.area), f"{rng.choice('张王李赵刘陈杨黄')}{rng.choice(['处长', '科长', '局长'])}",
                plan.deadline, deadline_text, plan.cadence, 5, plan.start, 1 if rng.random() < 0.1 else 0,
                plan.area, plan.doc, f"第{number}项",
                Task.Dispatch.DISPATCHED if fresh else Task.Dispatch.ACKNOWLEDGED, dispatched, ack_due, acked,
                None if fresh else run.liaison[plan.lead])
    return extra


def write_task_rows(run: Run) -> int:
    """Judge each task on its generated reports and write it (the headings went first)."""
    w = run.task_writer
    assert w is not None, "write_task_tree comes first"
    for plan in run.plans:
        judge(run, plan)
        (pid, parent, path, depth, kind, number, heading, text, leader, owner, deadline, dtext, cad, due_day,
         start, prio, area, doc, loc, dispatch, dispatched_at, ack_due, acked_at, acked_by) = plan.row
        w.add(pid, parent, path, depth, kind, number, heading, text, leader, owner, deadline, dtext, cad, due_day,
              start, prio, area, plan.status, plan.ongoing, doc, loc, dispatch, dispatched_at, ack_due, acked_at,
              acked_by, plan.light, plan.reason, plan.share)
    w.flush()
    return w.count


def percent_on(plan: Plan, on: dt.date) -> int:
    """Percent complete the task reports for ``on``: 序时进度 bent by its fate, 100 near the end if done."""
    t = schedule.schedule_share(plan.start, plan.deadline, min(on, plan.deadline))
    # "on" is a little above 序时进度, so rounding never tips it into 滞后.
    factor = {"ahead": 1.25, "behind": 0.6, "overdue": 0.8, "done": 1.0, "ongoing": 1.0}.get(plan.fate, 1.04)
    if plan.fate in ("done", "ongoing") and on >= plan.deadline - dt.timedelta(days=31):
        return 100
    return max(1, min(100, round(t * 100 * factor)))


def judge(run: Run, plan: Plan) -> None:
    """Status, light, reason and 序时进度 exactly as the engine gives them for the generated facts."""
    percent = plan.latest_percent
    ind = plan.extra.get("indicator")
    indicators: tuple[schedule.IndicatorState, ...] = ()
    if ind:
        target = float(ind[1])
        actual = round(target * percent / 100, 2) if percent is not None else None
        indicators = (schedule.IndicatorState(target=target, actual=actual, name=ind[0]),)
    facts = schedule.TaskFacts(
        today=run.today, start=plan.start, end=plan.deadline, deadline=plan.deadline,
        suspended=plan.fate == "suspended", done=plan.fate in ("done", "ongoing"), ongoing=plan.fate == "ongoing",
        indicators=indicators,
        milestones=tuple(schedule.MilestoneState(due=due, reached=done) for _, due, done in plan.milestones),
        percent=None if percent is None else float(percent), report_as_of=plan.latest_end,
        has_report=plan.has_report)
    result = schedule.evaluate(facts, calendar=run.calendar)
    plan.status = STATUS_FROM_ENGINE[result.status]
    plan.ongoing = result.status == schedule.Status.DONE_ONGOING
    plan.light = result.light.value
    plan.reason = result.reason[:200]
    plan.share = round(result.schedule_share, 4)
