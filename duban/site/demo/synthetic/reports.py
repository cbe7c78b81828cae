"""Reporting periods and progress reports: what each unit sent for each finished period, and what became of it.

The lead unit reports every finished period, except the latest one for a few open tasks (the ladder urges
those); the supporting units' reports make up the rest of the scale's count. Older reports were accepted long
ago; the latest period's are spread over the review states the pages show."""
from __future__ import annotations

import datetime as dt
import json
import random

from duban.supervision import cadence
from duban.tasks.reporting.models import ProgressReport, ReportingPeriod, ReportRevision

from .dates import at
from .scales import pick
from .state import LeadReport, Plan, Run
from .tasks import percent_on
from .vocabulary import progress_text
from .writer import Writer, next_id

REPORT_COLUMNS = ["id", "task_id", "period_id", "unit_id", "period_start", "period_end", "progress", "next_steps",
                  "percent", "indicator_actuals", "state", "submitted_by_id", "submitted_at", "late",
                  "returned_count", "review_note", "reviewed_by_id", "reviewed_at", "approved_by_id", "created_at"]


def finished(run: Run, plan: Plan) -> list[cadence.Period]:
    """The periods a report is owed for by now (none for a task nobody has started on)."""
    return [p for p in plan.periods if p.end < run.today] if plan.fate != "idle" else []


def skips_last(position: int, plan: Plan) -> bool:
    """Whether the lead unit has not sent the latest period's report of this open task."""
    return position % 13 == 4 and plan.fate not in ("done", "ongoing")


def report_state(rng: random.Random, plan: Plan, last: bool) -> str:
    """Review state of a report: older ones were corrected and accepted long ago, the latest vary."""
    r = rng.random()  # drawn either way: the stream, and so every later report, stays the same
    if not last or plan.fate in ("done", "ongoing"):
        return "accepted"
    return ("accepted" if r < 0.55 else "submitted" if r < 0.8 else "draft" if r < 0.88
            else "returned" if r < 0.95 else "pending_approval")


def write_reports(run: Run) -> int:
    """Every period of every task, and exactly the scale's number of reports over the finished ones; records
    on each plan its latest accepted percent (for the status engine) and the lead's reports (for the ladder)."""
    rng = random.Random(run.seed * 7 + 1)
    periods = Writer(ReportingPeriod, ["id", "task_id", "key", "start", "end", "due"])
    reports = Writer(ProgressReport, REPORT_COLUMNS)
    revisions = Writer(ReportRevision, ["id", "report_id", "state", "content", "note", "actor_id", "at"])
    pid, rid, vid = next_id(ReportingPeriod), next_id(ProgressReport), next_id(ReportRevision)
    lead_total = sum(len(finished(run, plan)) - (1 if finished(run, plan) and skips_last(n, plan) else 0)
                     for n, plan in enumerate(run.plans))
    support_total = sum(len(finished(run, plan)) * len(plan.supports) for plan in run.plans)
    want = run.scale.reports
    if lead_total + support_total < want:
        run.log(f"    only {lead_total + support_total} report slots for {want} reports: writing all")
    take_lead = pick(lead_total, min(lead_total, want))
    take_support = pick(support_total, max(0, min(support_total, want - lead_total)))
    lead_index = support_index = 0
    period_ids: dict[tuple[int, str], int] = {}
    for position, plan in enumerate(run.plans):
        done = finished(run, plan)
        for p in plan.periods:
            periods.add(pid, plan.id, p.key, p.start, p.end, p.due)
            period_ids[(plan.id, p.key)] = pid
            pid += 1
        if plan.fate == "idle":
            continue
        ind = run.indicators.get(plan.id)
        for n, p in enumerate(done):
            last = n == len(done) - 1
            percent = percent_on(plan, p.end)
            actuals = json.dumps({str(ind[0]): round(ind[1] * percent / 100, 2)}) if ind else "{}"
            for k, unit in enumerate([plan.lead, *plan.supports]):
                if k == 0 and last and skips_last(position, plan):
                    chosen = False
                elif k == 0:
                    chosen = take_lead(lead_index)
                    lead_index += 1
                else:
                    chosen = take_support(support_index)
                    support_index += 1
                if not chosen:
                    continue
                state = report_state(rng, plan, last)
                if state == "pending_approval" and unit not in run.head_approval:
                    state = "submitted"
                late = state != "draft" and rng.random() < 0.08
                sent_day = p.due + dt.timedelta(days=rng.randint(1, 6)) if late else \
                    max(p.end - dt.timedelta(days=rng.randint(0, 3)), p.start)
                sent_day = min(sent_day, run.today)
                sent = at(sent_day, 9 + rng.randint(0, 8), rng.randint(0, 59))
                reviewed = state in ("accepted", "returned")
                review_at = at(min(sent_day + dt.timedelta(days=1), run.today), 16) if reviewed else None
                if review_at is not None and review_at < sent:
                    review_at = sent + dt.timedelta(hours=1)
                reviewer = run.supervisors[rid % len(run.supervisors)] if reviewed else None
                note = "请补充具体工程量和资金到位情况。" if state == "returned" else ""
                liaison = run.liaison[unit]
                reports.add(
                    rid, plan.id, period_ids[(plan.id, p.key)], unit, p.start, p.end,
                    progress_text(p.key, percent, rng), "按计划推进,确保按期完成。", percent, actuals, state,
                    None if state == "draft" else liaison, None if state == "draft" else sent, late,
                    1 if state == "returned" else 0, note, reviewer, review_at,
                    run.head[unit] if state in ("accepted", "submitted", "returned") and unit in run.head_approval
                    else None, sent)
                if state == "accepted" and (plan.latest_end is None or p.end > plan.latest_end):
                    plan.latest_end, plan.latest_percent = p.end, percent
                plan.has_report = plan.has_report or state != "draft"
                if state == "returned":
                    revisions.add(vid, rid, "submitted", "{}", "", liaison, sent)
                    revisions.add(vid + 1, rid, "returned", "{}", note, reviewer, review_at)
                    vid += 2
                if k == 0:
                    plan.lead_reports[p.key] = LeadReport(
                        None if state == "draft" else sent_day,
                        (review_at.date(),) if state == "returned" and review_at is not None else ())
                rid += 1
    for w in (periods, reports, revisions):
        w.flush()
    run.counts["periods"] = periods.count
    run.counts["revisions"] = revisions.count
    return reports.count
