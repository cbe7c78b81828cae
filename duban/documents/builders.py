"""From the database to a document model (:mod:`duban.documents.gbt9704`), each in a fixed number of queries.

Builders only read. Who may see which tasks is decided by the caller (views use
:func:`duban.tasks.access.visible_tasks`); builders take the querysets they are given.
"""
from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db.models import Count, OuterRef, Q, QuerySet, Subquery
from django.template import Context, Template
from django.utils import timezone

from duban.core.models import Office
from duban.core.office import current_office, status_vocabulary
from duban.documents import gbt9704
from duban.documents.defaults import DEFAULT_TEMPLATES
from duban.documents.gbt9704 import Document, Header, Heading, Item, Paragraph, SubTitle, chinese_date
from duban.documents.models import Briefing, DocumentTemplate
from duban.ingest.status import parse_status
from duban.letters.models import Letter
from duban.supervision import schedule
from duban.tasks.models import Task, TaskUnit
from duban.tasks.reporting.models import ProgressReport
from duban.tasks.status import statuses_on

CHINESE_NUMERALS = "一二三四五六七八九十"
# A bulletin names at most this many behind or overdue tasks; beyond them it counts them by lead unit.
BULLETIN_ITEMS = 50
# The bulletin figure each status counts in (TaskQuerySet.status_counts; ahead counts as on schedule).
FIGURE_OF = {Task.Status.NOT_STARTED: "not_started", Task.Status.ON_SCHEDULE: "on_schedule",
             Task.Status.AHEAD: "on_schedule", Task.Status.BEHIND: "behind", Task.Status.OVERDUE: "overdue",
             Task.Status.DONE: "done", Task.Status.SUSPENDED: "suspended"}
# Words that open 落实情况 when the configured vocabulary has none the parser reads back (GUIDE §5).
REPORT_WORDS = {
    "not_started": "未启动",
    "on_schedule": "序时推进",
    "ahead": "超进度",
    "behind": "滞后序时",
    "overdue": "进展滞后",
    "done": "已完成",
    "done_ongoing": "已完成并长期坚持",
    "suspended": "未完成",
}
_SIGNED = re.compile(r"^\d{4}年\d{1,2}月\d{1,2}日$")


def fonts() -> dict[str, str]:
    """The font of each role: GB/T 9704 names, overridden by settings.DUBAN_DOC_FONTS."""
    return {**gbt9704.FONTS, **getattr(settings, "DUBAN_DOC_FONTS", {})}


def render(document: Document) -> bytes:
    return gbt9704.render(document, fonts=fonts())


# --- templates -----------------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Parts:
    """A DocumentTemplate with every field rendered."""

    header: str
    number: str
    title: str
    addressee: str
    intro: str
    closing: str
    signature: str
    copy_to: str
    printed_by: str


def template_parts(kind: str, context: Mapping[str, Any]) -> Parts:
    """The office's template for ``kind`` (or the built-in one) rendered with ``context``."""
    row = DocumentTemplate.objects.filter(kind=kind).values(*DEFAULT_TEMPLATES[kind]).first()
    texts = row or DEFAULT_TEMPLATES[kind]
    ctx = Context(dict(context), autoescape=False)
    return Parts(**{name: Template(texts[name]).render(ctx).strip() for name in DEFAULT_TEMPLATES[kind]})


def base_context(as_of: dt.date, office: Office | None = None) -> dict[str, Any]:
    """What every template may use; ``office`` is the office's record (``{{ office }}`` is its name)."""
    return {"as_of": chinese_date(as_of), "as_of_date": as_of, "year": as_of.year,
            "today": chinese_date(timezone.localdate()), "office": office or current_office()}


def _paragraphs(text: str) -> list[Paragraph]:
    return [Paragraph(line.strip(" \u3000")) for line in text.splitlines() if line.strip(" \u3000")]


def _header(parts: Parts, **extra: Any) -> Header | None:
    return Header(parts.header, parts.number, **extra) if parts.header else None


# --- the 落实情况 report -------------------------------------------------------------------------------------------

def status_word(status: str, ongoing: bool) -> str:
    """The opening words of 落实情况: the configured vocabulary's when the parser reads them back."""
    key = "done_ongoing" if status == Task.Status.DONE and ongoing else status
    word = schedule.display(key, status_vocabulary())
    return word if parse_status(word + "。") else REPORT_WORDS[key]


def latest_accepted(as_of: dt.date) -> QuerySet[ProgressReport]:
    """The reports known on ``as_of`` (ProgressReport.objects.known_on), newest first, per task."""
    return ProgressReport.objects.known_on(as_of).filter(task=OuterRef("pk")).order_by("-period_end", "-id")


def units_line(task: Task) -> str:
    """Lead units, then supporting units, as the seed writes 责任单位 (task_units prefetched in order)."""
    ordered = sorted(task.task_units.all(), key=lambda tu: (tu.role != TaskUnit.Role.LEAD, tu.order))
    return "、".join(tu.unit.display_name for tu in ordered)


def progress_text(task: Task, progress: str | None) -> str:
    word = status_word(task.status, task.ongoing)
    text = (progress or "").strip()
    if match := parse_status(text):  # the report opened with its own status word: the task's status wins
        text = match.rest
    return f"{word}。{text}" if text else f"{word}。"


def as_of_statuses(tasks: list[Task], as_of: dt.date) -> list[Task]:
    """``tasks`` with the status each had at the end of ``as_of`` (duban.tasks.status): a report dated in
    the past reads as it would have read that day. A task's status reason is dropped where it changed since."""
    then = statuses_on(as_of, [t.pk for t in tasks])
    for task in tasks:
        if task.pk in then and then[task.pk] != task.status:
            task.ongoing = task.ongoing and then[task.pk] == Task.Status.DONE
            task.status, task.status_reason = then[task.pk], ""
    return tasks


def report_tasks(tasks: QuerySet[Task], as_of: dt.date) -> QuerySet[Task]:
    """``tasks`` in tree order with units and the latest accepted progress: two queries."""
    return (tasks.known_on(as_of).order_by("path").with_units()
            .annotate(latest_progress=Subquery(latest_accepted(as_of).values("progress")[:1])))


def _sections(tasks: list[Task]) -> dict[str, Task]:
    paths = {p for t in tasks for p in t.ancestor_paths}
    return {t.path: t for t in Task.objects.filter(path__in=paths)} if paths else {}


def _source_title(tasks: list[Task]) -> str:
    sources = {t.source_id for t in tasks}
    if len(sources) != 1 or None in sources:
        return ""
    title = Task.objects.filter(pk=tasks[0].pk).values_list("source__title", flat=True).first()
    return title or ""


def build_report(tasks: QuerySet[Task], as_of: dt.date) -> Document:
    """The 落实情况 report (seed 001): 一、/(一) headings, numbered tasks, 责任单位 and 落实情况 lines."""
    rows = as_of_statuses(list(report_tasks(tasks, as_of)), as_of)
    sections = _sections(rows)
    done = sum(t.status == Task.Status.DONE for t in rows)
    context = {**base_context(as_of), "source_title": _source_title(rows), "task_count": len(rows),
               "done": done, "open": len(rows) - done}
    parts = template_parts("report", context)
    blocks: list[Any] = _paragraphs(parts.intro)
    shown: list[str] = []
    for task in rows:
        heads = [sections[p] for p in task.ancestor_paths if p in sections and sections[p].is_heading]
        paths = [h.path for h in heads]
        depth = 0
        while depth < min(len(paths), len(shown)) and paths[depth] == shown[depth]:
            depth += 1
        for head in heads[depth:]:
            level = 1 if head.kind == Task.Kind.SECTION else 2
            blocks.append(Heading(level, f"{head.label}{head.heading}"))
        shown = paths
        blocks.append(Item(task.label or "", task.text))
        blocks.append(Paragraph(units_line(task) or "—", lead="责任单位:"))
        blocks.append(Paragraph(progress_text(task, task.latest_progress), lead="落实情况:"))
    blocks += _paragraphs(parts.closing)
    return Document(title=parts.title, header=_header(parts), addressee=parts.addressee, blocks=blocks,
                    subtitle=f"(截至{chinese_date(as_of)})", signature=parts.signature, date=as_of,
                    copy_to=parts.copy_to, printed_by=parts.printed_by, printed_on=as_of)


# --- the 督查通报 ---------------------------------------------------------------------------------------------------

def bulletin_figures(tasks: QuerySet[Task]) -> dict[str, int]:
    """Headline figures of ``tasks`` (actionable ones), in one query; ``tasks`` is the total, the name the
    office's bulletin templates use."""
    figures = tasks.status_counts()
    figures["tasks"] = figures.pop("total")
    return figures


def bulletin_rankings(as_of: dt.date) -> list | None:
    """Rankings from the assessment app, or None when rankings are off (the default) or it is not there."""
    try:
        from duban.assessment.services import bulletin_rankings as rankings
    except (ImportError, AttributeError):
        return None
    return rankings(as_of)


def _get(row: Any, *names: str) -> Any:
    for name in names:
        value = row.get(name) if isinstance(row, Mapping) else getattr(row, name, None)
        if value not in (None, ""):
            return value
    return None


def ranking_line(position: int, row: Any) -> str:
    """`1.区住建局 98.5分(红榜)` from a ranking row (assessment's RankRow, or a mapping with the same names)."""
    unit = _get(row, "unit_name", "name", "unit") or ""
    unit = getattr(unit, "display_name", unit)
    score = _get(row, "score", "total")
    rank = _get(row, "rank") or position
    marks = "".join(mark for flag, mark in (("honour", "(红榜)"), ("warning", "(黑榜)")) if _get(row, flag))
    points = f" {float(score):g}分" if score is not None else ""
    return f"{rank}.{unit}{points}{marks}"


def _late_by_unit(late: QuerySet[Task], top: int = 10) -> str:
    """The lead units with the most behind or overdue tasks, for a bulletin too long to list them all."""
    rows = (TaskUnit.objects.filter(task__in=late.values("pk"), role=TaskUnit.Role.LEAD)
            .values("unit__name", "unit__short_name").annotate(n=Count("pk")).order_by("-n", "unit__name")[:top])
    return "、".join(f"{r['unit__short_name'] or r['unit__name']}{r['n']}项" for r in rows)


def build_bulletin(tasks: QuerySet[Task], as_of: dt.date, rankings: list | None = None) -> Document:
    """督查通报: the figures, what is behind or overdue and whose it is, the letters issued, and rankings when
    the assessment app gives them (``rankings`` None: left out). Titled after the source when all ``tasks``
    come from one."""
    actionable = tasks.actionable().known_on(as_of)
    figures = bulletin_figures(actionable)
    late_statuses = (Task.Status.BEHIND, Task.Status.OVERDUE)
    late_qs = actionable.filter(status__in=late_statuses)
    if then := statuses_on(as_of):
        # Dated in the past: count and list the tasks by the status each had that day.
        changed = actionable.filter(pk__in=list(then)).values_list("pk", "status", "ongoing")
        for pk, status, ongoing in changed:
            figures[FIGURE_OF[status]] -= 1
            figures[FIGURE_OF[then[pk]]] += 1
            figures["ongoing"] -= status == Task.Status.DONE and ongoing and then[pk] != Task.Status.DONE
        late_qs = actionable.filter((Q(status__in=late_statuses) & ~Q(pk__in=list(then)))
                                    | Q(pk__in=[pk for pk, was in then.items() if was in late_statuses]))
    late = as_of_statuses(list(late_qs.order_by("-status", "path").with_units()[:BULLETIN_ITEMS]), as_of)
    more = figures["behind"] + figures["overdue"] - len(late)
    letters = Letter.objects.filter(issued_on__lte=as_of, year=as_of.year)
    by_kind = {(row["kind"], row["level"]): row["n"] for row in letters.values("kind", "level").annotate(
        n=Count("pk")).order_by()}
    unanswered = letters.filter(acknowledged_at__isnull=True).count()
    by_unit = list(letters.values("unit__name", "unit__short_name").annotate(n=Count("pk"))
                   .order_by("-n", "unit__name")[:20])
    figures["letters"] = sum(by_kind.values())
    sources = list(actionable.order_by().values_list("source__title", flat=True).distinct()[:2])
    parts = template_parts("bulletin", {**base_context(as_of), "figures": figures,
                                        "source_title": sources[0] if len(sources) == 1 and sources[0] else ""})

    f = figures
    blocks: list[Any] = _paragraphs(parts.intro)
    blocks.append(Heading(1, "一、总体情况"))
    blocks.append(Paragraph(
        f"截至{chinese_date(as_of)}，共有重点任务{f['tasks']}项。其中，已完成{f['done']}项"
        f"（含已完成并长期坚持{f['ongoing']}项），序时推进{f['on_schedule']}项，滞后序时{f['behind']}项，"
        f"逾期未完成{f['overdue']}项，尚未启动{f['not_started']}项"
        + (f"，暂缓{f['suspended']}项" if f["suspended"] else "") + "。"))
    blocks.append(Heading(1, "二、滞后和逾期事项"))
    if late:
        for task in late:
            blocks.append(Item(task.label, task.text))
            lead = "、".join(u.display_name for u in task.lead_units)
            state = "已逾期" if task.status == Task.Status.OVERDUE else "滞后序时进度"
            # the reason carries its own brackets (完成时限 …), so it follows a comma rather than nesting
            reason = f"，{task.status_reason}" if task.status_reason else ""
            blocks.append(Paragraph(f"{lead or '—'}。{state}{reason}。", lead="牵头单位:"))
        if more > 0:
            blocks.append(Paragraph(f"另有{more}项滞后或逾期事项，较多的单位是：{_late_by_unit(late_qs)}。详见台账。"))
    else:
        blocks.append(Paragraph("无滞后和逾期事项。"))
    blocks.append(Heading(1, "三、督办函件情况"))
    reminders = by_kind.get(("reminder", ""), 0)
    urges = by_kind.get(("urge", ""), 0)
    colours = {level: by_kind.get(("escalate", level), 0) for level in ("blue", "yellow", "red")}
    blocks.append(Paragraph(
        f"{as_of.year}年以来，共发出提示函{reminders}件、催办函{urges}件、督办单{sum(colours.values())}件"
        f"（蓝色{colours['blue']}件、黄色{colours['yellow']}件、红色{colours['red']}件），"
        f"尚有{unanswered}件未签收。"))
    if by_unit:
        blocks.append(Paragraph("收到函件较多的单位：" + "，".join(
            f"{row['unit__short_name'] or row['unit__name']}{row['n']}件" for row in by_unit) + "。"))
    number = 4
    if rankings:
        blocks.append(Heading(1, f"{CHINESE_NUMERALS[number - 1]}、考核排名"))
        blocks += [Paragraph(ranking_line(i, row)) for i, row in enumerate(rankings, 1)]
        number += 1
    if parts.closing:
        blocks.append(Heading(1, f"{CHINESE_NUMERALS[number - 1]}、下一步要求"))
        blocks += _paragraphs(parts.closing)
    return Document(title=parts.title, header=_header(parts), addressee=parts.addressee, blocks=blocks,
                    signature=parts.signature, date=as_of, copy_to=parts.copy_to, printed_by=parts.printed_by,
                    printed_on=as_of)


# --- 督办函 -----------------------------------------------------------------------------------------------------------

KIND_NAMES = {"reminder": "提示函", "urge": "催办函", "escalate": "督办单"}


def _letter_body(body: str) -> tuple[str, list[str], str]:
    """Split a letter's text into (addressee, paragraphs, signing office): the letter templates write the
    addressee first (`区住建局:`) and the office and date last."""
    lines = [line.strip(" \u3000") for line in body.splitlines() if line.strip(" \u3000")]
    addressee = office = ""
    if lines and lines[0].endswith((":", "：")) and len(lines[0]) <= 60:
        addressee = lines.pop(0)[:-1]
    if lines and _SIGNED.match(lines[-1]):
        lines.pop()
        if lines and len(lines[-1]) <= 30:
            office = lines.pop()
    return addressee, lines, office


def build_letter(letter: Letter, office: Office | None = None) -> Document:
    """A numbered 督办函 (unit selected): number, title, the unit as 主送, body, office and date. The letter's
    own closing line signs it when it has one."""
    addressee, paragraphs, signed_by = _letter_body(letter.body)
    context = base_context(letter.issued_on, office)
    context.update({"letter": letter, "kind_name": KIND_NAMES.get(letter.kind, ""),
                    "addressee": addressee or letter.unit.name, "signed_by": signed_by})
    parts = template_parts("letter", context)
    return Document(title=parts.title, header=_header(parts), addressee=parts.addressee,
                    blocks=[Paragraph(p) for p in paragraphs] + _paragraphs(parts.closing),
                    signature=parts.signature, date=letter.issued_on, copy_to=parts.copy_to,
                    printed_by=parts.printed_by, printed_on=letter.issued_on if parts.printed_by else None)


def build_letters(letters: Iterable[Letter]) -> Document:
    """All ``letters`` in one document, each on a new page."""
    office = current_office()
    return gbt9704.combine(build_letter(letter, office) for letter in letters)


# --- 简报 -------------------------------------------------------------------------------------------------------------

def briefing_items(tasks: QuerySet[Task], as_of: dt.date, column: str = "") -> list[dict[str, Any]]:
    """Items for a briefing from the chosen tasks: a headline, the lead unit and the latest accepted progress,
    under ``column`` (栏目, e.g. 工作动态) if given."""
    items = []
    for task in as_of_statuses(list(report_tasks(tasks, as_of)), as_of):
        lead = "、".join(u.display_name for u in task.lead_units)
        headline = re.split(r"[,,。;;]", task.text, maxsplit=1)[0][:40]
        text = progress_text(task, task.latest_progress)
        items.append({"task": task.pk, "column": column, "headline": headline, "unit": lead, "text": text})
    return items


def build_briefing(briefing: Briefing) -> Document:
    """A briefing like seeds 000 and 003: 期数, 编发单位 and date above the red rule, 编者按, then items."""
    context = {**base_context(briefing.issued_on), "issue": briefing}
    parts = template_parts("briefing", context)
    header = Header(parts.header or "简报", parts.number, issuer=parts.signature, date=briefing.issued_on)
    blocks: list[Any] = []
    if briefing.lead:
        lines = _paragraphs(briefing.lead)
        blocks.append(Paragraph(lines[0].text, lead="编者按:", font="h2"))
        blocks += [Paragraph(p.text, font="h2") for p in lines[1:]]
    blocks += _paragraphs(parts.intro)
    column = ""
    for item in briefing.items:
        if item.get("column") and item["column"] != column:  # 【典型推介】 above the first item of a column
            column = item["column"]
            blocks.append(Paragraph(f"【{column}】", indent=False, font="h1"))
        blocks.append(SubTitle(item.get("headline", "")))
        if item.get("unit"):
            blocks.append(Paragraph(f"({item['unit']})", align="center", font="h2"))
        blocks += _paragraphs(item.get("text", ""))
    blocks += _paragraphs(parts.closing)
    return Document(title=parts.title, header=header, blocks=blocks, copy_to=parts.copy_to,
                    printed_by=parts.printed_by, printed_on=briefing.issued_on)
