"""/api/v1/notifications: the caller's own notifications, paged like every other list; marking one read."""
from __future__ import annotations

import datetime as dt

from django.http import HttpRequest
from ninja import Router, Schema

from duban.api.pagination import page
from duban.api.schemas import Page
from duban.notify import services

router = Router(tags=["notifications"])


class NotificationOut(Schema):
    id: int
    kind: str
    kind_label: str
    title: str
    body: str
    link: str
    object_type: str
    object_id: str
    created_at: dt.datetime
    read_at: dt.datetime | None


def _out(note) -> dict:  # noqa: ANN001
    return {**{f: getattr(note, f) for f in NotificationOut.model_fields if f != "kind_label"},
            "kind_label": str(note.get_kind_display())}


@router.get("", response=Page[NotificationOut])
def list_notifications(request: HttpRequest, unread: bool = False):  # noqa: ANN201
    """The caller's notifications, newest first; ``unread=1`` for unread only."""
    qs = services.mine(request.user)
    if unread:
        qs = qs.filter(read_at__isnull=True)
    meta, items = page(request, qs.order_by("-created_at", "-id"))
    return {**meta, "results": [_out(n) for n in items]}


@router.post("/{notification_id}/read", response=NotificationOut)
def read_notification(request: HttpRequest, notification_id: int):  # noqa: ANN201
    """Mark one of the caller's notifications read; anyone else's id answers 404."""
    return _out(services.mark_read(request.user, notification_id))
