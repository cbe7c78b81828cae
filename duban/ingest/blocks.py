"""Blocks: the normalised units every reader produces and the structure step consumes."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

BlockKind = Literal["paragraph", "row"]


@dataclass(frozen=True, slots=True)
class Block:
    """One paragraph, or one table row (cells kept apart so columns can be mapped to fields)."""

    text: str
    kind: BlockKind = "paragraph"
    cells: tuple[str, ...] = ()

    @classmethod
    def row(cls, cells: list[str] | tuple[str, ...]) -> Block:
        cells = tuple(cells)
        return cls(text=" | ".join(c for c in cells if c), kind="row", cells=cells)
