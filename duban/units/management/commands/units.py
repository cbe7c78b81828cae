"""`duban units import FILE` and `duban units export --out FILE`: the unit directory from and to a list."""
from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from duban.core.errors import ActionRefused
from duban.ingest.errors import IngestError
from duban.ingest.readers.grid import read_grid
from duban.units import directory_import
from duban.units.directory_export import directory_xlsx
from duban.units.rows import read_unit_rows


class Command(BaseCommand):
    help = "Import the unit directory from .xlsx/.csv/.txt (all rows or none), or export it to .xlsx."

    def add_arguments(self, parser) -> None:  # noqa: ANN001
        sub = parser.add_subparsers(dest="action", required=True)
        load = sub.add_parser("import", help="单位名称, 简称, 类别, 上级单位, 别名; a header row is optional")
        load.add_argument("file")
        load.add_argument("--dry-run", action="store_true", help="show what would change, save nothing")
        out = sub.add_parser("export", help="the directory as .xlsx, in the columns import reads")
        out.add_argument("--out", required=True)

    def handle(self, *args, **o) -> None:  # noqa: ANN002, ANN003
        if o["action"] == "export":
            Path(o["out"]).write_bytes(directory_xlsx())
            self.stdout.write(self.style.SUCCESS(f"单位名录已导出 Exported: {o['out']}"))
            return
        path = Path(o["file"])
        try:
            rows = read_unit_rows(read_grid(path.read_bytes(), path.name))
        except OSError as exc:
            raise CommandError(f"无法读取文件 Cannot read {path}: {exc.strerror}") from exc
        except IngestError as exc:
            raise CommandError(str(exc)) from exc
        planned = directory_import.plan(rows)
        errors = [f"第 {p.row.line} 行 row {p.row.line}: {'；'.join(p.row.errors)}" for p in planned if p.row.errors]
        if errors:
            raise CommandError("未导入,请改正后重试 Nothing imported:\n" + "\n".join(errors))
        counts = {a: sum(1 for p in planned if p.action == a) for a in ("create", "update", "same")}
        if o["dry_run"]:
            self.stdout.write(f"将新增 {counts['create']} 个,修改 {counts['update']} 个,{counts['same']} 个不变(未保存)")
            return
        try:
            outcome = directory_import.apply(None, rows)
        except ActionRefused as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(self.style.SUCCESS(
            f"单位名录已导入 Imported: 新增 {outcome.created} 个,修改 {outcome.updated} 个,{outcome.unchanged} 个不变"))
