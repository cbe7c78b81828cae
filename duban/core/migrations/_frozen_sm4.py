"""A frozen copy of ``duban.core.crypto`` (SM4-GCM values, ``DUBAN_SM4_KEYS``) as it was when the migrations that
made fields encrypted were written (people 0003, tasks 0002). Never edit it: those migrations must compute what
they computed then, whatever the live code becomes. The leading underscore keeps Django's migration loader off it.
"""
from __future__ import annotations

import base64
import binascii
import functools
import os
import re
import secrets

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import connections, router, transaction

# ---- frozen copy of duban.core.crypto (SM4-GCM values, DUBAN_SM4_KEYS) as it was when this migration was
# written; the stored form ``sm4:v{key_id}:{base64(nonce ‖ ciphertext ‖ tag)}`` is what the live code reads.
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
    configured = getattr(settings, "DUBAN_SM4_KEYS", None)
    return os.environ.get("DUBAN_SM4_KEYS", "") if configured is None else configured


@functools.lru_cache(maxsize=8)
def _parse_keys(spec: str) -> tuple[tuple[str, bytes], ...]:
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


def _keys() -> tuple[tuple[str, bytes], ...]:
    return _parse_keys(_setting())


def _current_key_id() -> str | None:
    configured = _keys()
    return configured[0][0] if configured else None


def _cipher(key: bytes, nonce: bytes, tag: bytes | None = None):  # noqa: ANN202
    from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes

    return Cipher(algorithms.SM4(key), modes.GCM(nonce, tag))


def _header(key_id: str) -> str:
    return f"{PREFIX}v{key_id}:"


def _is_encrypted(value: object) -> bool:
    return isinstance(value, str) and _STORED.fullmatch(value) is not None


def _encrypt(text: str) -> str:
    if text == "":
        return ""
    configured = _keys()
    if not configured:
        return PLAIN_PREFIX + text if text.startswith(PREFIX) else text
    key_id, key = configured[0]
    header = _header(key_id)
    nonce = secrets.token_bytes(NONCE_BYTES)
    encryptor = _cipher(key, nonce).encryptor()
    encryptor.authenticate_additional_data(header.encode("ascii"))
    body = encryptor.update(text.encode("utf-8")) + encryptor.finalize()
    return header + base64.b64encode(nonce + body + encryptor.tag).decode("ascii")


def _decrypt(value: str) -> str:
    if not value.startswith(PREFIX):
        return value
    if value.startswith(PLAIN_PREFIX):
        return value[len(PLAIN_PREFIX):]
    match = _STORED.fullmatch(value)
    if match is None:
        raise CryptoError("not a valid sm4 value")
    key_id = match["id"]
    key = dict(_keys()).get(key_id)
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


def _key_id_of(value: str) -> str | None:
    match = _STORED.fullmatch(value)
    return match["id"] if match else None


def _reencrypt(value: str) -> str:
    if _is_encrypted(value) and _key_id_of(value) == _current_key_id():
        return value
    return _encrypt(_decrypt(value))


def reencrypt_column(model, field_name: str, *, batch_size: int = 500) -> int:  # noqa: ANN001
    """Bring every stored value of ``model.field_name`` to the current key (or to plain text when encryption
    is off); the number of rows changed. Reads the raw column, so it is cheap to re-run after interruption."""
    field = model._meta.get_field(field_name)
    alias = router.db_for_write(model)
    connection = connections[alias]
    table, column, pk = (connection.ops.quote_name(n) for n in
                         (model._meta.db_table, field.column, model._meta.pk.column))
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
                new = _reencrypt(raw)
                if new != raw:
                    cursor.execute(f"UPDATE {table} SET {column} = %s WHERE {pk} = %s AND {column} = %s",
                                   [new, row_pk, raw])
                    changed += cursor.rowcount
        if len(rows) < batch_size:
            return changed
        last = rows[-1][0]
# ---- end of the frozen copy
