"""Small helpers shared by the notify tests and the role matrix."""
from __future__ import annotations

import itertools

from duban.notify import services
from duban.notify.models import Notification
from duban.people.models import User

SECRET_TITLE = "住建局专属提醒:请于3日内报送"
_seq = itertools.count(1)


def inbox_item(username: str, *, title: str = SECRET_TITLE, link: str = "/tasks/", **kw) -> Notification:  # noqa: ANN003
    """A fresh notification in ``username``'s inbox (a new key each call)."""
    kw.setdefault("kind", "reminder")
    kw.setdefault("key", f"test:{username}:{next(_seq)}")
    kw.setdefault("robots", False)
    return services.notify([User.objects.get(username=username)], title=title, link=link, **kw)[0]
