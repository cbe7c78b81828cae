"""A hostile Word or Excel file cannot hurt the server: entity expansion (billion laughs) is refused quickly
with a clear message, as are zip bombs (see tests/imports/test_bad_input.py)."""
from __future__ import annotations

import io
import zipfile

import pytest

from duban import ingest

LAUGHS = "<?xml version=\"1.0\"?><!DOCTYPE lolz [<!ENTITY lol \"lol\">" + "".join(
    f"<!ENTITY lol{i} \"{('&lol' + (str(i - 1) if i > 1 else '') + ';') * 10}\">" for i in range(1, 10)) + "]>"


def _with_entities(data: bytes, member: str, root: str, expand_in: str | None = None) -> bytes:
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as target:
        for info in source.infolist():
            content = source.read(info.filename)
            if info.filename == member:
                text = content.decode()
                text = LAUGHS + text[text.index(root):]
                if expand_in:
                    text = text.replace(expand_in, expand_in + "&lol9;")
                content = text.encode()
            target.writestr(info, content)
    return out.getvalue()


def _docx() -> bytes:
    import docx

    document = docx.Document()
    for line in ("一、测试", "1.任务。", "牵头单位:区住建局"):
        document.add_paragraph(line)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def _xlsx() -> bytes:
    import openpyxl

    book = openpyxl.Workbook()
    book.active.append(["序号", "工作任务", "牵头单位"])
    book.active.append([1, "任务", "区住建局"])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


@pytest.mark.parametrize(("name", "data"), [
    ("laughs.docx", _with_entities(_docx(), "word/document.xml", "<w:document", "1.任务")),
    ("laughs.xlsx", _with_entities(_xlsx(), "xl/worksheets/sheet1.xml", "<worksheet")),
])
def test_entity_expansion_is_refused(name: str, data: bytes) -> None:
    with pytest.raises(ingest.IngestError) as refused:
        ingest.parse_bytes(data, name)
    assert "无法读取" in str(refused.value)


def test_a_macro_part_is_ignored_not_run() -> None:
    source = zipfile.ZipFile(io.BytesIO(_docx()))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as target:
        for info in source.infolist():
            target.writestr(info, source.read(info.filename))
        target.writestr("word/vbaProject.bin", b"Attribute VB_Name = \"AutoOpen\"\nShell \"calc.exe\"")
    parsed = ingest.parse_bytes(out.getvalue(), "macro.docm")
    assert [t.lead_units for t in parsed.tasks] == [["区住建局"]]
