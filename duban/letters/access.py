"""Who may see and answer letters: the office and leaders see all; a unit sees and answers those sent to it;
a leader answers those addressed to them."""
from __future__ import annotations

from typing import TYPE_CHECKING

from django.db.models import Q, QuerySet

from duban.letters.models import Letter
from duban.people.access import scoped
from duban.people.models import Role

if TYPE_CHECKING:
    from duban.people.models import User


def visible_letters(user: User, qs: QuerySet[Letter] | None = None) -> QuerySet[Letter]:
    return scoped(user, Letter.objects.all() if qs is None else qs, lambda unit: Q(unit_id=unit))


def can_answer_letter(user: User, letter: Letter) -> bool:
    return (user.is_unit_staff and user.unit_id == letter.unit_id) or (
        user.role == Role.LEADER and letter.addressees.filter(pk=user.pk).exists())
