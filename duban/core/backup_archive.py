"""The backup archive: its members, the manifest that lists them, and writing and verified reading of the tar.

Kept apart from the database side (duban.core.backup_database) because it is what an operator's archive
must satisfy whatever the data: every member hashed into the manifest, nothing unpacked outside the staging
area, a damaged or tampered file refused before anything is touched."""
from __future__ import annotations

import gzip
import hashlib
import io
import json
import os
import tarfile
import time
import zlib
from collections.abc import Iterator
from pathlib import Path, PurePosixPath
from typing import IO, Any

from django.conf import settings

FORMAT = "duban-backup"
FORMAT_VERSION = 1
MANIFEST = "manifest.json"
DATA = "data.jsonl"
SETTINGS = "settings.json"
FILES = "files"
CHUNK = 1 << 20
MAX_MANIFEST = 64 << 20


class BackupError(Exception):
    """A backup or restore that was refused or failed; the message says why and what to do."""


def file_roots() -> dict[str, Path]:
    """The directories whose files a backup carries, by their name inside the archive."""
    return {"uploads": Path(settings.MEDIA_ROOT), "generated": Path(settings.GENERATED_ROOT)}


def sha256_file(path: Path) -> str:
    """The file's sha256, read in chunks: archives and data files may be larger than memory."""
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        while chunk := fh.read(CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


class _HashingReader(io.RawIOBase):
    """Hands a file to tarfile while hashing exactly the bytes that go into the archive."""

    def __init__(self, fh: IO[bytes]) -> None:
        self.fh = fh
        self.sha256 = hashlib.sha256()

    def read(self, size: int = -1) -> bytes:
        data = self.fh.read(size)
        self.sha256.update(data)
        return data


def add_file(tar: tarfile.TarFile, name: str, path: Path, members: dict[str, dict[str, Any]]) -> None:
    """Add a file to the archive and record its size and sha256 (of the bytes actually archived) in ``members``."""
    with path.open("rb") as fh:
        stat = os.fstat(fh.fileno())
        info = tarfile.TarInfo(name)
        info.size, info.mtime, info.mode = stat.st_size, int(stat.st_mtime), 0o600
        reader = _HashingReader(fh)
        tar.addfile(info, reader)
    members[name] = {"size": info.size, "sha256": reader.sha256.hexdigest()}


def add_bytes(tar: tarfile.TarFile, name: str, data: bytes) -> None:
    """Add an in-memory member (settings, manifest), private to the owner like every member."""
    info = tarfile.TarInfo(name)
    info.size, info.mtime, info.mode = len(data), int(time.time()), 0o600
    tar.addfile(info, io.BytesIO(data))


def walk_files(root: Path) -> Iterator[tuple[str, Path]]:
    """Regular files under ``root`` as (posix relative name, path), sorted; symlinks are not followed."""
    if not root.is_dir():
        return
    for folder, dirs, files in os.walk(root):
        dirs.sort()
        for name in sorted(files):
            path = Path(folder) / name
            if path.is_file() and not path.is_symlink():
                yield path.relative_to(root).as_posix(), path


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
