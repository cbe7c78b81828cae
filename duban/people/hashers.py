"""A password hasher on SM3 (密评, GB/T 39786-2021: SM3 for authentication), for ``DUBAN_GM=1``.

PBKDF2 (RFC 8018) with HMAC-SM3, the same construction as Django's default hasher with SM3 as the hash. SM3
itself is OpenSSL's, reached through ``hashlib``; nothing here implements the hash. Putting this hasher first
in PASSWORD_HASHERS makes new passwords SM3-based and upgrades the older hashes at each user's next login
(Django's standard behaviour); keeping it later in the list lets SM3 hashes still verify if GM is switched
off.
"""
from __future__ import annotations

import base64
import hashlib
import hmac
from typing import Any

from django.conf import settings
from django.contrib.auth.hashers import PBKDF2PasswordHasher

# About the time Django's PBKDF2-SHA256 default takes: OpenSSL's SM3 is roughly half as fast as its SHA-256.
DEFAULT_ITERATIONS = 600_000


def _sm3(data: bytes = b"") -> Any:  # noqa: ANN401 (a hashlib object)
    return hashlib.new("sm3", data)


def _pbkdf2_python(password: bytes, salt: bytes, iterations: int, dklen: int) -> bytes:
    """RFC 8018 PBKDF2 over the standard library's HMAC with OpenSSL's SM3, for Pythons whose
    ``hashlib.pbkdf2_hmac`` does not accept "sm3"."""
    prf = hmac.new(password, digestmod="sm3")
    size = prf.digest_size
    out = b""
    block = 1
    while len(out) < dklen:
        mac = prf.copy()
        mac.update(salt + block.to_bytes(4, "big"))
        u = mac.digest()
        acc = int.from_bytes(u, "big")
        for _ in range(iterations - 1):
            mac = prf.copy()
            mac.update(u)
            u = mac.digest()
            acc ^= int.from_bytes(u, "big")
        out += acc.to_bytes(size, "big")
        block += 1
    return out[:dklen]


def pbkdf2_sm3(password: str | bytes, salt: str | bytes, iterations: int, dklen: int = 32) -> bytes:
    password = password.encode("utf-8") if isinstance(password, str) else password
    salt = salt.encode("utf-8") if isinstance(salt, str) else salt
    try:
        return hashlib.pbkdf2_hmac("sm3", password, salt, iterations, dklen)
    except ValueError:  # this OpenSSL/Python offers SM3 to hashlib.new and hmac but not to pbkdf2_hmac
        return _pbkdf2_python(password, salt, iterations, dklen)


class SM3PBKDF2PasswordHasher(PBKDF2PasswordHasher):
    """``pbkdf2_sm3$<iterations>$<salt>$<base64 hash>``; iterations from DUBAN_SM3_ITERATIONS.

    decode, verify, safe_summary, must_update (fewer iterations than configured) and harden_runtime come from
    Django's PBKDF2 hasher and work unchanged on this encoding."""

    algorithm = "pbkdf2_sm3"
    digest = _sm3

    @property
    def iterations(self) -> int:  # type: ignore[override]
        return int(getattr(settings, "DUBAN_SM3_ITERATIONS", DEFAULT_ITERATIONS))

    def encode(self, password: str, salt: str, iterations: int | None = None) -> str:
        self._check_encode_args(password, salt)
        iterations = iterations or self.iterations
        digest = base64.b64encode(pbkdf2_sm3(password, salt, iterations)).decode("ascii").strip()
        return f"{self.algorithm}${iterations}${salt}${digest}"
