"""Writes to accounts, each recorded in the activity log. The office manages accounts from its own pages
(duban.site.accounts) and ``duban users import``; nothing here needs /admin/."""
from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import F, Sum
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext as _

from duban.core import audit
from duban.core.actions import Action
from duban.core.errors import ActionRefused
from duban.people.models import Role, User
from duban.people.passwords import one_time_password
from duban.people.roster import UNIT_STAFF, Record
from duban.units.models import Unit
from duban.units.services import resolve_units

AUDITED = ("username", "display_name", "role", "unit", "title", "areas", "is_staff", "is_superuser", "is_active")
# What the account page edits; the phone is logged as changed or not, never its number.
EDITABLE = ("display_name", "role", "unit", "title", "email", "areas")


def _oversees_ids(user: User) -> list[int]:
    return sorted(user.oversees_units.values_list("pk", flat=True))


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
    phone: str = "",
    email: str = "",
    oversees: Sequence[Unit] = (),
    action: Action = Action.USER_CREATE,
) -> User:
    is_admin = role == Role.ADMIN
    user = User.objects.create_user(
        username=username, password=password, role=role, unit=unit, display_name=display_name, title=title,
        areas=areas or [], is_staff=is_admin, is_superuser=is_admin, phone=phone, email=email,
    )
    if oversees:
        user.oversees_units.set(oversees)
    audit.record(actor, action, user, summary=username,
                 after={**audit.snapshot(user, AUDITED), "oversees_units": [u.pk for u in oversees]})
    return user


def _guard_admins(actor: Any, *roles: str) -> None:
    """Only administrators create, change, disable or reset administrators' accounts: a supervisor who could
    would make himself one (an administrator is also a Django superuser). ``actor`` None is the command line."""
    if Role.ADMIN in roles and actor is not None and not (actor.role == Role.ADMIN or actor.is_superuser):
        raise ActionRefused(_("Only an administrator can create or change an administrator's account."))


def _check_role(role: str, unit: Unit | None) -> None:
    if role not in Role.values:
        raise ActionRefused(_("Unknown role."))
    if role in UNIT_STAFF and unit is None:
        raise ActionRefused(_("Liaisons and unit heads need their unit (单位)."))


def _initial_password(user: User) -> str:
    """Set a one-time password that must be changed at the next login. Django's password-changed hook (the
    history validator) clears the flag as it records the new hash, so the flag is set again after saving."""
    password = one_time_password()
    user.set_password(password)
    user.save()
    User.objects.filter(pk=user.pk).update(must_change_password=True)
    user.must_change_password = True
    return password


@transaction.atomic
def create_account(
    actor: Any,
    username: str,
    *,
    role: str,
    unit: Unit | None = None,
    display_name: str = "",
    title: str = "",
    phone: str = "",
    email: str = "",
    areas: list[str] | None = None,
    oversees: Sequence[Unit] = (),
    action: Action = Action.USER_CREATE,
) -> tuple[User, str]:
    """A new account with a one-time password (returned, to be shown once), changed at first login."""
    username = username.strip()
    _guard_admins(actor, role)
    _check_role(role, unit)
    if User.objects.filter(username__iexact=username).exists():
        raise ActionRefused(_("The username %(username)s is taken.") % {"username": username})
    user = create_user(actor, username, None, role=role, unit=unit, display_name=display_name, title=title,
                       areas=areas, phone=phone, email=email, oversees=oversees if role == Role.LEADER else (),
                       action=action)
    return user, _initial_password(user)


def _keep_an_admin(user: User, *, role: str | None = None, active: bool | None = None) -> None:
    """The last active administrator can be neither demoted nor disabled: nobody could manage accounts."""
    losing = user.role == Role.ADMIN and user.is_active and (
        (role is not None and role != Role.ADMIN) or active is False)
    if losing and not User.objects.filter(role=Role.ADMIN, is_active=True).exclude(pk=user.pk).exists():
        raise ActionRefused(_("This is the only active administrator; make someone else an administrator first."))


@transaction.atomic
def update_user(actor: Any, user: User, *, version: int | None, phone: str | None = None,
                oversees: Sequence[Unit] | None = None, **fields: Any) -> User:
    """Change an account's details (``EDITABLE``, the phone and the units a leader oversees). The edit
    carries the ``version`` it was loaded at and is refused when someone saved the account in between."""
    locked = User.objects.select_for_update().get(pk=user.pk)
    if version is not None and version != locked.version:
        raise ActionRefused(_("This account was changed by someone else meanwhile; please check it and save "
                              "again."))
    unknown = set(fields) - set(EDITABLE)
    if unknown:
        raise ValueError(f"not editable here: {sorted(unknown)}")
    role = fields.get("role", locked.role)
    _guard_admins(actor, locked.role, role)
    _check_role(role, fields.get("unit", locked.unit))
    _keep_an_admin(locked, role=role)
    before = {**audit.snapshot(locked, (*EDITABLE, "is_staff", "is_superuser")),
              "oversees_units": _oversees_ids(locked)}
    for name, value in fields.items():
        setattr(locked, name, value.strip() if isinstance(value, str) else value)
    if role != before["role"]:  # an administrator is Django staff; someone who stops being one is not
        locked.is_staff = locked.is_superuser = role == Role.ADMIN
    phone_changed = phone is not None and phone != locked.phone
    if phone is not None:
        locked.phone = phone
    locked.version = F("version") + 1
    locked.save()
    if oversees is not None or role != Role.LEADER:
        locked.oversees_units.set(list(oversees or ()) if role == Role.LEADER else [])
    locked.refresh_from_db()
    after = {**audit.snapshot(locked, (*EDITABLE, "is_staff", "is_superuser")),
             "oversees_units": _oversees_ids(locked)}
    old, new = audit.changed(before, after)
    if phone_changed:
        new["phone_changed"] = True
    if new:
        audit.record(actor, Action.USER_UPDATE, locked, summary=locked.username, before=old, after=new)
    return locked


@transaction.atomic
def set_active(actor: Any, user: User, active: bool) -> User:
    """Disable (停用) or re-enable (启用) an account. A disabled account cannot log in and its open sessions
    and API tokens stop working (both check ``is_active``); its name stays on past work."""
    locked = User.objects.select_for_update().get(pk=user.pk)
    if not active and getattr(actor, "pk", None) == locked.pk:
        raise ActionRefused(_("You cannot disable your own account."))
    if locked.is_active == active:
        return locked
    _guard_admins(actor, locked.role)
    _keep_an_admin(locked, active=active)
    locked.is_active = active
    locked.save(update_fields=["is_active"])
    audit.record(actor, Action.USER_ENABLE if active else Action.USER_DISABLE, locked, summary=locked.username,
                 before={"is_active": not active}, after={"is_active": active})
    return locked


@transaction.atomic
def reset_password(actor: Any, user: User) -> str:
    """A new one-time password for someone who forgot theirs (returned, to be shown once); the old one stops
    working at once and the new one must be changed at the next login."""
    locked = User.objects.select_for_update().get(pk=user.pk)
    _guard_admins(actor, locked.role)
    password = _initial_password(locked)
    audit.record(actor, Action.USER_RESET_PASSWORD, locked, summary=locked.username,
                 after={"must_change_password": True})
    return password


def locked_out(usernames: Iterable[str] | None = None) -> set[str]:
    """Which of these accounts (None: any) are locked out now by repeated failed logins (django-axes'
    records, kept for the cool-off time)."""
    from axes.models import AccessAttempt

    since = timezone.now() - settings.AXES_COOLOFF_TIME
    attempts = AccessAttempt.objects.filter(attempt_time__gte=since, username__isnull=False)
    if usernames is not None:
        names = list(usernames)
        if not names:
            return set()
        attempts = attempts.filter(username__in=names)
    rows = (attempts.values("username")
            .annotate(failures=Sum("failures_since_start"))
            .filter(failures__gte=settings.AXES_FAILURE_LIMIT))
    return {row["username"] for row in rows}


@transaction.atomic
def unlock(actor: Any, user: User) -> int:
    """Lift a lockout after repeated failed logins (and forget the failures counted so far); the number of
    failure records removed."""
    from axes.utils import reset

    removed = reset(username=user.username)
    audit.record(actor, Action.USER_UNLOCK, user, summary=user.username, after={"attempts_cleared": removed})
    return removed


# Importing a list ----------------------------------------------------------------------------------------

@dataclass
class PlannedRow:
    record: Record
    username: str = ""
    unit: Unit | None = None
    oversees: list[Unit] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)


@dataclass
class ImportPlan:
    rows: list[PlannedRow]

    @property
    def ok(self) -> bool:
        return bool(self.rows) and not any(row.errors for row in self.rows)

    @property
    def error_count(self) -> int:
        return sum(1 for row in self.rows if row.errors)


MOBILE = re.compile(r"(?:\+?86)?(1\d{10})")
NUMBERED = re.compile(r"u(\d+)")


def suggest_username(phone: str = "") -> str:
    """A free username for one new account, by the rule of :func:`plan_import`."""
    mobile = MOBILE.fullmatch(phone or "")
    if mobile and not User.objects.filter(username__iexact=mobile.group(1)).exists():
        return mobile.group(1)
    row = PlannedRow(Record(row=0, name="", role=""))
    _number_the_rest([row], set())
    return row.username


def plan_import(records: Sequence[Record], errors: dict[int, list[str]] | None = None, actor: Any = None
                ) -> ImportPlan:
    """What importing ``records`` would do, with every row's problems: the sheet's own (``errors`` from
    roster.parse), units not in the directory, usernames already taken.

    Usernames: the sheet's 用户名 when given. Otherwise the mobile number (11 digits, +86 dropped), which
    people remember and which is unique per person; without one, ``u`` and the next free number (u0001,
    u0002 …). Names are not turned into pinyin: no pinyin library is a dependency, and 张伟 is too common a
    name to make a login of."""
    rows = [PlannedRow(r, errors=list((errors or {}).get(r.row, []))) for r in records]
    for row in rows:
        r = row.record
        try:
            _guard_admins(actor, r.role)
        except ActionRefused as exc:
            row.errors.append(str(exc))
        try:
            row.unit = resolve_units([r.unit])[0] if r.unit else None
        except ActionRefused as exc:
            row.errors.append(str(exc))
        try:
            row.oversees = resolve_units(r.oversees) if r.oversees else []
        except ActionRefused as exc:
            row.errors.append(str(exc))
        mobile = MOBILE.fullmatch(r.phone or "")
        row.username = r.username or (mobile.group(1) if mobile else "")
    wanted = {row.username.lower() for row in rows if row.username}
    taken = set(User.objects.annotate(key=Lower("username")).filter(key__in=wanted).values_list("key", flat=True))
    used: set[str] = set()
    for row in rows:
        key = row.username.lower()
        if not key:
            continue
        if key in taken:
            row.errors.append(_("An account %(username)s exists already (fill in 用户名 for a second account).")
                              % {"username": row.username})
        elif key in used:
            row.errors.append(_("The username %(username)s appears twice in the list.") % {"username": row.username})
        used.add(key)
    _number_the_rest(rows, used)
    return ImportPlan(rows)


def _number_the_rest(rows: list[PlannedRow], used: set[str]) -> None:
    existing = User.objects.filter(username__regex=r"^u[0-9]+$").values_list("username", flat=True)
    numbers = [int(NUMBERED.fullmatch(name).group(1)) for name in [*existing, *used] if NUMBERED.fullmatch(name)]
    next_number = max(numbers, default=0) + 1
    for row in rows:
        if not row.username:
            row.username = f"u{next_number:04d}"
            next_number += 1


@dataclass(frozen=True)
class Created:
    user: User
    password: str  # shown once, never stored in clear


@transaction.atomic
def import_users(actor: Any, records: Sequence[Record], errors: dict[int, list[str]] | None = None
                 ) -> list[Created]:
    """Create every account of a list, or none: the list is checked again inside the transaction (someone
    may have taken a username since the preview) and any problem refuses the whole list, by row number."""
    plan = plan_import(records, errors, actor)
    bad = [row for row in plan.rows if row.errors]
    if bad or not plan.rows:
        lines = [_("Row %(row)d: %(problems)s") % {"row": row.record.row, "problems": " ".join(row.errors)}
                 for row in bad[:20]]
        raise ActionRefused(" ".join([_("Nothing was imported; correct the list first."), *lines]))
    created = []
    for row in plan.rows:
        r = row.record
        user, password = create_account(
            actor, row.username, role=r.role, unit=row.unit, display_name=r.name, title=r.title, phone=r.phone,
            email=r.email, areas=r.areas, oversees=row.oversees, action=Action.USER_IMPORT)
        created.append(Created(user, password))
    return created
