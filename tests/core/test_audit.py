from __future__ import annotations

import pytest

from duban.core.models import ActivityLog
from duban.tasks import services
from duban.tasks.models import Task


def test_log_entries_cannot_be_changed_or_deleted(db) -> None:  # noqa: ANN001
    entry = ActivityLog.objects.first()
    entry.summary = "edited"
    with pytest.raises(PermissionError):
        entry.save()
    with pytest.raises(PermissionError):
        entry.delete()
    with pytest.raises(PermissionError):
        ActivityLog.objects.filter(pk=entry.pk).update(summary="x")
    with pytest.raises(PermissionError):
        ActivityLog.objects.all().delete()


def test_update_records_only_what_changed_with_actor(db, user) -> None:  # noqa: ANN001
    task = Task.objects.actionable().first()
    supervisor = user("supervisor")
    services.update_task(supervisor, task, version=task.version, owner="张三", area=task.area)
    entry = ActivityLog.objects.filter(action="task.update", object_id=str(task.pk), actor=supervisor).first()
    assert entry.actor == supervisor and entry.before == {"owner": ""} and entry.after == {"owner": "张三"}


def test_failed_write_leaves_no_log_entry(db) -> None:  # noqa: ANN001
    task = Task.objects.actionable().first()
    count = ActivityLog.objects.count()
    with pytest.raises(services.StaleEdit):
        services.update_task(None, task, version=task.version + 5, owner="李四")
    assert ActivityLog.objects.count() == count
    task.refresh_from_db()
    assert task.owner == ""
