from __future__ import annotations

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError

from duban.core.errors import ActionRefused
from duban.core.models import Office
from duban.site.setup import set_up


class Command(BaseCommand):
    help = "Set up the office (its name, issuing authority, level, number prefixes) and its first administrator."

    def add_arguments(self, parser) -> None:  # noqa: ANN001
        parser.add_argument("--office", required=True, help="full name, e.g. 东湖区人民政府督查室")
        parser.add_argument("--level", required=True, choices=Office.Level.values)
        parser.add_argument("--authority", default="", help="发文机关, e.g. 东湖区人民政府办公室 (default: from the name)")
        parser.add_argument("--letter-prefix", default="", help="letter numbers, e.g. 东湖 → 东湖督办〔2026〕1号")
        parser.add_argument("--document-prefix", default="", help="发文字号, e.g. 东政办督")
        parser.add_argument("--admin", default="", help="username of the first administrator (created if new)")

    def handle(self, *args, **o) -> None:  # noqa: ANN002, ANN003
        call_command("migrate", interactive=False, verbosity=0)
        try:
            done = set_up(None, name=o["office"], level=o["level"], authority=o["authority"],
                          letter_prefix=o["letter_prefix"], document_prefix=o["document_prefix"],
                          admin=o["admin"] or None)
        except ActionRefused as exc:
            raise CommandError(str(exc)) from exc
        office = done.office
        self.stdout.write(self.style.SUCCESS(f"督查室已设置 Office set up: {office.name}"))
        self.stdout.write(f"  发文机关 {office.authority} · {office.get_level_display()}")
        if done.admin:
            self.stdout.write(f"管理员 Administrator: {done.admin.username}")
            self.stdout.write(f"一次性密码 One-time password: {done.password}")
            self.stdout.write("首次登录须修改密码。此密码不再显示。 It must be changed at first login and is not shown again.")
        elif o["admin"]:
            self.stdout.write(f"账号 {o['admin']} 已存在,未改动。 The account exists and was left unchanged.")
