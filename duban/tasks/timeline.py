"""A task's timeline: everything that happened to it, its reports, its requests and its letters, newest first,
read from the activity log in one query."""
from __future__ import annotations

from collections.abc import Iterable

from django.db.models import Model, Q, QuerySet

from duban.core.models import ActivityLog
from duban.tasks.models import Task

LIMIT = 100


def timeline(task: Task, related: Iterable[Iterable[Model]]) -> QuerySet[ActivityLog]:
    """``related``: the task's reports, requests and letters the viewer may see (already loaded)."""
    condition = Q(object_type="tasks.task", object_id=str(task.pk))
    for objects in related:
        objects = list(objects)
        if objects:
            condition |= Q(object_type=objects[0]._meta.label_lower, object_id__in=[str(o.pk) for o in objects])
    return ActivityLog.objects.filter(condition).select_related("actor")[:LIMIT]
