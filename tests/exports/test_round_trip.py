"""The exported 台账 reads back through the import pipeline unchanged (issue 5: round trip without loss)."""
from __future__ import annotations

import datetime as dt
from pathlib import Path

from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import load_workbook

from duban import ingest
from duban.imports.preview import build_rows
from duban.imports.resolution import Resolver
from duban.imports.services import apply_draft, create_draft
from duban.tasks.importer import STATUS_FROM_INGEST
from duban.tasks.models import SourceDocument, Task
from duban.units.services import find_unit


def _upload(user, path: Path, name: str = "台账.xlsx"):
    return create_draft(user("supervisor"), SimpleUploadedFile(name, path.read_bytes()))


def test_parse_gives_the_database_back(demo_ledger) -> None:
    doc = ingest.parse_file(demo_ledger)
    tasks = list(Task.objects.actionable().with_units().order_by("path"))
    assert doc.title == SourceDocument.objects.get().title
    assert doc.date == dt.date(2026, 8, 31)
    assert len(doc.tasks) == len(tasks) == 78
    resolver = Resolver()
    for parsed, task in zip(doc.tasks, tasks):
        assert parsed.number == task.number
        assert parsed.text == task.text
        assert parsed.heading == task.heading
        assert [u.pk for n in parsed.lead_units for u in resolver.linked(n)] == [u.pk for u in task.lead_units]
        assert [u.pk for n in parsed.support_units for u in resolver.linked(n)] == [u.pk for u in task.support_units]
        assert (parsed.deadline, parsed.deadline_text or "") == (task.deadline, task.deadline_text)
        assert (STATUS_FROM_INGEST[parsed.status], parsed.ongoing) == (task.status, task.ongoing), task.number
        assert not parsed.review_reasons


def test_upload_again_shows_every_task_unchanged_and_applying_changes_nothing(demo_ledger, user) -> None:
    draft = _upload(user, demo_ledger)
    assert draft.previous == SourceDocument.objects.get()
    rows, removed, summary = build_rows(draft)
    assert summary["tasks"] == 78
    assert [r.change.fields for r in rows if r.change.state != "unchanged"] == []
    assert (summary["unchanged"], summary["changed"], summary["new"], removed) == (78, 0, 0, [])
    assert summary["flagged"] == 0 and summary["new_units"] == 0

    before = list(Task.objects.order_by("path").values_list("path", "text", "deadline", "deadline_text", "status",
                                                            "ongoing", "version"))
    result = apply_draft(user("supervisor"), draft, draft.version)
    assert (result.created, result.updated, result.unchanged, result.missing) == (0, 0, 78, 0)
    assert SourceDocument.objects.count() == 1
    after = list(Task.objects.order_by("path").values_list("path", "text", "deadline", "deadline_text", "status",
                                                           "ongoing", "version"))
    assert after == before


def test_one_edited_deadline_is_exactly_one_change(demo_ledger, user, tmp_path) -> None:
    workbook = load_workbook(demo_ledger)
    sheet = workbook.worksheets[0]
    row = next(r for r in sheet.iter_rows(min_row=4) if r[0].value == 7)
    row[5].value = "2027年6月30日"
    edited = tmp_path / "edited.xlsx"
    workbook.save(edited)

    rows, _removed, summary = build_rows(_upload(user, edited, "台账-改.xlsx"))
    changed = [r for r in rows if r.change.state == "changed"]
    assert (summary["changed"], summary["unchanged"]) == (1, 77)
    assert changed[0].item["number"] == "7"
    assert "deadline" in changed[0].change.fields
    assert changed[0].item["deadline"] == "2027-06-30"


def test_liaison_ledger_reads_back_as_their_tasks(db, user, tmp_path) -> None:
    from duban.exports.registry import LEDGER

    path = tmp_path / "zhujian.xlsx"
    with path.open("wb") as target:
        rows = LEDGER.write(user("zhujian"), {"as_of": "2026-11-18"}, target, None)
    doc = ingest.parse_file(path)
    assert rows == len(doc.tasks) == 9
    name = find_unit("区住建局").name
    assert all(name in t.lead_units + t.support_units for t in doc.tasks)


def test_ingest_reads_the_ledgers_own_words_and_date_cells(tmp_path) -> None:
    """The two reading rules the round trip needs: Duban's status words in a 状态 cell, and a date-typed 完成时限
    cell that is a date without words (so no deadline text appears that the database never had)."""
    import xlsxwriter

    from duban.ingest.status import parse_status_cell

    assert [(m.status, m.ongoing) for m in map(parse_status_cell, ("超序时", "逾期", "暂缓", "已完成并长期坚持"))] == [
        ("ahead", False), ("overdue", False), ("suspended", False), ("done", True)]
    path = tmp_path / "dates.xlsx"
    workbook = xlsxwriter.Workbook(str(path))
    sheet = workbook.add_worksheet()
    sheet.write_row(0, 0, ["序号", "任务内容", "牵头单位", "完成时限", "状态"])
    sheet.write_row(1, 0, [1, "建成一座公园。", "区城管局"])
    sheet.write_datetime(1, 3, dt.date(2026, 12, 31), workbook.add_format({"num_format": "yyyy-mm-dd"}))
    sheet.write_row(1, 4, ["逾期"])
    sheet.write_row(2, 0, [2, "建成两座公园。", "区城管局", "2026年12月31日", "超序时"])
    workbook.close()
    first, second = ingest.parse_file(path, date=dt.date(2026, 3, 1)).tasks
    assert (first.deadline, first.deadline_text, first.status) == (dt.date(2026, 12, 31), None, "overdue")
    assert (second.deadline, second.deadline_text, second.status) == (dt.date(2026, 12, 31), "2026年12月31日", "ahead")


def test_the_leader_column_reads_back_to_the_leader_accounts(demo_ledger, user, tmp_path) -> None:
    """责任领导 names become the leader accounts of those names; a new name changes a task's leader, a name
    without an account (or an empty cell) clears none."""
    from duban.people.models import User

    deputy = User.objects.create_user("zhao", display_name="赵副区长", role="leader")
    workbook = load_workbook(demo_ledger)
    sheet = workbook.worksheets[0]
    rows = {r[0].value: r for r in sheet.iter_rows(min_row=4) if isinstance(r[0].value, int)}
    led = next(n for n, r in rows.items() if r[4].value == "王副区长")
    unled = next(n for n, r in rows.items() if not r[4].value)
    rows[led][4].value = "赵副区长"
    rows[unled][4].value = "某副区长"  # no account of that name
    edited = tmp_path / "leaders.xlsx"
    workbook.save(edited)

    draft = _upload(user, edited, "台账-领导.xlsx")
    rows_, _removed, summary = build_rows(draft)
    assert [(r.item["number"], r.change.fields) for r in rows_ if r.change.state == "changed"] == [
        (str(led), ["leader"])]
    apply_draft(user("supervisor"), draft, draft.version)
    task = Task.objects.actionable().get(number=str(led), source=draft.previous)
    assert task.leader == deputy
    assert Task.objects.actionable().get(number=str(unled), source=draft.previous).leader is None


def test_a_new_ledger_sets_the_leaders_it_names(db, user, tmp_path) -> None:
    """Imported into an office that never had it, the 责任领导 column still lands on the leader accounts."""
    import xlsxwriter

    path = tmp_path / "new.xlsx"
    workbook = xlsxwriter.Workbook(str(path))
    sheet = workbook.add_worksheet()
    sheet.write_row(0, 0, ["序号", "任务内容", "牵头单位", "责任领导", "完成时限"])
    sheet.write_row(1, 0, [1, "新建公园三座。", "区城管局", "王副区长", "2027年6月30日"])
    sheet.write_row(2, 0, [2, "新建绿道十公里。", "区城管局", "某副区长", "2027年6月30日"])
    workbook.close()
    draft = _upload(user, path, "新台账.xlsx")
    result = apply_draft(user("supervisor"), draft, draft.version)
    first, second = Task.objects.actionable().filter(source=result.source).order_by("path")
    assert first.leader == user("leader") and second.leader is None
