from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from duban.core.errors import ActionRefused
from duban.people.roster import parse, read_table
from duban.people.services import import_users, plan_import
from duban.site.accounts import sheets


class Command(BaseCommand):
    help = ("Accounts. `users import FILE --out PASSWORDS.xlsx`: create the accounts of a list (.xlsx or .csv, "
            "header 姓名 单位 角色 手机 邮箱), all or none, and write their one-time passwords to a printable list.")

    def add_arguments(self, parser) -> None:  # noqa: ANN001
        sub = parser.add_subparsers(dest="subcommand", required=True)
        load = sub.add_parser("import", help="create accounts from a list")
        load.add_argument("file")
        load.add_argument("--out", required=True, help="where to write the printable list of initial passwords")
        load.add_argument("--check", action="store_true", help="only check the list; create nothing")

    def handle(self, *args, subcommand: str, **o) -> None:  # noqa: ANN002, ANN003
        source, out = Path(o["file"]), Path(o["out"])
        if not source.is_file():
            raise CommandError(f"找不到文件 {source}")
        if out.resolve() == source.resolve():
            raise CommandError("--out 不能是名单文件本身")
        try:
            roster = parse(read_table(source.read_bytes(), source.name))
        except ActionRefused as exc:
            raise CommandError(str(exc)) from exc
        plan = plan_import(roster.records, roster.errors)
        if not plan.ok:
            for row in plan.rows:
                for problem in row.errors:
                    self.stderr.write(f"第 {row.record.row} 行({row.record.name or '无姓名'}):{problem}")
            raise CommandError(f"名单有 {plan.error_count} 行有问题,未创建任何账号。请改正后重新导入。")
        if o["check"]:
            self.stdout.write(f"名单无误:可创建 {len(plan.rows)} 个账号(未创建)。")
            return
        try:
            with transaction.atomic():  # the list is written inside: no accounts without their passwords
                created = import_users(None, roster.records, roster.errors)
                out.write_bytes(sheets.password_list(
                    [{"name": str(c.user), "unit": c.user.unit.display_name if c.user.unit else "",
                      "role": str(c.user.get_role_display()), "username": c.user.username, "password": c.password}
                     for c in created]))
        except ActionRefused as exc:
            raise CommandError(str(exc)) from exc
        except OSError as exc:
            raise CommandError(f"无法写入 {out}:{exc.strerror}。未创建任何账号。") from exc
        self.stdout.write(self.style.SUCCESS(f"已创建 {len(created)} 个账号。"))
        self.stdout.write(f"初始密码清单已写入 {out}:请打印后分发,并妥善保管或销毁;首次登录须修改密码。")
