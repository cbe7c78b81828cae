"""Documents dated in the past show the statuses of that day, read back from the status history."""
from __future__ import annotations

import datetime as dt
import importlib
import io
from collections.abc import Iterator
from zoneinfo import ZoneInfo

import pytest
import time_machine
from openpyxl import load_workbook

from duban.core import chain
from duban.core.models import ActivityLog
from duban.documents import builders
from duban.documents.gbt9704 import Item, Paragraph
from duban.exports.ledger import write_ledger
from duban.people.models import User
from duban.tasks import status, workflow
from duban.tasks.models import StatusChange, Task, TaskRequest

SHANGHAI = ZoneInfo("Asia/Shanghai")
# The demo was loaded on 18 November 2026; these tests move the clock to the 25th and change a task on the 20th
# and 21st, so the demo's own status entries (written when it was loaded) lie before every day looked at.
BEFORE = dt.date(2026, 11, 19)


def _at(day: int) -> time_machine.travel:
    return time_machine.travel(dt.datetime(2026, 11, day, 15, 0, tzinfo=SHANGHAI), tick=False)


@pytest.fixture
def changed(db) -> Iterator[Task]:  # noqa: ANN001
    """A behind task, suspended on 20 November and resumed and closed on 21 November; the clock then on the
    25th."""
    task = Task.objects.actionable().filter(status=Task.Status.BEHIND).order_by("path").first()
    office = User.objects.get(username="supervisor")
    with _at(20):
        workflow.set_suspended(office, task, True, reason="汛期停工")
    with _at(21):
        workflow.set_suspended(office, task, False, reason="复工")
        liaison = User.objects.filter(role="liaison", unit__in=[u.pk for u in task.lead_units]).first()
        asked = workflow.request(liaison, task, TaskRequest.Kind.COMPLETION, reason="已完工验收")
        workflow.decide(office, asked, approve=True)
    task.refresh_from_db()
    with _at(25):
        yield task


def test_the_status_of_a_day_is_the_before_of_the_first_change_after_it(changed: Task) -> None:
    assert status.statuses_on(BEFORE)[changed.pk] == Task.Status.BEHIND
    assert status.statuses_on(dt.date(2026, 11, 20), [changed.pk]) == {changed.pk: Task.Status.SUSPENDED}
    assert changed.pk not in status.statuses_on(dt.date(2026, 11, 21))  # done since: current status stands
    assert status.statuses_on(dt.date(2026, 11, 25)) == {}  # today: nothing to look up


def _status_of(document, task: Task) -> str:  # noqa: ANN001
    blocks = document.blocks
    at = next(i for i, b in enumerate(blocks) if isinstance(b, Item) and b.text == task.text)
    return next(b.text for b in blocks[at:] if isinstance(b, Paragraph) and b.lead == "落实情况:")


def test_the_report_and_ledger_dated_in_the_past_show_that_days_status(changed: Task) -> None:
    tasks = Task.objects.filter(pk=changed.pk)
    assert _status_of(builders.build_report(tasks, BEFORE), changed).startswith(
        builders.status_word(Task.Status.BEHIND, False))
    assert _status_of(builders.build_report(tasks, dt.date(2026, 11, 20)), changed).startswith(
        builders.status_word(Task.Status.SUSPENDED, False))
    assert _status_of(builders.build_report(tasks, dt.date(2026, 11, 25)), changed).startswith(
        builders.status_word(Task.Status.DONE, False))

    def ledger_status(as_of: dt.date) -> str:
        buffer = io.BytesIO()
        write_ledger(tasks, buffer, as_of=as_of)
        rows = load_workbook(io.BytesIO(buffer.getvalue())).worksheets[0].iter_rows(min_row=4, values_only=True)
        return next(r[7] for r in rows if r[1] == changed.text)
    assert ledger_status(BEFORE) == "滞后"
    assert ledger_status(dt.date(2026, 11, 25)) == "已完成"


def test_the_bulletin_dated_in_the_past_counts_and_lists_that_days_statuses(changed: Task) -> None:
    tasks = Task.objects.all()
    now = builders.bulletin_figures(tasks.actionable())
    document = builders.build_bulletin(tasks, BEFORE)
    text = "".join(getattr(b, "text", "") for b in document.blocks)
    assert f"滞后序时{now['behind'] + 1}项" in text and f"已完成{now['done'] - 1}项" in text
    assert changed.text in text  # listed among the late tasks of that day
    assert changed.text not in "".join(getattr(b, "text", "") for b in builders.build_bulletin(
        tasks, dt.date(2026, 11, 25)).blocks)


def test_each_move_is_a_status_history_row_written_with_it(changed: Task) -> None:
    moves = list(StatusChange.objects.filter(task=changed, day__gte=dt.date(2026, 11, 20))
                 .values_list("day", "before", "after"))
    assert moves == [
        (dt.date(2026, 11, 20), Task.Status.BEHIND, Task.Status.SUSPENDED),
        (dt.date(2026, 11, 21), Task.Status.SUSPENDED, Task.Status.ON_SCHEDULE),
        (dt.date(2026, 11, 21), Task.Status.ON_SCHEDULE, Task.Status.BEHIND),  # resumed, then recomputed
        (dt.date(2026, 11, 21), Task.Status.BEHIND, Task.Status.DONE),
    ]


def test_the_status_of_a_past_day_survives_an_audit_purge(changed: Task) -> None:
    before_purge = status.statuses_on(dt.date(2026, 11, 20))
    with time_machine.travel(dt.datetime(2028, 1, 10, 9, 0, tzinfo=SHANGHAI), tick=False):
        assert chain.purge(dt.date(2027, 1, 1)) is not None
        assert not ActivityLog.objects.filter(object_type="tasks.task").exists()
        assert status.statuses_on(dt.date(2026, 11, 20)) == before_purge
        assert status.statuses_on(dt.date(2026, 11, 20))[changed.pk] == Task.Status.SUSPENDED


def test_the_migration_fills_the_history_from_the_audit_log(changed: Task) -> None:
    from django.apps import apps

    fill = importlib.import_module("duban.tasks.migrations.0005_status_history_from_audit_log").fill
    written = list(StatusChange.objects.order_by("at", "id").values_list("task", "day", "before", "after"))
    StatusChange.objects.all().delete()
    fill(apps, None)
    assert list(StatusChange.objects.order_by("at", "id").values_list("task", "day", "before", "after")) == written
    assert len(written) > 4
