"""``duban score [--scheme ID | --period YYYY-MM..YYYY-MM] [--as-of DATE]``: run the assessment (考核)."""
from __future__ import annotations

import calendar
import datetime as dt
import time

from django.core.management.base import BaseCommand, CommandError, CommandParser

from duban.assessment.models import Scheme
from duban.assessment.services import run_scoring
from duban.core import audit
from duban.core.actions import Action


def _months(value: str) -> tuple[dt.date, dt.date]:
    """'2026-01..2026-03' (or one month '2026-07') → first day of the first month, last day of the last."""
    first, _, last = value.partition("..")
    try:
        y1, m1 = (int(x) for x in first.split("-"))
        y2, m2 = (int(x) for x in (last or first).split("-"))
        start, end = dt.date(y1, m1, 1), dt.date(y2, m2, calendar.monthrange(y2, m2)[1])
    except ValueError as exc:
        raise CommandError(f"not a period (YYYY-MM..YYYY-MM): {value}") from exc
    if end < start:
        raise CommandError(f"the period ends before it starts: {value}")
    return start, end


class Command(BaseCommand):
    help = "Score a scheme's period (replacing its previous run); prints the time it took."

    def add_arguments(self, parser: CommandParser) -> None:
        which = parser.add_mutually_exclusive_group(required=True)
        which.add_argument("--scheme", type=int, help="the scheme's id")
        which.add_argument("--period", help="YYYY-MM..YYYY-MM: the scheme with exactly this period (created with "
                                            "the default rules if there is none)")
        parser.add_argument("--as-of", type=dt.date.fromisoformat, help="score as of this day (YYYY-MM-DD)")

    def handle(self, *args: object, **options: object) -> None:
        if options["scheme"]:
            scheme = Scheme.objects.filter(pk=options["scheme"]).first()
            if scheme is None:
                raise CommandError(f"no scheme {options['scheme']}")
        else:
            start, end = _months(str(options["period"]))
            scheme = Scheme.objects.filter(start=start, end=end).order_by("id").first()
            if scheme is None:
                scheme = Scheme.objects.create(name=f"{start:%Y-%m}..{end:%Y-%m}", start=start, end=end)
                audit.record(None, Action.ASSESSMENT_SCHEME_CREATE, scheme, summary=scheme.name)
        began = time.perf_counter()
        run = run_scoring(scheme, None, as_of=options.get("as_of"))  # type: ignore[arg-type]
        seconds = time.perf_counter() - began
        self.stdout.write(f"scheme {scheme.pk} {scheme.name}: {run.units} units, {run.items} items, "
                          f"as of {run.as_of}, {seconds:.2f} s")
