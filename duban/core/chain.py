"""The activity log as a hash chain, so that it cannot be quietly edited (等保: audit records protected from
change and deletion, kept at least six months).

Every entry stores ``hash = H(canonical entry + prev_hash)``, where ``prev_hash`` is the hash of the entry
before it and ``seq`` numbers entries without gaps. Changing an entry breaks its own hash; re-hashing it
breaks the next entry's link; removing one leaves a gap in ``seq``; cutting entries off the end leaves the
chain head (one row holding the last seq and hash) pointing past the last entry. ``verify`` walks the chain
and names the first entry that fails.

Appends are serialised by locking the chain head row (SELECT … FOR UPDATE on PostgreSQL; on SQLite every
write transaction already holds the database lock, see ``transaction_mode`` in settings), so two
transactions can never chain onto the same entry. The lock is held until the caller's transaction commits.

Database triggers (``install_guards``) refuse UPDATE of entries and DELETE of any entry not below a purge
anchor; a retention purge first records an :class:`AuditAnchor` (the first kept entry) and then deletes the
entries before it, and verify starts from the latest anchor.
"""
from __future__ import annotations

import csv
import datetime as dt
import hashlib
import json
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import connection, transaction
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from duban.core.actions import Action, action_label
from duban.core.models import ActivityLog, AuditAnchor, AuditChainHead

GENESIS = "0" * 64  # the prev_hash of entry 1
ALGORITHMS = ("sha256", "sm3")
RETENTION_MINIMUM_DAYS = 180  # 等保: audit records kept at least six months
BATCH = 2000
LOG = ActivityLog._meta.db_table
ANCHOR = AuditAnchor._meta.db_table


# ---------------------------------------------------------------------------------------------- hashing

def configured_algo() -> str:
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


def canonical(seq: int, at: dt.datetime, actor_id: int | None, action: str, object_type: str, object_id: str,
              summary: str, before: Any, after: Any, prev_hash: str) -> bytes:
    """The bytes an entry's hash covers. Never change this: every stored hash depends on it."""
    return json.dumps({
        "seq": seq, "at": at.astimezone(dt.UTC).isoformat(timespec="microseconds"),
        "actor": actor_id, "action": action, "object_type": object_type, "object_id": object_id,
        "summary": summary, "before": _canonical_json(before), "after": _canonical_json(after),
        "prev_hash": prev_hash,
    }, sort_keys=True, separators=(",", ":"), allow_nan=False).encode("ascii")


def entry_hash(algo: str, entry: Any) -> str:
    """The hash of an entry (a model instance, also a migration's historical one), from its fields."""
    data = canonical(entry.seq, entry.at, entry.actor_id, entry.action, entry.object_type, entry.object_id,
                     entry.summary, entry.before, entry.after, entry.prev_hash)
    return hashlib.new(algo, data).hexdigest()


# ---------------------------------------------------------------------------------------------- append

def append(actor: Any, action: str, object_type: str, object_id: str, summary: str,
           before: Any, after: Any) -> ActivityLog:
    """Add an entry at the end of the chain, inside the caller's transaction (or one of its own)."""
    algo = configured_algo()
    with transaction.atomic(savepoint=False):
        head = AuditChainHead.objects.select_for_update().get(pk=1)
        entry = ActivityLog(
            seq=head.seq + 1, at=timezone.now(), actor=actor, action=action, object_type=object_type,
            object_id=object_id, summary=summary, before=before, after=after, algo=algo, prev_hash=head.hash,
        )
        entry.hash = entry_hash(algo, entry)
        entry.save(force_insert=True)
        AuditChainHead.objects.filter(pk=1).update(seq=entry.seq, hash=entry.hash)
    return entry


# ---------------------------------------------------------------------------------------------- verify

@dataclass
class Verification:
    ok: bool
    count: int = 0  # entries checked
    first: int | None = None  # seq of the first entry checked
    last: int | None = None  # … and of the last
    last_hash: str = ""  # worth noting down elsewhere: a chain re-hashed from start to end would not match
    broken: int | None = None  # seq of the first entry found wrong (missing, altered or mis-linked)
    problem: str = ""


FIELDS = ("seq", "id", "at", "actor_id", "action", "object_type", "object_id", "summary", "before", "after",
          "algo", "prev_hash", "hash")


@dataclass
class _Row:
    seq: int
    id: int
    at: dt.datetime
    actor_id: int | None
    action: str
    object_type: str
    object_id: str
    summary: str
    before: Any
    after: Any
    algo: str
    prev_hash: str
    hash: str


def _rows(start: int, stop: int, batch: int) -> Iterator[_Row]:
    """Entries ``start``…``stop`` in seq order, ``batch`` at a time (keyset pages: constant memory)."""
    cursor = start - 1
    while True:
        page = list(ActivityLog.objects.filter(seq__gt=cursor, seq__lte=stop).order_by("seq")
                    .values_list(*FIELDS)[:batch])
        if not page:
            return
        for values in page:
            yield _Row(*values)
        cursor = page[-1][0]


def verify(start: int | None = None, batch: int = BATCH) -> Verification:
    """Walk the chain from the latest purge anchor (or entry 1, or ``start``) to the chain head."""
    head = AuditChainHead.objects.filter(pk=1).first()
    if head is None:
        return Verification(False, problem=_("The chain head row is missing."))
    anchor = AuditAnchor.objects.order_by("-seq").first()
    base = anchor.seq if anchor else 1
    begin = max(base, start or base)
    if begin > max(head.seq, 1):
        return Verification(False, problem=_("There is no entry %(seq)s: the last one is %(last)s.")
                            % {"seq": begin, "last": head.seq})
    if begin > base:  # a partial check links its first entry to the (unchecked) one before it
        expected_prev = ActivityLog.objects.filter(seq=begin - 1).values_list("hash", flat=True).first()
        if expected_prev is None:
            return Verification(False, broken=begin - 1, problem=_("Entry %(seq)s is missing.")
                                % {"seq": begin - 1})
    else:
        expected_prev = None if anchor else GENESIS

    result = Verification(True, first=begin)
    expected_seq = begin
    for row in _rows(begin, head.seq, batch):
        problem, broken = _check(row, expected_seq, expected_prev, anchor)
        if problem:
            result.ok, result.broken, result.problem = False, broken, problem
            return result
        expected_prev, expected_seq = row.hash, row.seq + 1
        result.count += 1
        result.last, result.last_hash = row.seq, row.hash
    if expected_seq <= head.seq:
        result.ok, result.broken = False, expected_seq
        result.problem = _("Entries %(first)s to %(last)s are missing (the chain head is at %(last)s).") % {
            "first": expected_seq, "last": head.seq}
    elif result.count and head.hash != expected_prev:
        result.ok, result.broken = False, head.seq
        result.problem = _("Entry %(seq)s does not match the hash the chain head recorded for it.") % {
            "seq": head.seq}
    elif not anchor and head.seq == 0 and head.hash != GENESIS:
        result.ok, result.problem = False, _("The chain head of the empty log was changed.")
    return result


def _check(row: _Row, expected_seq: int, expected_prev: str | None,
           anchor: AuditAnchor | None) -> tuple[str, int | None]:
    """What is wrong with ``row``, if anything, and which entry it concerns."""
    values = {"seq": row.seq, "id": row.id, "action": row.action,
              "object": f"{row.object_type}#{row.object_id}"}
    if row.seq != expected_seq:
        return _("Entry %(missing)s is missing (the next one is %(seq)s).") % {
            "missing": expected_seq, "seq": row.seq}, expected_seq
    if row.algo not in ALGORITHMS:
        return _("Entry %(seq)s names an unknown hash algorithm.") % values, row.seq
    if entry_hash(row.algo, row) != row.hash:
        return _("Entry %(seq)s (id %(id)s, %(action)s %(object)s) was altered: its content does not match "
                 "its hash.") % values, row.seq
    if anchor and row.seq == anchor.seq and row.hash != anchor.hash:
        return _("Entry %(seq)s (id %(id)s, %(action)s %(object)s) does not match the purge anchor that "
                 "recorded it.") % values, row.seq
    if expected_prev is not None and row.prev_hash != expected_prev:
        return _("Entry %(prev)s was altered or replaced: entry %(seq)s recorded a different hash "
                 "for it.") % {"prev": row.seq - 1, "seq": row.seq}, row.seq - 1
    return "", None


# ---------------------------------------------------------------------------------------------- purge

class RetentionError(Exception):
    """A purge that would remove entries still inside the retention period, or over a broken chain."""


def retention_days() -> int:
    """``DUBAN_AUDIT_RETENTION_DAYS`` (default 365), never less than 180."""
    return max(RETENTION_MINIMUM_DAYS, int(getattr(settings, "DUBAN_AUDIT_RETENTION_DAYS", 365)))


def earliest_purge_date() -> dt.date:
    """Purging entries before this date or an earlier one is allowed."""
    return timezone.localdate() - dt.timedelta(days=retention_days())


def purge(before: dt.date) -> AuditAnchor | None:
    """Delete the entries older than ``before`` (a prefix of the chain) and anchor the chain at the first
    kept one. None if there is nothing to delete. The newest entry is always kept."""
    if before > earliest_purge_date():
        raise RetentionError(_("Entries are kept for %(days)s days: the latest date allowed is %(date)s.")
                             % {"days": retention_days(), "date": earliest_purge_date().isoformat()})
    check = verify()
    if not check.ok:  # purging now could erase the evidence
        raise RetentionError(_("The chain is broken, nothing was purged: %(problem)s")
                             % {"problem": check.problem})
    cutoff = timezone.make_aware(dt.datetime.combine(before, dt.time.min))
    with transaction.atomic():
        head = AuditChainHead.objects.select_for_update().get(pk=1)  # no appends while the chain is cut
        kept = (ActivityLog.objects.filter(at__gte=cutoff).order_by("seq").values_list("seq", "hash").first()
                or (head.seq, head.hash))
        current = AuditAnchor.objects.order_by("-seq").values_list("seq", flat=True).first() or 1
        if head.seq == 0 or kept[0] <= current:
            return None
        removed = ActivityLog.objects.filter(seq__lt=kept[0]).count()
        anchor = AuditAnchor.objects.create(seq=kept[0], hash=kept[1], before=before, removed=removed)
        with connection.cursor() as cursor:  # the trigger allows it now that the anchor exists
            cursor.execute(f"DELETE FROM {connection.ops.quote_name(LOG)} WHERE seq < %s", [kept[0]])
        append(None, Action.AUDIT_PURGE, AuditAnchor._meta.label_lower, str(anchor.pk),
               f"{removed} entries before {before.isoformat()}",
               None, {"before": before.isoformat(), "removed": removed, "first_kept": kept[0]})
    return anchor


# ---------------------------------------------------------------------------------------------- export

class _Echo:
    def write(self, value: str) -> str:
        return value


def _cell(value: str) -> str:
    # A text cell Excel or WPS would take for a formula is shown as text (CSV injection).
    return "'" + value if value[:1] in ("=", "+", "-", "@", "\t", "\r") else value


def _json(value: Any) -> str:
    return "" if value is None else json.dumps(value, ensure_ascii=False, sort_keys=True)


def csv_lines(queryset: QuerySet[ActivityLog], batch: int = BATCH) -> Iterator[str]:
    """The entries of ``queryset`` in seq order as CSV lines, UTF-8 BOM first so Excel reads the Chinese;
    fetched ``batch`` at a time, for a streaming response or a file of any size."""
    writer = csv.writer(_Echo())
    names = ("seq", "at", "actor", "action", "object_type", "object_id", "summary", "before", "after", "algo",
             "prev_hash", "hash")
    header = [str(getattr(ActivityLog._meta.get_field(name), "verbose_name", name)) for name in names]
    header.insert(4, _("description"))
    yield "\ufeff" + writer.writerow(header)
    fields = ("seq", "at", "actor__username", "action", "object_type", "object_id", "summary", "before",
              "after", "algo", "prev_hash", "hash")
    queryset = queryset.order_by("seq")
    cursor = None
    while True:
        page = queryset if cursor is None else queryset.filter(seq__gt=cursor)
        rows = list(page.values_list(*fields)[:batch])
        if not rows:
            return
        for seq, at, actor, action, otype, oid, summary, before, after, algo, prev_hash, digest in rows:
            yield writer.writerow([
                seq, timezone.localtime(at).strftime("%Y-%m-%d %H:%M:%S"), _cell(actor or ""), action,
                action_label(action), otype, _cell(oid), _cell(summary), _json(before),
                _json(after), algo, prev_hash, digest,
            ])
        cursor = rows[-1][0]


# ---------------------------------------------------------------------------------------------- guards

_PG_GUARD_FUNCTION = f"""
CREATE OR REPLACE FUNCTION duban_audit_guard() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'DELETE' AND TG_TABLE_NAME = '{LOG}' THEN
        IF EXISTS (SELECT 1 FROM {ANCHOR} WHERE seq > OLD.seq) THEN
            RETURN OLD;  -- below a purge anchor: a retention purge
        END IF;
    END IF;
    RAISE EXCEPTION 'duban: % on % refused: the audit log is append-only', TG_OP, TG_TABLE_NAME
        USING ERRCODE = 'insufficient_privilege';
END
$$"""


def _guards(vendor: str) -> dict[str, str]:
    """Trigger name → SQL creating it, for ``vendor``; empty for databases Duban does not run on."""
    if vendor == "postgresql":
        row = "BEFORE UPDATE OR DELETE ON {table} FOR EACH ROW EXECUTE FUNCTION duban_audit_guard()"
        truncate = "BEFORE TRUNCATE ON {table} FOR EACH STATEMENT EXECUTE FUNCTION duban_audit_guard()"
        return {f"{name}:{table}": f"CREATE TRIGGER {name} " + sql.format(table=table)
                for table in (LOG, ANCHOR)
                for name, sql in (("duban_audit_guard", row), ("duban_audit_no_truncate", truncate))}
    if vendor == "sqlite":
        refuse = "BEGIN SELECT RAISE(ABORT, 'duban: the audit log is append-only'); END"
        return {
            "duban_audit_no_update": f"CREATE TRIGGER duban_audit_no_update BEFORE UPDATE ON {LOG} {refuse}",
            "duban_audit_no_delete": f"CREATE TRIGGER duban_audit_no_delete BEFORE DELETE ON {LOG} "
                                     f"WHEN NOT EXISTS (SELECT 1 FROM {ANCHOR} WHERE seq > OLD.seq) {refuse}",
            "duban_anchor_no_update": f"CREATE TRIGGER duban_anchor_no_update BEFORE UPDATE ON {ANCHOR} "
                                      f"{refuse}",
            "duban_anchor_no_delete": f"CREATE TRIGGER duban_anchor_no_delete BEFORE DELETE ON {ANCHOR} "
                                      f"{refuse}",
        }
    return {}


def _drop(vendor: str, key: str) -> str:
    if vendor == "postgresql":
        name, table = key.split(":")
        return f"DROP TRIGGER IF EXISTS {name} ON {table}"
    return f"DROP TRIGGER IF EXISTS {key}"


def install_guards(conn: BaseDatabaseWrapper = connection) -> None:
    """(Re)create the triggers that refuse changing or deleting log entries; safe to run again."""
    guards = _guards(conn.vendor)
    with conn.cursor() as cursor:
        if conn.vendor == "postgresql":
            cursor.execute(_PG_GUARD_FUNCTION)
        for key, sql in guards.items():
            cursor.execute(_drop(conn.vendor, key))
            cursor.execute(sql)


def remove_guards(conn: BaseDatabaseWrapper = connection) -> None:
    with conn.cursor() as cursor:
        for key in _guards(conn.vendor):
            cursor.execute(_drop(conn.vendor, key))
        if conn.vendor == "postgresql":
            cursor.execute("DROP FUNCTION IF EXISTS duban_audit_guard()")


def missing_guards(conn: BaseDatabaseWrapper = connection) -> list[str]:
    """The triggers that should be there and are not (or are disabled). A migration that rebuilds the
    log table on SQLite drops them: ``duban audit protect`` puts them back."""
    with conn.cursor() as cursor:
        if conn.vendor == "postgresql":
            cursor.execute("SELECT tgname || ':' || tgrelid::regclass::text FROM pg_trigger "
                           "WHERE NOT tgisinternal AND tgenabled <> 'D' "
                           "AND tgrelid IN (%s::regclass, %s::regclass)", [LOG, ANCHOR])
        elif conn.vendor == "sqlite":
            cursor.execute("SELECT name FROM sqlite_master WHERE type = 'trigger'")
        else:
            return []
        present = {name for (name,) in cursor.fetchall()}
    return [key for key in _guards(conn.vendor) if key not in present]
