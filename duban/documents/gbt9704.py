"""Official documents (公文) in the GB/T 9704-2012 layout, written with python-docx. Pure: no Django.

A builder fills a :class:`Document` (plain data); :func:`render` lays it out: A4, top margin 37 mm, binding
margin 28 mm, type area 156 × 225 mm, 22 lines × 28 characters of 3号仿宋 body text, 2号小标宋 title, headings
一、黑体 / (一)楷体 / 1. 仿宋 bold, 4号 page numbers "— 1 —" (odd pages right, even pages left).

Font names are those of the standard; machines without them substitute (see ``fonts.conf`` next to this file,
which LibreOffice uses through fontconfig when converting to PDF). Pass ``fonts=`` to use others.
"""
from __future__ import annotations

import datetime as dt
import io
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import IO

from docx import Document as new_docx
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK, WD_LINE_SPACING, WD_TAB_ALIGNMENT
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt, RGBColor

from duban.supervision.dates import chinese_date

# Role → font. Settings may override any of them (DUBAN_DOC_FONTS); "latin" is for digits and Latin letters.
FONTS: dict[str, str] = {
    "title": "方正小标宋简体",
    "body": "仿宋_GB2312",
    "h1": "黑体",
    "h2": "楷体_GB2312",
    "h3": "仿宋_GB2312",
    "page": "宋体",
    "latin": "Times New Roman",
}

# Sizes in points (字号): 初号 42, 小初 36, 一号 26, 二号 22, 三号 16, 四号 14.
TITLE_PT = 22
BODY_PT = 16
PAGE_NUMBER_PT = 14
HEADER_PT = 30  # 发文机关标志: the standard leaves the size to the office, "醒目、美观、庄重"
RED = RGBColor(0xFF, 0x00, 0x00)

PAGE_W, PAGE_H = 210, 297
TOP, BOTTOM, LEFT, RIGHT = 37, 35, 28, 26  # mm; 210 - 28 - 26 = 156, 297 - 37 - 35 = 225
LINES, CHARS = 22, 28
# 225 mm / 22 lines = 28.99 pt; Word counts in twips, and 580 twips × 22 overflows the type area by a hair
# (then only 21 lines fit), so 579 twips (28.95 pt).
LINE_TWIPS = 579
# 156 mm / 28 = 15.79 pt per character, so 3号 characters are set 0.25 pt closer (in twentieths of a point).
CHAR_TIGHTEN = -5


@dataclass(frozen=True)
class Header:
    """版头: the red 发文机关标志, the 发文字号 (or 期数 of a briefing) and the red rule under them."""

    org: str
    number: str = ""  # 督办〔2026〕3号, or 第3期 for a briefing
    issuer: str = ""  # briefing: 编发单位 left of the rule …
    date: dt.date | None = None  # … and the date right of it


@dataclass(frozen=True)
class Heading:
    level: int  # 1 一、 (黑体), 2 (一) (楷体), 3 1. (仿宋 bold)
    text: str  # with its label: "一、总体情况"


@dataclass(frozen=True)
class Paragraph:
    text: str
    lead: str = ""  # words before the text set in bold (责任单位:, 编者按:)
    indent: bool = True  # first line indented two characters
    align: str = "justify"  # justify | center | right
    font: str = "body"  # a FONTS role
    bold: bool = False


@dataclass(frozen=True)
class Item:
    """A numbered item whose label is bold: ``1.`` + text (a task of a 落实情况 report)."""

    label: str
    text: str


@dataclass(frozen=True)
class SubTitle:
    """A centred headline inside the body (a briefing item's headline)."""

    text: str


@dataclass(frozen=True)
class PageBreak:
    pass


Block = Heading | Paragraph | Item | SubTitle | PageBreak


@dataclass
class Document:
    title: str
    blocks: list[Block] = field(default_factory=list)
    header: Header | None = None
    addressee: str = ""  # 主送机关
    attachments: list[str] = field(default_factory=list)
    signature: str = ""  # 发文机关署名
    date: dt.date | None = None  # 成文日期
    copy_to: str = ""  # 版记: 抄送
    printed_by: str = ""  # 版记: 印发机关
    printed_on: dt.date | None = None  # 版记: 印发日期
    subtitle: str = ""  # a line under the title, e.g. (截至2026年11月18日)

    def extend(self, other: Document) -> None:
        """Append ``other`` on a new page (several letters in one file): its header, title and body."""
        self.blocks.append(PageBreak())
        self.blocks.append(_Embedded(other))


@dataclass(frozen=True)
class _Embedded:
    document: Document


_FULL = str.maketrans({";": "；", "!": "！", "?": "？", "(": "（", ")": "）"})
_COMMA = re.compile(r"(?<!\d),|,(?!\d)")
_COLON = re.compile(r"(?<!\d):|:(?!\d)")


def typeset(text: str) -> str:
    """Chinese punctuation for text kept with ASCII marks (the ingest normalises to them): ， ： ； （ ）.
    Commas and colons between digits (1,000 and 10:30) stay as they are."""
    return _COLON.sub("：", _COMMA.sub("，", text)).translate(_FULL)



# --- rendering ---------------------------------------------------------------------------------------------------

def _set_fonts(r_pr, east_asian: str, latin: str) -> None:
    fonts = r_pr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        r_pr.insert(0, fonts)
    for theme in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):  # themes win over names
        fonts.attrib.pop(qn(theme), None)
    for attr in ("w:ascii", "w:hAnsi", "w:cs"):
        fonts.set(qn(attr), latin)
    fonts.set(qn("w:eastAsia"), east_asian)
    fonts.set(qn("w:hint"), "eastAsia")


# Children of w:rPr that the schema puts after w:spacing (Word rejects elements out of order).
_AFTER_SPACING = ("w:w", "w:kern", "w:position", "w:sz", "w:szCs", "w:highlight", "w:u", "w:effect", "w:bdr",
                  "w:shd", "w:fitText", "w:vertAlign", "w:rtl", "w:cs", "w:em", "w:lang", "w:eastAsianLayout")


# The order of w:pPr children in the schema; elements added by hand go in their place.
_PPR_ORDER = ("w:pStyle", "w:keepNext", "w:keepLines", "w:pageBreakBefore", "w:framePr", "w:widowControl",
              "w:numPr", "w:suppressLineNumbers", "w:pBdr", "w:shd", "w:tabs", "w:suppressAutoHyphens",
              "w:kinsoku", "w:wordWrap", "w:overflowPunct", "w:topLinePunct", "w:autoSpaceDE", "w:autoSpaceDN",
              "w:bidi", "w:adjustRightInd", "w:snapToGrid", "w:spacing", "w:ind", "w:contextualSpacing",
              "w:mirrorIndents", "w:suppressOverlap", "w:jc", "w:textDirection", "w:textAlignment",
              "w:textboxTightWrap", "w:outlineLvl", "w:divId", "w:cnfStyle", "w:rPr", "w:sectPr", "w:pPrChange")


def _ppr_insert(p_pr, element) -> None:
    tag = element.tag.split("}")[1]
    _insert_before(p_pr, element, _PPR_ORDER[_PPR_ORDER.index(f"w:{tag}") + 1:])


def _insert_before(parent, element, successors: tuple[str, ...]) -> None:
    for child in parent:
        if child.tag in {qn(tag) for tag in successors}:
            child.addprevious(element)
            return
    parent.append(element)


class _Writer:
    def __init__(self, fonts: Mapping[str, str]) -> None:
        self.fonts = {**FONTS, **fonts}
        self.docx = new_docx()
        self._setup()

    # page and styles
    def _setup(self) -> None:
        section = self.docx.sections[0]
        section.page_width, section.page_height = Mm(PAGE_W), Mm(PAGE_H)
        section.top_margin, section.bottom_margin = Mm(TOP), Mm(BOTTOM)
        section.left_margin, section.right_margin = Mm(LEFT), Mm(RIGHT)
        section.gutter = Mm(0)
        section.header_distance = Mm(15)
        # the page number's top sits 7 mm below the type area (35 − 7 = 28 mm from the edge); 4号 is ~5 mm high
        section.footer_distance = Mm(22)
        # No document grid: LibreOffice lays out a Word character grid with twice the pitch. Exact line spacing
        # gives the 22 lines, and characters narrowed by CHAR_TIGHTEN give the 28 per line, in Word and LibreOffice.
        grid = section._sectPr.find(qn("w:docGrid"))
        if grid is not None:
            section._sectPr.remove(grid)
        self.docx.settings.odd_and_even_pages_header_footer = True

        # the character grid is measured against the document's default size, so that must be 3号 too
        defaults = self.docx.styles.element.find(qn("w:docDefaults"))
        r_pr = defaults.find(qn("w:rPrDefault")).find(qn("w:rPr"))
        for tag in ("w:sz", "w:szCs"):
            el = r_pr.find(qn(tag))
            if el is None:
                el = OxmlElement(tag)
                r_pr.append(el)
            el.set(qn("w:val"), str(BODY_PT * 2))
        _set_fonts(r_pr, self.fonts["body"], self.fonts["latin"])
        lang = r_pr.find(qn("w:lang"))
        if lang is not None:
            lang.set(qn("w:eastAsia"), "zh-CN")
        normal = self.docx.styles["Normal"]
        normal.font.size = Pt(BODY_PT)
        normal.font.name = self.fonts["latin"]
        _set_fonts(normal.element.get_or_add_rPr(), self.fonts["body"], self.fonts["latin"])
        fmt = normal.paragraph_format
        fmt.line_spacing_rule = WD_LINE_SPACING.EXACTLY
        fmt.line_spacing = Pt(LINE_TWIPS / 20)
        fmt.space_before = fmt.space_after = Pt(0)
        fmt.widow_control = False
        self._page_numbers(section)

    def _page_numbers(self, section) -> None:
        """— 1 — in 4号宋体: odd pages right with one character to spare, even pages left likewise."""
        for footer, align in ((section.footer, WD_ALIGN_PARAGRAPH.RIGHT),
                              (section.even_page_footer, WD_ALIGN_PARAGRAPH.LEFT)):
            footer.is_linked_to_previous = False
            p = footer.paragraphs[0]
            p.alignment = align
            fmt = p.paragraph_format
            fmt.line_spacing_rule = WD_LINE_SPACING.SINGLE
            fmt.first_line_indent = Pt(0)
            if align == WD_ALIGN_PARAGRAPH.RIGHT:
                fmt.right_indent = Pt(PAGE_NUMBER_PT)
            else:
                fmt.left_indent = Pt(PAGE_NUMBER_PT)
            self._run(p, "— ", "page", PAGE_NUMBER_PT)
            self._field(p, "PAGE", "1")
            self._run(p, " —", "page", PAGE_NUMBER_PT)

    def _field(self, p, instruction: str, placeholder: str) -> None:
        def fld(kind: str) -> None:
            run = self._run(p, "", "page", PAGE_NUMBER_PT)
            el = OxmlElement("w:fldChar")
            el.set(qn("w:fldCharType"), kind)
            run._r.append(el)

        fld("begin")
        run = self._run(p, "", "page", PAGE_NUMBER_PT)
        instr = OxmlElement("w:instrText")
        instr.set(qn("xml:space"), "preserve")
        instr.text = f" {instruction} "
        run._r.append(instr)
        fld("separate")
        self._run(p, placeholder, "page", PAGE_NUMBER_PT)
        fld("end")

    # primitives
    def _run(self, p, text: str, role: str = "body", size: float = BODY_PT, *, bold: bool = False,
             color: RGBColor | None = None):
        run = p.add_run(typeset(text))
        run.font.size = Pt(size)
        run.font.name = self.fonts["latin"]
        run.bold = bold or None
        if color is not None:
            run.font.color.rgb = color
        r_pr = run._r.get_or_add_rPr()
        _set_fonts(r_pr, self.fonts[role], self.fonts["latin"])
        if size == BODY_PT:
            spacing = OxmlElement("w:spacing")
            spacing.set(qn("w:val"), str(CHAR_TIGHTEN))
            _insert_before(r_pr, spacing, _AFTER_SPACING)
        return run

    def _para(self, *, align: str = "justify", indent: bool = True, line: bool = True):
        p = self.docx.add_paragraph()
        p.alignment = {"justify": WD_ALIGN_PARAGRAPH.JUSTIFY, "center": WD_ALIGN_PARAGRAPH.CENTER,
                       "right": WD_ALIGN_PARAGRAPH.RIGHT, "left": WD_ALIGN_PARAGRAPH.LEFT}[align]
        if indent:
            self._indent_chars(p, first_line=2)
        return p

    @staticmethod
    def _indent_chars(p, *, first_line: float = 0, left: float = 0, right: float = 0) -> None:
        """Indents in characters (w:firstLineChars …) with the equivalent twips for readers that ignore them."""
        p_pr = p._p.get_or_add_pPr()
        ind = p_pr.find(qn("w:ind"))
        if ind is None:
            ind = OxmlElement("w:ind")
            _ppr_insert(p_pr, ind)
        for name, chars in (("firstLine", first_line), ("left", left), ("right", right)):
            if chars:
                ind.set(qn(f"w:{name}Chars"), str(int(chars * 100)))
                ind.set(qn(f"w:{name}"), str(int(chars * BODY_PT * 20)))

    @staticmethod
    def _border(p, side: str, color: str = "FF0000", size_eighths: int = 12, space: int = 1) -> None:
        p_pr = p._p.get_or_add_pPr()
        borders = p_pr.find(qn("w:pBdr"))
        if borders is None:
            borders = OxmlElement("w:pBdr")
            _ppr_insert(p_pr, borders)
        edge = OxmlElement(f"w:{side}")
        edge.set(qn("w:val"), "single")
        edge.set(qn("w:sz"), str(size_eighths))
        edge.set(qn("w:space"), str(space))
        edge.set(qn("w:color"), color)
        borders.append(edge)

    def _blank(self, count: int = 1) -> None:
        for _ in range(count):
            self._para(indent=False)

    def _text(self, p, text: str, role: str = "body", *, bold: bool = False) -> None:
        """Text with soft line breaks kept (a value may hold several lines)."""
        for i, line in enumerate(text.split("\n")):
            run = self._run(p, line, role, bold=bold)
            if i:
                run._r.addprevious(OxmlElement("w:br"))

    # parts of a document
    def header(self, header: Header) -> None:
        p = self._para(align="center", indent=False)
        p.paragraph_format.line_spacing_rule = WD_LINE_SPACING.SINGLE
        self._run(p, header.org, "title", HEADER_PT, color=RED)
        if header.issuer or header.date:  # briefing: 期数 centred, then 编发单位 … date on the rule
            if header.number:
                p = self._para(align="center", indent=False)
                self._run(p, header.number, "body")
            p = self._para(align="left", indent=False)
            p.paragraph_format.tab_stops.add_tab_stop(Mm(156), WD_TAB_ALIGNMENT.RIGHT)
            self._run(p, f"{header.issuer}\t{chinese_date(header.date) if header.date else ''}", "body")
        else:
            self._blank()
            p = self._para(align="center", indent=False)
            self._run(p, header.number, "body")
        self._border(p, "bottom", size_eighths=12, space=4)
        self._blank()

    def title(self, document: Document) -> None:
        for line in document.title.split("\n"):
            p = self._para(align="center", indent=False)
            p.paragraph_format.line_spacing = Pt(LINE_TWIPS / 20 * 1.2)
            self._run(p, line, "title", TITLE_PT)
        if document.subtitle:
            p = self._para(align="center", indent=False)
            self._run(p, document.subtitle, "h2")
        self._blank()

    def block(self, block: Block | _Embedded) -> None:
        if isinstance(block, Heading):
            role = {1: "h1", 2: "h2"}.get(block.level, "h3")
            p = self._para()
            p.paragraph_format.keep_with_next = True
            self._run(p, block.text, role, bold=block.level >= 3)
        elif isinstance(block, Item):
            p = self._para()
            self._run(p, block.label, "h3", bold=True)
            self._text(p, block.text)
        elif isinstance(block, SubTitle):
            self._blank()
            p = self._para(align="center", indent=False)
            p.paragraph_format.keep_with_next = True
            self._run(p, block.text, "h1")
        elif isinstance(block, PageBreak):
            p = self._para(indent=False)
            p.add_run().add_break(WD_BREAK.PAGE)
        elif isinstance(block, _Embedded):
            self.document(block.document)
        else:
            p = self._para(align=block.align, indent=block.indent and block.align == "justify")
            if block.lead:
                self._run(p, block.lead, "h3", bold=True)
            self._text(p, block.text, block.font, bold=block.bold)

    def closing(self, document: Document) -> None:
        if document.attachments:
            self._blank()
            for i, name in enumerate(document.attachments, 1):
                p = self._para(indent=False)
                numbered = f"{i}.{name}" if len(document.attachments) > 1 else name
                if i == 1:
                    self._indent_chars(p, left=2)
                    self._run(p, "附件:" + numbered)
                else:
                    self._indent_chars(p, left=5)
                    self._run(p, numbered)
        if document.signature or document.date:
            self._blank(2)
            date = chinese_date(document.date) if document.date else ""
            # 成文日期右空四字; the 署名 is centred above the date
            if document.signature:
                p = self._para(align="right", indent=False)
                spare = 4 + max(0, (len(date) - len(document.signature)) / 2)
                self._indent_chars(p, right=spare)
                self._run(p, document.signature)
            if date:
                p = self._para(align="right", indent=False)
                self._indent_chars(p, right=4)
                self._run(p, date)

    def record(self, document: Document) -> None:
        """版记: 抄送 and 印发 lines between rules, in 4号仿宋, after the body. (Anchoring it to the foot of the
        page needs a frame, and LibreOffice drops paragraph rules inside frames.)"""
        if not (document.copy_to or document.printed_by):
            return
        self._blank(2)
        lines = []
        if document.copy_to:
            labelled = re.match(r"^(抄送|报|送|发)[:：]", document.copy_to)
            lines.append((document.copy_to if labelled else f"抄送:{document.copy_to}", ""))
        if document.printed_by:
            printed_on = f"{chinese_date(document.printed_on)}印发" if document.printed_on else ""
            lines.append((document.printed_by, printed_on))
        for i, (left, right) in enumerate(lines):
            p = self._para(align="left", indent=False)
            self._indent_chars(p, left=1 * PAGE_NUMBER_PT / BODY_PT, right=1 * PAGE_NUMBER_PT / BODY_PT)
            p.paragraph_format.tab_stops.add_tab_stop(Mm(156) - Pt(PAGE_NUMBER_PT * 2), WD_TAB_ALIGNMENT.RIGHT)
            self._run(p, f"{left}\t{right}" if right else left, "body", PAGE_NUMBER_PT)
            self._border(p, "top", color="000000", size_eighths=8 if i == 0 else 4, space=4)
            if i == len(lines) - 1:
                self._border(p, "bottom", color="000000", size_eighths=8, space=4)

    def document(self, document: Document) -> None:
        if document.header:
            self.header(document.header)
        if document.title:
            self.title(document)
        if document.addressee:
            p = self._para(indent=False)
            self._run(p, f"{document.addressee}:")
        for block in document.blocks:
            self.block(block)
        self.closing(document)
        self.record(document)


def render(document: Document, out: IO[bytes] | str | None = None,
           fonts: Mapping[str, str] | None = None) -> bytes:
    """Write ``document`` as .docx to ``out`` (a path or binary file) and return the bytes."""
    writer = _Writer(fonts or {})
    writer.document(document)
    buffer = io.BytesIO()
    writer.docx.save(buffer)
    data = buffer.getvalue()
    if isinstance(out, str):
        with open(out, "wb") as fh:
            fh.write(data)
    elif out is not None:
        out.write(data)
    return data


def combine(documents: Iterable[Document]) -> Document:
    """Several documents (letters) in one, each starting on a new page."""
    documents = list(documents)
    if not documents:
        return Document(title="")
    # each part keeps its own header, closing and 版记, which must come before the next page
    first = Document(title="", blocks=[_Embedded(documents[0])])
    for doc in documents[1:]:
        first.extend(doc)
    return first


__all__ = [
    "FONTS",
    "Document",
    "Header",
    "Heading",
    "Item",
    "PageBreak",
    "Paragraph",
    "SubTitle",
    "chinese_date",
    "combine",
    "render",
]
