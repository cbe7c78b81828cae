"""Writes to the unit directory: rename keeps old names, merge moves everything, deactivate, import."""
from __future__ import annotations

import io

import pytest
from django.core.management import call_command
from openpyxl import Workbook, load_workbook

from duban.core.actions import Action
from duban.core.errors import ActionRefused
from duban.core.models import ActivityLog
from duban.ingest.readers.grid import grid_from_text, read_grid
from duban.people.models import User
from duban.tasks.models import TaskUnit
from duban.units import directory_import, services
from duban.units.directory_export import directory_xlsx
from duban.units.models import Unit
from duban.units.rows import read_unit_rows
from duban.units.services import find_unit


def _log(action: Action) -> list[ActivityLog]:
    return list(ActivityLog.objects.filter(action=action).order_by("seq"))


def test_a_renamed_unit_keeps_its_old_names(db) -> None:  # noqa: ANN001
    unit = find_unit("区住建局")
    old = unit.name
    services.update_unit(None, unit, version=unit.version, name="东湖区住房保障和城乡建设局", short_name="区住保局",
                         kind=unit.kind, parent=None)
    assert find_unit(old) == unit and find_unit("区住建局") == unit and find_unit("区住保局") == unit
    assert _log(Action.UNIT_UPDATE)[-1].after["name"] == "东湖区住房保障和城乡建设局"


def test_a_stale_edit_is_refused(db) -> None:  # noqa: ANN001
    unit = find_unit("区住建局")
    services.update_unit(None, unit, version=unit.version, name=unit.name, short_name="住建", kind=unit.kind)
    with pytest.raises(services.StaleUnit):
        services.update_unit(None, unit, version=unit.version - 1, name=unit.name, short_name="建设局",
                             kind=unit.kind)
    unit.refresh_from_db()
    assert unit.short_name == "住建"


def test_a_name_of_another_unit_is_refused(db) -> None:  # noqa: ANN001
    unit = find_unit("区住建局")
    with pytest.raises(ActionRefused, match="区人社局"):
        services.update_unit(None, unit, version=unit.version, name=unit.name, short_name=unit.short_name,
                             kind=unit.kind, aliases=["区人社局"])
    with pytest.raises(ActionRefused):
        services.create_unit(None, "东湖区新单位", short_name="区住建局")


def test_a_unit_cannot_sit_under_its_own_sub_unit(db) -> None:  # noqa: ANN001
    top = services.create_unit(None, "东湖区甲局")
    sub = services.create_unit(None, "东湖区甲局乙中心", parent=top)
    with pytest.raises(ActionRefused):
        services.update_unit(None, top, version=top.version, name=top.name, kind=top.kind, parent=sub)


def test_merging_moves_tasks_people_and_names(db) -> None:  # noqa: ANN001
    keep = find_unit("区住建局")
    dup = services.create_unit(None, "东湖区住房和城乡建设管理局", short_name="区建管局")
    task = TaskUnit.objects.exclude(task__task_units__unit=keep).select_related("task").first().task
    TaskUnit.objects.create(task=task, unit=dup, role=TaskUnit.Role.SUPPORT, order=9)
    person = User.objects.create_user("jianguan", role="liaison", unit=dup)
    leader = User.objects.get(username="leader")
    leader.oversees_units.add(dup, keep)  # overseeing both: one link stays
    services.merge_units(None, keep, dup, version=dup.version)
    assert list(leader.oversees_units.filter(pk__in=[keep.pk, dup.pk])) == [keep]
    assert not Unit.objects.filter(pk=dup.pk).exists()
    assert TaskUnit.objects.filter(task=task, unit=keep).exists()
    person.refresh_from_db()
    assert person.unit == keep and find_unit("区建管局") == keep and find_unit("东湖区住房和城乡建设管理局") == keep
    entry = _log(Action.UNIT_MERGE)[-1]
    assert entry.after["moved"]["tasks.taskunit"] == 1 and entry.after["moved"]["people.user"] == 1


def test_a_merge_that_would_double_a_task_unit_is_refused(db) -> None:  # noqa: ANN001
    keep = find_unit("区住建局")
    dup = services.create_unit(None, "东湖区建设局")
    task = TaskUnit.objects.filter(unit=keep).first().task
    TaskUnit.objects.create(task=task, unit=dup, role=TaskUnit.Role.SUPPORT, order=9)
    with pytest.raises(ActionRefused):
        services.merge_units(None, keep, dup, version=dup.version)
    assert Unit.objects.filter(pk=dup.pk).exists()


def test_a_deactivated_unit_keeps_its_tasks_and_takes_no_new_work(db) -> None:  # noqa: ANN001
    unit = find_unit("区住建局")
    services.set_active(None, unit, False, version=unit.version)
    assert TaskUnit.objects.filter(unit=unit).exists()
    with pytest.raises(ActionRefused, match="区住建局"):
        services.resolve_units("区住建局")
    assert _log(Action.UNIT_DEACTIVATE)[-1].object_id == str(unit.pk)


def _rows(text: str):  # noqa: ANN202
    return read_unit_rows(grid_from_text(text))


def test_import_previews_then_applies_all_and_a_second_time_changes_nothing(db) -> None:  # noqa: ANN001
    text = "单位名称,简称,类别,上级单位\n东湖区数据局,区数据局,部门,\n东湖区数据中心,,其他,东湖区数据局\n区住建局,,,"
    planned = directory_import.plan(_rows(text))
    assert [p.action for p in planned] == ["create", "create", "same"]
    outcome = directory_import.apply(None, _rows(text))
    assert (outcome.created, outcome.updated, outcome.unchanged) == (2, 0, 1)
    assert find_unit("东湖区数据中心").parent == find_unit("区数据局")
    assert find_unit("东湖区数据中心").kind == "other"
    again = directory_import.apply(None, _rows(text))
    assert (again.created, again.updated, again.unchanged) == (0, 0, 3)


def test_an_import_with_one_bad_row_saves_nothing(db) -> None:  # noqa: ANN001
    before = Unit.objects.count()
    rows = _rows("名称,上级单位\n东湖区新甲局,\n东湖区新乙局,没有这个单位")
    assert [p.action for p in directory_import.plan(rows)] == ["create", "error"]
    with pytest.raises(ActionRefused, match="第|row 3|3"):
        directory_import.apply(None, _rows("名称,上级单位\n东湖区新甲局,\n东湖区新乙局,没有这个单位"))
    assert Unit.objects.count() == before


def test_an_import_confirmed_after_the_directory_changed_is_refused(db) -> None:  # noqa: ANN001
    seen = directory_import.fingerprint()
    unit = find_unit("区人社局")
    services.update_unit(None, unit, version=unit.version, name=unit.name, short_name="人社", kind=unit.kind)
    with pytest.raises(ActionRefused):
        directory_import.apply(None, _rows("东湖区新丙局"), expected=seen)


def test_the_export_imports_back_unchanged(db) -> None:  # noqa: ANN001
    data = directory_xlsx()
    sheet = load_workbook(io.BytesIO(data)).active
    assert [c.value for c in sheet[1]][:3] == ["单位名称", "简称", "类别"]
    planned = directory_import.plan(read_unit_rows(read_grid(data, "x.xlsx")))
    assert len(planned) == Unit.objects.count()
    assert {p.action for p in planned} == {"same"}


def test_cli_imports_and_exports(db, tmp_path) -> None:  # noqa: ANN001
    book = Workbook()
    book.active.append(["单位名称", "简称", "类别"])
    book.active.append(["东湖区应急管理局", "区应急局", "部门"])
    book.active.append(["贤士湖街道", None, None])
    book.save(tmp_path / "units.xlsx")
    call_command("units", "import", str(tmp_path / "units.xlsx"))
    assert find_unit("区应急局").name == "东湖区应急管理局" and find_unit("贤士湖街道").kind == "street"
    call_command("units", "export", "--out", str(tmp_path / "out.xlsx"))
    names = [r[0] for r in load_workbook(tmp_path / "out.xlsx").active.iter_rows(min_row=2, values_only=True)]
    assert "东湖区应急管理局" in names


def test_cli_refuses_a_bad_file_with_row_numbers(db, tmp_path) -> None:  # noqa: ANN001
    from django.core.management.base import CommandError

    (tmp_path / "bad.csv").write_text("名称,类别\n东湖区丁局,委办局\n", encoding="utf-8")
    with pytest.raises(CommandError, match="第 2 行"):
        call_command("units", "import", str(tmp_path / "bad.csv"))
