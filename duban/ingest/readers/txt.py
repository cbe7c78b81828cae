"""Plain text: bytes → str (UTF-8 or GB18030, with or without BOM) → one block per line.

Chinese offices still save text as GBK/GB18030 (Notepad's "ANSI") or UTF-16 ("Unicode"), so all three are
tried, but undecodable or binary input is refused rather than guessed at.
"""

from __future__ import annotations

import codecs
import re

from ..blocks import Block
from ..errors import IngestError
from ..normalize import normalize_line, normalize_text

_BOMS: tuple[tuple[bytes, str], ...] = (
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
_TABLE_RULE = re.compile(r"^[\s|:\-—+]+$")


def decode_bytes(data: bytes) -> tuple[str, str]:
    """Return (text, encoding name); raise IngestError for empty, binary or undecodable bytes."""
    if not data.strip():
        raise IngestError("文件为空,没有可读取的内容")
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            try:
                text = data.decode(encoding)
            except UnicodeDecodeError as exc:
                raise IngestError("文件编码有误,无法读取") from exc
            _check_plausible(text)
            return text, encoding
    if b"\x00" in data:
        raise IngestError("文件不是文本文件(含有二进制内容),无法读取")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        try:
            text = data.decode("gb18030")
        except UnicodeDecodeError as exc:
            raise IngestError("无法识别文件编码,请另存为 UTF-8 或 GBK 编码的文本后再导入") from exc
        _check_plausible(text, strict=True)
        return text, "gb18030"
    _check_plausible(text)
    return text, "utf-8"


def _is_common(ch: str) -> bool:
    cp = ord(ch)
    return (
        ch.isascii()
        or 0x4E00 <= cp <= 0x9FFF  # CJK unified ideographs
        or 0x3000 <= cp <= 0x303F  # CJK punctuation
        or 0xFF00 <= cp <= 0xFFEF  # full-width forms
        or 0x2000 <= cp <= 0x206F  # general punctuation (“” —— …)
        or 0x2460 <= cp <= 0x24FF  # enclosed digits ①
        or 0x3200 <= cp <= 0x33FF  # enclosed CJK, ㎡
        or 0x00A0 <= cp <= 0x00FF  # Latin-1 (×, ·, °)
        or 0x2100 <= cp <= 0x22FF  # letterlike, arrows, maths (℃ ≥ ≤)
        or 0x25A0 <= cp <= 0x25FF  # geometric shapes (● ◎ ■)
    )


def _check_plausible(text: str, *, strict: bool = False) -> None:
    """Refuse text that decodes but is really binary; a GB18030 guess must also look like Chinese."""
    sample = text[:20000]
    if not sample.strip():
        raise IngestError("文件为空,没有可读取的内容")
    controls = sum(1 for ch in sample if ch < " " and ch not in "\t\n\r\f\v")
    if controls > max(2, len(sample) // 100):
        raise IngestError("文件不是文本文件(含有二进制内容),无法读取")
    if strict:
        odd = sum(1 for ch in sample if not _is_common(ch))
        if odd > len(sample) // 20:
            raise IngestError("无法识别文件编码,请另存为 UTF-8 或 GBK 编码的文本后再导入")


def text_to_blocks(text: str) -> list[Block]:
    """One block per non-empty line; lines of `a | b | c` (web tables, Markdown) become table rows."""
    blocks: list[Block] = []
    for line in normalize_text(text).split("\n"):
        if not line:
            continue
        if line.count("|") >= 2:
            if _TABLE_RULE.match(line):
                continue
            cells = [normalize_line(c) for c in line.strip().strip("|").split("|")]
            blocks.append(Block.row(cells))
        else:
            blocks.append(Block(line))
    return blocks


def read_txt(data: bytes) -> list[Block]:
    """Decode a text file and split it into blocks."""
    text, _encoding = decode_bytes(data)
    blocks = text_to_blocks(text)
    if not blocks:
        raise IngestError("文件为空,没有可读取的内容")
    return blocks
