"""Who may do what, by role: the office (supervisors and admins) manages, leaders read everything, unit staff
see their unit's share. The rules for each kind of object sit next to it (duban.tasks.access for tasks and
reports, duban.letters.access for letters) and build on the two predicates and the scoping helper here."""
from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import TYPE_CHECKING, Any

from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.http import HttpRequest, HttpResponse

from duban.people.models import Role

if TYPE_CHECKING:
    from duban.people.models import User

MANAGERS = (Role.SUPERVISOR, Role.ADMIN)
READ_ALL = (Role.SUPERVISOR, Role.ADMIN, Role.LEADER)


def is_manager(user: User) -> bool:
    return user.is_authenticated and (user.role in MANAGERS or user.is_superuser)


def reads_all(user: User) -> bool:
    return user.is_authenticated and (user.role in READ_ALL or user.is_superuser)


def managers_only(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """A page for the office only: anyone else gets 403. Put it under ``login_required`` so that a visitor who
    is not logged in is sent to the login page rather than refused."""
    @wraps(view)
    def guarded(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not is_manager(request.user):
            raise PermissionDenied
        return view(request, *args, **kwargs)
    return guarded


def scoped(user: User, qs: QuerySet, unit_filter: Callable[[int], Q]) -> QuerySet:
    """All of ``qs`` for those who read everything, the user's unit's share for unit staff, else nothing."""
    if reads_all(user):
        return qs
    if user.is_authenticated and user.is_unit_staff and user.unit_id:
        return qs.filter(unit_filter(user.unit_id))
    return qs.none()
