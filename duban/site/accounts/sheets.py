"""The two workbooks of the account pages: the blank list to fill in (花名册模板) and the printable list of
initial passwords handed out with the new accounts."""
from __future__ import annotations

import io
from collections.abc import Iterable
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _

from duban.people.roster import HEADERS

ROLE_CHOICES = ("联络员", "单位负责人", "领导", "督查员", "管理员")
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _bytes(book: Any) -> bytes:  # noqa: ANN401 (an openpyxl Workbook)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def template() -> bytes:
    """The header row (the column names are the file format, so they stay Chinese in every language), the
    role column offered as a list, phone numbers kept as text, and a second sheet explaining the columns."""
    from openpyxl import Workbook
    from openpyxl.styles import Font
    from openpyxl.worksheet.datavalidation import DataValidation

    book = Workbook()
    sheet = book.active
    sheet.title = "账号"
    sheet.append(list(HEADERS))
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for column, width in zip("ABCDEFGHI", (10, 20, 12, 16, 24, 14, 30, 24, 14)):
        sheet.column_dimensions[column].width = width
    for row in range(2, 1002):
        sheet[f"D{row}"].number_format = "@"
    roles = DataValidation(type="list", formula1='"' + ",".join(ROLE_CHOICES) + '"', allow_blank=True)
    sheet.add_data_validation(roles)
    roles.add("C2:C1001")
    sheet.freeze_panes = "A2"
    notes = book.create_sheet("说明")
    for line in (
        ("姓名", _("Required.")),
        ("单位", _("Required for liaisons and unit heads: the unit's full or short name as in the unit directory.")),
        ("角色", _("Required: 联络员, 单位负责人, 领导 (分管领导), 督查员 or 管理员.")),
        ("手机", _("Optional. Without a username the mobile number becomes the login name.")),
        ("邮箱", _("Optional.")),
        ("用户名", _("Optional: letters, digits and _ . @ + -. Empty: the mobile number, else u0001, u0002 …")),
        ("分管单位", _("Leaders only, optional: the units they oversee, separated by 、")),
        ("分管领域", _("Leaders only, optional: the areas of work they oversee, separated by 、")),
        ("职务", _("Optional.")),
    ):
        notes.append(list(line))
    notes.column_dimensions["A"].width = 12
    notes.column_dimensions["B"].width = 90
    return _bytes(book)


def password_list(rows: Iterable[dict[str, Any]]) -> bytes:
    """One person a row with the username and initial password, set up to print on A4 with the header on
    every page, to cut into slips or hand over as a list."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font

    book = Workbook()
    sheet = book.active
    sheet.title = str(_("Initial passwords"))
    sheet.append([_("Name"), _("Unit"), _("Role"), _("Username"), _("Initial password")])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in rows:
        sheet.append([row.get("name", ""), row.get("unit", ""), row.get("role", ""), row["username"],
                      row["password"]])
    for line in sheet.iter_rows(min_row=2):
        line[4].font = Font(name="Consolas", size=13)
        for cell in line:
            cell.alignment = Alignment(vertical="center")
    for column, width in zip("ABCDE", (12, 22, 12, 18, 20)):
        sheet.column_dimensions[column].width = width
    footer = _("The initial password must be changed at first login. Printed %(date)s.") % {
        "date": timezone.localdate().isoformat()}
    sheet.append([])
    sheet.append([footer])
    sheet.print_title_rows = "1:1"
    sheet.print_options.gridLines = True
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    return _bytes(book)
