"""Read a government document and propose its task tree (pure Python, no Django).

Pipeline: readers (bytes → blocks) → header (title, issuer, date) → kinds (picks the reader for the
document's kind: structure, statements, minutes or prose → sections and raw tasks) → proposals (units,
status, deadline, indicators) → ParsedDocument.
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

from .blocks import Block
from .errors import IngestError
from .header import classify_kind, kind_from_title, parse_header
from .kinds import build_outline
from .model import Indicator, ParsedDocument, ParsedTask, Section
from .proposals import interpret
from .readers import read_bytes, read_file
from .readers.txt import text_to_blocks

__all__ = [
    "Block", "Indicator", "IngestError", "ParsedDocument", "ParsedTask", "Section",
    "parse_blocks", "parse_bytes", "parse_file", "parse_text",
]


def parse_blocks(blocks: list[Block], *, date: dt.date | None = None, filename: str | None = None) -> ParsedDocument:
    """Blocks → document. An explicit `date` overrides the document's own date (and anchors deadlines)."""
    header = parse_header(blocks, filename)
    doc_date = date or header.date
    by_title = kind_from_title(header.title)
    fallback = by_title in ("work_report", "decomposition")
    ref = doc_date or _title_year(header.title)
    outline = build_outline(blocks, fallback=fallback, minutes=by_title == "meeting_decision")
    tasks = [interpret(raw, ref) for raw in outline]
    return ParsedDocument(
        title=header.title,
        issuer=header.issuer,
        date=doc_date,
        kind=classify_kind(header.title, tasks),
        tasks=tasks,
        filename=filename,
    )


def _title_year(title: str | None) -> dt.date | None:
    """`2021年…分解方案` without a date: relative deadlines (年底前) still belong to 2021."""
    m = re.search(r"((?:19|20)\d{2})\s*年", title or "")
    return dt.date(int(m.group(1)), 1, 1) if m else None


def parse_text(text: str, *, date: dt.date | None = None, filename: str | None = None) -> ParsedDocument:
    """Parse a document already decoded to str."""
    blocks = text_to_blocks(text)
    if not blocks:
        raise IngestError("文件为空,没有可读取的内容")
    return parse_blocks(blocks, date=date, filename=filename)


def parse_bytes(data: bytes, filename: str, *, date: dt.date | None = None) -> ParsedDocument:
    """Parse a document's bytes; the format is sniffed from the content, filename is a hint."""
    return parse_blocks(read_bytes(data, filename), date=date, filename=filename)


def parse_file(path: str | Path, *, date: dt.date | None = None) -> ParsedDocument:
    """Parse the document at path."""
    path = Path(path)
    return parse_blocks(read_file(path), date=date, filename=path.name)
