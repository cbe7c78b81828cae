"""Word (.docx) via python-docx: body paragraphs and tables in document order.

Word's automatic numbering is not part of a paragraph's text, so it is rebuilt from numbering.xml
(`%1、` with chineseCounting → `一、`) and put back in front of the text; without it `一、`/`1.` headings typed
as list styles would vanish. Merged cells repeat their value in each row/column they cover (python-docx
resolves both spans), which is what the structure step expects of a merged section row.
"""

from __future__ import annotations

import io
from dataclasses import dataclass, field

from ..blocks import Block
from ..errors import IngestError
from ..normalize import normalize_line

_CIRCLED = "①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳"
_CN_DIGITS = "零一二三四五六七八九"
_CHINESE_FORMATS = frozenset({"chineseCounting", "chineseCountingThousand", "ideographTraditional",
                              "japaneseCounting", "taiwaneseCounting", "taiwaneseCountingThousand",
                              "chineseLegalSimplified"})


def chinese_number(n: int) -> str:
    """1 → 一, 12 → 十二, 25 → 二十五 (labels rarely go past 99)."""
    if n <= 0 or n >= 100:
        return str(n)
    tens, ones = divmod(n, 10)
    head = "" if tens == 0 else ("十" if tens == 1 else _CN_DIGITS[tens] + "十")
    return head + (_CN_DIGITS[ones] if ones else "")


def _format(n: int, fmt: str) -> str:
    if fmt in _CHINESE_FORMATS:
        return chinese_number(n)
    if fmt.startswith("decimalEnclosedCircle") and 1 <= n <= len(_CIRCLED):
        return _CIRCLED[n - 1]
    if fmt in ("upperLetter", "lowerLetter"):
        letter = chr(ord("A") + (n - 1) % 26)
        return letter if fmt == "upperLetter" else letter.lower()
    return str(n)


@dataclass
class _Level:
    fmt: str = "decimal"
    text: str = "%1."
    start: int = 1


@dataclass
class _Numbering:
    """Numbering definitions of a document and the running counters, to rebuild automatic labels."""

    levels: dict[str, dict[int, _Level]] = field(default_factory=dict)  # numId → ilvl → level
    counters: dict[str, list[int]] = field(default_factory=dict)

    @classmethod
    def of(cls, document) -> _Numbering:
        from docx.oxml.ns import qn

        numbering = cls()
        try:
            root = document.part.numbering_part.element
        except (KeyError, NotImplementedError, AttributeError):
            return numbering
        abstract: dict[str, dict[int, _Level]] = {}
        for node in root.findall(qn("w:abstractNum")):
            levels = {}
            for lvl in node.findall(qn("w:lvl")):
                level = _Level()
                if (fmt := lvl.find(qn("w:numFmt"))) is not None:
                    level.fmt = fmt.get(qn("w:val"), "decimal")
                if (text := lvl.find(qn("w:lvlText"))) is not None:
                    level.text = text.get(qn("w:val"), "")
                if (start := lvl.find(qn("w:start"))) is not None:
                    level.start = int(start.get(qn("w:val"), "1"))
                levels[int(lvl.get(qn("w:ilvl"), "0"))] = level
            abstract[node.get(qn("w:abstractNumId"), "")] = levels
        for num in root.findall(qn("w:num")):
            ref = num.find(qn("w:abstractNumId"))
            if ref is not None:
                numbering.levels[num.get(qn("w:numId"), "")] = abstract.get(ref.get(qn("w:val"), ""), {})
        return numbering

    def label(self, num_id: str, ilvl: int) -> str:
        levels = self.levels.get(num_id)
        if not levels or ilvl not in levels:
            return ""
        counts = self.counters.setdefault(num_id, [0] * 9)
        counts[ilvl] += 1
        for deeper in range(ilvl + 1, len(counts)):
            counts[deeper] = 0
        level = levels[ilvl]
        if level.fmt in ("bullet", "none"):
            return ""
        text = level.text
        for k in range(ilvl + 1):
            outer = levels.get(k, _Level())
            value = counts[k] + outer.start - 1 if counts[k] else outer.start
            text = text.replace(f"%{k + 1}", _format(value, outer.fmt))
        return text


def _num_pr(paragraph) -> tuple[str, int] | None:
    """(numId, ilvl) from the paragraph, else from its style chain."""
    from docx.oxml.ns import qn

    candidates = [paragraph._p.pPr]
    style = paragraph.style
    while style is not None:
        candidates.append(style.element.pPr)
        style = style.base_style
    for ppr in candidates:
        if ppr is None:
            continue
        num_pr = ppr.find(qn("w:numPr"))
        if num_pr is None:
            continue
        num_id = num_pr.find(qn("w:numId"))
        if num_id is None or num_id.get(qn("w:val")) in (None, "0"):
            return None
        ilvl = num_pr.find(qn("w:ilvl"))
        return num_id.get(qn("w:val")), int(ilvl.get(qn("w:val"), "0")) if ilvl is not None else 0
    return None


def _table_blocks(table) -> list[Block]:
    rows = [tuple(normalize_line(cell.text) for cell in row.cells) for row in table.rows]
    if not any(len({c for c in row if c}) >= 2 for row in rows):  # a layout table: give its text as paragraphs
        seen: set[int] = set()
        blocks: list[Block] = []
        for row in table.rows:
            for cell in row.cells:
                if id(cell._tc) in seen:
                    continue
                seen.add(id(cell._tc))
                blocks.extend(Block(t) for p in cell.paragraphs if (t := normalize_line(p.text)))
        return blocks
    return [Block.row(row) for row in rows if any(row)]


def read_docx(data: bytes) -> list[Block]:
    """Paragraphs (with automatic numbering restored) and table rows, in body order."""
    import docx
    from docx.oxml.ns import qn
    from docx.table import Table
    from docx.text.paragraph import Paragraph

    try:
        document = docx.Document(io.BytesIO(data))
    except Exception as exc:  # python-docx raises many kinds of errors for a damaged package
        raise IngestError("Word 文件已损坏或格式不正确,无法读取") from exc
    numbering = _Numbering.of(document)
    blocks: list[Block] = []

    def walk(parent) -> None:
        for child in parent.iterchildren():
            if child.tag == qn("w:p"):
                paragraph = Paragraph(child, document)
                text = normalize_line(paragraph.text)
                num = _num_pr(paragraph)
                label = numbering.label(*num) if num else ""
                if text:
                    blocks.append(Block(normalize_line(label + text)))
            elif child.tag == qn("w:tbl"):
                blocks.extend(_table_blocks(Table(child, document)))
            elif child.tag == qn("w:sdt"):
                content = child.find(qn("w:sdtContent"))
                if content is not None:
                    walk(content)

    walk(document.element.body)
    return blocks
