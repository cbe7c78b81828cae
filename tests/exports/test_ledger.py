"""The 台账 file itself: columns, merged title and section rows, one row per task, the cell contents."""
from __future__ import annotations

import datetime as dt
import io

from django.utils import timezone
from openpyxl import load_workbook

from duban.exports.ledger import COLUMNS, write_ledger
from duban.tasks.models import Task, TaskUnit
from duban.tasks.reporting.models import ProgressReport
from duban.tasks.reporting.services import record_report
from tests.exports.conftest import AS_OF, sheet_rows

HEADER = ("序号", "任务内容", "牵头单位", "配合单位", "责任领导", "完成时限", "进展情况", "状态")


def test_columns_title_and_merged_section_rows(demo_ledger) -> None:
    sheet = load_workbook(demo_ledger).worksheets[0]
    rows = list(sheet.iter_rows(values_only=True))
    assert tuple(name for name, _ in COLUMNS) == HEADER
    assert rows[0][0] == "青云谱区2026年《政府工作报告》重点任务落实情况"
    assert rows[1][0] == "成文日期:2026年8月31日    数据截至2026年11月18日"
    assert rows[2] == HEADER
    merged = {str(r) for r in sheet.merged_cells.ranges}
    assert {"A1:H1", "A2:H2"} <= merged
    # every section and subsection row is merged across all eight columns; there are 6 + 15 of them
    section_rows = [i + 1 for i, row in enumerate(rows[3:], start=3) if row[1] is None and row[0]]
    assert len(section_rows) == 21
    assert {f"A{r}:H{r}" for r in section_rows} == merged - {"A1:H1", "A2:H2"}
    assert rows[3][0] == "一、聚焦两手抓、两战赢,确保经济社会实现稳增长"
    assert rows[4][0] == "（一）抓实抓细强化疫情防控"


def test_one_row_per_task_in_tree_order(demo_ledger) -> None:
    task_rows = [row for row in sheet_rows(demo_ledger)[3:] if row[1] is not None]
    tasks = list(Task.objects.actionable().with_units().order_by("path"))
    assert len(task_rows) == len(tasks) == 78
    assert [row[0] for row in task_rows] == list(range(1, 79))
    for row, task in zip(task_rows, tasks):
        assert row[1] == task.text
        assert row[2] == "、".join(u.name for u in task.lead_units)
        assert (row[3] or "") == "、".join(u.name for u in task.support_units)


def test_cells_deadline_leader_status_and_latest_accepted_progress(db, user) -> None:
    task = Task.objects.actionable().filter(deadline__isnull=False, deadline_text="").order_by("path").first()
    task.deadline_text = ""
    task.leader = user("leader")
    task.status = Task.Status.OVERDUE
    task.save()
    written = Task.objects.filter(deadline_text="年底前").first()
    lead = task.task_units.get(role=TaskUnit.Role.LEAD).unit
    ProgressReport.objects.filter(task=task).delete()
    common = {"state": ProgressReport.State.ACCEPTED}
    record_report(None, task, lead, period_start=dt.date(2026, 9, 1), period_end=dt.date(2026, 9, 30),
                  progress="九月进展", **common)
    record_report(None, task, lead, period_start=dt.date(2026, 10, 1), period_end=dt.date(2026, 10, 31),
                  progress="十月进展", **common)
    # Accepted the day after the as-of date: not yet known then (the 落实情况 report's rule, known_on).
    record_report(None, task, lead, period_start=dt.date(2026, 11, 1), period_end=dt.date(2026, 11, 30),
                  progress="十一月进展(截至日后才采纳)", reviewed_at=dt.datetime(2026, 11, 19, 9, tzinfo=dt.UTC),
                  **common)
    record_report(None, task, lead, period_start=dt.date(2026, 8, 1), period_end=dt.date(2026, 8, 31),
                  progress="退回的报送", state=ProgressReport.State.RETURNED)
    buffer = io.BytesIO()
    write_ledger(Task.objects.filter(pk__in=[task.pk, written.pk]), buffer, as_of=AS_OF)
    sheet = load_workbook(io.BytesIO(buffer.getvalue())).worksheets[0]
    rows = {row[0].value: row for row in sheet.iter_rows(min_row=4) if row[1].value}
    row = rows[int(task.number)]
    assert row[4].value == "王副区长"
    assert row[5].value == dt.datetime.combine(task.deadline, dt.time())
    assert row[5].number_format == 'yyyy"年"m"月"d"日"'
    assert row[6].value == "十月进展"
    assert row[7].value == "逾期"
    later = io.BytesIO()
    write_ledger(Task.objects.filter(pk=task.pk), later, as_of=dt.date(2026, 11, 19))
    cells = list(load_workbook(io.BytesIO(later.getvalue())).worksheets[0].iter_rows(values_only=True))
    assert [r[6] for r in cells if r[0] == int(task.number)] == ["十一月进展(截至日后才采纳)"]
    assert rows[int(written.number)][5].value == "年底前"
    assert rows[int(written.number)][4].value is None  # no leader: an empty cell, never "None"


def test_readable_layout(demo_ledger) -> None:
    sheet = load_workbook(demo_ledger).worksheets[0]
    assert sheet.freeze_panes == "A4"
    assert sheet.print_title_rows == "$3:$3"
    assert sheet.page_setup.orientation == "landscape"
    assert sheet.page_setup.paperSize == 9  # A4
    assert sheet.column_dimensions["B"].width > 40 and sheet.column_dimensions["A"].width < 10
    task_cell = sheet["B5"] if sheet["B5"].value else sheet["B6"]
    assert task_cell.alignment.wrap_text
    assert task_cell.border.left.style == "thin"


def test_empty_selection_writes_headers_only(db, tmp_path) -> None:
    path = tmp_path / "empty.xlsx"
    assert write_ledger(Task.objects.none(), path, as_of=timezone.localdate()) == 0
    rows = sheet_rows(path)
    assert rows[0][0] == "重点任务台账"
    assert rows[2] == HEADER and len(rows) == 3
