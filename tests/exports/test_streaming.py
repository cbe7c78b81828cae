"""The ledger streams: tasks come in chunks, each costing the same few queries whatever the chunk holds."""
from __future__ import annotations

import io

from django.db import connection
from django.test.utils import CaptureQueriesContext

from duban.exports.ledger import write_ledger
from duban.tasks.models import Task
from tests.exports.conftest import AS_OF


def _queries(paths: list[str], chunk_size: int) -> tuple[int, int]:
    chunks: list[int] = []
    with CaptureQueriesContext(connection) as captured:
        rows = write_ledger(Task.objects.filter(path__in=paths), io.BytesIO(), as_of=AS_OF, chunk_size=chunk_size,
                            progress=lambda done, total: chunks.append(done))
    assert rows == len(paths) and len(chunks) == -(-rows // chunk_size)
    return len(captured), len(chunks)


def test_constant_queries_per_chunk(db) -> None:
    paths = list(Task.objects.actionable().order_by("path").values_list("path", flat=True))
    assert len(paths) == 78
    small, small_chunks = _queries(paths[:20], 10)
    large, large_chunks = _queries(paths, 10)
    assert (small_chunks, large_chunks) == (2, 8)
    # per chunk: the task units and (when a new section starts) the section headings; the tasks themselves are
    # one streamed query, plus the count and the title's source lookup
    per_chunk = (large - small) / (large_chunks - small_chunks)
    assert per_chunk <= 2
    assert small <= 3 + 2 * small_chunks


def test_row_count_does_not_change_queries_within_a_chunk(db) -> None:
    paths = list(Task.objects.actionable().order_by("path").values_list("path", flat=True))
    few, _ = _queries(paths[:5], 100)
    many, _ = _queries(paths, 100)
    assert few == many
