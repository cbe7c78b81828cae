"""The working-day calendar in force: the official one (chinese-calendar) with the admin's overrides."""
from __future__ import annotations

from duban.core.models import WorkdayOverride
from duban.supervision.workdays import WorkCalendar


def work_calendar() -> WorkCalendar:
    """One query; callers build it once per request or job run."""
    rows = list(WorkdayOverride.objects.values_list("date", "is_workday"))
    return WorkCalendar.with_overrides(holidays=[d for d, work in rows if not work],
                                       workdays=[d for d, work in rows if work])
