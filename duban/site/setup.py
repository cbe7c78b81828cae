"""First-run set-up: record the office and create its first administrator. One code path for `duban setup`,
the first-run page and the demo."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from duban.core.errors import ActionRefused
from duban.core.models import Office
from duban.core.office import save_office
from duban.people.models import Role, User
from duban.people.passwords import one_time_password
from duban.people.services import create_user


@dataclass(frozen=True)
class SetUp:
    office: Office
    admin: User | None
    password: str | None  # shown once, never stored in clear


def clean_level(level: str) -> str:
    if level not in Office.Level.values:
        raise ActionRefused(_("Unknown level “%(level)s”; choose district, city or province.") % {"level": level})
    return level


@transaction.atomic
def set_up(actor: Any, *, name: str, level: str, authority: str = "", letter_prefix: str = "",
           document_prefix: str = "", admin: str | None = None) -> SetUp:
    """Record (or correct) the office and, when ``admin`` names a new account, create it with a one-time
    password that must be changed at first login."""
    name = name.strip()
    if not name:
        raise ActionRefused(_("Enter the office's full name, e.g. 东湖区人民政府督查室."))
    office = save_office(actor, name=name, level=clean_level(level), authority=authority,
                         letter_prefix=letter_prefix, document_prefix=document_prefix)
    if not admin or User.objects.filter(username=admin).exists():
        return SetUp(office, None, None)
    password = one_time_password()
    user = create_user(actor, admin, password, role=Role.ADMIN, display_name=_("Administrator"))
    User.objects.filter(pk=user.pk).update(must_change_password=True)
    return SetUp(office, user, password)
