"""``duban restore FILE``: into an empty database and data directory; see duban/core/backup.py."""
from __future__ import annotations

import hmac
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from duban.core.backup import BackupError, restore_backup, sha256_file


class Command(BaseCommand):
    help = ("Restore a `duban backup` archive into an empty database and data directory: migrate, load the "
            "data in one transaction, put the files back, check everything against the manifest.")

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("archive", type=Path)
        parser.add_argument("--check", action="store_true",
                            help="only verify the archive and that this version can restore it")
        parser.add_argument("--sha256", default="", help="the archive's sha256 as `duban backup` printed it")

    def handle(self, *args: Any, archive: Path, check: bool, sha256: str, **options: Any) -> None:
        given = sha256.strip().lower()
        if given and archive.is_file() and not hmac.compare_digest(sha256_file(archive), given):
            raise CommandError("备份文件的 sha256 不符 The archive's sha256 differs from the one given: "
                               "it was changed or damaged.")
        try:
            manifest = restore_backup(archive, check_only=check)
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        rows = sum(manifest["counts"].values())
        files = sum(1 for name in manifest["members"] if name.startswith("files/"))
        made = (f"Duban {manifest['duban_version']}, {manifest['created_at']}, "
                f"{manifest['database']['vendor']}")
        if check:
            self.stdout.write(self.style.SUCCESS(f"备份完好,可以恢复 The archive is intact and can be "
                                                 f"restored: {rows} rows, {files} files ({made})"))
            return
        self.stdout.write(self.style.SUCCESS(f"已恢复 Restored {rows} rows and {files} files ({made})."))
        self.stdout.write("请重新登录 Users must log in again (sessions are not backed up). Set the secret "
                          "settings again (see settings.json in the archive); a new secret_key was generated "
                          "if none is set.")
