"""SM4 encryption of designated sensitive values (密评, GB/T 39786-2021: SM4 for important stored data).

The cipher is OpenSSL's SM4 in GCM mode through the maintained ``cryptography`` package, never a hand-written
one. GCM authenticates as well as encrypts, so a changed byte or a value moved under another key id is refused
rather than decrypted into garbage.

Stored form: ``sm4:v{key_id}:{base64(nonce ‖ ciphertext ‖ tag)}`` with a fresh 96-bit nonce per value and the
``sm4:v{key_id}:`` prefix as associated data. Keys come from ``DUBAN_SM4_KEYS`` (``id:hexkey,id:hexkey``; the
first is current, the others only decrypt, which is how keys are rotated). With no key configured (the default
install) values are stored as plain text; a plain value that itself starts with ``sm4:`` is stored as
``sm4:plain:…`` so that it can never be mistaken for a ciphertext.
"""
from __future__ import annotations

import base64
import binascii
import functools
import hashlib
import os
import re
import secrets
from typing import TYPE_CHECKING, Any

from django.core import checks
from django.core.exceptions import ImproperlyConfigured

if TYPE_CHECKING:
    from django.db import models

PREFIX = "sm4:"
PLAIN_PREFIX = "sm4:plain:"
NONCE_BYTES = 12
TAG_BYTES = 16
KEY_BYTES = 16
_KEY_ID = re.compile(r"[A-Za-z0-9_-]{1,16}")
_STORED = re.compile(r"sm4:v(?P<id>[A-Za-z0-9_-]{1,16}):(?P<data>[A-Za-z0-9+/]+={0,2})")


class CryptoError(ValueError):
    """A stored value that cannot be decrypted: tampered with, truncated, or under a key not configured."""


def _setting() -> str:
    from django.conf import settings

    configured = getattr(settings, "DUBAN_SM4_KEYS", None)
    return os.environ.get("DUBAN_SM4_KEYS", "") if configured is None else configured


@functools.lru_cache(maxsize=8)
def parse_keys(spec: str) -> tuple[tuple[str, bytes], ...]:
    """``"2:00ff…,1:ab12…"`` → ((id, key), …), current first. Cached per setting value (tests override it)."""
    keys: list[tuple[str, bytes]] = []
    for item in (part.strip() for part in spec.split(",")):
        if not item:
            continue
        key_id, sep, hexkey = item.partition(":")
        key_id = key_id.strip()
        if not sep or not _KEY_ID.fullmatch(key_id) or key_id == "plain":
            raise ImproperlyConfigured(f"DUBAN_SM4_KEYS: bad key id {key_id!r} (letters, digits, - or _)")
        try:
            key = bytes.fromhex(hexkey.strip())
        except ValueError:
            raise ImproperlyConfigured(f"DUBAN_SM4_KEYS: key {key_id} is not hexadecimal") from None
        if len(key) != KEY_BYTES:
            raise ImproperlyConfigured(
                f"DUBAN_SM4_KEYS: key {key_id} must be {KEY_BYTES * 2} hex digits (128 bits)")
        if any(key_id == known for known, _ in keys):
            raise ImproperlyConfigured(f"DUBAN_SM4_KEYS: key id {key_id} appears twice")
        keys.append((key_id, key))
    return tuple(keys)


def keys() -> tuple[tuple[str, bytes], ...]:
    return parse_keys(_setting())


def current_key_id() -> str | None:
    """The id new values are encrypted under; None when encryption is off."""
    configured = keys()
    return configured[0][0] if configured else None


def generate_key() -> str:
    """A new random key in the hex form DUBAN_SM4_KEYS expects."""
    return secrets.token_hex(KEY_BYTES)


def _cipher(key: bytes, nonce: bytes, tag: bytes | None = None):  # noqa: ANN202
    from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes

    return Cipher(algorithms.SM4(key), modes.GCM(nonce, tag))


def _header(key_id: str) -> str:
    return f"{PREFIX}v{key_id}:"


def is_encrypted(value: object) -> bool:
    """Whether ``value`` is in the stored ciphertext form (not whether it would decrypt)."""
    return isinstance(value, str) and _STORED.fullmatch(value) is not None


def encrypt(text: str) -> str:
    """The stored form of ``text``: SM4-GCM under the current key, or ``text`` itself when no key is set."""
    if text == "":
        return ""  # emptiness is visible anyway; keeping "" lets `field=""` filters and blank checks work
    configured = keys()
    if not configured:
        return PLAIN_PREFIX + text if text.startswith(PREFIX) else text
    key_id, key = configured[0]
    header = _header(key_id)
    nonce = secrets.token_bytes(NONCE_BYTES)
    encryptor = _cipher(key, nonce).encryptor()
    encryptor.authenticate_additional_data(header.encode("ascii"))
    body = encryptor.update(text.encode("utf-8")) + encryptor.finalize()
    return header + base64.b64encode(nonce + body + encryptor.tag).decode("ascii")


def decrypt(value: str) -> str:
    """The plain text of a stored value. Plain values (the default install, data from before encryption was
    switched on) pass through; a ciphertext that does not authenticate raises :class:`CryptoError`."""
    if not value.startswith(PREFIX):
        return value
    if value.startswith(PLAIN_PREFIX):
        return value[len(PLAIN_PREFIX):]
    match = _STORED.fullmatch(value)
    if match is None:
        raise CryptoError("not a valid sm4 value")
    key_id = match["id"]
    key = dict(keys()).get(key_id)
    if key is None:
        raise CryptoError(f"sm4 key {key_id} is not configured (DUBAN_SM4_KEYS)")
    try:
        raw = base64.b64decode(match["data"], validate=True)
    except binascii.Error:
        raise CryptoError("not a valid sm4 value") from None
    if len(raw) < NONCE_BYTES + TAG_BYTES:
        raise CryptoError("sm4 value is truncated")
    nonce, body, tag = raw[:NONCE_BYTES], raw[NONCE_BYTES:-TAG_BYTES], raw[-TAG_BYTES:]
    from cryptography.exceptions import InvalidTag

    decryptor = _cipher(key, nonce, tag).decryptor()
    decryptor.authenticate_additional_data(_header(key_id).encode("ascii"))
    try:
        plain = decryptor.update(body) + decryptor.finalize()
    except InvalidTag:
        raise CryptoError(f"sm4 value does not authenticate under key {key_id} (changed, or wrong key)") \
            from None
    return plain.decode("utf-8")


def key_id_of(value: str) -> str | None:
    match = _STORED.fullmatch(value)
    return match["id"] if match else None


def reencrypt(value: str) -> str:
    """``value`` in its stored form under the current key (plain text when encryption is off). Values already
    under the current key are returned unchanged, so a rotation can be re-run safely."""
    if is_encrypted(value) and key_id_of(value) == current_key_id():
        return value
    return encrypt(decrypt(value))


def reencrypt_column(model: type[models.Model], field_name: str, *, batch_size: int = 500) -> int:
    """Bring every stored value of ``model.field_name`` to the current key (or to plain text when encryption
    is off); the number of rows changed. Reads the raw column, so it is cheap to re-run after interruption."""
    from django.db import connections, models, router, transaction

    field = model._meta.get_field(field_name)
    key = model._meta.pk
    assert isinstance(field, models.Field) and field.column and key and key.column  # concrete columns
    alias = router.db_for_write(model)
    connection = connections[alias]
    table, column, pk = (connection.ops.quote_name(n) for n in (model._meta.db_table, field.column, key.column))
    changed = 0
    last = None
    while True:
        with transaction.atomic(using=alias), connection.cursor() as cursor:
            where = f"WHERE {pk} > %s " if last is not None else ""
            cursor.execute(f"SELECT {pk}, {column} FROM {table} {where}ORDER BY {pk} LIMIT %s",
                           [last, batch_size] if last is not None else [batch_size])
            rows = cursor.fetchall()
            for row_pk, raw in rows:
                if raw is None:
                    continue
                new = reencrypt(raw)
                if new != raw:
                    cursor.execute(f"UPDATE {table} SET {column} = %s WHERE {pk} = %s AND {column} = %s",
                                   [new, row_pk, raw])
                    changed += cursor.rowcount
        if len(rows) < batch_size:
            return changed
        last = rows[-1][0]


def check_configuration(app_configs: Any = None, **kwargs: Any) -> list[checks.CheckMessage]:
    """System check (`duban check`, and at every start): a bad DUBAN_SM4_KEYS or a missing SM3/SM4 is found
    when the server starts, not at the first save of an encrypted field."""
    from django.conf import settings

    messages: list[checks.CheckMessage] = []
    gm = bool(getattr(settings, "DUBAN_GM", False))
    if gm:
        try:
            hashlib.new("sm3")
        except ValueError:
            messages.append(checks.Error("DUBAN_GM=1 but this Python's OpenSSL has no SM3.", id="duban.E101"))
    try:
        configured = keys()
    except ImproperlyConfigured as exc:
        return [*messages, checks.Error(str(exc), id="duban.E102")]
    if configured:
        try:
            if decrypt(encrypt("督办")) != "督办":
                raise CryptoError("round trip failed")
        except Exception as exc:  # noqa: BLE001 (any failure here means encryption cannot work)
            messages.append(checks.Error(f"SM4-GCM is not available: {exc}", id="duban.E103",
                                         hint="Install cryptography>=42 (OpenSSL with SM4)."))
    elif gm:
        messages.append(checks.Warning(
            "DUBAN_GM=1 but DUBAN_SM4_KEYS is empty: designated fields are stored in plain text.",
            hint="Generate a key with `duban shell -c \"from duban.core.crypto import generate_key; "
                 "print(generate_key())\"` and set DUBAN_SM4_KEYS=1:<key> (docs/security.md).",
            id="duban.W101"))
    return messages
