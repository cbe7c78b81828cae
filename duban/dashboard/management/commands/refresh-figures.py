# ruff: noqa: N999 -- the command is named as the CLI spells it: duban refresh-figures
"""``duban refresh-figures [--all] [--month YYYY-MM …] [--today DATE]``: recount the task chart's stored figures."""
from __future__ import annotations

import datetime as dt
import time

from django.core.management.base import BaseCommand
from django.utils import timezone

from duban.dashboard.services import recent_months, refresh_monthly


class Command(BaseCommand):
    help = ("Recount the task chart's monthly reporting figures (on time, late, missing) for the office and "
            "each unit: the months the chart shows by default, every month with --all.")

    def add_arguments(self, parser) -> None:
        parser.add_argument("--all", action="store_true", help="every month (after an import or `duban gen`)")
        parser.add_argument("--month", action="append", default=[], metavar="YYYY-MM", help="this month (repeatable)")
        parser.add_argument("--today", type=dt.date.fromisoformat, default=None,
                            help="count missing reports as of this day (default: today)")

    def handle(self, *args, all: bool, month: list[str], today: dt.date | None, **options) -> None:
        today = today or timezone.localdate()
        months = None if all else (month or recent_months(today))
        started = time.perf_counter()
        rows = refresh_monthly(months, today=today)
        self.stdout.write(f"{rows} monthly figures stored in {time.perf_counter() - started:.1f} s")
