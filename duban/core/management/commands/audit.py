"""``duban audit verify|purge|export|protect``: the operator's side of the chained activity log."""
from __future__ import annotations

import datetime as dt
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone, translation

from duban.core import chain
from duban.core.models import ActivityLog


def _date(value: str) -> dt.date:
    try:
        return dt.date.fromisoformat(value)
    except ValueError as exc:
        raise CommandError(f"not a date (YYYY-MM-DD): {value}") from exc


def _start_of(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min))


class Command(BaseCommand):
    help = "Verify the hash chain of the activity log, purge entries past retention, or export them as CSV."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="subcommand", required=True)
        verify = sub.add_parser("verify", help="walk the chain; exit status 1 at the first broken entry")
        verify.add_argument("--from", dest="start", type=int,
                            help="start at this seq instead of the beginning")
        purge = sub.add_parser("purge", help="delete entries older than DATE (outside the retention period)")
        purge.add_argument("--before", required=True, type=_date, help="YYYY-MM-DD")
        export = sub.add_parser("export", help="write entries to a CSV file (UTF-8 with BOM, for Excel)")
        export.add_argument("--out", required=True, type=Path)
        export.add_argument("--since", type=_date, help="from this day (YYYY-MM-DD)")
        export.add_argument("--until", type=_date, help="up to and including this day (YYYY-MM-DD)")
        sub.add_parser("protect", help="(re)install the database triggers that refuse edits and deletions")

    def handle(self, *args, subcommand: str, **options) -> None:  # noqa: ANN002, ANN003
        if subcommand == "export":  # column names in the site's language, like the admin's export
            with translation.override(settings.LANGUAGE_CODE):
                self.export(options["out"], options["since"], options["until"])
            return
        with translation.override("en"):  # operator messages, stable for scripts and monitoring
            if subcommand == "verify":
                self.verify(options["start"])
            elif subcommand == "purge":
                self.purge(options["before"])
            else:
                self.protect()

    def verify(self, start: int | None) -> None:
        result = chain.verify(start)
        if not result.ok:
            raise CommandError(f"BROKEN: {result.problem}", returncode=1)
        if missing := chain.missing_guards():
            raise CommandError(f"UNPROTECTED: chain intact ({result.count} entries) but the database "
                               f"triggers {', '.join(missing)} are missing; run `duban audit protect`.",
                               returncode=1)
        self.stdout.write(f"OK: {result.count} entries, chain intact")
        if result.count:
            self.stdout.write(f"seq {result.first}–{result.last}, last hash {result.last_hash}")

    def purge(self, before: dt.date) -> None:
        try:
            anchor = chain.purge(before)
        except chain.RetentionError as exc:
            raise CommandError(f"REFUSED: {exc}", returncode=1) from exc
        if anchor is None:
            self.stdout.write(f"Nothing to purge before {before.isoformat()}.")
        else:
            self.stdout.write(f"Purged {anchor.removed} entries before {before.isoformat()}; "
                              f"the chain now starts at entry {anchor.seq} (anchored).")

    def protect(self) -> None:
        chain.install_guards()
        self.stdout.write("Triggers installed.")

    def export(self, out: Path, since: dt.date | None, until: dt.date | None) -> None:
        entries = ActivityLog.objects.all()
        if since:
            entries = entries.filter(at__gte=_start_of(since))
        if until:
            entries = entries.filter(at__lt=_start_of(until + dt.timedelta(days=1)))
        count = 0
        with out.open("w", encoding="utf-8", newline="") as f:
            for line in chain.csv_lines(entries):
                f.write(line)
                count += 1
        self.stdout.write(f"Wrote {count - 1} entries to {out}.")
