"""Who may export what (one role matrix per resource, negative cases included)."""
from __future__ import annotations

import datetime as dt
import io

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from duban.exports import services
from duban.exports.models import ExportJob

ROLES = ("admin", "supervisor", "leader", "zhujian", "renshe")


def _task_rows(content: bytes) -> list[tuple]:
    sheet = load_workbook(io.BytesIO(content)).worksheets[0]
    return [r for r in sheet.iter_rows(min_row=4, values_only=True) if r[1]]


@pytest.mark.parametrize(("username", "rows"), [("admin", 78), ("supervisor", 78), ("leader", 78),
                                                 ("zhujian", 9), ("renshe", 6)])
def test_ledger_holds_what_the_user_may_see(login, username, rows) -> None:
    response = login(username).get(reverse("export-ledger"))
    assert response.status_code == 200
    assert len(_task_rows(response.content)) == rows


def test_liaison_filter_cannot_widen_the_scope(login) -> None:
    from duban.units.services import find_unit

    mine = find_unit("区住建局").name
    response = login("zhujian").get(reverse("export-ledger"), {"unit": find_unit("区人社局").pk})
    rows = _task_rows(response.content)
    assert len(rows) < 9
    assert all(mine in f"{row[2]}、{row[3] or ''}" for row in rows)


def test_liaison_sees_only_their_units_progress(login, user) -> None:
    from duban.tasks.models import Task
    from duban.tasks.reporting.models import ProgressReport
    from duban.tasks.reporting.services import record_report
    from duban.units.services import find_unit

    zhujian = find_unit("区住建局")
    task = Task.objects.actionable().filter(task_units__unit=zhujian).order_by("path").first()
    other = task.task_units.exclude(unit=zhujian).first()
    other_unit = other.unit if other else find_unit("区人社局")
    record_report(None, task, other_unit, period_start=dt.date(2026, 10, 25), period_end=dt.date(2026, 11, 1),
                  progress="另一单位的进展", state=ProgressReport.State.ACCEPTED)
    mine = _task_rows(login("zhujian").get(reverse("export-ledger")).content)
    theirs = _task_rows(login("supervisor").get(reverse("export-ledger")).content)
    assert any(row[6] == "另一单位的进展" for row in theirs)
    assert not any(row[6] == "另一单位的进展" for row in mine)


def test_anonymous_is_sent_to_login(client: Client) -> None:
    for url in (reverse("export-ledger"), reverse("export-list"), reverse("export-job", args=[1]),
                reverse("export-download", args=[1])):
        response = client.get(url)
        assert response.status_code == 302 and "/login" in response["Location"]


@pytest.fixture
def leader_job(user, settings) -> ExportJob:
    job = services.queue_export(user("leader"), "ledger", {"filters": {}, "as_of": "2026-11-18"})
    return services.run_export(job.pk)


@pytest.mark.parametrize(("username", "status"), [("leader", 200), ("admin", 200), ("supervisor", 404),
                                                   ("zhujian", 404), ("renshe", 404)])
def test_job_page_and_download_only_for_requester_and_admins(login, leader_job, username, status) -> None:
    client = login(username)
    assert client.get(reverse("export-job", args=[leader_job.pk])).status_code == status
    assert client.get(reverse("export-download", args=[leader_job.pk])).status_code == status
    listed = client.get(reverse("export-list"))
    assert listed.status_code == 200
    assert (reverse("export-job", args=[leader_job.pk]) in listed.content.decode()) == (username == "leader")


def test_unknown_job_is_404(login) -> None:
    assert login("admin").get(reverse("export-job", args=[999999])).status_code == 404


def test_my_exports_and_job_page_queries_stay_constant(login, user) -> None:
    client = login("leader")

    def count(url: str) -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url).status_code == 200
        return len(captured)

    job = services.queue_export(user("leader"), "ledger", {"filters": {}, "as_of": "2026-11-18"})
    one = count(reverse("export-list"))
    page = count(reverse("export-job", args=[job.pk]))
    for _ in range(4):
        services.queue_export(user("leader"), "ledger", {"filters": {}, "as_of": "2026-11-18"})
    assert count(reverse("export-list")) == one
    assert count(reverse("export-job", args=[job.pk])) == page


def test_task_list_link_carries_the_filters(login) -> None:
    page = login("supervisor").get(reverse("task-list"), {"status": "behind", "q": "项目"}).content.decode()
    assert 'id="ledger-link"' in page
    assert f'href="{reverse("export-ledger")}?status=behind&amp;q=' in page or \
        f'href="{reverse("export-ledger")}?q=' in page
    assert page.count("data-follow-filters") == 2  # duban.js keeps both download links in step with htmx
