"""A plain list, as offices keep their unit directory and staff roster: an Excel sheet, a CSV file or text
pasted from either. Every reader gives the same grid of stripped cell texts, one list per row (row 1 first),
so the directory and account imports read each format the same way and name rows as the sheet numbers them."""

from __future__ import annotations

import csv
import io

from ..errors import IngestError
from . import sniff
from .txt import decode_bytes
from .xlsx import sheet_rows

MAX_ROWS = 5000


def _rows(grid: list[list[str]]) -> list[list[str]]:
    """Stripped cells; blank rows stay (as empty rows), so row numbers match what the spreadsheet shows."""
    rows = [[cell.strip() for cell in row] for row in grid]
    while rows and not any(rows[-1]):
        rows.pop()
    if not rows:
        raise IngestError("没有读到任何内容")
    if len(rows) > MAX_ROWS:
        raise IngestError(f"超过 {MAX_ROWS} 行,超出一次导入的上限;请拆成几个文件分别导入")
    return rows


def _cells(line: str) -> list[str]:
    if "\t" in line:  # a paste from Excel
        return line.split("\t")
    return next(csv.reader([line.replace("，", ",")]), [])  # CSV, with either comma width


def grid_from_text(text: str) -> list[list[str]]:
    """Pasted or CSV text, each line split at tabs, else at commas; a line with neither is one value."""
    return _rows([_cells(line) if line.strip() else [] for line in text.splitlines()])


SPREADSHEET = (".xlsx", ".xlsm")
TEXT = (".csv", ".txt", ".tsv")


def read_grid(data: bytes, filename: str | None = None) -> list[list[str]]:
    """The rows of an .xlsx (its first visible sheet), .csv or .txt file; the content decides how it is read,
    and a name that promises something else is refused rather than guessed at."""
    name = (filename or "").lower()
    if name and not name.endswith(SPREADSHEET + TEXT):
        raise IngestError("请导入 .xlsx、.csv 文件,或直接粘贴名单")
    fmt = sniff(data, filename)
    if name.endswith(SPREADSHEET) and fmt != "xlsx":
        raise IngestError("文件不是有效的 Excel(.xlsx)文件,请用 Excel 或 WPS 打开后另存为 .xlsx 再导入")
    if fmt == "xlsx":
        import openpyxl

        try:
            workbook = openpyxl.load_workbook(io.BytesIO(data), data_only=True)
        except Exception as exc:  # openpyxl raises many kinds of errors for a damaged workbook
            raise IngestError("Excel 文件已损坏或格式不正确,无法读取") from exc
        sheet = next((s for s in workbook.worksheets if s.sheet_state == "visible"), None)
        return _rows(sheet_rows(sheet) if sheet is not None else [])
    if fmt == "txt":
        return grid_from_text(decode_bytes(data)[0])
    raise IngestError("请导入 .xlsx、.csv 文件,或直接粘贴名单")
