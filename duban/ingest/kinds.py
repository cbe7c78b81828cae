"""Which reader turns a document's items into raw tasks: the fallback order, decided here only.

Fields or task tables make a structured document, read by structure.py whatever its title says. Without them,
unit statements (`市发改委:…` headings) are recognised from the text itself; minutes and work reports are
only read as such when the title says so (the caller's `minutes` and `fallback` flags), since any prose
would otherwise yield guessed tasks.
"""

from __future__ import annotations

from .blocks import Block
from .items import RawTask, classify
from .minutes import minutes_tasks
from .prose import prose_tasks
from .statements import has_unit_statements, statement_tasks
from .structure import structured_tasks


def build_outline(blocks: list[Block], *, fallback: bool = False, minutes: bool = False) -> list[RawTask]:
    """Raw tasks of a document in order. Without any fields, fallback=True proposes the commitments of
    prose (a work report) and minutes=True the 议定事项 of meeting minutes."""
    items = classify(blocks)
    structured = structured_tasks(items)
    if structured is not None:
        return structured
    if has_unit_statements(items):
        return statement_tasks(items)
    if minutes:
        return minutes_tasks(items)
    if fallback:
        return prose_tasks(items)
    return []
