"""The unit directory as an .xlsx workbook in the columns duban.units.rows reads, so it imports back."""
from __future__ import annotations

import io

from django.db.models import Prefetch

from duban.units.models import Unit, UnitAlias
from duban.units.names import normalise_name
from duban.units.rows import EXPORT_HEADER, KINDS


def directory_rows() -> list[list[str]]:
    units = Unit.objects.select_related("parent").prefetch_related(
        Prefetch("aliases", queryset=UnitAlias.objects.order_by("name"))).order_by("-active", "name")
    rows = []
    for unit in units:
        own = {normalise_name(unit.name), normalise_name(unit.short_name)}
        rows.append([unit.name, unit.short_name, KINDS[unit.kind][0], unit.parent.name if unit.parent else "",
                     "、".join(a.name for a in unit.aliases.all() if a.key not in own),
                     "" if unit.active else "已停用"])
    return rows


def directory_xlsx() -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Font

    book = Workbook()
    sheet = book.active
    sheet.title = "单位名录"
    sheet.append([*EXPORT_HEADER, "状态"])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in directory_rows():
        sheet.append(row)
    for letter, width in zip("ABCDEF", (36, 16, 12, 28, 36, 8)):
        sheet.column_dimensions[letter].width = width
    sheet.freeze_panes = "A2"
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
