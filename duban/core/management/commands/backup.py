"""``duban backup --out FILE``: see duban/core/backup.py for what the archive holds and why."""
from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from duban.core.backup import BackupError, create_backup, sha256_file


class Command(BaseCommand):
    help = ("Write one .tar.gz with the database (portable JSON), uploaded and generated files and the "
            "settings without secrets. Run it before every upgrade.")

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--out", required=True, type=Path,
                            help="archive to write, e.g. duban-2026-11-18.tar.gz")

    def handle(self, *args: Any, out: Path, **options: Any) -> None:
        try:
            manifest = create_backup(out)
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        rows = sum(manifest["counts"].values())
        files = sum(1 for name in manifest["members"] if name.startswith("files/"))
        self.stdout.write(self.style.SUCCESS(
            f"备份已写入 Backup written: {out} — {rows} rows, {files} files, "
            f"Duban {manifest['duban_version']}"))
        self.stdout.write(f"sha256 {sha256_file(out)}  (keep it apart from the archive; "
                          "`duban restore --sha256` checks it)")
        if manifest["missing_files"]:
            self.stderr.write(self.style.WARNING(
                "数据库引用但不存在的文件 Files the database refers to but the disk does not have: "
                + ", ".join(manifest["missing_files"][:10])))
        self.stdout.write("备份不含密钥 The archive holds no secret_key or secret settings, but it does hold "
                          "all data (password hashes included): store it as carefully as the server.")
