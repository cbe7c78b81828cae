"""Pure shaping of the task chart (挂图作战): plain rows in, plain dicts out, ready for ECharts via json_script.

No Django here. Every element carries the drill-down URL of the task list filtered to exactly the tasks it
counts, so a click on a bar or a slice lands on a list whose count equals the figure.
"""
from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

# The status stacks of every breakdown, in reading order: what is finished, what is fine, what needs attention.
# (key, task-list status filter, stored statuses, colour). Colours follow the traffic light (GUIDE §6 and the
# status engine): blue done, green on schedule, amber behind, red overdue, grey not started or suspended.
STATUS_GROUPS: tuple[tuple[str, str, tuple[str, ...], str], ...] = (
    ("done", "done", ("done",), "#2f6fb5"),
    ("on_track", "on_schedule,ahead", ("on_schedule", "ahead"), "#2e9d5b"),
    ("behind", "behind", ("behind",), "#e6a23c"),
    ("overdue", "overdue", ("overdue",), "#d9363e"),
    ("not_started", "not_started", ("not_started",), "#9aa5b1"),
    ("suspended", "suspended", ("suspended",), "#5b6570"),
)
GROUP_OF = {status: key for key, _f, statuses, _c in STATUS_GROUPS for status in statuses}
STATUS_COLORS = {"not_started": "#9aa5b1", "on_schedule": "#2e9d5b", "ahead": "#17a2b8", "behind": "#e6a23c",
                 "overdue": "#d9363e", "done": "#2f6fb5", "suspended": "#5b6570"}
LIGHT_COLORS = {"green": "#2e9d5b", "yellow": "#e6a23c", "red": "#d9363e", "blue": "#2f6fb5", "grey": "#9aa5b1"}

Params = Mapping[str, Any]


def drill(base: str, **params: Any) -> str:
    """The task-list URL with ``params`` (empty values left out), e.g. /tasks/?area=城市建设&status=behind."""
    clean = {k: v for k, v in params.items() if v not in (None, "", False)}
    return f"{base}{'&' if '?' in base else '?'}{urlencode(clean)}" if clean else base


@dataclass(frozen=True)
class Headline:
    key: str
    label: str
    value: int
    url: str
    note: str = ""


def headlines(totals: Mapping[str, int], reports_due_week: int, base: str,
              labels: Mapping[str, str]) -> list[Headline]:
    """The six figures a leader reads first; ``totals`` counts tasks per stored status."""
    total = sum(totals.values())
    done = totals.get("done", 0)
    on_track = totals.get("on_schedule", 0) + totals.get("ahead", 0)
    rate = f"{done * 100 / total:.0f}%" if total else ""
    return [
        Headline("total", labels["total"], total, drill(base)),
        Headline("done", labels["done"], done, drill(base, status="done"), rate),
        Headline("on_track", labels["on_track"], on_track, drill(base, status="on_schedule,ahead")),
        Headline("behind", labels["behind"], totals.get("behind", 0), drill(base, status="behind")),
        Headline("overdue", labels["overdue"], totals.get("overdue", 0), drill(base, status="overdue")),
        Headline("reports_due", labels["reports_due"], reports_due_week, drill(base, reports_due="week")),
    ]


def stacked(rows: Iterable[tuple[Any, str, int]], names: Mapping[Any, str], base: str,
            group_labels: Mapping[str, str], params: Callable[[Any], Params], limit: int | None = None,
            order: Sequence[Any] | None = None) -> dict[str, Any]:
    """A stacked bar chart of status groups per category.

    ``rows`` are (category key, stored status, count); ``names`` the category labels; ``params(key)`` the task
    list filter of one category. Categories are ordered by ``order`` if given, else by most tasks first, and
    cut to ``limit``; groups no category has are left out so the legend stays short.
    """
    counts: dict[Any, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for key, status, n in rows:
        counts[key][GROUP_OF.get(status, "not_started")] += n
    keys = list(order) if order is not None else sorted(
        counts, key=lambda k: (-sum(counts[k].values()), str(names.get(k, k))))
    keys = [k for k in keys if k in counts]
    shown = keys[:limit] if limit else keys
    series = []
    for group, status_filter, _statuses, color in STATUS_GROUPS:
        if not any(counts[k].get(group) for k in shown):
            continue
        series.append({
            "key": group, "name": group_labels[group], "color": color,
            "data": [{"value": counts[k].get(group, 0),
                      "url": drill(base, **params(k), status=status_filter)} for k in shown],
        })
    return {
        "categories": [names.get(k, str(k)) for k in shown],
        "totals": [sum(counts[k].values()) for k in shown],
        "urls": [drill(base, **params(k)) for k in shown],
        "series": series,
        "shown": len(shown),
        "all": len(keys),
    }


def status_pie(totals: Mapping[str, int], ongoing: int, base: str,
               status_labels: Mapping[str, str]) -> list[dict[str, Any]]:
    """One slice per status; 'done' splits into done and done-and-ongoing (已完成并长期坚持)."""
    slices = []
    for status, color in STATUS_COLORS.items():
        n = totals.get(status, 0)
        if status == "done":
            if n - ongoing:
                slices.append({"name": status_labels["done_only"], "value": n - ongoing, "itemStyle":
                               {"color": color}, "url": drill(base, status="done_only")})
            if ongoing:
                slices.append({"name": status_labels["ongoing"], "value": ongoing, "itemStyle":
                               {"color": "#6a9fd8"}, "url": drill(base, status="ongoing")})
        elif n:
            slices.append({"name": status_labels[status], "value": n, "itemStyle": {"color": color},
                           "url": drill(base, status=status)})
    return slices


def schedule_share(start: dt.date, end: dt.date, on: dt.date) -> float:
    """序时进度 by calendar days, as the status engine computes it (duban.supervision.schedule)."""
    if on < start:
        return 0.0
    if on >= end:
        return 1.0
    return ((on - start).days + 1) / ((end - start).days + 1)


@dataclass(frozen=True)
class IndicatorRow:
    task_id: int
    number: str
    name: str
    target: float
    actual: float | None
    direction: str
    unit_of_measure: str
    start: dt.date
    end: dt.date
    as_of: dt.date | None  # the period end the actual refers to


def indicator_chart(rows: Iterable[IndicatorRow], today: dt.date, task_url: Callable[[int], str],
                    limit: int = 15) -> dict[str, Any]:
    """Completion of each indicator against 序时进度, worst first.

    Completion is actual / target, capped at 150% for display; it is behind when below 序时 (for a '≤'
    ceiling, when above it, as the status engine judges); 序时 is the elapsed share of the task's planned period at the date the actual refers to (today
    when nothing was reported). Indicators with no actual yet come after those with one.
    """
    items = []
    for r in rows:
        t = schedule_share(r.start, r.end, min(r.as_of or today, today))
        share = r.actual / r.target if r.actual is not None and r.target else None
        if share is None:
            gap = None
        elif r.direction == "<=":  # a ceiling (能耗不超过): spending more than time elapsed is behind
            gap = t - share
        else:
            gap = share - t
        items.append((gap is None, gap if gap is not None else 0.0, r.number, r, share, t))
    items.sort(key=lambda x: (x[0], x[1], x[2]))
    out = []
    for _missing, gap, _n, r, share, t in items[:limit]:
        out.append({
            "label": f"{r.number}. {r.name}" if r.number else r.name,
            "actual": round(min(share, 1.5) * 100, 1) if share is not None else None,
            "schedule": round(t * 100, 1),
            "behind": share is not None and gap < -1e-9,
            "target": _num(r.target), "value": _num(r.actual) if r.actual is not None else None,
            "uom": r.unit_of_measure, "url": task_url(r.task_id),
        })
    return {"rows": out, "shown": len(out), "all": len(items)}


def _num(x: float) -> str:
    text = f"{x:.2f}".rstrip("0").rstrip(".")
    return "0" if text == "-0" else text


def gantt(tasks: Sequence[Mapping[str, Any]], milestones: Iterable[Mapping[str, Any]],
          task_url: Callable[[int], str]) -> dict[str, Any]:
    """Bars from planned start to deadline, nearest deadline on top; milestones as markers on their task's row.

    ``tasks`` carry id, number, text, start, end (dates), status and light; ``milestones`` task_id, title, due
    and done_on.
    """
    row_of = {t["id"]: i for i, t in enumerate(tasks)}
    rows = [{
        "label": f"{t['number']}. {t['text'][:14]}" if t["number"] else t["text"][:16],
        "text": t["text"][:80], "start": t["start"].isoformat(), "end": t["end"].isoformat(),
        "color": LIGHT_COLORS.get(t["light"], "#9aa5b1"), "status": t["status"], "url": task_url(t["id"]),
    } for t in tasks]
    marks = [{
        "row": row_of[m["task_id"]], "date": m["due"].isoformat(), "title": m["title"][:40],
        "done": m["done_on"] is not None, "url": task_url(m["task_id"]),
    } for m in milestones if m["task_id"] in row_of]
    return {"rows": rows, "milestones": marks}


def months_back(today: dt.date, n: int) -> list[str]:
    """The ``n`` month keys ('2026-06' …) ending with the current month."""
    keys = []
    year, month = today.year, today.month
    for _ in range(n):
        keys.append(f"{year:04d}-{month:02d}")
        year, month = (year, month - 1) if month > 1 else (year - 1, 12)
    return keys[::-1]


def trends(months: Sequence[str], on_time: Mapping[str, int], late: Mapping[str, int],
           missing: Mapping[str, int], done_by_month: Mapping[str, int], done_before: int,
           base: str, month_label: Callable[[str, bool], str] = lambda key, first: key) -> dict[str, Any]:
    """Per month: reports on time, late and missing (by the month their period fell due), and tasks done so far.

    ``done_by_month`` counts tasks closed in each month; ``done_before`` those done earlier or without a date.
    """
    def bars(counts: Mapping[str, int], state: str) -> list[dict[str, Any]]:
        return [{"value": counts.get(m, 0), "url": drill(base, reports_due=m, report=state)} for m in months]

    first = months[0] if months else ""
    running = done_before + sum(n for m, n in done_by_month.items() if m < first)
    done = []
    for m in months:
        running += done_by_month.get(m, 0)
        done.append({"value": running, "url": drill(base, status="done")})
    return {
        "months": [month_label(m, i == 0) for i, m in enumerate(months)],
        "keys": list(months),
        "on_time": bars(on_time, "on_time"), "late": bars(late, "late"), "missing": bars(missing, "missing"),
        "done": done,
    }
