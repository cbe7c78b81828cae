"""The working-day calendar in force: the official one (chinese-calendar) with the admin's overrides."""
from __future__ import annotations

import datetime as dt
from typing import Any

import chinese_calendar
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from duban.core import audit
from duban.core.actions import Action
from duban.core.errors import ActionRefused
from duban.core.models import WorkdayOverride
from duban.supervision.workdays import WorkCalendar


def work_calendar() -> WorkCalendar:
    """One query; callers build it once per request or job run."""
    rows = list(WorkdayOverride.objects.values_list("date", "is_workday"))
    return WorkCalendar.with_overrides(holidays=[d for d, work in rows if not work],
                                       workdays=[d for d, work in rows if work])


def add_override(actor: Any, date: dt.date, *, is_workday: bool, note: str = "") -> WorkdayOverride:
    """Make ``date`` a holiday or a make-up working day (调休) against the official calendar. A date that has
    an override already is refused, so two people adjusting one day never overwrite each other silently."""
    try:
        with transaction.atomic():
            row = WorkdayOverride.objects.create(date=date, is_workday=is_workday, note=note.strip()[:100])
            audit.record(actor, Action.SETTINGS_WORKDAYS, row, summary=str(date),
                         after=audit.snapshot(row, ("date", "is_workday", "note")))
    except IntegrityError:
        raise ActionRefused(_("%(date)s is adjusted already; remove that adjustment first.")
                            % {"date": date.isoformat()}) from None
    return row


@transaction.atomic
def remove_override(actor: Any, date: dt.date) -> None:
    """Back to the official calendar for ``date``."""
    row = WorkdayOverride.objects.select_for_update().filter(date=date).first()
    if row is None:
        raise ActionRefused(_("%(date)s has no adjustment (perhaps someone removed it meanwhile).")
                            % {"date": date.isoformat()})
    audit.record(actor, Action.SETTINGS_WORKDAYS, row, summary=str(date),
                 before=audit.snapshot(row, ("date", "is_workday", "note")))
    row.delete()


def official_exceptions(year: int) -> list[tuple[dt.date, bool, str]]:
    """The official calendar's departures from Monday-to-Friday in ``year`` (date, working day?, festival in
    Chinese), for context beside the office's own adjustments; empty for a year the library does not know."""
    names = {h.value: h.chinese for h in chinese_calendar.constants.Holiday}
    days = [(d, False, names.get(n, n)) for d, n in chinese_calendar.holidays.items()
            if d.year == year and d.weekday() < 5]
    days += [(d, True, names.get(n, n)) for d, n in chinese_calendar.workdays.items()
             if d.year == year and d.weekday() >= 5]
    return sorted(days)
