from __future__ import annotations

from collections import Counter

from django.core.management import call_command

from duban.core.models import ActivityLog
from duban.tasks.models import SourceDocument, Task
from duban.units.models import Unit
from duban.units.services import find_unit


def test_demo_has_the_78_tasks_under_their_sections(db) -> None:  # noqa: ANN001
    tasks = Task.objects.actionable()
    assert tasks.count() == 78
    assert Task.objects.filter(kind=Task.Kind.SECTION).count() == 6
    assert Task.objects.filter(kind=Task.Kind.SUBSECTION).count() == 15
    task39 = tasks.get(number="39")
    assert [a.number for a in task39.ancestors()] == ["四", "二"]
    assert task39.ancestors().first().heading.startswith("聚焦新城打造")


def test_demo_statuses_come_from_the_document_and_the_schedule(db) -> None:  # noqa: ANN001
    tasks = Task.objects.actionable()
    counts = Counter((t.status, t.ongoing) for t in tasks)
    assert counts[(Task.Status.DONE, True)] == 44  # 已完成并长期坚持 in the document
    assert counts[(Task.Status.DONE, False)] == 4  # 已完成
    open_statuses = Counter(t.status for t in tasks.exclude(status=Task.Status.DONE))
    assert sum(open_statuses.values()) == 30  # 推进中: now measured against this year's schedule
    assert open_statuses[Task.Status.OVERDUE] >= 1 and open_statuses[Task.Status.BEHIND] >= 1
    assert open_statuses[Task.Status.ON_SCHEDULE] + open_statuses[Task.Status.AHEAD] >= 10
    assert all(t.status_reason for t in tasks.exclude(status=Task.Status.DONE))


def test_demo_units_are_merged_by_alias(db) -> None:  # noqa: ANN001
    assert find_unit("区人社局") == find_unit("区人力资源和社会保障局")
    assert find_unit("区政府办(区外办)") == find_unit("区政府办") == find_unit("区政府办（区外办）")
    used = Unit.objects.filter(task_units__isnull=False).distinct()
    assert used.count() == 30  # 32 names in the document, two pairs of them the same unit
    assert Task.objects.actionable().filter(task_units__unit=find_unit("区住建局")).count() == 9


def test_first_listed_unit_leads(db) -> None:  # noqa: ANN001
    task = Task.objects.with_units().get(kind=Task.Kind.TASK, number="2")
    assert [u.short_name for u in task.lead_units] == ["区卫生健康委"]
    assert [u.short_name for u in task.support_units] == ["区政府办", "青云谱公安分局"]


def test_demo_command_is_idempotent(db, capsys) -> None:  # noqa: ANN001
    before = (ActivityLog.objects.count(), Task.objects.count(), Unit.objects.count(), SourceDocument.objects.count())
    call_command("demo", "--no-serve")
    out = capsys.readouterr().out
    assert "zhujian" in out and "duban-demo" in out
    after = (ActivityLog.objects.count(), Task.objects.count(), Unit.objects.count(), SourceDocument.objects.count())
    assert after == before


def test_every_demo_write_is_in_the_activity_log(db) -> None:  # noqa: ANN001
    logged = set(ActivityLog.objects.filter(action="task.create").values_list("object_id", flat=True))
    assert logged == {str(pk) for pk in Task.objects.values_list("pk", flat=True)}
