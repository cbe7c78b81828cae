"""/api/v1/notifications: the caller's own, paged like the other lists; marking read; others' ids are 404."""
from __future__ import annotations

from duban.notify.models import Notification
from tests.notify.factories import SECRET_TITLE, inbox_item


def test_list_is_own_and_paged(login) -> None:  # noqa: ANN001
    notes = [inbox_item("zhujian", title=f"消息{i}") for i in range(5)]
    inbox_item("renshe", title="人社局的")
    Notification.objects.filter(pk=notes[0].pk).update(read_at=notes[0].created_at)
    c = login("zhujian")
    body = c.get("/api/v1/notifications", {"page": 2, "page_size": 2}).json()
    assert (body["count"], body["page"], body["page_size"], len(body["results"])) == (5, 2, 2, 2)
    everything = c.get("/api/v1/notifications").json()["results"]
    assert [n["title"] for n in everything] == [f"消息{i}" for i in reversed(range(5))]
    assert {"id", "kind", "kind_label", "title", "body", "link", "object_type", "object_id", "created_at",
            "read_at"} == everything[0].keys()
    assert everything[0]["kind_label"] == "提醒"
    unread = c.get("/api/v1/notifications", {"unread": "1"}).json()
    assert unread["count"] == 4 and "消息0" not in [n["title"] for n in unread["results"]]


def test_mark_read(login) -> None:  # noqa: ANN001
    note = inbox_item("zhujian")
    response = login("zhujian").post(f"/api/v1/notifications/{note.pk}/read")
    assert response.status_code == 200 and response.json()["read_at"]
    assert Notification.objects.get(pk=note.pk).read_at is not None


def test_others_ids_are_404(login, client) -> None:  # noqa: ANN001
    note = inbox_item("zhujian")
    response = login("renshe").post(f"/api/v1/notifications/{note.pk}/read")
    assert response.status_code == 404 and SECRET_TITLE not in response.content.decode()
    assert client.post(f"/api/v1/notifications/{note.pk}/read").status_code == 401
    assert Notification.objects.get(pk=note.pk).read_at is None
