"""PDF via pypdf's text layer; a scan without text is refused with a clear message (no OCR here).

PDF text comes as visual lines, so a paragraph wrapped at the right margin is joined back: a line that
fills the page width (≥ 85% of the document's long lines) and does not end a sentence continues on the next
line, unless that line starts a paragraph: a label or a field (`2.`, `责任单位:`), or a first-line indent
when the text layer keeps it. Page numbers (`- 3 -`) are dropped first and the pages are reflowed as one
text, because a paragraph that runs over a page break is still one paragraph.
"""

from __future__ import annotations

import io
import logging
import re

from ..blocks import Block
from ..errors import IngestError
from ..fields import starts_with_field
from ..normalize import normalize_line
from ..numbering import parse_label

_PAGE_NUMBER = re.compile(r"^[-—–\s]*(?:第\s*)?\d{1,4}\s*(?:页)?(?:\s*/\s*共?\s*\d+\s*页?)?[-—–\s]*$")
_SENTENCE_END = ("。", ":", ";", "!", "?", ")", "”", "」", "》")
_MIN_CHARS_PER_PAGE = 10


_INDENT = re.compile(r"^(?:\u3000|\s{2,})")


def _reflow(lines: list[tuple[str, bool]]) -> list[str]:
    """(visual line, indented) pairs → paragraphs."""
    if not lines:
        return []
    lengths = sorted(len(line) for line, _indented in lines)
    full = lengths[int(len(lengths) * 0.9)] if len(lengths) >= 3 else lengths[-1]
    out = [lines[0][0]]
    previous = lines[0][0]  # the last visual line, not the paragraph joined so far
    for line, indented in lines[1:]:
        wrapped = len(previous) >= 0.85 * full and not previous.endswith(_SENTENCE_END)
        starts_new = indented or parse_label(line) is not None or starts_with_field(line) or line.startswith("—")
        if wrapped and not starts_new:
            out[-1] += line
        else:
            out.append(line)
        previous = line
    return out


def read_pdf(data: bytes) -> list[Block]:
    """Text-layer lines of every page, reflowed into paragraphs."""
    from pypdf import PdfReader

    logging.getLogger("pypdf").setLevel(logging.ERROR)  # warnings about sloppy PDFs are not the user's concern
    try:
        reader = PdfReader(io.BytesIO(data))
        encrypted = reader.is_encrypted
    except Exception as exc:  # pypdf raises many kinds of errors for a damaged file
        raise IngestError("PDF 文件已损坏或格式不正确,无法读取") from exc
    if encrypted:
        try:
            opened = bool(reader.decrypt(""))
        except Exception:  # noqa: BLE001 - an unsupported cipher or a missing crypto library
            opened = False
        if not opened:
            raise IngestError("PDF 文件已加密,请提供未加密的文件")
    try:
        pages = [page.extract_text() or "" for page in reader.pages]
    except Exception as exc:  # damaged page content
        raise IngestError("PDF 文件已损坏或格式不正确,无法读取") from exc
    chars = sum(len(re.sub(r"\s", "", page)) for page in pages)
    if chars < _MIN_CHARS_PER_PAGE * max(1, len(pages)) / 2 or chars == 0:
        raise IngestError("PDF 没有可提取的文字(可能是扫描件),请先进行文字识别(OCR)或提供 Word 版本")
    lines: list[tuple[str, bool]] = []
    for page in pages:
        for raw in page.replace("\r\n", "\n").split("\n"):
            line = normalize_line(raw)
            if line and not _PAGE_NUMBER.match(line):
                lines.append((line, bool(_INDENT.match(raw))))
    return [Block(p) for p in _reflow(lines)]
