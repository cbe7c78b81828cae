"""Model fields for values stored encrypted (密评: SM4 for important stored data); see crypto.py."""
from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import lookups
from django.utils.translation import gettext_lazy as _

from duban.core import crypto


class _BlankExact(lookups.Exact):
    """``field=""`` still works (empty values are stored as ""); any other equality test cannot match a
    ciphertext with a random nonce, so it is refused instead of silently finding nothing."""

    def get_prep_lookup(self) -> Any:
        if self.rhs not in ("", None):
            raise TypeError("Encrypted fields can only be compared with an empty string.")
        return super().get_prep_lookup()


class EncryptedTextField(models.TextField):
    """Text stored as SM4-GCM ciphertext when DUBAN_SM4_KEYS is set, and as plain text otherwise.

    In Python the value is always the plain text; the database and serialised dumps (``duban backup``,
    ``dumpdata``) hold the stored form, so a backup never contains these values in clear. Searching and
    ordering by the field are impossible by design; only ``isnull`` and ``=""`` lookups are allowed.
    ``max_length`` is checked in forms only (the ciphertext is longer than the text).
    """

    description = _("Text (encrypted with SM4 when keys are configured)")

    def from_db_value(self, value: str | None, expression: Any, connection: Any) -> str | None:
        return None if value is None else crypto.decrypt(value)

    def to_python(self, value: Any) -> str | None:
        """Deserialised dumps carry the stored form; turn it back into plain text. (Text that merely starts
        like a stored value, e.g. typed into a form, is left alone unless it is a well-formed one.)"""
        value = super().to_python(value)
        if isinstance(value, str) and (crypto.is_encrypted(value) or value.startswith(crypto.PLAIN_PREFIX)):
            try:
                return crypto.decrypt(value)
            except crypto.CryptoError as exc:
                raise ValidationError(str(exc), code="invalid") from exc
        return value

    def get_prep_value(self, value: Any) -> str | None:
        value = models.Field.get_prep_value(self, value)  # not TextField's: its to_python would decrypt
        return None if value is None else crypto.encrypt(value if isinstance(value, str) else str(value))

    def value_to_string(self, obj: models.Model) -> str | None:  # type: ignore[override]  # None stays None
        value = self.value_from_object(obj)
        return None if value is None else crypto.encrypt(str(value))

    def get_lookup(self, lookup_name: str) -> type[lookups.Lookup] | None:
        if lookup_name == "isnull":
            return super().get_lookup(lookup_name)
        if lookup_name == "exact":
            return _BlankExact
        return None

    def formfield(self, **kwargs: Any) -> forms.Field | None:
        """A one-line input for short values such as phone numbers (max_length set), a textarea otherwise."""
        if self.max_length and not self.choices:
            kwargs.setdefault("widget", forms.TextInput)
        return super().formfield(**kwargs)
