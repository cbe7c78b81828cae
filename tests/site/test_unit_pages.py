"""The unit directory pages: the office adds, edits, merges, deactivates, imports and exports units."""
from __future__ import annotations

import io

from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook, load_workbook

from duban.core.actions import Action
from duban.core.models import ActivityLog
from duban.tasks.models import TaskUnit
from duban.units.models import Unit
from duban.units.services import find_unit


def _xlsx(rows: list[list[str]]) -> SimpleUploadedFile:
    book = Workbook()
    for row in rows:
        book.active.append(row)
    out = io.BytesIO()
    book.save(out)
    return SimpleUploadedFile("单位.xlsx", out.getvalue())


def test_a_unit_is_added_and_edited(login) -> None:  # noqa: ANN001
    c = login("supervisor")
    response = c.post("/units/new/", {"name": "东湖区数据局", "short_name": "区数据局", "kind": "department",
                                      "aliases": "区大数据局\n数据局"})
    unit = find_unit("区大数据局")
    assert response.status_code == 302 and unit.name == "东湖区数据局"
    page = c.get(f"/units/{unit.pk}/").content.decode()
    assert "区大数据局" in page and 'id="unit-merge-form"' in page
    response = c.post(f"/units/{unit.pk}/", {"name": "东湖区数据资源局", "short_name": "区数据局", "kind": "department",
                                             "aliases": "区大数据局", "version": unit.version, "parent": ""})
    assert response.status_code == 302
    assert find_unit("东湖区数据局").name == "东湖区数据资源局"  # the old name still finds it


def test_a_stale_edit_says_so_and_saves_nothing(login) -> None:  # noqa: ANN001
    unit = find_unit("区人社局")
    body = {"name": unit.name, "short_name": "人社", "kind": unit.kind, "aliases": "", "version": unit.version - 1}
    response = login("supervisor").post(f"/units/{unit.pk}/", body)
    assert response.status_code == 400 and "unit-form" in response.content.decode()
    unit.refresh_from_db()
    assert unit.short_name != "人社"


def test_a_deactivated_unit_says_so_on_its_tasks(login) -> None:  # noqa: ANN001
    unit = find_unit("区住建局")
    c = login("supervisor")
    assert c.post(f"/units/{unit.pk}/active/", {"active": "0", "version": unit.version}).status_code == 302
    assert not Unit.objects.get(pk=unit.pk).active
    task = TaskUnit.objects.filter(unit=unit, role="lead").first().task
    assert "已停用" in c.get(f"/tasks/{task.pk}/").content.decode()
    assert 'id="unit-deactivated"' in c.get(f"/units/{unit.pk}/").content.decode()


def test_merge_from_the_page(login) -> None:  # noqa: ANN001
    c = login("supervisor")
    c.post("/units/new/", {"name": "东湖区住房城乡建设局", "kind": "department"})
    dup = find_unit("东湖区住房城乡建设局")
    response = c.post(f"/units/{dup.pk}/merge/", {"into": "区住建局", "version": dup.version})
    assert response.status_code == 302 and response["Location"] == f"/units/{find_unit('区住建局').pk}/"
    assert find_unit("东湖区住房城乡建设局") == find_unit("区住建局")
    assert ActivityLog.objects.filter(action=Action.UNIT_MERGE).exists()


def test_import_preview_then_confirm(login) -> None:  # noqa: ANN001
    c = login("supervisor")
    upload = _xlsx([["单位名称", "简称", "类别"], ["东湖区应急管理局", "区应急局", "部门"], ["贤士湖街道", "", ""]])
    preview = c.post("/units/import/", {"file": upload})
    body = preview.content.decode()
    assert preview.status_code == 200 and "东湖区应急管理局" in body and find_unit("区应急局") is None
    token = body.split('name="token" value="')[1].split('"')[0]
    assert c.post("/units/import/", {"token": token}).status_code == 302
    assert find_unit("区应急局").name == "东湖区应急管理局" and find_unit("贤士湖街道").kind == "street"


def test_a_pasted_list_with_errors_offers_no_confirm(login) -> None:  # noqa: ANN001
    response = login("supervisor").post("/units/import/", {"text": "东湖区新局,,委办局\n区住建局"})
    body = response.content.decode()
    assert "委办局" in body and 'name="token"' not in body


def test_a_bad_upload_gets_a_message_not_an_error(login) -> None:  # noqa: ANN001
    response = login("supervisor").post("/units/import/", {"file": SimpleUploadedFile("a.xlsx", b"PK\x03\x04junk")})
    assert response.status_code == 400 and 'role="alert"' in response.content.decode()
    assert login("supervisor").post("/units/import/", {"token": "forged"}).status_code == 302


def test_export_is_a_real_workbook(login) -> None:  # noqa: ANN001
    response = login("admin").get("/units/export/")
    assert response.status_code == 200 and "attachment" in response["Content-Disposition"]
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert sheet.max_row == Unit.objects.count() + 1


def test_staff_of_a_unit_see_the_directory_but_no_edit_forms(login) -> None:  # noqa: ANN001
    unit = find_unit("区住建局")
    c = login("zhujian")
    page = c.get(f"/units/{unit.pk}/").content.decode()
    assert "区住建局" in page and 'id="unit-form"' not in page
    assert c.post(f"/units/{unit.pk}/", {"name": "x", "kind": "other", "version": unit.version}).status_code == 403
    assert 'id="unit-actions"' not in c.get("/units/").content.decode()
