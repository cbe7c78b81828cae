"""One-time passwords between the action that made them and the office writing them down: held in the
user's session only, encrypted (the session table and its backups never hold them in clear), shown on one
page view, downloadable once as a printable list, and gone when downloaded or dismissed."""
from __future__ import annotations

import base64
import json
from typing import Any

from cryptography.fernet import Fernet, InvalidToken
from django.http import HttpRequest
from django.utils.crypto import salted_hmac

KEY = "accounts.passwords"
MAX_AGE = 8 * 3600  # seconds: a list not written down in a working day is dropped


def _fernet() -> Fernet:
    key = salted_hmac("duban.site.accounts.held", "one-time passwords", algorithm="sha256").digest()
    return Fernet(base64.urlsafe_b64encode(key))


def _load(request: HttpRequest) -> list[dict[str, Any]]:
    token = request.session.get(KEY)
    if not token:
        return []
    try:
        return json.loads(_fernet().decrypt(token.encode("ascii"), ttl=MAX_AGE))
    except (InvalidToken, ValueError):
        request.session.pop(KEY, None)
        return []


def _store(request: HttpRequest, rows: list[dict[str, Any]]) -> None:
    if rows:
        request.session[KEY] = _fernet().encrypt(json.dumps(rows).encode("utf-8")).decode("ascii")
    else:
        request.session.pop(KEY, None)


def hold(request: HttpRequest, rows: list[dict[str, Any]]) -> None:
    """Add rows (name, unit, role, username, password) to those not yet written down."""
    _store(request, [*_load(request), *({**row, "shown": False} for row in rows)])


def show(request: HttpRequest) -> tuple[list[dict[str, Any]], int]:
    """The rows whose passwords were not shown yet (now marked shown), and how many are held in all."""
    rows = _load(request)
    fresh = [dict(row) for row in rows if not row["shown"]]
    if fresh:
        _store(request, [{**row, "shown": True} for row in rows])
    return fresh, len(rows)


def release(request: HttpRequest) -> list[dict[str, Any]]:
    """All held rows, forgotten from the session (for the download, or to dismiss them)."""
    rows = _load(request)
    _store(request, [])
    return rows
