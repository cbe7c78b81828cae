from __future__ import annotations

import pytest

from duban.core.models import ActivityLog
from duban.tasks import services
from duban.tasks.models import Comment, Task
from duban.units.services import find_unit


def _rows(response) -> int:  # noqa: ANN001
    return response.content.decode().count('class="task-row"')


def test_list_shows_only_own_unit_tasks(login) -> None:
    response = login("zhujian").get("/tasks/")
    assert _rows(response) == 9
    assert "9 项任务" in response.content.decode()


def test_list_filters_and_paginates(login) -> None:
    c = login("supervisor")
    assert _rows(c.get("/tasks/")) == 50
    assert _rows(c.get("/tasks/", {"page": 2})) == 28
    assert _rows(c.get("/tasks/", {"unit": find_unit("区人社局").pk})) == 6
    assert _rows(c.get("/tasks/", {"status": "ongoing"})) == 44
    assert _rows(c.get("/tasks/", {"q": "洪都新城"})) >= 1
    december = Task.objects.actionable().filter(deadline__range=("2026-12-01", "2026-12-31")).count()
    assert 0 < december < 78
    assert _rows(c.get("/tasks/", {"due_from": "2026-12-01", "due_to": "2026-12-31", "page": 1})) == min(december, 50)
    area = Task.objects.actionable().values_list("area", flat=True).first()
    assert _rows(c.get("/tasks/", {"area": area})) == Task.objects.actionable().filter(area=area).count()


def test_area_choices_are_the_areas_of_actionable_tasks(login) -> None:
    """The office's area choices (a loose index scan) equal a plain DISTINCT; a unit's come from its own tasks."""
    from duban.tasks.filters import all_areas

    Task.objects.filter(kind=Task.Kind.SECTION).update(area="只在标题上的领域")
    Task.objects.filter(pk=Task.objects.actionable().order_by("path").values("pk")[:1]).update(area="Ａ&<领域>")
    expected = list(Task.objects.actionable().exclude(area="").order_by("area")
                    .values_list("area", flat=True).distinct())
    assert len(expected) > 2 and "Ａ&<领域>" in expected
    assert all_areas() == expected
    assert list(login("supervisor").get("/tasks/").context["areas"]) == expected
    own = list(login("zhujian").get("/tasks/").context["areas"])
    assert own and set(own) < set(expected) and "只在标题上的领域" not in own


def test_list_htmx_returns_only_the_table(login) -> None:
    response = login("supervisor").get("/tasks/", {"status": "done"}, HTTP_HX_REQUEST="true")
    body = response.content.decode()
    assert "<html" not in body and _rows(response) == 48


@pytest.mark.parametrize(("sort", "first"), [("deadline", "deadline"), ("-deadline", "-deadline")])
def test_sorting_by_deadline_keeps_undated_tasks_last(login, sort: str, first: str) -> None:
    c = login("supervisor")
    dated = Task.objects.actionable().filter(deadline__isnull=False).order_by(first, "path").first()
    body = c.get("/tasks/", {"sort": sort}).content.decode()
    first_row = body.index('class="task-row"')
    assert body.index(f'/tasks/{dated.pk}/"') < body.index('class="task-row"', first_row + 1)
    last_page = c.get("/tasks/", {"sort": sort, "page": 2}).content.decode()
    undated = Task.objects.actionable().filter(deadline__isnull=True).order_by("path").last()
    assert f'/tasks/{undated.pk}/"' in last_page


def _add_tasks(n: int) -> None:
    unit = find_unit("区住建局")
    parent = Task.objects.filter(kind=Task.Kind.SUBSECTION).first()
    for i in range(n):
        services.create_task(None, parent=parent, number=f"x{i}", text=f"新增任务{i}", lead_units=[unit],
                             support_units=[find_unit("区人社局")])


@pytest.mark.parametrize("username", ["supervisor", "zhujian", "leader"])
@pytest.mark.parametrize("url", ["/", "/tasks/", "/units/"])
def test_page_queries_do_not_grow_with_tasks(login, django_assert_num_queries, username: str, url: str) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    c = login(username)
    with CaptureQueriesContext(connection) as small:
        assert c.get(url).status_code == 200
    _add_tasks(30)
    with django_assert_num_queries(len(small.captured_queries)):
        assert c.get(url).status_code == 200


def test_detail_queries_do_not_grow_with_reports_and_comments(login, zhujian_task, django_assert_num_queries) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    c = login("supervisor")
    with CaptureQueriesContext(connection) as first:
        c.get(f"/tasks/{zhujian_task.pk}/")
    leader = Task.objects.model._meta.get_field("leader").related_model.objects.get(username="leader")
    for i in range(5):
        services.add_comment(leader, zhujian_task, f"批示{i}")
    with django_assert_num_queries(len(first.captured_queries)):
        c.get(f"/tasks/{zhujian_task.pk}/")


def test_detail_shows_breadcrumb_units_report_and_activity(login, zhujian_task) -> None:
    body = login("zhujian").get(f"/tasks/{zhujian_task.pk}/").content.decode()
    section = zhujian_task.ancestors().first()
    assert section.heading[:10] in body
    assert "区住建局" in body
    assert zhujian_task.reports.first().progress[:20] in body
    assert "创建了任务" in body


def test_liaison_edits_owner_only_and_it_is_logged(login, zhujian_task) -> None:
    c = login("zhujian")
    response = c.post(f"/tasks/{zhujian_task.pk}/edit/", {
        "owner": "王五", "text": "被篡改", "status": "done", "version": zhujian_task.version})
    assert response.status_code == 302
    zhujian_task.refresh_from_db()
    assert zhujian_task.owner == "王五" and zhujian_task.text != "被篡改"
    entry = ActivityLog.objects.filter(action="task.update", object_id=str(zhujian_task.pk)).first()
    assert entry.after == {"owner": "王五"} and entry.before == {"owner": ""}


def test_stale_edit_is_refused_and_shows_what_changed(login, zhujian_task) -> None:
    loaded = zhujian_task.version
    login("supervisor").post(f"/tasks/{zhujian_task.pk}/edit/", {
        "owner": "赵六", "text": zhujian_task.text, "status": zhujian_task.status, "priority": 0,
        "ongoing": "on" if zhujian_task.ongoing else "", "version": loaded})
    response = login("zhujian").post(f"/tasks/{zhujian_task.pk}/edit/", {"owner": "王五", "version": loaded})
    assert response.status_code == 409
    assert "赵六" in response.content.decode()
    zhujian_task.refresh_from_db()
    assert zhujian_task.owner == "赵六"


def test_leader_comment_is_an_instruction(login, zhujian_task) -> None:
    login("leader").post(f"/tasks/{zhujian_task.pk}/comment/", {"text": "请月底前完成"})
    comment = Comment.objects.get(task=zhujian_task)
    assert comment.is_instruction and comment.text == "请月底前完成"
    assert ActivityLog.objects.filter(action="task.comment", object_id=str(zhujian_task.pk)).exists()


def test_home_adapts_to_role(login) -> None:
    assert "区住建局的任务" in login("zhujian").get("/").content.decode()
    assert "我分管领域的任务" in login("leader").get("/").content.decode()
    assert "全部任务概况" in login("supervisor").get("/").content.decode()


def test_status_words_follow_the_office_vocabulary(login, settings) -> None:
    c = login("supervisor")
    assert "序时推进" in c.get("/tasks/", {"status": "on_schedule"}).content.decode()
    settings.DUBAN_STATUS_VOCABULARY = "tuijin"  # seed 001's words: everything unfinished is 推进中
    body = c.get("/tasks/", {"status": "on_schedule"}).content.decode()
    assert 'status-badge text-bg-primary">推进中<' in body and 'status-badge text-bg-primary">序时推进<' not in body
    assert ">已完成并长期坚持<" in c.get("/tasks/", {"status": "ongoing"}).content.decode()


def test_timeline_shows_reports_and_letters_of_the_task(login) -> None:
    from duban.letters.models import Letter

    letter = Letter.objects.select_related("task").first()
    body = login("supervisor").get(f"/tasks/{letter.task_id}/").content.decode()
    timeline = body[body.index('id="timeline"'):]
    assert f'href="/letters/{letter.pk}/"' in timeline and letter.number in timeline
    assert "报送了进展" in timeline or "登记了进展报送" in timeline
