"""HTML pages (saved government web pages): paragraphs and data-table rows, without navigation or footers.

Uses the standard library's html.parser: it tolerates the broken markup of old portals and needs nothing
installed. Old portals also lay pages out with tables, so a table becomes row blocks only when it looks like
data (at least two rows with two or more filled cells); a layout table gives its content as paragraphs.
Row and column spans are filled in, as a merged cell means the same value for every row it covers.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from html.parser import HTMLParser

from ..blocks import Block
from ..normalize import normalize_line
from .txt import decode_bytes

_SKIP_TAGS = frozenset({"script", "style", "noscript", "template", "nav", "footer", "aside", "form", "select",
                        "button", "iframe", "svg", "head", "object"})
# class/id words of page furniture: a word containing one of the first, or equal to one of the second.
# Not `print`: some CMSs wrap the article itself in `printContent` so that only it is printed.
_SKIP_PARTS = re.compile(r"nav|menu|share|footer|crumb|sidebar|copyright|toolbar|topbar|related|search|position|"
                         r"location|logo|login|friendlink|links", re.IGNORECASE)
_SKIP_WORDS = frozenset({"foot", "ft", "bottom", "header", "head", "top", "tools", "tool", "bds"})
_WORD_SPLIT = re.compile(r"[\s_-]+")
_BLOCK_TAGS = frozenset({"p", "div", "section", "article", "main", "h1", "h2", "h3", "h4", "h5", "h6", "li", "ul",
                         "ol", "dl", "dt", "dd", "blockquote", "pre", "header", "caption", "center", "br", "hr",
                         "title"})
_VOID_TAGS = frozenset({"br", "hr", "img", "meta", "link", "input", "area", "base", "col", "embed", "source",
                        "track", "wbr", "param"})


@dataclass
class _Cell:
    blocks: list[Block] = field(default_factory=list)
    colspan: int = 1
    rowspan: int = 1

    @property
    def text(self) -> str:
        return normalize_line(" ".join(b.text for b in self.blocks))


@dataclass
class _Table:
    rows: list[list[_Cell]] = field(default_factory=list)
    cell: _Cell | None = None

    def blocks(self) -> list[Block]:
        filled = [row for row in self.rows if sum(1 for c in row if c.text) >= 2]
        if len(filled) < 2:  # a layout table: its content is ordinary text
            return [b for row in self.rows for cell in row for b in cell.blocks]
        return [Block.row(cells) for cells in _grid(self.rows) if any(cells)]


def _span(value: str | None) -> int:
    try:
        return max(1, min(int(value or 1), 100))
    except ValueError:
        return 1


def _grid(rows: list[list[_Cell]]) -> list[list[str]]:
    """Rows of cell texts with colspan repeated across and rowspan repeated down."""
    pending: dict[int, tuple[str, int]] = {}  # column → (text, rows still covered)
    grid = []
    for row in rows:
        out: list[str] = []
        cells = iter(row)
        column = 0
        while True:
            if column in pending:
                text, left = pending[column]
                out.append(text)
                if left <= 1:
                    del pending[column]
                else:
                    pending[column] = (text, left - 1)
                column += 1
                continue
            cell = next(cells, None)
            if cell is None:
                if any(c > column for c in pending):  # a ragged row: pad up to the next spanned column
                    out.append("")
                    column += 1
                    continue
                break
            for _ in range(cell.colspan):
                out.append(cell.text)
                if cell.rowspan > 1:
                    pending[column] = (cell.text, cell.rowspan - 1)
                column += 1
        grid.append(out)
    return grid


class _Parser(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.out: list[Block] = []
        self.text: list[str] = []
        self.tables: list[_Table] = []
        self.skip_tag: str | None = None
        self.skip_nest = 0

    # where finished blocks go: the open cell of the innermost table, else the document
    def _target(self) -> list[Block]:
        if self.tables and self.tables[-1].cell is not None:
            return self.tables[-1].cell.blocks
        return self.out

    def flush(self) -> None:
        text = normalize_line("".join(self.text))
        self.text = []
        if text:
            self._target().append(Block(text))

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if self.skip_tag is not None:
            if tag == self.skip_tag:
                self.skip_nest += 1
            return
        marker = " ".join(v or "" for k, v in attrs if k in ("class", "id", "role"))
        if tag in _SKIP_TAGS or (marker and _is_furniture(marker) and tag not in ("td", "th", "tr")):
            if tag not in _VOID_TAGS:
                self.flush()
                self.skip_tag, self.skip_nest = tag, 1
            return
        if tag in _BLOCK_TAGS:
            self.flush()
        elif tag == "table":
            self.flush()
            self.tables.append(_Table())
        elif tag == "tr" and self.tables:
            self._end_cell()
            self.tables[-1].rows.append([])
        elif tag in ("td", "th") and self.tables:
            self._end_cell()
            table = self.tables[-1]
            if not table.rows:
                table.rows.append([])
            attributes = dict(attrs)
            table.cell = _Cell(colspan=_span(attributes.get("colspan")), rowspan=_span(attributes.get("rowspan")))
            table.rows[-1].append(table.cell)

    def handle_endtag(self, tag: str) -> None:
        if self.skip_tag is not None:
            if tag == self.skip_tag:
                self.skip_nest -= 1
                if self.skip_nest == 0:
                    self.skip_tag = None
            return
        if tag in _BLOCK_TAGS:
            self.flush()
        elif tag in ("td", "th", "tr"):
            self._end_cell()
        elif tag == "table" and self.tables:
            self._end_cell()
            table = self.tables.pop()
            self._target().extend(table.blocks())

    def _end_cell(self) -> None:
        self.flush()
        if self.tables:
            self.tables[-1].cell = None

    def handle_data(self, data: str) -> None:
        if self.skip_tag is None:
            self.text.append(data)

    def close(self) -> None:
        super().close()
        while self.tables:
            self._end_cell()
            table = self.tables.pop()
            self._target().extend(table.blocks())
        self.flush()


def _is_furniture(marker: str) -> bool:
    """`mainnav`, `bdsharebuttonbox`, `article-tools`, `ft`: navigation, sharing, tools and footers."""
    return any(
        _SKIP_PARTS.search(word) or word.lower() in _SKIP_WORDS for word in _WORD_SPLIT.split(marker) if word
    )


def html_to_blocks(html: str) -> list[Block]:
    parser = _Parser()
    parser.feed(html)
    parser.close()
    return parser.out


def read_html(data: bytes) -> list[Block]:
    """Decode (UTF-8 or GB18030) and parse an HTML page into blocks."""
    text, _encoding = decode_bytes(data)
    return html_to_blocks(text)
