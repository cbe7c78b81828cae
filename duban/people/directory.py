"""Who is who in a unit: the people a message or letter for a unit is addressed to."""
from __future__ import annotations

from collections.abc import Iterable

from duban.people.models import Role, User


def unit_people(unit_ids: Iterable[int], *roles: str) -> list[User]:
    return list(User.objects.filter(unit_id__in=list(unit_ids), role__in=roles or (Role.LIAISON,), is_active=True))


def supervisors() -> list[User]:
    return list(User.objects.filter(role=Role.SUPERVISOR, is_active=True))
