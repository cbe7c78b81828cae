"""Sending one message on one channel: email (SMTP via Django), 企业微信 and 钉钉 group robots (webhooks).

Each sender returns on success and raises :class:`SendError` otherwise; the outbox decides about retries.
Webhooks use urllib with a timeout (no extra dependency; honours the usual proxy environment variables, which
intranet servers often need to reach the robots' hosts).
"""
from __future__ import annotations

import base64
import hashlib
import hmac
import json
import time
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.mail import get_connection, send_mail

from duban.notify.models import SmtpSettings

TIMEOUT = 10  # seconds, per request; keeps a pass well inside the outbox's stale-claim limit
WECOM_MAX_BYTES = 4096  # 企业微信 rejects markdown content over 4096 bytes
DINGTALK_MAX_BYTES = 18000  # 钉钉 allows about 20,000 bytes


class SendError(Exception):
    """The channel refused or could not be reached; the message may be retried."""


@dataclass(frozen=True)
class Message:
    title: str
    body: str
    url: str = ""  # absolute link to the object, when the site's address is configured


def _clip(text: str, max_bytes: int) -> str:
    data = text.encode("utf-8")
    if len(data) <= max_bytes:
        return text
    return data[: max_bytes - 3].decode("utf-8", errors="ignore") + "…"


def mail_connection() -> tuple[Any, str | None]:
    """The office's mail server (settings → 通知渠道) when it names a host, else the DUBAN_EMAIL_* settings;
    with the sender address to use (None: DEFAULT_FROM_EMAIL)."""
    smtp = SmtpSettings.objects.filter(pk=1, host__gt="").first()
    if smtp is None:
        return get_connection(timeout=TIMEOUT), None
    connection = get_connection("django.core.mail.backends.smtp.EmailBackend", host=smtp.host, port=smtp.port,
                                username=smtp.username, password=smtp.password, use_tls=smtp.use_tls,
                                use_ssl=smtp.use_ssl, timeout=TIMEOUT, fail_silently=False)
    return connection, smtp.from_email or None


def send_email(to: str, message: Message) -> None:
    body = f"{message.body}\n\n{message.url}".strip() if message.url else message.body
    try:
        connection, sender = mail_connection()
        send_mail(message.title, body, sender, [to], connection=connection)
    except Exception as exc:  # SMTP, socket and DNS errors all mean "try again later"
        raise SendError(f"email: {type(exc).__name__}: {exc}") from exc


def markdown(message: Message, link_text: str) -> str:
    parts = [f"**{message.title}**"]
    if message.body:
        parts.append(message.body)
    if message.url:
        parts.append(f"[{link_text}]({message.url})")
    return "\n\n".join(parts)


def wecom_payload(message: Message, link_text: str) -> dict:
    content = _clip(markdown(message, link_text), WECOM_MAX_BYTES)
    return {"msgtype": "markdown", "markdown": {"content": content}}


def dingtalk_payload(message: Message, link_text: str) -> dict:
    return {"msgtype": "markdown", "markdown": {
        "title": message.title, "text": _clip(markdown(message, link_text), DINGTALK_MAX_BYTES)}}


def dingtalk_sign(secret: str, timestamp_ms: int) -> str:
    """钉钉 signing: base64(HMAC-SHA256(key=secret, msg="{timestamp}\\n{secret}")), sent URL-encoded."""
    digest = hmac.new(secret.encode(), f"{timestamp_ms}\n{secret}".encode(), hashlib.sha256).digest()
    return base64.b64encode(digest).decode("ascii")


def dingtalk_url(url: str, secret: str, timestamp_ms: int | None = None) -> str:
    """The webhook URL with ``timestamp`` and ``sign`` appended. The robot rejects timestamps over an hour
    off, so this uses the real clock, not the outbox's notion of now."""
    if not secret:
        return url
    ts = int(time.time() * 1000) if timestamp_ms is None else timestamp_ms
    query = urllib.parse.urlencode({"timestamp": ts, "sign": dingtalk_sign(secret, ts)})
    return f"{url}{'&' if '?' in url else '?'}{query}"


def post_json(url: str, payload: dict) -> None:
    """POST ``payload``; success is HTTP 2xx with ``errcode`` 0 (both robots answer that way)."""
    data = json.dumps(payload, ensure_ascii=False).encode("utf-8")
    request = urllib.request.Request(url, data=data, method="POST",
                                     headers={"Content-Type": "application/json; charset=utf-8"})
    try:
        with urllib.request.build_opener().open(request, timeout=TIMEOUT) as response:
            raw = response.read(65536)
    except urllib.error.HTTPError as exc:
        raise SendError(f"HTTP {exc.code}") from exc
    except (urllib.error.URLError, OSError) as exc:
        raise SendError(f"{type(exc).__name__}: {getattr(exc, 'reason', exc)}") from exc
    try:
        answer = json.loads(raw.decode("utf-8"))
    except ValueError as exc:
        raise SendError(f"not JSON: {raw[:200]!r}") from exc
    code = answer.get("errcode") if isinstance(answer, dict) else None
    if code != 0:
        message = answer.get("errmsg", "") if isinstance(answer, dict) else ""
        raise SendError(f"errcode {code}: {message}"[:500])


def send_wecom(url: str, message: Message, link_text: str) -> None:
    post_json(url, wecom_payload(message, link_text))


def send_dingtalk(url: str, secret: str, message: Message, link_text: str) -> None:
    post_json(dingtalk_url(url, secret), dingtalk_payload(message, link_text))


def site_url(path: str) -> str:
    """``path`` as an absolute address when DUBAN_SITE_URL is set (external messages need one)."""
    base = getattr(settings, "DUBAN_SITE_URL", "").rstrip("/")
    return f"{base}{path}" if base and path else ""
