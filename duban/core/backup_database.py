"""The database side of a backup: which rows go in, one consistent dump of them, and loading them back into
the schema of the backup's own migrations.

Rows keep their primary keys and are written raw (no save(), no signals, no auto_now), so the restored
database is the dumped one, ids, timestamps and the audit hash chain included; see duban.core.backup."""
from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from pathlib import Path
from typing import IO, Any

from django.apps import apps as global_apps
from django.apps.registry import Apps
from django.core import serializers
from django.core.management import call_command
from django.core.serializers.base import DeserializationError
from django.core.serializers.json import DjangoJSONEncoder
from django.core.serializers.jsonl import Deserializer as JSONLDeserializer
from django.db import DEFAULT_DB_ALIAS, connections, models, router, transaction
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.migrations.executor import MigrationExecutor
from django.db.migrations.loader import MigrationLoader
from django.db.migrations.recorder import MigrationRecorder

from duban.core import crypto
from duban.core.backup_archive import BackupError
from duban.core.fields import EncryptedTextField

# Left out of every backup; see the module docstring.
EXCLUDED = frozenset({"sessions.session"})
# Rows `migrate` itself creates (post_migrate, data migrations); a target holding only these counts as empty,
# and the backup's rows replace them, keeping the source's ids and, for the audit chain head, its last hash.
SEEDED = ("contenttypes.contenttype", "auth.permission", "core.auditchainhead", "documents.documenttemplate")
IGNORED_TABLES = frozenset({"django_migrations", "django_session"})
BATCH = 1000


def dumped_models(model_apps: Apps = global_apps, using: str = DEFAULT_DB_ALIAS) -> list[type[models.Model]]:
    """The models whose rows a backup carries: concrete, managed, routed here, not excluded."""
    return [m for m in model_apps.get_models()
            if not m._meta.proxy and m._meta.managed and m._meta.label_lower not in EXCLUDED
            and router.allow_migrate_model(using, m)]


def through_models(model: type[models.Model]) -> list[tuple[models.ManyToManyField, type[models.Model]]]:
    """Auto-created m2m tables: serialised as lists on their model, counted on their own."""
    found = []
    for f in model._meta.local_many_to_many:
        through = f.remote_field.through
        if through is not None and through._meta.auto_created:
            found.append((f, through))
    return found


class ExactJSONEncoder(DjangoJSONEncoder):
    """DjangoJSONEncoder cuts datetimes to milliseconds (ECMA-262); a backup keeps every microsecond, which
    the audit log's hash chain covers."""

    def default(self, o: Any) -> Any:  # noqa: ANN401
        if isinstance(o, (dt.datetime, dt.time)):
            return o.isoformat()
        return super().default(o)


def seeded_tables(model_apps: Apps = global_apps) -> set[str]:
    """The tables of the SEEDED models that exist in ``model_apps``."""
    tables = set()
    for label in SEEDED:
        with suppress(LookupError):  # an app that is not installed, or not yet migrated
            tables.add(model_apps.get_model(label)._meta.db_table)
    return tables


@contextmanager
def snapshot(using: str = DEFAULT_DB_ALIAS) -> Iterator[BaseDatabaseWrapper]:
    """One consistent, read-only view of the database for the whole dump."""
    connection = connections[using]
    if connection.in_atomic_block:
        raise BackupError("A backup must run in a transaction of its own.")
    if connection.vendor == "sqlite":
        # settings ask for BEGIN IMMEDIATE (a write lock); a reader needs only a snapshot, and must not block
        # writers.
        sqlite: Any = connection  # transaction_mode is the SQLite backend's own
        saved, sqlite.transaction_mode = sqlite.transaction_mode, "DEFERRED"
        try:
            with transaction.atomic(using=using):
                yield connection
        finally:
            sqlite.transaction_mode = saved
        return
    with transaction.atomic(using=using):
        with connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
            elif connection.vendor == "mysql":
                cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ")
        yield connection


def applied_migrations(connection: BaseDatabaseWrapper) -> dict[str, list[str]]:
    """The applied migrations by app: the schema the dumped rows belong to."""
    applied: dict[str, list[str]] = {}
    for app_label, name in sorted(MigrationRecorder(connection).applied_migrations()):
        applied.setdefault(app_label, []).append(name)
    return applied


def pending_migrations(connection: BaseDatabaseWrapper) -> list[str]:
    """Migrations not yet applied: a dump of a half-migrated schema could not be restored reliably."""
    executor = MigrationExecutor(connection)
    return [str(m) for m, _ in executor.migration_plan(executor.loader.graph.leaf_nodes())]


def dump_rows(path: Path, using: str) -> dict[str, Any]:
    """Write every row to ``path`` inside one snapshot; counts, migrations and referenced files from it."""
    serializer = serializers.get_serializer("jsonl")()
    counts: dict[str, int] = {}
    referenced: set[str] = set()
    encrypted = False
    with snapshot(using) as connection:
        migrations = applied_migrations(connection)
        with path.open("w", encoding="utf-8") as stream:
            for model in dumped_models(using=using):
                label = model._meta.label_lower
                through = through_models(model)
                qs = model._base_manager.using(using).order_by("pk")
                if through:
                    qs = qs.prefetch_related(*(f.name for f, _ in through))
                counts[label] = 0

                def counted(rows: Iterator[models.Model], label: str = label) -> Iterator[models.Model]:
                    for row in rows:
                        counts[label] += 1
                        yield row

                serializer.serialize(counted(qs.iterator(chunk_size=2000)), stream=stream,
                                     cls=ExactJSONEncoder)
                for _field, through_model in through:
                    counts[through_model._meta.label_lower] = through_model._base_manager.using(using).count()
                file_fields = [f.attname for f in model._meta.concrete_fields
                               if isinstance(f, models.FileField)]
                for name in file_fields:
                    referenced.update(model._base_manager.using(using).exclude(**{name: ""})
                                      .exclude(**{f"{name}__isnull": True}).values_list(name, flat=True))
                encrypted = encrypted or any(isinstance(f, EncryptedTextField) for f in model._meta.fields)
        database = {"vendor": connection.vendor,
                    "version": ".".join(map(str, connection.get_database_version()))}
    return {"counts": counts, "migrations": migrations, "referenced": referenced, "database": database,
            "sm4_key_id": crypto.current_key_id() if encrypted else None}


def nonempty_tables(connection: BaseDatabaseWrapper, *, seeded: bool = False) -> list[str]:
    """Tables of the target that hold rows: those `migrate` fills by itself only when ``seeded``."""
    found = []
    skip = IGNORED_TABLES | (set() if seeded else seeded_tables())
    with connection.cursor() as cursor:
        for table in sorted(connection.introspection.table_names(cursor)):
            if table in skip or table.startswith("sqlite_"):
                continue
            cursor.execute(f"SELECT 1 FROM {connection.ops.quote_name(table)} LIMIT 1")
            if cursor.fetchone():
                found.append(table)
    return found


def _restore_targets(manifest: dict[str, Any], connection: BaseDatabaseWrapper) -> list[tuple[str, str]]:
    """The migration nodes the backup's data belongs to; refuses what this code cannot load it into."""
    loader = MigrationLoader(connection, ignore_no_migrations=True)
    graph = loader.graph
    backup = {(app, name) for app, names in manifest["migrations"].items() for name in names}
    replaced = {old: key for key, migration in loader.replacements.items() for old in migration.replaces}
    nodes = {replaced.get(node, node) for node in backup}
    unknown = sorted(f"{a}.{n}" for a, n in nodes if (a, n) not in graph.nodes)
    if unknown:
        raise BackupError(f"备份来自较新的版本 The backup was made by a newer Duban "
                          f"({manifest.get('duban_version')}): unknown migrations {', '.join(unknown[:5])}. "
                          "Restore it with that version.")
    targets = [node for node in nodes
               if not any(node != other and node[0] == other[0] and node in graph.forwards_plan(other)
                          for other in nodes)]
    needed = {n for target in targets for n in graph.forwards_plan(target)}
    if needed - nodes:
        raise BackupError("备份的迁移记录不完整 The backup's migration history is inconsistent: "
                          + ", ".join(sorted(f"{a}.{n}" for a, n in needed - nodes)[:5]))
    applied = set(MigrationRecorder(connection).applied_migrations())
    if ahead := sorted(f"{a}.{n}" for a, n in applied if (a, n) in graph.nodes and (a, n) not in nodes):
        raise BackupError("目标数据库的结构比备份新 The target database is already migrated past the backup "
                          f"({', '.join(ahead[:5])}). Restore into a new, empty database.")
    return sorted(targets)


def check_compatible(manifest: dict[str, Any], connection: BaseDatabaseWrapper) -> list[tuple[str, str]]:
    """The migration nodes to load into; refuses unknown migrations and a missing SM4 key before any change."""
    targets = _restore_targets(manifest, connection)
    key_id = manifest.get("sm4_key_id")
    if key_id and key_id not in dict(crypto.keys()):
        raise BackupError(f"缺少 SM4 密钥 The backup's encrypted fields need SM4 key {key_id!r} in "
                          "DUBAN_SM4_KEYS.")
    return targets


class HistoricalDeserializer(JSONLDeserializer):
    """Django's JSON Lines deserializer, building rows with the models of a migration state instead of the
    current code, so the data fits the schema it was dumped from."""

    def __init__(self, stream: IO[str], *, model_apps: Apps, **options: Any) -> None:
        super().__init__(stream, **options)
        self.model_apps = model_apps

    def _get_model_from_node(self, model_identifier: str) -> type[models.Model]:
        try:
            return self.model_apps.get_model(model_identifier)
        except (LookupError, TypeError):
            raise DeserializationError(f"Unknown model in backup: {model_identifier}") from None


def migrate_to(targets: list[tuple[str, str]], connection: BaseDatabaseWrapper) -> None:
    """Bring the empty target to exactly the backup's migrations (usually: all of them)."""
    executor = MigrationExecutor(connection)
    if set(targets) == set(executor.loader.graph.leaf_nodes()):
        call_command("migrate", database=connection.alias, interactive=False, verbosity=0)
        return
    for app_label, name in targets:
        call_command("migrate", app_label, name, database=connection.alias, interactive=False, verbosity=0)


def _insert(model: type[models.Model], rows: list[models.Model], connection: BaseDatabaseWrapper) -> None:
    """Plain INSERTs of the rows as they were (raw: no auto_now, no save() overrides, no signals)."""
    if not rows:
        return
    if model._meta.parents:  # multi-table inheritance: let Django write each level
        for row in rows:
            row.save_base(raw=True, force_insert=True, using=connection.alias)
        return
    fields = list(model._meta.local_concrete_fields)
    if rows[0].pk is None:  # m2m link rows: the database numbers them
        fields = [f for f in fields if not f.primary_key]
    size = max(1, connection.ops.bulk_batch_size(fields, rows) or len(rows))
    for start in range(0, len(rows), size):
        model._base_manager._insert(  # type: ignore[attr-defined]  # proxied from QuerySet
            rows[start:start + size], fields=fields, raw=True, using=connection.alias)


def load_rows(path: Path, model_apps: Apps, connection: BaseDatabaseWrapper) -> Counter[str]:
    """Insert the dumped rows in batches per model, m2m links after their rows; rows read per model label."""
    counts: Counter[str] = Counter()
    batch: list[models.Model] = []
    batch_model: type[models.Model] | None = None
    links: dict[type[models.Model], list[models.Model]] = {}

    def flush() -> None:
        if batch_model is not None:
            _insert(batch_model, batch, connection)
        batch.clear()
        for through, rows in links.items():
            _insert(through, rows, connection)
            counts[through._meta.label_lower] += len(rows)
        links.clear()

    with path.open(encoding="utf-8") as stream:
        for item in HistoricalDeserializer(stream, model_apps=model_apps, using=connection.alias):
            obj = item.object
            model = type(obj)
            if model is not batch_model or len(batch) >= BATCH:
                flush()
                batch_model = model
            if item.deferred_fields:
                raise BackupError(f"Unresolved references in {model._meta.label} #{obj.pk}")
            batch.append(obj)
            counts[model._meta.label_lower] += 1
            for name, values in item.m2m_data.items():
                field = model._meta.get_field(name)
                through = field.remote_field.through
                source = through._meta.get_field(field.m2m_field_name()).attname
                target = through._meta.get_field(field.m2m_reverse_field_name()).attname
                links.setdefault(through, []).extend(through(**{source: obj.pk, target: v}) for v in values)
        flush()
    return counts
