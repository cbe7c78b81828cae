"""Writes to accounts, each recorded in the activity log."""
from __future__ import annotations

from typing import Any

from django.db import transaction

from duban.core import audit
from duban.core.actions import Action
from duban.people.models import Role, User
from duban.units.models import Unit

AUDITED = ("username", "display_name", "role", "unit", "title", "areas", "is_staff", "is_superuser", "is_active")


@transaction.atomic
def create_user(
    actor: Any,
    username: str,
    password: str | None,
    *,
    role: str,
    unit: Unit | None = None,
    display_name: str = "",
    title: str = "",
    areas: list[str] | None = None,
) -> User:
    is_admin = role == Role.ADMIN
    user = User.objects.create_user(
        username=username, password=password, role=role, unit=unit, display_name=display_name, title=title,
        areas=areas or [], is_staff=is_admin, is_superuser=is_admin,
    )
    audit.record(actor, Action.USER_CREATE, user, summary=username, after=audit.snapshot(user, AUDITED))
    return user
