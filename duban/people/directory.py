"""Who is who in a unit: the people a message or letter for a unit is addressed to."""
from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db.models import QuerySet
from django.utils.translation import gettext as _

from duban.core.errors import ActionRefused
from duban.people.models import Role, User


def unit_people(unit_ids: Iterable[int], *roles: str) -> list[User]:
    return list(User.objects.filter(unit_id__in=list(unit_ids), role__in=roles or (Role.LIAISON,), is_active=True))


def supervisors() -> list[User]:
    return list(User.objects.filter(role=Role.SUPERVISOR, is_active=True))


def leaders() -> QuerySet[User]:
    """The people a task's responsible leader is chosen from."""
    return User.objects.filter(role=Role.LEADER, is_active=True).order_by("display_name", "username")


def find_leader(given: Any) -> User | None:
    """A leader by id or username; None for an empty value (no leader); ActionRefused for anyone else."""
    text = str(given if given is not None else "").strip()
    if not text:
        return None
    leader = (leaders().filter(pk=int(text)) if text.isdigit() else leaders().filter(username=text)).first()
    if leader is None:
        raise ActionRefused(_("No active leader %(value)s.") % {"value": text})
    return leader
