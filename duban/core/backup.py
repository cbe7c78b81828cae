"""``duban backup`` and ``duban restore``: one .tar.gz with everything a Duban instance holds, minus secrets.

Archive members::

    data.jsonl       every row of every model, Django's JSON Lines serialisation with primary keys
    settings.json    the DUBAN_* configuration in force, secret values left out (their names listed)
    files/uploads/…  MEDIA_ROOT, byte for byte
    files/generated/…
    manifest.json    written last: version, time, database vendor, applied migrations, rows per model,
                     size and sha256 of every other member

Design choices (see docs/security.md):

* Primary keys are kept for every row, ContentType and Permission included. Ids appear outside foreign keys
  (the activity log's ``object_id``, permission ids in its before/after values, links in notifications), so a
  restore that renumbered anything would silently change what the audit trail refers to. The rows ``migrate``
  makes by itself on the target (ContentType, Permission, the audit chain head) are replaced by the backup's.
  JSON with pks loads into SQLite and PostgreSQL alike; datetimes keep their microseconds (the audit hash
  chain covers them). Fields of EncryptedTextField are dumped in their encrypted form.
* Sessions are left out: session keys are bearer credentials, and they are signed with a SECRET_KEY the backup
  does not carry. Users log in again after a restore.
* The dump reads one snapshot: a REPEATABLE READ, READ ONLY transaction on PostgreSQL, a deferred read
  transaction on SQLite (WAL: writers carry on, the reader keeps its snapshot).
* Restore loads the rows into the schema of the backup's own migrations (historical models), then migrates
  forward, so a backup taken before an upgrade can be restored by the upgraded code.
* Restore refuses, before touching anything, a target database with rows or a data directory with files, an
  archive whose members do not match the manifest, and migrations this code does not know.
"""
from __future__ import annotations

import datetime as dt
import gzip
import hashlib
import importlib.metadata
import io
import json
import os
import re
import shutil
import tarfile
import tempfile
import time
import zlib
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from pathlib import Path, PurePosixPath
from typing import IO, Any

import django
from django.apps import apps as global_apps
from django.apps.registry import Apps
from django.conf import settings
from django.core import serializers
from django.core.management import call_command
from django.core.management.color import no_style
from django.core.serializers.base import DeserializationError
from django.core.serializers.json import DjangoJSONEncoder
from django.core.serializers.jsonl import Deserializer as JSONLDeserializer
from django.db import DEFAULT_DB_ALIAS, DatabaseError, connections, models, router, transaction
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.migrations.executor import MigrationExecutor
from django.db.migrations.loader import MigrationLoader
from django.db.migrations.recorder import MigrationRecorder
from django.utils import timezone

from duban.core import crypto
from duban.core.fields import EncryptedTextField

FORMAT = "duban-backup"
FORMAT_VERSION = 1
MANIFEST = "manifest.json"
DATA = "data.jsonl"
SETTINGS = "settings.json"
FILES = "files"
# Left out of every backup; see the module docstring.
EXCLUDED = frozenset({"sessions.session"})
# Rows `migrate` itself creates (post_migrate, data migrations); a target holding only these counts as empty,
# and the backup's rows replace them, keeping the source's ids and, for the audit chain head, its last hash.
SEEDED = ("contenttypes.contenttype", "auth.permission", "core.auditchainhead", "documents.documenttemplate")
IGNORED_TABLES = frozenset({"django_migrations", "django_session"})
SECRET_NAME = re.compile(r"SECRET|PASSWORD|PASSWD|KEY|TOKEN|CREDENTIAL", re.IGNORECASE)
CHUNK = 1 << 20
BATCH = 1000
MAX_MANIFEST = 64 << 20


class BackupError(Exception):
    """A backup or restore that was refused or failed; the message says why and what to do."""


def duban_version() -> str:
    try:
        return importlib.metadata.version("duban")
    except importlib.metadata.PackageNotFoundError:
        return "unknown"


def file_roots() -> dict[str, Path]:
    """The directories whose files a backup carries, by their name inside the archive."""
    return {"uploads": Path(settings.MEDIA_ROOT), "generated": Path(settings.GENERATED_ROOT)}


def dumped_models(model_apps: Apps = global_apps, using: str = DEFAULT_DB_ALIAS) -> list[type[models.Model]]:
    return [m for m in model_apps.get_models()
            if not m._meta.proxy and m._meta.managed and m._meta.label_lower not in EXCLUDED
            and router.allow_migrate_model(using, m)]


def _through_models(model: type[models.Model]) -> list[tuple[models.ManyToManyField, type[models.Model]]]:
    """Auto-created m2m tables: serialised as lists on their model, counted on their own."""
    return [(f, f.remote_field.through) for f in model._meta.local_many_to_many
            if f.remote_field.through._meta.auto_created]


class ExactJSONEncoder(DjangoJSONEncoder):
    """DjangoJSONEncoder cuts datetimes to milliseconds (ECMA-262); a backup keeps every microsecond, which
    the audit log's hash chain covers."""

    def default(self, o: Any) -> Any:  # noqa: ANN401
        if isinstance(o, (dt.datetime, dt.time)):
            return o.isoformat()
        return super().default(o)


def _seeded_tables(model_apps: Apps = global_apps) -> set[str]:
    tables = set()
    for label in SEEDED:
        with suppress(LookupError):  # an app that is not installed, or not yet migrated
            tables.add(model_apps.get_model(label)._meta.db_table)
    return tables


def sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        while chunk := fh.read(CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


# ---------------------------------------------------------------------------------------------------- backup


@contextmanager
def snapshot(using: str = DEFAULT_DB_ALIAS) -> Iterator[BaseDatabaseWrapper]:
    """One consistent, read-only view of the database for the whole dump."""
    connection = connections[using]
    if connection.in_atomic_block:
        raise BackupError("A backup must run in a transaction of its own.")
    if connection.vendor == "sqlite":
        # settings ask for BEGIN IMMEDIATE (a write lock); a reader needs only a snapshot, and must not block
        # writers.
        saved, connection.transaction_mode = connection.transaction_mode, "DEFERRED"
        try:
            with transaction.atomic(using=using):
                yield connection
        finally:
            connection.transaction_mode = saved
        return
    with transaction.atomic(using=using):
        with connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
            elif connection.vendor == "mysql":
                cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ")
        yield connection


def applied_migrations(connection: BaseDatabaseWrapper) -> dict[str, list[str]]:
    applied: dict[str, list[str]] = {}
    for app_label, name in sorted(MigrationRecorder(connection).applied_migrations()):
        applied.setdefault(app_label, []).append(name)
    return applied


def _pending_migrations(connection: BaseDatabaseWrapper) -> list[str]:
    executor = MigrationExecutor(connection)
    return [str(m) for m, _ in executor.migration_plan(executor.loader.graph.leaf_nodes())]


def _redact_url(url: str) -> str:
    return re.sub(r"(://[^:/@]*):[^@]*@", r"\1:***@", url)


def settings_without_secrets() -> dict[str, Any]:
    """What an operator needs to set up the restored instance the same way; secret values are named only."""
    env: dict[str, str] = {}
    secret_names: list[str] = []
    for name, value in sorted(os.environ.items()):
        if name == "DATABASE_URL":
            env[name] = _redact_url(value)
        elif name.startswith("DUBAN_"):
            if SECRET_NAME.search(name):
                secret_names.append(name)
            else:
                env[name] = value
    effective = {
        name: getattr(settings, name) for name in sorted(dir(settings))
        if name.isupper() and not SECRET_NAME.search(name)
        and (name.startswith("DUBAN_") or name in (
            "ALLOWED_HOSTS", "CSRF_TRUSTED_ORIGINS", "TIME_ZONE", "LANGUAGE_CODE", "EMAIL_HOST", "EMAIL_PORT",
            "EMAIL_USE_TLS", "EMAIL_USE_SSL", "DEFAULT_FROM_EMAIL", "SESSION_COOKIE_AGE", "PASSWORD_HASHERS",
            "AUTHENTICATION_BACKENDS", "INSTALLED_APPS"))
    }
    return {"env": env, "secret_env_names": secret_names, "effective": effective,
            "note": "Secret values (secret_key file, DUBAN_*KEY*, *PASSWORD*, *SECRET*, *TOKEN*) are not "
                    "included."}


def _dump(path: Path, using: str) -> dict[str, Any]:
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
                through = _through_models(model)
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


class _HashingReader(io.RawIOBase):
    """Hands a file to tarfile while hashing exactly the bytes that go into the archive."""

    def __init__(self, fh: IO[bytes]) -> None:
        self.fh = fh
        self.sha256 = hashlib.sha256()

    def read(self, size: int = -1) -> bytes:  # type: ignore[override]
        data = self.fh.read(size)
        self.sha256.update(data)
        return data


def _add_file(tar: tarfile.TarFile, name: str, path: Path, members: dict[str, dict[str, Any]]) -> None:
    with path.open("rb") as fh:
        stat = os.fstat(fh.fileno())
        info = tarfile.TarInfo(name)
        info.size, info.mtime, info.mode = stat.st_size, int(stat.st_mtime), 0o600
        reader = _HashingReader(fh)
        tar.addfile(info, reader)
    members[name] = {"size": info.size, "sha256": reader.sha256.hexdigest()}


def _add_bytes(tar: tarfile.TarFile, name: str, data: bytes) -> None:
    info = tarfile.TarInfo(name)
    info.size, info.mtime, info.mode = len(data), int(time.time()), 0o600
    tar.addfile(info, io.BytesIO(data))


def _walk_files(root: Path) -> Iterator[tuple[str, Path]]:
    """Regular files under ``root`` as (posix relative name, path), sorted; symlinks are not followed."""
    if not root.is_dir():
        return
    for folder, dirs, files in os.walk(root):
        dirs.sort()
        for name in sorted(files):
            path = Path(folder) / name
            if path.is_file() and not path.is_symlink():
                yield path.relative_to(root).as_posix(), path


def create_backup(out: Path, *, using: str = DEFAULT_DB_ALIAS) -> dict[str, Any]:
    """Write the archive to ``out`` (mode 0600, replaced atomically); its manifest."""
    out = Path(out).resolve()
    for root in file_roots().values():
        if out.is_relative_to(root.resolve()):
            raise BackupError(f"不能把备份写进数据目录 Write the backup outside {root}.")
    connection = connections[using]
    if pending := _pending_migrations(connection):
        raise BackupError("数据库未迁移到最新 The database has unapplied migrations; run `duban migrate` "
                          "first: "
                          + ", ".join(pending[:5]))
    out.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix=".duban-backup-", dir=out.parent) as tmp:
        data_path = Path(tmp) / DATA
        dumped = _dump(data_path, using)
        members: dict[str, dict[str, Any]] = {}
        partial = Path(tmp) / "archive.tar.gz"
        with tarfile.open(partial, "w:gz", format=tarfile.PAX_FORMAT) as tar:
            _add_file(tar, DATA, data_path, members)
            settings_data = json.dumps(settings_without_secrets(), ensure_ascii=False, indent=1, default=str,
                                       sort_keys=True).encode("utf-8")
            _add_bytes(tar, SETTINGS, settings_data)
            members[SETTINGS] = {"size": len(settings_data),
                                 "sha256": hashlib.sha256(settings_data).hexdigest()}
            archived: dict[str, set[str]] = {}
            for root_name, root in file_roots().items():
                archived[root_name] = set()
                for rel, path in _walk_files(root):
                    _add_file(tar, f"{FILES}/{root_name}/{rel}", path, members)
                    archived[root_name].add(rel)
            manifest = {
                "format": FORMAT, "format_version": FORMAT_VERSION,
                "duban_version": duban_version(), "django_version": django.get_version(),
                "created_at": timezone.now().isoformat(),
                "database": dumped["database"], "migrations": dumped["migrations"],
                "counts": dumped["counts"], "excluded": sorted(EXCLUDED),
                "sm4_key_id": dumped["sm4_key_id"],
                "missing_files": sorted(dumped["referenced"] - archived["uploads"]),
                "members": members,
            }
            _add_bytes(tar, MANIFEST, json.dumps(manifest, ensure_ascii=False, indent=1).encode("utf-8"))
        partial.chmod(0o600)
        shutil.move(partial, out)
    return manifest


# --------------------------------------------------------------------------------------------------- restore


def _member_name(member: tarfile.TarInfo) -> str:
    """The member's name if it is one a Duban backup can contain; anything else (links, devices, absolute or
    ``..`` paths, unknown names) refuses the archive, so extraction never writes outside the staging area."""
    name = member.name
    path = PurePosixPath(name)
    ok = (member.isreg() and str(path) == name and not path.is_absolute() and ".." not in path.parts
          and "\\" not in name and "\x00" not in name)
    if ok and name in (MANIFEST, DATA, SETTINGS):
        return name
    if ok and len(path.parts) >= 3 and path.parts[0] == FILES and path.parts[1] in file_roots():
        return name
    raise BackupError(f"备份文件中有不应出现的内容 Unexpected archive member: {name!r}")


def extract_verified(archive: Path, staging: Path) -> dict[str, Any]:
    """Unpack ``archive`` into ``staging`` and check every member against the manifest; the manifest."""
    seen: dict[str, dict[str, Any]] = {}
    manifest_bytes = b""
    try:
        with gzip.open(archive, "rb") as gz, tarfile.open(fileobj=gz, mode="r|") as tar:
            for member in tar:
                name = _member_name(member)
                if name in seen or (name == MANIFEST and manifest_bytes):
                    raise BackupError(f"备份文件中有重复内容 Archive member appears twice: {name}")
                source = tar.extractfile(member)
                assert source is not None
                if name == MANIFEST:
                    if member.size > MAX_MANIFEST:
                        raise BackupError("manifest.json is too large")
                    manifest_bytes = source.read()
                    continue
                target = staging / name
                target.parent.mkdir(parents=True, exist_ok=True)
                digest = hashlib.sha256()
                size = 0
                with target.open("wb") as out:
                    while chunk := source.read(CHUNK):
                        digest.update(chunk)
                        size += len(chunk)
                        out.write(chunk)
                seen[name] = {"size": size, "sha256": digest.hexdigest()}
            while gz.read(CHUNK):  # read to the end so that gzip checks its CRC and length
                pass
    except BackupError:
        raise
    except (tarfile.TarError, OSError, EOFError, ValueError, zlib.error) as exc:
        raise BackupError(f"备份文件已损坏 The archive is damaged or not a Duban backup: {exc}") from exc
    if not manifest_bytes:
        raise BackupError("备份文件缺少 manifest.json The archive has no manifest; it is not a Duban backup.")
    try:
        manifest = json.loads(manifest_bytes)
    except ValueError as exc:
        raise BackupError(f"manifest.json is not valid JSON: {exc}") from exc
    if manifest.get("format") != FORMAT or not isinstance(manifest.get("format_version"), int):
        raise BackupError("这不是督办备份文件 Not a Duban backup (unknown manifest format).")
    if manifest["format_version"] > FORMAT_VERSION:
        raise BackupError(f"备份格式较新 The backup format {manifest['format_version']} is newer than this "
                          f"Duban understands ({FORMAT_VERSION}); restore it with Duban "
                          f"{manifest.get('duban_version')}.")
    expected = manifest.get("members", {})
    problems = [f"missing {n}" for n in sorted(set(expected) - set(seen))]
    problems += [f"not in manifest {n}" for n in sorted(set(seen) - set(expected))]
    problems += [f"changed {n}" for n in sorted(set(seen) & set(expected)) if seen[n] != expected[n]]
    if problems:
        raise BackupError("备份文件与清单不符,可能被篡改或损坏 The archive does not match its manifest "
                          "(tampered with or damaged): " + "; ".join(problems[:10]))
    return manifest


def nonempty_tables(connection: BaseDatabaseWrapper, *, seeded: bool = False) -> list[str]:
    """Tables of the target that hold rows: those `migrate` fills by itself only when ``seeded``."""
    found = []
    skip = IGNORED_TABLES | (set() if seeded else _seeded_tables())
    with connection.cursor() as cursor:
        for table in sorted(connection.introspection.table_names(cursor)):
            if table in skip or table.startswith("sqlite_"):
                continue
            cursor.execute(f"SELECT 1 FROM {connection.ops.quote_name(table)} LIMIT 1")
            if cursor.fetchone():
                found.append(table)
    return found


def _files_present() -> list[str]:
    return [f"{root}/{rel}" for name, root in file_roots().items() for rel, _ in _walk_files(root)][:5]


def check_empty_target(connection: BaseDatabaseWrapper) -> None:
    if tables := nonempty_tables(connection):
        raise BackupError("目标数据库不是空的,拒绝恢复 Refusing to restore into a database that holds data "
                          f"(tables with rows: {', '.join(tables[:8])}{' …' if len(tables) > 8 else ''}). "
                          "Restore into a new, empty database.")
    if files := _files_present():
        raise BackupError("数据目录中已有文件,拒绝恢复 Refusing to restore into a data directory that "
                          f"already holds files ({', '.join(files)}). Use a new, empty data directory.")


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

    def _get_model_from_node(self, model_identifier: str) -> type[models.Model]:  # type: ignore[override]
        try:
            return self.model_apps.get_model(model_identifier)
        except (LookupError, TypeError):
            raise DeserializationError(f"Unknown model in backup: {model_identifier}") from None


def _migrate_to(targets: list[tuple[str, str]], connection: BaseDatabaseWrapper) -> None:
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
    fields = model._meta.local_concrete_fields
    if rows[0].pk is None:  # m2m link rows: the database numbers them
        fields = [f for f in fields if not f.primary_key]
    size = max(1, connection.ops.bulk_batch_size(fields, rows) or len(rows))
    for start in range(0, len(rows), size):
        model._base_manager._insert(rows[start:start + size], fields=fields, raw=True, using=connection.alias)


def _load_rows(path: Path, model_apps: Apps, connection: BaseDatabaseWrapper) -> Counter[str]:
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


def _place_files(staging: Path, placed: list[Path]) -> None:
    """Move the verified files from the staging area to MEDIA_ROOT and GENERATED_ROOT."""
    for root_name, root in file_roots().items():
        for rel, path in _walk_files(staging / FILES / root_name):
            target = root / rel
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.move(path, target)
            placed.append(target)


def _load(manifest: dict[str, Any], staging: Path, targets: list[tuple[str, str]],
          connection: BaseDatabaseWrapper) -> None:
    _migrate_to(targets, connection)
    model_apps = MigrationLoader(connection).project_state(list(targets), at_end=True).apps
    placed: list[Path] = []
    try:
        with transaction.atomic(using=connection.alias):
            check_empty_target(connection)  # again, now that we hold the transaction
            seeded = _seeded_tables(model_apps)
            with connection.cursor() as cursor:
                for table in set(nonempty_tables(connection, seeded=True)) & seeded:
                    cursor.execute(f"DELETE FROM {connection.ops.quote_name(table)}")
            loaded = _load_rows(staging / DATA, model_apps, connection)
            in_db = {}
            for label in manifest["counts"]:
                try:
                    in_db[label] = model_apps.get_model(label)._base_manager.using(connection.alias).count()
                except LookupError:
                    in_db[label] = None
            wrong = [f"{label}: {manifest['counts'][label]} in backup, {loaded.get(label, 0)} read, "
                     f"{in_db[label]} in database" for label in manifest["counts"]
                     if not manifest["counts"][label] == loaded.get(label, 0) == in_db[label]]
            if wrong:
                raise BackupError("恢复的数据行数与清单不符 Row counts differ from the manifest: "
                                  + "; ".join(wrong[:8]))
            loaded_models = [model_apps.get_model(label) for label in loaded]
            with connection.cursor() as cursor:
                for sql in connection.ops.sequence_reset_sql(no_style(), loaded_models):
                    cursor.execute(sql)
            connection.check_constraints()
            _place_files(staging, placed)
    except Exception:
        for path in placed:
            path.unlink(missing_ok=True)
        raise
    from django.contrib.contenttypes.models import ContentType

    ContentType.objects.clear_cache()
    # Forward to this code's migrations (nothing to do when the backup is from the same version).
    call_command("migrate", database=connection.alias, interactive=False, verbosity=0)


def restore_backup(archive: Path, *, using: str = DEFAULT_DB_ALIAS,
                   check_only: bool = False) -> dict[str, Any]:
    """Restore ``archive`` into the (empty) database and data directory; its manifest. ``check_only``
    verifies the archive and its compatibility with this code and changes nothing."""
    archive = Path(archive)
    if not archive.is_file():
        raise BackupError(f"没有这个文件 No such file: {archive}")
    connection = connections[using]
    if not check_only:
        check_empty_target(connection)
    data_dir = Path(settings.DATA_DIR)
    data_dir.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=".restore-", dir=data_dir))
    try:
        manifest = extract_verified(archive, staging)
        targets = check_compatible(manifest, connection)
        if not check_only:
            _load(manifest, staging, targets, connection)
        return manifest
    except (DeserializationError, DatabaseError) as exc:
        raise BackupError(f"恢复失败 Restore failed: {exc}") from exc
    finally:
        shutil.rmtree(staging, ignore_errors=True)
