"""Password policy (等保): length and character classes, no reuse of recent passwords, forced change of an
initial password and optional expiry. Plugged into Django's password validation."""
from __future__ import annotations

import datetime as dt
import secrets
from typing import Any

from django.conf import settings
from django.contrib.auth.hashers import check_password
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

CLASSES = (str.islower, str.isupper, str.isdigit, lambda ch: not ch.isalnum())


class CharacterClassesValidator:
    """At least ``min_classes`` of: lower case, upper case, digits, other characters."""

    def __init__(self, min_classes: int = 3) -> None:
        self.min_classes = min_classes

    def validate(self, password: str, user: Any = None) -> None:
        used = sum(1 for test in CLASSES if any(test(ch) for ch in password))
        if used < self.min_classes:
            raise ValidationError(self.get_help_text(), code="password_too_simple")

    def get_help_text(self) -> str:
        return _("Use at least %(n)d of: lower-case letters, upper-case letters, digits, other characters.") % {
            "n": self.min_classes}


class HistoryValidator:
    """Not one of the user's last ``keep`` passwords; records each new password's hash when it is set."""

    def __init__(self, keep: int = 5) -> None:
        self.keep = keep

    def validate(self, password: str, user: Any = None) -> None:
        if user is None or not getattr(user, "pk", None):
            return
        recent = [user.password, *user.password_history.values_list("password", flat=True)[: self.keep]]
        if any(encoded and check_password(password, encoded) for encoded in recent):
            raise ValidationError(self.get_help_text(), code="password_reused")

    def password_changed(self, password: str, user: Any = None) -> None:
        from duban.people.models import PasswordHistory

        if user is None or not user.pk:
            return
        PasswordHistory.objects.create(user=user, password=user.password)
        stale = user.password_history.values_list("pk", flat=True)[self.keep:]
        PasswordHistory.objects.filter(pk__in=list(stale)).delete()
        type(user).objects.filter(pk=user.pk).update(password_changed_at=timezone.now(), must_change_password=False)

    def get_help_text(self) -> str:
        return _("Do not reuse one of your last %(n)d passwords.") % {"n": self.keep}


def must_change(user: Any) -> bool:
    """An initial password, or one older than DUBAN_PASSWORD_MAX_AGE_DAYS (0: never expires)."""
    if user.must_change_password:
        return True
    days = settings.DUBAN_PASSWORD_MAX_AGE_DAYS
    changed = user.password_changed_at or user.date_joined
    return bool(days) and timezone.now() - changed > dt.timedelta(days=days)


# No 0/O, 1/l/I: an initial password is read off paper and typed on a phone.
READABLE = "abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789"


def one_time_password(length: int = 12) -> str:
    """An initial or reset password (first admin, new accounts, resets): shown once, changed at first login."""
    while True:
        password = "".join(secrets.choice(READABLE) for _ in range(length))
        if all(any(test(ch) for ch in password) for test in CLASSES[:3]):  # passes CharacterClassesValidator
            return password
