"""The navbar's unread count: lazy, so a page that does not show the badge pays nothing, and at most one
cheap indexed query per page that does; nothing at all for anonymous visitors."""
from __future__ import annotations

from functools import cached_property

from django.http import HttpRequest

from duban.notify.models import Notification

SHOWN_MAX = 99  # the badge says "99+" beyond this, so counting never scans a huge inbox


class Unread:
    """Counts on first use and remembers, however often the template asks."""

    def __init__(self, user_id: int) -> None:
        self.user_id = user_id

    @cached_property
    def count(self) -> int:
        unread = Notification.objects.filter(recipient_id=self.user_id, read_at__isnull=True)
        return unread[: SHOWN_MAX + 1].count()

    @property
    def label(self) -> str:
        return f"{SHOWN_MAX}+" if self.count > SHOWN_MAX else str(self.count)

    def __bool__(self) -> bool:
        return self.count > 0


def unread(request: HttpRequest) -> dict:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {"notify_unread": Unread(user.pk)}
