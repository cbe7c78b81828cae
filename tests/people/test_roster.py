"""Reading an account list: headers as clerks write them, roles in Chinese, per-row problems."""
from __future__ import annotations

import io

import pytest

from duban.core.errors import ActionRefused
from duban.people.models import Role
from duban.people.roster import HEADERS, parse, read_table, role_of

HEADER = ["姓名", "单位", "角色", "手机", "邮箱"]


@pytest.mark.parametrize(("text", "role"), [
    ("联络员", Role.LIAISON), ("单位负责人", Role.UNIT_HEAD), ("分管领导", Role.LEADER), ("领导", Role.LEADER),
    (" 督查员 ", Role.SUPERVISOR), ("管理员", Role.ADMIN), ("liaison", Role.LIAISON), ("组长", None),
])
def test_roles_are_read_as_offices_write_them(text: str, role: str | None) -> None:
    assert role_of(text) == role


def test_rows_become_records_and_problems_are_kept_per_row() -> None:
    roster = parse([
        ["", "", ""],  # a blank line above the header
        [" 姓名 ", "单位", "角色", "手机号码", "邮箱", "序号", "分管单位", "分管领域"],
        ["张三", "区住建局", "联络员", "138-0013-8000", "zs@example.cn", "1", "", ""],
        ["王五", "", "分管领导", "", "", "2", "区住建局、区人社局", "城市建设；就业"],
        ["", "区住建局", "组长", "abc", "not-an-address", "3", "", ""],
        ["李四", "", "联络员", "13800138000", "", "4", "", ""],
        ["", "", "", "", "", "", "", ""],
    ])
    first, leader, bad, repeat = roster.records
    assert (first.row, first.name, first.role, first.phone) == (3, "张三", Role.LIAISON, "13800138000")
    assert (leader.oversees, leader.areas) == (["区住建局", "区人社局"], ["城市建设", "就业"])
    assert set(roster.errors) == {5, 6}
    assert len(roster.errors[5]) == 4  # no name, unknown role, bad phone, bad e-mail
    assert len(roster.errors[6]) == 2  # no unit for a liaison, the phone of row 3 again


def test_a_sheet_without_the_required_columns_is_refused() -> None:
    with pytest.raises(ActionRefused):
        parse([["名字", "部门"], ["张三", "区住建局"]])
    with pytest.raises(ActionRefused):
        parse([HEADER])


def test_xlsx_and_csv_are_read_and_other_files_refused() -> None:
    import openpyxl

    book = openpyxl.Workbook()
    book.active.append(list(HEADERS))
    book.active.append(["张三", "区住建局", "联络员", 13800138000, None])
    out = io.BytesIO()
    book.save(out)
    rows = read_table(out.getvalue(), "名单.xlsx")
    assert rows[1][:4] == ["张三", "区住建局", "联络员", "13800138000"]
    csv_rows = read_table("姓名,单位,角色\n张三,区住建局,联络员\n".encode("gb18030"), "名单.csv")
    assert csv_rows[1] == ["张三", "区住建局", "联络员"]
    for data, name in ((b"not a workbook", "名单.xlsx"), (b"\xd0\xcf\x11\xe0", "名单.xls"), (b"x", "a.pdf")):
        with pytest.raises(ActionRefused):
            read_table(data, name)
