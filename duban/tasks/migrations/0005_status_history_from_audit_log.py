"""Fill the status history from the activity log, for statuses that moved before it existed. Uses only the
historical models and the action names as they were when this migration was written."""
from django.db import migrations
from django.utils import timezone

STATUS_ACTIONS = ("task.status", "task.close", "task.reopen", "task.suspend", "task.resume", "task.update")


def fill(apps, schema_editor):  # noqa: ANN001, ANN201
    ActivityLog = apps.get_model("core", "ActivityLog")
    StatusChange = apps.get_model("tasks", "StatusChange")
    Task = apps.get_model("tasks", "Task")
    known = set(Task.objects.values_list("pk", flat=True))
    rows = []
    entries = (ActivityLog.objects.filter(object_type="tasks.task", action__in=STATUS_ACTIONS)
               .order_by("seq").values_list("object_id", "at", "summary", "before", "after"))
    for object_id, at, summary, before, after in entries.iterator(chunk_size=2000):
        old, new = (before or {}).get("status"), (after or {}).get("status")
        if not (old and new and old != new and object_id.isdigit() and int(object_id) in known):
            continue
        rows.append(StatusChange(task_id=int(object_id), at=at, day=timezone.localdate(at), before=old, after=new,
                                 reason=(summary or "")[:200]))
        if len(rows) >= 2000:
            StatusChange.objects.bulk_create(rows)
            rows = []
    StatusChange.objects.bulk_create(rows)


class Migration(migrations.Migration):
    dependencies = [("tasks", "0004_status_change"), ("core", "0005_activitylog_seq_guards")]
    operations = [migrations.RunPython(fill, migrations.RunPython.noop)]
