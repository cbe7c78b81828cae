"""Revoking a person's API tokens from the account page (the tokens live in the api layer, above people)."""
from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils import timezone

from duban.api.models import ApiToken
from duban.core import audit
from duban.core.actions import Action
from duban.people.models import User


def active_tokens(user: User) -> int:
    return ApiToken.objects.filter(user=user, revoked_at__isnull=True).count()


@transaction.atomic
def revoke_tokens(actor: Any, user: User) -> int:
    """Revoke every API token of ``user`` (a lost phone, a script that leaked a key); the number revoked.
    One log entry on the account names the tokens by their prefix."""
    tokens = list(ApiToken.objects.select_for_update().filter(user=user, revoked_at__isnull=True))
    if tokens:
        ApiToken.objects.filter(pk__in=[t.pk for t in tokens]).update(revoked_at=timezone.now())
        audit.record(actor, Action.TOKEN_REVOKE, user, summary=user.username,
                     after={"tokens": [t.prefix for t in tokens]})
    return len(tokens)
