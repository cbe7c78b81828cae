"""Readers turn a file's bytes into blocks; `read_bytes` picks the reader by content, not by name."""

from __future__ import annotations

import io
import re
import zipfile
from pathlib import Path

from ..blocks import Block
from ..errors import IngestError
from .safety import check_archive
from .txt import decode_bytes, text_to_blocks

_HTML = re.compile(r"^\s*(?:<\?xml[^>]*>\s*)?(?:<!--.*?-->\s*)*<(?:!doctype\s+html|html|head|body|meta)\b",
                   re.IGNORECASE | re.DOTALL)
_OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_BINARY_MAGIC = (b"\x89PNG", b"\xff\xd8\xff", b"GIF8", b"Rar!", b"7z\xbc\xaf", b"\x1f\x8b", b"BM")


def sniff(data: bytes, filename: str | None = None) -> str:
    """The format of data: txt, html, docx, xlsx or pdf. Raises IngestError for what no reader takes."""
    if data.startswith(b"%PDF"):
        return "pdf"
    if data.startswith(b"PK\x03\x04"):
        try:
            archive = zipfile.ZipFile(io.BytesIO(data))
        except (zipfile.BadZipFile, ValueError) as exc:
            raise IngestError("压缩文件已损坏,无法读取") from exc
        check_archive(archive)
        names = set(archive.namelist())
        if "word/document.xml" in names:
            return "docx"
        if "xl/workbook.xml" in names:
            return "xlsx"
        raise IngestError("不支持的文件格式(压缩包),请导入 .docx、.xlsx、.pdf、.html 或 .txt 文件")
    if data.startswith(_OLE2):
        raise IngestError("暂不支持旧版 Word/Excel 文件(.doc/.xls),请另存为 .docx/.xlsx 后再导入")
    if data.startswith(_BINARY_MAGIC):
        raise IngestError("不支持的文件格式(图片或压缩文件),请导入 .docx、.xlsx、.pdf、.html 或 .txt 文件")
    head = data[:4096]
    if _HTML.match(head.decode("utf-8", "ignore")) or (filename or "").lower().endswith((".html", ".htm")):
        return "html"
    return "txt"


def read_bytes(data: bytes, filename: str | None = None) -> list[Block]:
    """Blocks of a document given as bytes; filename is only a hint."""
    fmt = sniff(data, filename)
    if fmt == "txt":
        text, _encoding = decode_bytes(data)
        blocks = text_to_blocks(text)
    elif fmt == "html":
        from .html import read_html

        blocks = read_html(data)
    elif fmt == "docx":
        from .docx import read_docx

        blocks = read_docx(data)
    elif fmt == "xlsx":
        from .xlsx import read_xlsx

        blocks = read_xlsx(data)
    else:
        from .pdf import read_pdf

        blocks = read_pdf(data)
    if not blocks:
        raise IngestError("文件中没有可读取的文字")
    return blocks


def read_file(path: str | Path) -> list[Block]:
    """Blocks of the document at path."""
    path = Path(path)
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise IngestError(f"无法打开文件:{path.name}") from exc
    return read_bytes(data, path.name)
