"""Every login, logout and failed login goes into the activity log (等保), with the client address."""
from __future__ import annotations

from typing import Any

from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import receiver
from django.http import HttpRequest

from duban.core import audit
from duban.core.actions import Action


def client_address(request: HttpRequest | None) -> str:
    return (request.META.get("REMOTE_ADDR", "") if request is not None else "")[:64]


def _log(action: Action, user: Any, request: HttpRequest | None, summary: str) -> None:

    audit.record(user, action, user, summary=summary, after={"address": client_address(request)})


@receiver(user_logged_in)
def logged_in(sender: Any, request: HttpRequest, user: Any, **kwargs: Any) -> None:
    _log(Action.AUTH_LOGIN, user, request, user.username)


@receiver(user_logged_out)
def logged_out(sender: Any, request: HttpRequest, user: Any, **kwargs: Any) -> None:
    if user is not None:
        _log(Action.AUTH_LOGOUT, user, request, user.username)


class _NamedAccount:
    """The object of a failed login: the name that was tried, which may belong to no account."""

    class _meta:  # noqa: N801 (mimics a model's _meta for audit.record)
        label_lower = "people.user"

    def __init__(self, username: str) -> None:
        self.pk = username


@receiver(user_login_failed)
def login_failed(sender: Any, credentials: dict, request: HttpRequest | None = None, **kwargs: Any) -> None:

    username = str(credentials.get("username", ""))[:60]
    audit.record(None, Action.AUTH_FAILED, _NamedAccount(username), summary=username,
                 after={"address": client_address(request)})
