"""Chain the entries written before the log was a hash chain, in id order, and create the chain head.

Self-contained on purpose: the hashing below is a frozen copy of ``duban.core.chain`` (``configured_algo``,
``canonical``, ``entry_hash``) as it was when this migration was written, so that later changes to the live
code cannot change what this migration computes. ``canonical`` must never change anyway: every stored hash
depends on it, and ``duban audit verify`` checks these entries with the live copy.
"""
from __future__ import annotations

import datetime as dt
import hashlib
import json
from typing import Any

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import migrations

BATCH = 1000
GENESIS = "0" * 64  # the prev_hash of entry 1
ALGORITHMS = ("sha256", "sm3")


def _configured_algo() -> str:
    """``DUBAN_AUDIT_HASH``: "sha256" (default) or "sm3" (GB/T 39786, through OpenSSL)."""
    algo = str(getattr(settings, "DUBAN_AUDIT_HASH", "sha256")).lower()
    if algo not in ALGORITHMS:
        raise ImproperlyConfigured(f"DUBAN_AUDIT_HASH must be one of {', '.join(ALGORITHMS)}, not {algo!r}")
    try:
        hashlib.new(algo)
    except ValueError as exc:
        raise ImproperlyConfigured(f"{algo} is not available in this Python's OpenSSL") from exc
    return algo


def _canonical_json(value: Any) -> Any:
    # Integral floats as ints: PostgreSQL's jsonb gives back 1e16 as 10000000000000000.
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, dict):
        return {str(k): _canonical_json(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_canonical_json(v) for v in value]
    return value


def _canonical(seq: int, at: dt.datetime, actor_id: int | None, action: str, object_type: str,
               object_id: str, summary: str, before: Any, after: Any, prev_hash: str) -> bytes:
    """The bytes an entry's hash covers (the chain's format, version 1)."""
    return json.dumps({
        "seq": seq, "at": at.astimezone(dt.UTC).isoformat(timespec="microseconds"),
        "actor": actor_id, "action": action, "object_type": object_type, "object_id": object_id,
        "summary": summary, "before": _canonical_json(before), "after": _canonical_json(after),
        "prev_hash": prev_hash,
    }, sort_keys=True, separators=(",", ":"), allow_nan=False).encode("ascii")


def _entry_hash(algo: str, entry: Any) -> str:
    data = _canonical(entry.seq, entry.at, entry.actor_id, entry.action, entry.object_type, entry.object_id,
                      entry.summary, entry.before, entry.after, entry.prev_hash)
    return hashlib.new(algo, data).hexdigest()


def chain_existing(apps, schema_editor) -> None:  # noqa: ANN001
    ActivityLog = apps.get_model("core", "ActivityLog")
    AuditChainHead = apps.get_model("core", "AuditChainHead")
    db = schema_editor.connection.alias
    algo = _configured_algo()
    seq, prev, last_id = 0, GENESIS, 0
    while True:
        page = list(ActivityLog.objects.using(db).filter(id__gt=last_id).order_by("id")[:BATCH])
        if not page:
            break
        for entry in page:
            seq += 1
            entry.seq, entry.algo, entry.prev_hash = seq, algo, prev
            entry.hash = prev = _entry_hash(algo, entry)
        ActivityLog.objects.using(db).bulk_update(page, ["seq", "algo", "prev_hash", "hash"])
        last_id = page[-1].id
    AuditChainHead.objects.using(db).create(pk=1, seq=seq, hash=prev)


def unchain(apps, schema_editor) -> None:  # noqa: ANN001
    apps.get_model("core", "AuditChainHead").objects.using(schema_editor.connection.alias).all().delete()


class Migration(migrations.Migration):

    dependencies = [
        ('core', '0003_activitylog_chain'),
    ]

    operations = [
        migrations.RunPython(chain_existing, unchain),
    ]
