"""The inbox pages: one's own notifications only, unread first, marking read, preferences, the badge."""
from __future__ import annotations

from django.db import connection
from django.test.utils import CaptureQueriesContext

from duban.core.models import ActivityLog
from duban.notify.models import Notification, Preference
from duban.people.models import User
from tests.notify.factories import SECRET_TITLE, inbox_item


def test_inbox_lists_own_notifications_unread_first(login) -> None:  # noqa: ANN001
    old = inbox_item("zhujian", title="旧的一条未读")
    read = inbox_item("zhujian", title="已读的一条")
    Notification.objects.filter(pk=read.pk).update(read_at=read.created_at)
    inbox_item("renshe", title="人社局的消息")
    body = login("zhujian").get("/inbox/").content.decode()
    assert "人社局的消息" not in body
    assert body.index("旧的一条未读") < body.index("已读的一条")
    unread_only = login("zhujian").get("/inbox/", {"unread": "1"}).content.decode()
    assert "旧的一条未读" in unread_only and "已读的一条" not in unread_only
    assert old.pk


def test_inbox_is_paginated(login, settings) -> None:  # noqa: ANN001
    settings.DUBAN_PAGE_SIZE = 5
    for i in range(12):
        inbox_item("renshe", title=f"第{i}号通知")
    c = login("renshe")
    assert c.get("/inbox/").content.decode().count("第") >= 5
    page3 = c.get("/inbox/", {"page": 3}).content.decode()
    assert "第0号通知" in page3 and "第11号通知" not in page3


def test_opening_marks_read_and_goes_to_the_object(login, zhujian_task) -> None:  # noqa: ANN001
    note = inbox_item("zhujian", link=f"/tasks/{zhujian_task.pk}/")
    response = login("zhujian").post(f"/inbox/{note.pk}/read/", {"open": "1"})
    assert response.status_code == 302 and response["Location"] == f"/tasks/{zhujian_task.pk}/"
    assert Notification.objects.get(pk=note.pk).read_at is not None


def test_mark_read_without_open_returns_to_inbox(login) -> None:  # noqa: ANN001
    note = inbox_item("zhujian")
    response = login("zhujian").post(f"/inbox/{note.pk}/read/")
    assert response["Location"] == "/inbox/"


def test_someone_elses_notification_is_404_and_untouched(login) -> None:  # noqa: ANN001
    note = inbox_item("zhujian")
    for other in ("renshe", "zhujian_head", "supervisor", "admin"):
        response = login(other).post(f"/inbox/{note.pk}/read/", {"open": "1"})
        assert response.status_code == 404
        assert SECRET_TITLE not in response.content.decode()
    assert Notification.objects.get(pk=note.pk).read_at is None


def test_get_cannot_mark_read(login) -> None:  # noqa: ANN001
    note = inbox_item("zhujian")
    assert login("zhujian").get(f"/inbox/{note.pk}/read/").status_code == 405
    assert Notification.objects.get(pk=note.pk).read_at is None


def test_mark_all_read_only_touches_own(login) -> None:  # noqa: ANN001
    mine = [inbox_item("zhujian") for _ in range(3)]
    theirs = inbox_item("renshe")
    response = login("zhujian").post("/inbox/read-all/", follow=True)
    assert "3" in response.content.decode()
    assert not Notification.objects.filter(pk__in=[n.pk for n in mine], read_at__isnull=True).exists()
    assert Notification.objects.get(pk=theirs.pk).read_at is None


def test_navbar_badge_counts_unread_in_one_query(login) -> None:  # noqa: ANN001
    c = login("zhujian")
    c.get("/")  # warm up session and caches
    with CaptureQueriesContext(connection) as without:
        body = c.get("/").content.decode()
    assert 'href="/inbox/"' in body
    notify_queries = [q for q in without.captured_queries if "notify_notification" in q["sql"]]
    assert len(notify_queries) == 1
    for _ in range(3):
        inbox_item("zhujian")
    with CaptureQueriesContext(connection) as with_items:
        body = c.get("/").content.decode()
    assert len([q for q in with_items.captured_queries if "notify_notification" in q["sql"]]) == 1
    assert 'text-bg-danger">3<' in body


def test_badge_caps_at_99(login) -> None:  # noqa: ANN001
    user = User.objects.get(username="renshe")
    Notification.objects.bulk_create([Notification(recipient=user, title=f"n{i}", key=f"bulk:{i}")
                                      for i in range(120)])
    assert 'text-bg-danger">99+<' in login("renshe").get("/").content.decode()


def test_anonymous_pages_do_not_query_notifications(db, client) -> None:  # noqa: ANN001
    with CaptureQueriesContext(connection) as queries:
        assert client.get("/login/").status_code == 200
    assert not [q for q in queries.captured_queries if "notify_" in q["sql"]]


def test_preferences_form(login) -> None:  # noqa: ANN001
    User.objects.filter(username="zhujian").update(email="zhujian@example.gov.cn")
    c = login("zhujian")
    page = c.get("/inbox/settings/").content.decode()
    assert "zhujian@example.gov.cn" in page and "checked" in page
    assert c.post("/inbox/settings/", {}).status_code == 302  # unchecked box: email off
    assert Preference.objects.get(user__username="zhujian").email is False
    assert "checked" not in c.get("/inbox/settings/").content.decode().split('id="id_email"')[1].split(">")[0]
    c.post("/inbox/settings/", {"email": "on"})
    assert Preference.objects.get(user__username="zhujian").email is True
    assert ActivityLog.objects.filter(action="notify.preferences", actor__username="zhujian").count() == 2


def test_preferences_without_email_address(login) -> None:  # noqa: ANN001
    User.objects.filter(username="renshe").update(email="")
    page = login("renshe").get("/inbox/settings/").content.decode()
    assert "disabled" in page


def test_pages_are_chinese(login) -> None:  # noqa: ANN001
    inbox_item("zhujian")
    body = login("zhujian").get("/inbox/").content.decode()
    assert "消息" in body and "全部标为已读" in body
