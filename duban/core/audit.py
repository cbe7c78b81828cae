"""Recording changes. Services call :func:`record` inside their transaction, so a change and its log entry
commit or roll back together. Entries are hash-chained (see :mod:`duban.core.chain`)."""
from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from django.db import models

from duban.core import chain
from duban.core.actions import Action
from duban.core.models import ActivityLog


def _plain(value: Any) -> Any:
    if isinstance(value, models.Model):
        return value.pk
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    return value


def snapshot(obj: models.Model, fields: Iterable[str]) -> dict[str, Any]:
    """The listed field values of ``obj`` as JSON-ready data (foreign keys as ids)."""
    return {name: _plain(getattr(obj, name)) for name in fields}


def changed(before: dict[str, Any], after: dict[str, Any]) -> tuple[dict[str, Any], dict[str, Any]]:
    """Only the keys whose values differ, so log entries show what actually changed."""
    keys = [k for k in after if before.get(k) != after[k]]
    return {k: before.get(k) for k in keys}, {k: after[k] for k in keys}


def record(
    actor: Any,
    action: Action,
    obj: models.Model,
    *,
    summary: str = "",
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
) -> ActivityLog:
    """Append an entry for ``obj`` (anything with ``pk`` and ``_meta.label_lower``) to the chained log.
    The chain head stays locked until the caller's transaction ends, so keep such transactions short.
    ``action`` must be one of :class:`~duban.core.actions.Action` (ValueError otherwise), so every entry can be
    shown with its label."""
    return chain.append(
        actor if getattr(actor, "pk", None) else None, Action(action).value, obj._meta.label_lower, str(obj.pk),
        summary[:500], _stored(before), _stored(after),
    )


def _stored(value: dict[str, Any] | None) -> Any:
    # Hashed exactly as it will be read back: JSON turns tuples into lists and keys into strings.
    return None if value is None else json.loads(json.dumps(_plain(value)))
