from __future__ import annotations

import datetime as dt

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError

from duban.site.demo.synthetic import PASSWORD, SCALES, analyse, generate, has_tasks


class Command(BaseCommand):
    help = ("Fill the database with synthetic data for measuring: district (≈500 tasks), city (≈5,000) or "
            "province (50,000 tasks, 1,000,000 progress reports). Refuses a database with tasks unless --force.")

    def add_arguments(self, parser) -> None:  # noqa: ANN001
        parser.add_argument("--scale", choices=list(SCALES), default="district")
        parser.add_argument("--seed", type=int, default=1)
        parser.add_argument("--today", type=dt.date.fromisoformat, default=None,
                            help="the day the data is generated for (default: today)")
        parser.add_argument("--force", action="store_true", help="add to a database that already holds tasks")

    def handle(self, *args, scale: str, seed: int, today: dt.date | None, force: bool,  # noqa: ANN002
               **options) -> None:  # noqa: ANN003
        call_command("migrate", interactive=False, verbosity=0)
        if has_tasks() and not force:
            raise CommandError("The database already holds tasks; use --force to add synthetic data to it.")
        self.stdout.write(f"Generating {scale} scale, seed {seed} …")
        result = generate(scale, seed, today, log=self.stdout.write)
        analyse()
        # the task chart's monthly reporting figures, which the worker otherwise refreshes once a day
        call_command("refresh-figures", "--all", *(["--today", today.isoformat()] if today else []))
        counts = ", ".join(f"{k} {v:,}" for k, v in result["counts"].items())
        self.stdout.write(self.style.SUCCESS(f"Done in {result['timings']['total']:.1f} s: {counts}"))
        b = result["prefix"]
        self.stdout.write(f"Accounts {b}supervisor1, {b}leader1, {b}admin, liaisons {b}u0001 …, unit heads "
                          f"{b}h0001 … (password: {PASSWORD})")
