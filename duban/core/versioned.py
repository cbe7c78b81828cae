"""Rows edited on a settings page carry a ``version``: an edit says which one it was made on, is refused if
someone saved in between, and logs only what it changed. These two helpers are that rule for every such row."""
from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db import models
from django.db.models import F

from duban.core import audit


def saved_version(row: models.Model) -> int:
    """The version an edit form carries: 0 for a row not saved yet (its defaults)."""
    return 0 if row._state.adding else row.version  # type: ignore[attr-defined]


def save_versioned(row: models.Model, before: dict[str, Any] | None, fields: Iterable[str]
                   ) -> tuple[dict[str, Any] | None, dict[str, Any]]:
    """Save ``row`` (one version on, if it was saved before) and return what changed among ``fields`` since
    ``before``, as ``audit.record`` takes it; ``before`` None (a new row): every field, as it now is."""
    if not row._state.adding:
        row.version = F("version") + 1  # type: ignore[attr-defined]
    row.save()
    row.refresh_from_db()
    after = audit.snapshot(row, fields)
    return audit.changed(before, after) if before is not None else (None, after)
