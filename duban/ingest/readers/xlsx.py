"""Excel (.xlsx) 台账 via openpyxl: each visible sheet's rows, merged cells filled in.

Rows above the header row (the sheet's title, `填报单位:…`) are given as paragraphs so the header step can
read the title; from the header row on, every row is a table row, including merged section rows
(`一、产业发展` spread across the table). Dates become ISO strings and whole floats lose their `.0`.
"""

from __future__ import annotations

import datetime as dt
import io

from ..blocks import Block
from ..errors import IngestError
from ..normalize import normalize_line
from ..table import header_columns

_MAX_ROWS = 20000
_MAX_COLUMNS = 60


def _cell_text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat(" ", "minutes")
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return normalize_line(str(value))


def sheet_rows(sheet) -> list[list[str]]:
    """The sheet as a grid of texts, each merged range's value copied into every cell it covers."""
    max_row = min(sheet.max_row or 0, _MAX_ROWS)
    max_col = min(sheet.max_column or 0, _MAX_COLUMNS)
    # Refuse rather than drop what lies beyond the limit; rows that are merely formatted but empty do not count.
    if any(any(v not in (None, "") for v in row) for row in sheet.iter_rows(
            min_row=_MAX_ROWS + 1, max_col=max_col, values_only=True)):
        raise IngestError(f"工作表“{sheet.title}”超过 {_MAX_ROWS} 行,超出一次导入的上限;请按部分拆成几个文件分别导入")
    grid = [
        [_cell_text(v) for v in row]
        for row in sheet.iter_rows(min_row=1, max_row=max_row, max_col=max_col, values_only=True)
    ]
    for merged in sheet.merged_cells.ranges:
        top = merged.min_row - 1
        left = merged.min_col - 1
        if top >= len(grid) or left >= max_col:
            continue
        value = grid[top][left]
        for r in range(top, min(merged.max_row, len(grid))):
            for c in range(left, min(merged.max_col, max_col)):
                grid[r][c] = value
    return grid


def read_xlsx(data: bytes) -> list[Block]:
    """Rows of every visible sheet: paragraphs before the header row, table rows from it on."""
    import openpyxl

    try:
        workbook = openpyxl.load_workbook(io.BytesIO(data), data_only=True)
    except Exception as exc:  # openpyxl raises many kinds of errors for a damaged workbook
        raise IngestError("Excel 文件已损坏或格式不正确,无法读取") from exc
    blocks: list[Block] = []
    for sheet in workbook.worksheets:
        if sheet.sheet_state != "visible":
            continue
        in_table = False
        for row in sheet_rows(sheet):
            cells = tuple(row)
            values = [c for c in cells if c]
            if not values:
                continue
            if not in_table and header_columns(cells) is not None:
                in_table = True
            if in_table:
                blocks.append(Block.row(cells))
            else:
                blocks.append(Block(" ".join(dict.fromkeys(values))))
    return blocks
