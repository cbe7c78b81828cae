"""The bulletin prints the assessment app's rankings only when the office has switched them on."""
from __future__ import annotations

import datetime as dt

from duban.assessment.models import Scheme
from duban.assessment.services import run_scoring
from duban.documents import builders
from duban.documents.gbt9704 import Heading
from duban.tasks.models import Task

AS_OF = dt.date(2026, 11, 18)


def _ranking_lines(as_of: dt.date) -> list[str]:
    doc = builders.build_bulletin(Task.objects.all(), as_of, builders.bulletin_rankings(as_of))
    start = next((i for i, b in enumerate(doc.blocks) if isinstance(b, Heading) and "考核排名" in b.text), None)
    if start is None:
        return []
    lines = []
    for block in doc.blocks[start + 1:]:
        if isinstance(block, Heading):
            break
        lines.append(block.text)
    return lines


def test_rankings_appear_only_when_public(db, user) -> None:
    scheme = Scheme.objects.create(name="2026年第四季度", start=dt.date(2026, 10, 1), end=dt.date(2026, 12, 31))
    run_scoring(scheme, user("supervisor"), as_of=AS_OF)
    assert _ranking_lines(AS_OF) == []
    Scheme.objects.filter(pk=scheme.pk).update(public_rankings=True)
    run_scoring(scheme, user("supervisor"), as_of=AS_OF)
    lines = _ranking_lines(AS_OF)
    assert lines and lines[0].startswith("1.") and lines[0].endswith(("分", "(红榜)", "(黑榜)"))
    assert all(isinstance(line, str) and "分" in line for line in lines)
