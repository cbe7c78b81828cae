from __future__ import annotations

from django.core.management import call_command
from django.core.management.base import BaseCommand

from duban.site.demo.load import ACCOUNTS, PASSWORD, load_demo


class Command(BaseCommand):
    help = "Load the demo district (青云谱区, seed 001) and serve it. Safe to run again."

    def add_arguments(self, parser) -> None:  # noqa: ANN001
        parser.add_argument("--no-serve", action="store_true", help="only load the demo data")
        parser.add_argument("--port", type=int, default=8000)

    def handle(self, *args, no_serve: bool, port: int, **options) -> None:  # noqa: ANN002, ANN003
        call_command("migrate", interactive=False, verbosity=0)
        source = load_demo()
        tasks = source.tasks.filter(kind__in=("task", "subtask")).count()
        self.stdout.write(self.style.SUCCESS(f"演示数据已就绪 Demo ready: {source.title} — {tasks} tasks"))
        self.stdout.write(f"演示账号 Demo accounts (密码 password: {PASSWORD}):")
        for account in ACCOUNTS:
            self.stdout.write(f"  {account.username:<11} {account.display_name} ({account.role})")
        if not no_serve:
            call_command("serve", port=port)
