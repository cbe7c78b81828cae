"""Punctuation and whitespace normalisation, so every later rule sees one spelling.

Full-width ASCII forms (（）：，；．０-９Ａ-Ｚ) become half-width, but Chinese-only marks keep their form
(、。“”《》【】——), because they carry meaning the rules rely on (、 separates units, 。 ends sentences).
Unlike NFKC we leave ①②… and ㎡ alone: circled numbers are list labels.
"""

from __future__ import annotations

import re

_TABLE: dict[int, str] = {cp: chr(cp - 0xFEE0) for cp in range(0xFF01, 0xFF5F)}
_TABLE.update(
    {
        0x3000: " ",  # ideographic space
        0x00A0: " ",  # no-break space
        0x2002: " ", 0x2003: " ", 0x2009: " ", 0x202F: " ",
        0x200B: "", 0x200C: "", 0x200D: "", 0x2060: "", 0xFEFF: "",  # zero-width, BOM
        0xFF5F: "(", 0xFF60: ")",
        0x2236: ":",  # ratio colon used as a colon
        0xFE30: ":",
        0x2015: "—",  # horizontal bar, often typed for the dash
        0x2500: "—",  # box-drawing line used as a dash by some converters
    }
)
# Parenthesised and full-stop digits (⑴ ⒈) are list labels in disguise: spell them out.
_TABLE.update({0x2474 + i: f"({i + 1})" for i in range(20)})
_TABLE.update({0x2488 + i: f"{i + 1}." for i in range(20)})

_SPACES = re.compile(r"[ \t\f\v]+")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f]")


def normalize_text(text: str) -> str:
    """Map punctuation to one form and collapse runs of spaces inside each line; keep line breaks."""
    text = text.replace("\r\n", "\n").replace("\r", "\n").translate(_TABLE)
    text = _CONTROL.sub("", text)
    return "\n".join(_SPACES.sub(" ", line).strip() for line in text.split("\n"))


def normalize_line(text: str) -> str:
    """Normalise one paragraph or cell: as normalize_text, with line breaks turned into spaces."""
    return " ".join(part for part in normalize_text(text).split("\n") if part)
