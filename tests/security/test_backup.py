"""`duban backup` and `duban restore`, run as an operator would, in processes of their own on their own data
directories and databases (PostgreSQL when DATABASE_URL names one, else SQLite): the demo goes round trip with
every row, file and API answer intact; a non-empty target, a damaged or tampered archive and a backup from a
newer version are refused without changing anything."""
from __future__ import annotations

import gzip
import io
import json
import os
import stat
import subprocess
import sys
import tarfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from tests.support import fresh_database, postgres_config

HARNESS = str(Path(__file__).with_name("harness.py"))
ROOT = str(Path(__file__).resolve().parents[2])


def _env(data_dir: Path, url: str | None, **extra: str) -> dict[str, str]:
    env = {**os.environ, "DUBAN_DATA_DIR": str(data_dir), "PYTHONPATH": ROOT,
           "DUBAN_ALLOWED_HOSTS": "testserver,127.0.0.1,localhost", **extra}
    env.pop("DATABASE_URL", None)
    if url:
        env["DATABASE_URL"] = url
    return env


def _harness(env: dict[str, str], *args: str) -> dict[str, Any]:
    done = subprocess.run([sys.executable, HARNESS, *args], env=env, capture_output=True, text=True,
                          timeout=600, check=False)
    assert done.returncode == 0, done.stderr[-3000:]
    return json.loads(done.stdout.strip().splitlines()[-1])


def _duban(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "duban", *args], env=env, capture_output=True, text=True,
                          timeout=600, check=False)


def _ok(done: subprocess.CompletedProcess[str]) -> subprocess.CompletedProcess[str]:
    assert done.returncode == 0, done.stderr[-3000:]
    return done


Target = Callable[[str], dict[str, str]]


@pytest.fixture
def target(tmp_path: Path) -> Target:
    """``target("name")``: the environment of a new, empty data directory and database."""
    def make(name: str) -> dict[str, str]:
        return _env(tmp_path / name, fresh_database(f"backup_{name}"))
    return make


@pytest.fixture(scope="module")
def source(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """The demo plus binary uploads, a generated file, groups and permissions, an admin log entry and a 批示;
    backed up, then described (after the backup: the API calls of the snapshot write)."""
    data_dir = tmp_path_factory.mktemp("backup-source")
    env = _env(data_dir, fresh_database("backup_source"), DUBAN_EMAIL_PASSWORD="smtp-sentinel-0427")
    _harness(env, "demo")
    _harness(env, "extras")
    archive = tmp_path_factory.mktemp("backup-archive") / "duban.tar.gz"
    done = _ok(_duban(env, "backup", "--out", str(archive)))
    sha256 = done.stdout.split("sha256 ", 1)[1].split()[0]
    return {"env": env, "archive": archive, "sha256": sha256, "snapshot": _harness(env, "snapshot")}


def _assert_same(restored: dict[str, Any], original: dict[str, Any]) -> None:
    assert restored["rows"].keys() == original["rows"].keys()
    different = {label: (original["rows"][label], restored["rows"][label]) for label in original["rows"]
                 if original["rows"][label] != restored["rows"][label]}
    assert different == {}
    assert restored["files"] == original["files"]


def _repack(archive: Path, out: Path, change: Callable[[str, bytes], bytes]) -> Path:
    """A well-formed archive with the same members, each passed through ``change(name, data)``."""
    with tarfile.open(archive, "r:gz") as tar, tarfile.open(out, "w:gz") as new:
        for member in tar:
            data = change(member.name, tar.extractfile(member).read())
            member.size = len(data)
            new.addfile(member, io.BytesIO(data))
    return out


def _edit_manifest(edit: Callable[[dict[str, Any]], None]) -> Callable[[str, bytes], bytes]:
    def change(name: str, data: bytes) -> bytes:
        if name != "manifest.json":
            return data
        manifest = json.loads(data)
        edit(manifest)
        return json.dumps(manifest).encode()
    return change


def _assert_untouched(env: dict[str, str]) -> None:
    state = _harness(env, "state")
    assert state["tables"] == [] and state["files"] == {}


def test_round_trip_restores_every_row_file_and_api_answer(source: dict[str, Any], target: Target) -> None:
    original = source["snapshot"]
    assert sum(1 for count, _ in original["rows"].values() if count) >= 20  # the demo, not an empty database
    assert {"uploads", "generated"} <= {name.split("/")[0] for name in original["files"]}
    env = target("restored")
    done = _ok(_duban(env, "restore", str(source["archive"]), "--sha256", source["sha256"]))
    assert "已恢复" in done.stdout
    restored = _harness(env, "snapshot")
    _assert_same(restored, original)
    assert restored["chain"] == original["chain"] and (restored["chain"] is None or restored["chain"]["ok"])
    for path in ("/api/v1/tasks", "/api/v1/reports", "/api/v1/letters"):
        assert original["api"][path] and restored["api"][path] == original["api"][path], path
    # New rows get fresh ids after the restore (PostgreSQL sequences were reset).
    written = _harness(env, "write")
    assert written["new"] > written["before"] > 0


def test_the_archive_holds_no_secrets(source: dict[str, Any]) -> None:
    archive: Path = source["archive"]
    assert stat.S_IMODE(archive.stat().st_mode) == 0o600
    secret_key = (Path(source["env"]["DUBAN_DATA_DIR"]) / "secret_key").read_text().strip()
    with tarfile.open(archive, "r:gz") as tar:
        contents = {m.name: tar.extractfile(m).read() for m in tar}
    assert not any(Path(name).name == "secret_key" for name in contents)
    for name, data in contents.items():
        assert secret_key.encode() not in data, name
        assert b"smtp-sentinel-0427" not in data, name
    settings = json.loads(contents["settings.json"])
    assert "DUBAN_EMAIL_PASSWORD" in settings["secret_env_names"]
    if url := source["env"].get("DATABASE_URL"):
        password = postgres_config()["PASSWORD"]
        text = contents["settings.json"].decode()
        assert f":{password}@" not in text and url not in text and ":***@" in settings["env"]["DATABASE_URL"]
    manifest = json.loads(contents["manifest.json"])
    assert "sessions.session" not in manifest["counts"] and manifest["missing_files"] == []
    assert set(manifest["members"]) == set(contents) - {"manifest.json"}


def test_restore_into_a_database_with_data_is_refused_and_changes_nothing(source: dict[str, Any]) -> None:
    before = _harness(source["env"], "rows")
    done = _duban(source["env"], "restore", str(source["archive"]))
    assert done.returncode != 0 and "Refusing to restore into a database that holds data" in done.stderr
    assert _harness(source["env"], "rows") == before


def test_restore_into_a_data_directory_with_uploads_is_refused(source: dict[str, Any],
                                                               target: Target) -> None:
    env = target("has_uploads")
    stray = Path(env["DUBAN_DATA_DIR"]) / "uploads" / "sources" / "old.pdf"
    stray.parent.mkdir(parents=True)
    stray.write_bytes(b"%PDF-1.4 left over")
    done = _duban(env, "restore", str(source["archive"]))
    assert done.returncode != 0 and "already holds files" in done.stderr
    state = _harness(env, "state")
    assert state["tables"] == [] and list(state["files"]) == ["uploads/sources/old.pdf"]


def test_a_damaged_archive_is_refused(source: dict[str, Any], target: Target, tmp_path: Path) -> None:
    data = bytearray(source["archive"].read_bytes())
    data[len(data) // 2] ^= 0x01
    damaged = tmp_path / "damaged.tar.gz"
    damaged.write_bytes(bytes(data))
    env = target("damaged")
    done = _duban(env, "restore", str(damaged))
    assert done.returncode != 0 and "CommandError" in done.stderr and "Traceback" not in done.stderr
    _assert_untouched(env)
    done = _duban(env, "restore", str(damaged), "--sha256", source["sha256"])
    assert done.returncode != 0 and "sha256" in done.stderr
    _assert_untouched(env)


def test_a_tampered_member_is_refused(source: dict[str, Any], target: Target, tmp_path: Path) -> None:
    """A well-formed archive in which one byte of one uploaded file was changed."""
    def change(name: str, data: bytes) -> bytes:
        return bytes([data[0] ^ 0x20]) + data[1:] if name.startswith("files/uploads/") else data

    tampered = _repack(source["archive"], tmp_path / "tampered.tar.gz", change)
    env = target("tampered")
    done = _duban(env, "restore", str(tampered))
    assert done.returncode != 0 and "does not match its manifest" in done.stderr
    assert "changed files/" in done.stderr
    _assert_untouched(env)

    def change_data(name: str, data: bytes) -> bytes:
        return data.replace("区住建局".encode(), "区建设局".encode(), 1) if name == "data.jsonl" else data

    tampered = _repack(source["archive"], tmp_path / "tampered-data.tar.gz", change_data)
    done = _duban(env, "restore", str(tampered))
    assert done.returncode != 0 and "changed data.jsonl" in done.stderr
    _assert_untouched(env)


def test_a_backup_from_a_newer_version_is_refused(source: dict[str, Any], target: Target,
                                                  tmp_path: Path) -> None:
    newer = _repack(source["archive"], tmp_path / "newer.tar.gz",
                    _edit_manifest(lambda m: m["migrations"]["tasks"].append("9999_from_the_future")))
    env = target("newer")
    _ok(_duban(source["env"], "restore", "--check", str(source["archive"])))
    done = _duban(env, "restore", "--check", str(newer))
    assert done.returncode != 0 and "newer Duban" in done.stderr
    done = _duban(env, "restore", str(newer))
    assert done.returncode != 0 and "tasks.9999_from_the_future" in done.stderr
    _assert_untouched(env)


def test_a_backup_from_before_an_upgrade_is_restored_and_migrated_forward(
        source: dict[str, Any], target: Target, tmp_path: Path) -> None:
    """The backup's schema lacks the latest admin migration: restore loads into that schema, then migrates."""
    def drop_latest(manifest: dict[str, Any]) -> None:
        assert manifest["migrations"]["admin"][-1] == "0003_logentry_add_action_flag_choices"
        manifest["migrations"]["admin"].pop()

    older = _repack(source["archive"], tmp_path / "older.tar.gz", _edit_manifest(drop_latest))
    env = target("older")
    _ok(_duban(env, "restore", str(older)))
    assert "0003_logentry_add_action_flag_choices" in _harness(env, "state")["migrations"]["admin"]
    _assert_same(_harness(env, "rows"), source["snapshot"])


@pytest.mark.skipif(postgres_config() is None, reason="needs PostgreSQL (DATABASE_URL)")
def test_backups_move_between_sqlite_and_postgresql(source: dict[str, Any], tmp_path: Path) -> None:
    """The PostgreSQL source's backup restores into SQLite, and that instance's backup into PostgreSQL."""
    on_sqlite = _env(tmp_path / "sqlite", None)
    _ok(_duban(on_sqlite, "restore", str(source["archive"])))
    _assert_same(_harness(on_sqlite, "rows"), source["snapshot"])
    archive = tmp_path / "from-sqlite.tar.gz"
    _ok(_duban(on_sqlite, "backup", "--out", str(archive)))
    with gzip.open(archive) as gz, tarfile.open(fileobj=gz, mode="r|") as tar:
        for member in tar:
            if member.name == "manifest.json":
                assert json.load(tar.extractfile(member))["database"]["vendor"] == "sqlite"
    on_postgres = _env(tmp_path / "pg", fresh_database("backup_from_sqlite"))
    _ok(_duban(on_postgres, "restore", str(archive)))
    _assert_same(_harness(on_postgres, "rows"), source["snapshot"])
