"""Background exports: queued above the inline threshold, claimed once, progress shown, failures reported."""
from __future__ import annotations

import datetime as dt
import io
from pathlib import Path

import pytest
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult
from openpyxl import load_workbook

from duban.core.models import ActivityLog
from duban.exports import registry, services
from duban.exports.models import ExportJob
from duban.exports.registry import XLSX, ExportKind
from duban.tasks.models import Task


def _area_size() -> int:
    return Task.objects.actionable().filter(area="经济运行").count()


@pytest.fixture
def small_inline(settings) -> None:
    settings.DUBAN_EXPORT_INLINE_ROWS = 10


def test_small_export_downloads_at_once(login) -> None:
    response = login("supervisor").get(reverse("export-ledger"), {"status": "done"})
    assert response.status_code == 200
    assert response["Content-Type"] == XLSX
    assert "attachment" in response["Content-Disposition"]
    rows = [r for r in load_workbook(io.BytesIO(response.content)).worksheets[0].iter_rows(min_row=4, values_only=True)
            if r[1]]
    assert len(rows) == 48 and {r[7] for r in rows} == {"已完成", "已完成并长期坚持"}
    assert not ExportJob.objects.exists()
    assert ActivityLog.objects.filter(action="export.download").count() == 1


def test_large_export_is_queued_then_run_by_the_worker(login, user, small_inline,
                                                       django_capture_on_commit_callbacks) -> None:
    client = login("supervisor")
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        response = client.get(reverse("export-ledger"), {"area": "经济运行"})
    job = ExportJob.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("export-job", args=[job.pk])
    size = _area_size()
    assert size > 10
    assert (job.state, job.kind, job.total, job.requested_by) == ("queued", "ledger", size, user("supervisor"))
    assert job.params["filters"] == {"area": "经济运行"}
    assert len(callbacks) == 1 and DBTaskResult.objects.filter(status="READY").count() == 1
    assert ActivityLog.objects.filter(action="export.request", object_id=str(job.pk)).exists()

    page = client.get(reverse("export-job", args=[job.pk]))
    assert b'hx-trigger="every 2s"' in page.content and b"job-download" not in page.content

    # Run what the queue holds, as the worker would: the stored task with its stored arguments. (Running
    # db_worker in-process would close this test's PostgreSQL connection, and a separate process cannot see
    # the test's uncommitted rows.)
    queued = DBTaskResult.objects.get(status="READY")
    assert queued.args_kwargs == {"args": [job.pk], "kwargs": {}}
    assert queued.task.call(*queued.args_kwargs["args"]) == "done"
    job.refresh_from_db()
    assert (job.state, job.done, job.total) == ("done", size, size)
    assert job.started_at and job.finished_at and job.file.startswith("exports/")

    partial = client.get(reverse("export-job", args=[job.pk]), HTTP_HX_REQUEST="true")
    assert b"hx-trigger" not in partial.content and b"<html" not in partial.content
    assert reverse("export-download", args=[job.pk]).encode() in partial.content

    download = client.get(reverse("export-download", args=[job.pk]))
    assert download.status_code == 200 and download["Content-Type"] == XLSX
    data = b"".join(download.streaming_content)
    rows = [r for r in load_workbook(io.BytesIO(data)).worksheets[0].iter_rows(min_row=4, values_only=True) if r[1]]
    assert len(rows) == size
    assert ActivityLog.objects.filter(action="export.download", object_id=str(job.pk)).exists()


def test_a_job_runs_once_however_many_workers_try(user, settings) -> None:
    job = services.queue_export(user("supervisor"), "ledger", {"filters": {}, "as_of": "2026-11-18"})
    assert services.claim(job.pk, "worker-a") is True
    assert services.claim(job.pk, "worker-b") is False
    assert services.run_export(job.pk, "worker-b") is None
    job.refresh_from_db()
    assert (job.state, job.claimed_by) == ("running", "worker-a")


def test_a_job_whose_worker_died_is_queued_again_once(user) -> None:
    job = services.queue_export(user("supervisor"), "ledger", {"filters": {}, "as_of": "2026-11-18"})
    assert services.claim(job.pk, "worker-that-died")
    job.refresh_from_db()
    assert services.requeue_stale(job.started_at + services.STALE / 2) == []  # still within its time
    later = job.started_at + services.STALE + dt.timedelta(seconds=1)
    assert services.requeue_stale(later) == [job.pk]
    assert services.requeue_stale(later) == []  # a second worker passing finds nothing to requeue
    job.refresh_from_db()
    assert (job.state, job.claimed_by, job.started_at) == ("queued", "", None)
    assert services.run_export(job.pk, "worker-b").state == "done"


def test_run_synchronously_records_progress(user) -> None:
    seen: list[tuple[int, int]] = []
    original = registry.LEDGER.write

    def spy(u, params, target, progress):
        def report(done: int, total: int) -> None:
            progress(done, total)
            seen.append((done, total, ExportJob.objects.get().done))
        return original(u, params, target, report)

    registry.register(ExportKind("spy-ledger", "spy", "xlsx", XLSX, registry.LEDGER.count, spy,
                                 registry.LEDGER.filename))
    try:
        job = services.queue_export(user("leader"), "spy-ledger", {"filters": {}, "as_of": "2026-11-18"})
        job = services.run_export(job.pk)
    finally:
        registry.REGISTRY.pop("spy-ledger")
    assert job.state == "done" and job.done == 78 and job.percent == 100
    assert seen == [(78, 78, 78)]
    assert (Path(job.file).suffix, (services.export_root().parent / job.file).is_file()) == (".xlsx", True)


def test_failure_is_stored_with_its_message_and_shown(login, user) -> None:
    def broken(u, params, target, progress):
        progress(5, 10)
        raise ValueError("单位目录不可用")

    registry.register(ExportKind("broken", "broken", "xlsx", XLSX, lambda u, p: 10, broken, lambda p: "x.xlsx"))
    try:
        job = services.queue_export(user("supervisor"), "broken", {})
        job = services.run_export(job.pk)
    finally:
        registry.REGISTRY.pop("broken")
    assert (job.state, job.error, job.done, job.file) == ("failed", "单位目录不可用", 5, "")
    assert job.finished_at is not None
    assert list(services.export_root().iterdir()) == []  # the partial file is gone
    page = login("supervisor").get(reverse("export-job", args=[job.pk]))
    assert "单位目录不可用" in page.content.decode() and b"hx-trigger" not in page.content
    assert login("supervisor").get(reverse("export-download", args=[job.pk])).status_code == 404


def test_threshold_is_inclusive(login, settings) -> None:
    settings.DUBAN_EXPORT_INLINE_ROWS = _area_size()
    client = login("supervisor")
    assert client.get(reverse("export-ledger"), {"area": "经济运行"}).status_code == 200
    settings.DUBAN_EXPORT_INLINE_ROWS = _area_size() - 1
    assert client.get(reverse("export-ledger"), {"area": "经济运行"}).status_code == 302


def test_unknown_kind_is_refused() -> None:
    with pytest.raises(KeyError):
        registry.get("nonsense")


def test_as_of_date_chooses_the_progress_shown(login) -> None:
    from duban.tasks.reporting.models import ProgressReport

    report = (ProgressReport.objects.filter(state=ProgressReport.State.ACCEPTED, task__kind="task")
              .order_by("-period_end").first())
    client = login("supervisor")
    number = int(report.task.number)

    def progress_on(as_of: str) -> str | None:
        response = client.get(reverse("export-ledger"), {"as_of": as_of, "q": report.task.number})
        rows = load_workbook(io.BytesIO(response.content)).worksheets[0].iter_rows(min_row=4, values_only=True)
        return next(r[6] for r in rows if r[0] == number)

    # As the 落实情况 report does: the progress accepted by the end of the as-of day.
    ProgressReport.objects.filter(pk=report.pk).update(progress="本期独有的进展文字")
    report.refresh_from_db()
    accepted_on = timezone.localdate(report.reviewed_at) if report.reviewed_at else report.period_start
    assert progress_on(accepted_on.isoformat()) == report.progress
    if report.reviewed_at:
        assert progress_on((accepted_on - dt.timedelta(days=1)).isoformat()) != report.progress
    assert progress_on("2000-01-01") is None
    assert progress_on("not-a-date") == progress_on("")
