"""Task statuses as they stood at the end of a past day, read back from the audit log.

Every write that changes a status records the status before it (the daily recompute, closing, reopening,
suspending, resuming, an edit or an import), so a task's status on day D is the "before" of its first change
after D, or its current status if it has not changed since. The "as of" documents use this: a 落实情况 report
dated 31 October shows the statuses of 31 October, not of the day it is printed."""
from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.db.models import F, Window
from django.db.models.functions import RowNumber
from django.utils import timezone

from duban.core.models import ActivityLog
from duban.tasks.models import Task

STATUS_ACTIONS = ("task.status", "task.close", "task.reopen", "task.suspend", "task.resume", "task.update")


def day_end(day: dt.date) -> dt.datetime:
    """The first moment after ``day`` in the office's time zone."""
    return timezone.make_aware(dt.datetime.combine(day + dt.timedelta(days=1), dt.time.min))


def statuses_on(day: dt.date, task_ids: Iterable[int] | None = None) -> dict[int, str]:
    """The status on ``day`` of each task (of ``task_ids``, or any) whose status has changed since; tasks not
    in the result still have the status they had then. One query over the changes after ``day`` only."""
    cutoff = day_end(day)
    if cutoff > timezone.now():
        return {}
    changes = ActivityLog.objects.filter(object_type=Task._meta.label_lower, action__in=STATUS_ACTIONS,
                                         at__gte=cutoff, before__has_key="status")
    if task_ids is not None:
        changes = changes.filter(object_id__in=[str(pk) for pk in task_ids])
    # Only each task's first change after the day comes back (a year of daily recomputes is many rows).
    first = changes.annotate(n=Window(RowNumber(), partition_by=F("object_id"), order_by=(F("at").asc(),
                                                                                       F("seq").asc())))
    return {int(object_id): before["status"] for object_id, before in first.filter(n=1).values_list(
        "object_id", "before")}
