"""Audit actions are a closed, labelled set: record() refuses a kind that is not one of them, and what a page
shows of an entry is always words, never a code or a field name."""
from __future__ import annotations

import pytest
from django.utils import translation

from duban.core import audit
from duban.core.actions import Action, action_label
from duban.core.models import ActivityLog
from duban.core.templatetags.duban import change_summary
from duban.tasks import services
from duban.tasks.models import Task


def test_record_refuses_an_unknown_kind(db, user) -> None:  # noqa: ANN001
    office = user("supervisor")
    with pytest.raises(ValueError):
        audit.record(office, "task.renamed", office)
    assert not ActivityLog.objects.filter(action="task.renamed").exists()


def test_every_kind_has_a_chinese_label() -> None:
    with translation.override("zh-hans"):
        for action in Action:
            label = action_label(action.value)
            assert label and label != action.value and not label.isascii(), action


def test_an_unknown_stored_kind_is_shown_as_words() -> None:
    with translation.override("zh-hans"):
        assert not action_label("assessment.renamed_since").isascii()


def test_a_task_edit_is_summarised_with_labels_and_values_in_words(db, user) -> None:  # noqa: ANN001
    task = Task.objects.filter(parent__isnull=False).exclude(cadence=Task.Cadence.QUARTERLY).first()
    services.update_task(user("supervisor"), task, version=task.version, cadence=Task.Cadence.QUARTERLY, ongoing=not task.ongoing)
    entry = ActivityLog.objects.filter(action=Action.TASK_UPDATE, object_id=str(task.pk)).latest("seq")
    with translation.override("zh-hans"):
        text = change_summary(entry)
    assert "报送周期" in text and "每季度" in text
    assert "quarterly" not in text and "cadence" not in text and "True" not in text and "False" not in text
