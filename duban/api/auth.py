"""API authentication: the browser session, or a personal token sent as ``Authorization: Bearer …``."""
from __future__ import annotations

import secrets
from typing import Any

from django.http import HttpRequest
from django.utils import timezone
from ninja.security import HttpBearer, SessionAuth

from duban.api.models import ApiToken, hash_token
from duban.core import audit
from duban.core.actions import Action


class TokenAuth(HttpBearer):
    def authenticate(self, request: HttpRequest, token: str) -> Any:
        row = (
            ApiToken.objects.select_related("user", "user__unit")
            .filter(key_hash=hash_token(token), revoked_at__isnull=True, user__is_active=True)
            .first()
        )
        if row is None:
            return None
        ApiToken.objects.filter(pk=row.pk).update(last_used_at=timezone.now())
        request.user = row.user
        return row.user


def issue_token(actor: Any, user: Any, name: str = "") -> str:
    """Create a token for ``user`` and return it; only its hash is kept, so it cannot be shown again."""
    raw = "dbn_" + secrets.token_urlsafe(32)
    token = ApiToken.objects.create(user=user, name=name, key_hash=hash_token(raw), prefix=raw[:8])
    audit.record(actor, Action.TOKEN_CREATE, token, summary=f"{user.username} {token.prefix}",
                 after={"user": user.pk, "name": name})
    return raw


AUTH = [TokenAuth(), SessionAuth()]
