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

This module runs the two commands; the archive (members, manifest, verified extraction) is in
duban/core/backup_archive.py, the rows (snapshot dump, historical load) in duban/core/backup_database.py.
"""
from __future__ import annotations

import hashlib
import importlib.metadata
import json
import os
import re
import shutil
import tarfile
import tempfile
from pathlib import Path
from typing import Any

import django
from django.conf import settings
from django.core.management import call_command
from django.core.management.color import no_style
from django.core.serializers.base import DeserializationError
from django.db import DEFAULT_DB_ALIAS, DatabaseError, connections, transaction
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.migrations.loader import MigrationLoader
from django.utils import timezone

from duban.core.backup_archive import (
    DATA,
    FILES,
    FORMAT,
    FORMAT_VERSION,
    MANIFEST,
    SETTINGS,
    BackupError,
    add_bytes,
    add_file,
    extract_verified,
    file_roots,
    sha256_file,
    walk_files,
)
from duban.core.backup_database import (
    EXCLUDED,
    HistoricalDeserializer,
    applied_migrations,
    check_compatible,
    dump_rows,
    load_rows,
    migrate_to,
    nonempty_tables,
    pending_migrations,
    seeded_tables,
)

# What the commands, the tests and the tools use; the pieces live in backup_archive and backup_database.
__all__ = ["BackupError", "HistoricalDeserializer", "applied_migrations", "check_compatible", "check_empty_target",
           "create_backup", "extract_verified", "file_roots", "nonempty_tables", "restore_backup",
           "settings_without_secrets", "sha256_file"]

SECRET_NAME = re.compile(r"SECRET|PASSWORD|PASSWD|KEY|TOKEN|CREDENTIAL", re.IGNORECASE)


def duban_version() -> str:
    """The installed Duban's version, recorded so an operator knows which version restores the archive."""
    try:
        return importlib.metadata.version("duban")
    except importlib.metadata.PackageNotFoundError:
        return "unknown"


def _redact_url(url: str) -> str:
    """DATABASE_URL without its password: the host and name help set up the target, the secret must not travel."""
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


def create_backup(out: Path, *, using: str = DEFAULT_DB_ALIAS) -> dict[str, Any]:
    """Write the archive to ``out`` (mode 0600, replaced atomically); its manifest."""
    out = Path(out).resolve()
    for root in file_roots().values():
        if out.is_relative_to(root.resolve()):
            raise BackupError(f"不能把备份写进数据目录 Write the backup outside {root}.")
    connection = connections[using]
    if pending := pending_migrations(connection):
        raise BackupError("数据库未迁移到最新 The database has unapplied migrations; run `duban migrate` "
                          "first: "
                          + ", ".join(pending[:5]))
    out.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix=".duban-backup-", dir=out.parent) as tmp:
        data_path = Path(tmp) / DATA
        dumped = dump_rows(data_path, using)
        members: dict[str, dict[str, Any]] = {}
        partial = Path(tmp) / "archive.tar.gz"
        with tarfile.open(partial, "w:gz", format=tarfile.PAX_FORMAT) as tar:
            add_file(tar, DATA, data_path, members)
            settings_data = json.dumps(settings_without_secrets(), ensure_ascii=False, indent=1, default=str,
                                       sort_keys=True).encode("utf-8")
            add_bytes(tar, SETTINGS, settings_data)
            members[SETTINGS] = {"size": len(settings_data),
                                 "sha256": hashlib.sha256(settings_data).hexdigest()}
            archived: dict[str, set[str]] = {}
            for root_name, root in file_roots().items():
                archived[root_name] = set()
                for rel, path in walk_files(root):
                    add_file(tar, f"{FILES}/{root_name}/{rel}", path, members)
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
            add_bytes(tar, MANIFEST, json.dumps(manifest, ensure_ascii=False, indent=1).encode("utf-8"))
        partial.chmod(0o600)
        shutil.move(partial, out)
    return manifest


def _files_present() -> list[str]:
    """A few files already in the data directory, to name in the refusal."""
    return [f"{root}/{rel}" for name, root in file_roots().items() for rel, _ in walk_files(root)][:5]


def check_empty_target(connection: BaseDatabaseWrapper) -> None:
    """Refuse a database with rows or a data directory with files: a restore never merges into live data."""
    if tables := nonempty_tables(connection):
        raise BackupError("目标数据库不是空的,拒绝恢复 Refusing to restore into a database that holds data "
                          f"(tables with rows: {', '.join(tables[:8])}{' …' if len(tables) > 8 else ''}). "
                          "Restore into a new, empty database.")
    if files := _files_present():
        raise BackupError("数据目录中已有文件,拒绝恢复 Refusing to restore into a data directory that "
                          f"already holds files ({', '.join(files)}). Use a new, empty data directory.")


def _place_files(staging: Path, placed: list[Path]) -> None:
    """Move the verified files from the staging area to MEDIA_ROOT and GENERATED_ROOT."""
    for root_name, root in file_roots().items():
        for rel, path in walk_files(staging / FILES / root_name):
            target = root / rel
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.move(path, target)
            placed.append(target)


def _load(manifest: dict[str, Any], staging: Path, targets: list[tuple[str, str]],
          connection: BaseDatabaseWrapper) -> None:
    """Migrate to the backup's schema, load rows and files in one transaction, check counts, then migrate on."""
    migrate_to(targets, connection)
    model_apps = MigrationLoader(connection).project_state(list(targets), at_end=True).apps
    placed: list[Path] = []
    try:
        with transaction.atomic(using=connection.alias):
            check_empty_target(connection)  # again, now that we hold the transaction
            seeded = seeded_tables(model_apps)
            with connection.cursor() as cursor:
                for table in set(nonempty_tables(connection, seeded=True)) & seeded:
                    cursor.execute(f"DELETE FROM {connection.ops.quote_name(table)}")
            loaded = load_rows(staging / DATA, model_apps, connection)
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
