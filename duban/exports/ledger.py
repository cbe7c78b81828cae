"""The Excel 台账 (ledger): one row per task under merged section rows, in the layout offices already keep.

Streamed: XlsxWriter's constant-memory mode flushes each row to a temporary file as soon as the next begins
(a merged section row is one row, so merging works in that mode), and tasks are read with
``.iterator(chunk_size=…)`` so a province's 50,000 tasks never sit in memory. (openpyxl's write-only mode can
merge too, through ``sheet.merged_cells``, but with a style on every cell it took 2.5 times as long.) Each chunk
costs a fixed number of queries: its units and the section headings above it; the tasks themselves (with the
latest accepted progress as a subquery) are one streamed query.

The file reads back through ``duban.ingest`` unchanged: the header row uses the column names the parser knows,
section rows are merged across the table, and the 完成时限 cell holds the deadline as written, or a real date
when there is no text (so nothing is invented).
"""
from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, BinaryIO

import xlsxwriter
from django.db.models import OuterRef, QuerySet, Subquery
from django.utils import translation

from duban.supervision.dates import chinese_date
from duban.tasks.models import Task, TaskUnit
from duban.tasks.reporting.models import ProgressReport
from duban.tasks.status import statuses_on

COLUMNS: tuple[tuple[str, float], ...] = (
    ("序号", 6), ("任务内容", 60), ("牵头单位", 16), ("配合单位", 22), ("责任领导", 10), ("完成时限", 13),
    ("进展情况", 60), ("状态", 12),
)
CHUNK = 2000
DEFAULT_TITLE = "重点任务台账"
DATE_FORMAT = 'yyyy"年"m"月"d"日"'
MAX_CELL = 32767  # Excel's limit on the characters of one cell
# Brackets typeset the Chinese way; the parser reads （一） and (一) alike.
SUBSECTION_LABEL = "（{}）"



def _formats(workbook: xlsxwriter.Workbook) -> dict[str, Any]:
    base = {"font_name": "宋体", "font_size": 10, "border": 1, "text_wrap": True, "valign": "top"}
    return {
        "title": workbook.add_format({"font_name": "宋体", "font_size": 16, "bold": True, "align": "center",
                                      "valign": "vcenter"}),
        "note": workbook.add_format({"font_name": "宋体", "font_size": 10, "align": "right", "valign": "vcenter"}),
        "header": workbook.add_format({**base, "font_name": "黑体", "font_size": 11, "bold": True, "align": "center",
                                       "valign": "vcenter"}),
        "section": workbook.add_format({**base, "font_name": "黑体", "font_size": 11, "bold": True,
                                        "valign": "vcenter"}),
        "cell": workbook.add_format(base),
        "center": workbook.add_format({**base, "align": "center"}),
        "date": workbook.add_format({**base, "align": "center", "num_format": DATE_FORMAT}),
    }


@dataclass(slots=True)
class _Row:
    """One task as the ledger needs it: plain values, no model instance (they cost more than the writing)."""

    pk: int
    path: str
    number: str
    text: str
    deadline: dt.date | None
    deadline_text: str
    status: str
    ongoing: bool
    leader: str
    progress: str
    lead: list[str] = field(default_factory=list)
    support: list[str] = field(default_factory=list)

    @property
    def ancestor_paths(self) -> list[str]:
        parts = self.path.split(".")
        return [".".join(parts[:i]) for i in range(1, len(parts))]


_FIELDS = ("pk", "path", "number", "text", "deadline", "deadline_text", "status", "ongoing",
           "leader__display_name", "leader__first_name", "leader__last_name", "leader__username", "ledger_progress")


def _status_labels() -> dict[tuple[str, bool], str]:
    """Every status in the office's words, worked out once rather than per row."""
    with translation.override("zh-hans"):
        return {(status, ongoing): Task(status=status, ongoing=ongoing).status_label
                for status in Task.Status.values for ongoing in (False, True)}


def _ledger_queryset(tasks: QuerySet[Task], as_of: dt.date, reports: QuerySet[ProgressReport] | None
                     ) -> QuerySet[Task]:
    latest = ((reports if reports is not None else ProgressReport.objects.all()).known_on(as_of)
              .filter(task=OuterRef("pk")).order_by("-period_end", "-id").values("progress")[:1])
    return (
        tasks.filter(kind__in=(Task.Kind.TASK, Task.Kind.SUBTASK))
        .annotate(ledger_progress=Subquery(latest))
        .order_by("path")
    )


def _chunks(qs: QuerySet[Task], size: int, then: dict[int, str]) -> Iterator[list[_Row]]:
    """Rows in chunks of ``size``, each with its units (one query per chunk on top of the streamed tasks);
    ``then``: the statuses as of the ledger's date of the tasks that changed since (duban.tasks.status)."""
    def flush(chunk: list[_Row]) -> list[_Row]:
        by_pk = {row.pk: row for row in chunk}
        for task_id, role, name in (TaskUnit.objects.filter(task_id__in=by_pk).order_by("task_id", "order", "id")
                                    .values_list("task_id", "role", "unit__name")):
            (by_pk[task_id].lead if role == TaskUnit.Role.LEAD else by_pk[task_id].support).append(name)
        return chunk

    chunk: list[_Row] = []
    for (pk, path, number, text, deadline, deadline_text, status, ongoing, display, first, last, username,
         progress) in qs.values_list(*_FIELDS).iterator(chunk_size=size):
        leader = display or f"{last or ''}{first or ''}" or username or ""
        if pk in then:
            status, ongoing = then[pk], ongoing and then[pk] == Task.Status.DONE
        chunk.append(_Row(pk, path, number, text, deadline, deadline_text, status, ongoing, leader, progress or ""))
        if len(chunk) == size:
            yield flush(chunk)
            chunk = []
    if chunk:
        yield flush(chunk)


def _heading_text(kind: str, number: str, heading: str) -> str:
    if not number:
        return heading
    if kind == Task.Kind.SECTION:
        return f"{number}、{heading}"
    return f"{SUBSECTION_LABEL.format(number)}{heading}"


def _title_and_date(tasks: QuerySet[Task], title: str | None, as_of: dt.date) -> tuple[str, str]:
    """The sheet title and the line under it. With one source document the title is the source's, so that
    importing the ledger again revises that source; its date anchors relative deadlines (年底前) as before."""
    sources = list(tasks.order_by().values_list("source__title", "source__date").distinct()[:2])
    note = f"数据截至{chinese_date(as_of)}"
    if len(sources) == 1 and sources[0][0]:
        source_title, source_date = sources[0]
        if source_date:
            note = f"成文日期:{chinese_date(source_date)}    {note}"
        return title or source_title, note
    return title or DEFAULT_TITLE, note


def write_ledger(
    tasks: QuerySet[Task],
    target: str | Path | BinaryIO,
    *,
    as_of: dt.date,
    title: str | None = None,
    progress: Callable[[int, int], None] | None = None,
    reports: QuerySet[ProgressReport] | None = None,
    chunk_size: int = CHUNK,
) -> int:
    """Write the ledger of ``tasks`` (section headings are added from the tree) to ``target``; rows written.

    ``reports`` limits whose progress texts may appear (a liaison sees only their unit's reports);
    ``progress(done, total)`` is called after each chunk.
    """
    qs = _ledger_queryset(tasks, as_of, reports)
    total = qs.order_by().count() if progress else 0
    sheet_title, note = _title_and_date(tasks, title, as_of)
    labels = _status_labels()

    workbook = xlsxwriter.Workbook(str(target) if isinstance(target, (str, Path)) else target,
                                   {"constant_memory": True, "strings_to_numbers": False,
                                    "strings_to_formulas": False, "strings_to_urls": False})
    formats = _formats(workbook)
    sheet = workbook.add_worksheet("台账")
    for index, (_, chars) in enumerate(COLUMNS):
        sheet.set_column(index, index, chars)
    last = len(COLUMNS) - 1
    sheet.freeze_panes(3, 0)
    sheet.repeat_rows(2)
    sheet.set_landscape()
    sheet.set_paper(9)  # A4
    sheet.fit_to_pages(1, 0)
    sheet.center_horizontally()
    sheet.set_margins(left=0.4, right=0.4)
    sheet.set_row(0, 32)
    sheet.merge_range(0, 0, 0, last, sheet_title, formats["title"])
    sheet.merge_range(1, 0, 1, last, note, formats["note"])
    sheet.write_row(2, 0, [name for name, _ in COLUMNS], formats["header"])
    row = 2
    written = 0
    emitted: set[str] = set()
    for chunk in _chunks(qs, chunk_size, statuses_on(as_of)):
        needed = {p for task in chunk for p in task.ancestor_paths if p not in emitted}
        headings = {path: (kind, number, heading) for path, kind, number, heading in Task.objects.filter(
            path__in=needed, kind__in=(Task.Kind.SECTION, Task.Kind.SUBSECTION)).values_list(
            "path", "kind", "number", "heading")} if needed else {}
        for task in chunk:
            for path in task.ancestor_paths:
                if path in emitted:
                    continue
                emitted.add(path)
                if path in headings:
                    row += 1
                    sheet.merge_range(row, 0, row, last, _heading_text(*headings[path]), formats["section"])
            row += 1
            written += 1
            _write_task(sheet, row, task, formats, labels)
        if progress:
            progress(written, total)
    workbook.close()
    return written


def _write_task(sheet: Any, row: int, task: _Row, formats: dict[str, Any],
                labels: dict[tuple[str, bool], str]) -> None:
    cell, center = formats["cell"], formats["center"]

    def text(col: int, value: str, fmt: Any) -> None:
        if value:
            sheet.write_string(row, col, value[:MAX_CELL], fmt)
        else:
            sheet.write_blank(row, col, None, fmt)  # keeps the border

    if task.number.isdigit() and len(task.number) < 10 and str(int(task.number)) == task.number:
        sheet.write_number(row, 0, int(task.number), center)
    else:
        text(0, task.number, center)
    text(1, task.text, cell)
    text(2, "、".join(task.lead), cell)
    text(3, "、".join(task.support), cell)
    text(4, task.leader, center)
    if task.deadline_text:
        text(5, task.deadline_text, center)
    elif task.deadline:
        sheet.write_datetime(row, 5, task.deadline, formats["date"])
    else:
        sheet.write_blank(row, 5, None, center)
    text(6, task.progress, cell)
    text(7, labels.get((task.status, task.ongoing and task.status == Task.Status.DONE), task.status), center)
