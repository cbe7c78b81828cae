"""The outbox worker's one pass: release stale claims, claim due deliveries, send, record the outcome.

Safe to run from several processes at once. A claim is a conditional UPDATE (only rows still pending and due
change hands), and each worker then re-reads the rows carrying its own claim token, so no two workers ever
hold the same delivery. Every write is a single statement outside any transaction, so no lock is held while a
message is on the wire, and a worker killed at any point leaves rows that the next pass picks up again.

Delivery is at least once: a worker that dies after the channel accepted a message but before recording it
leaves a claim that is released and sent again. Channels time out well inside ``STALE_CLAIM``, and a pass
stops and hands back its unsent rows once half of it has gone by, so a live worker's claim is never taken.
"""
from __future__ import annotations

import datetime as dt
import logging
import secrets
import time

from django.conf import settings
from django.db.models import F
from django.utils import translation
from django.utils.translation import gettext

from duban.core import audit
from duban.core.actions import Action
from duban.notify import channels
from duban.notify.models import Channel, Delivery

log = logging.getLogger(__name__)

# Wait after the 1st, 2nd, … failed attempt; after the last one the delivery is given up.
BACKOFF = (dt.timedelta(minutes=1), dt.timedelta(minutes=5), dt.timedelta(minutes=30), dt.timedelta(hours=2),
           dt.timedelta(hours=12))
MAX_ATTEMPTS = len(BACKOFF) + 1
STALE_CLAIM = dt.timedelta(minutes=10)

State = Delivery.State


def release_stale(now: dt.datetime) -> int:
    """Hand back claims older than STALE_CLAIM (their worker died): due again at once, nothing lost."""
    return Delivery.objects.filter(state=State.SENDING, claimed_at__lt=now - STALE_CLAIM).update(
        state=State.PENDING, claimed_by="", claimed_at=None, next_attempt_at=now)


def candidates(now: dt.datetime, batch: int) -> list[int]:
    return list(Delivery.objects.filter(state=State.PENDING, next_attempt_at__lte=now)
                .order_by("next_attempt_at", "id").values_list("id", flat=True)[:batch])


def take(ids: list[int], now: dt.datetime, worker_id: str) -> list[Delivery]:
    """Claim what is still pending among ``ids``; returns only the rows this call actually got."""
    if not ids:
        return []
    token = f"{worker_id[:90]}#{secrets.token_hex(4)}"  # unique even if two workers share an id and a clock
    Delivery.objects.filter(id__in=ids, state=State.PENDING, next_attempt_at__lte=now).update(
        state=State.SENDING, claimed_by=token, claimed_at=now, attempts=F("attempts") + 1)
    return list(Delivery.objects.filter(id__in=ids, state=State.SENDING, claimed_by=token)
                .select_related("notification", "robot").order_by("id"))


def claim(now: dt.datetime, worker_id: str, batch: int = 50) -> list[Delivery]:
    return take(candidates(now, batch), now, worker_id)


def deliver_due(now: dt.datetime, worker_id: str, batch: int = 50) -> int:
    """One pass of the worker; returns how many deliveries were sent. Call it in a loop (e.g. every few
    seconds); ``worker_id`` should name the process (host:pid)."""
    release_stale(now)
    started = time.monotonic()
    claimed = claim(now, worker_id, batch)
    sent = 0
    for i, delivery in enumerate(claimed):
        if time.monotonic() - started > STALE_CLAIM.total_seconds() / 2:
            _hand_back(claimed[i:], now)
            break
        error = _send(delivery)
        if error is None:
            sent += _mark_sent(delivery, now)
        else:
            _mark_failed(delivery, now, error)
    return sent


def _mine(delivery: Delivery):  # noqa: ANN202
    # Writes only while the claim is still ours; a row handed to another worker is left alone.
    return Delivery.objects.filter(pk=delivery.pk, state=State.SENDING, claimed_by=delivery.claimed_by)


def _mark_sent(delivery: Delivery, now: dt.datetime) -> int:
    return _mine(delivery).update(state=State.SENT, sent_at=now, last_error="", claimed_by="",
                                  claimed_at=None)


def _mark_failed(delivery: Delivery, now: dt.datetime, error: str) -> None:
    log.warning("delivery %s (%s) attempt %s failed: %s", delivery.pk, delivery.channel, delivery.attempts,
                error)
    if delivery.attempts >= MAX_ATTEMPTS:
        given_up = _mine(delivery).update(state=State.FAILED, last_error=error[:2000], claimed_by="",
                                          claimed_at=None)
        if given_up:
            audit.record(None, Action.NOTIFY_FAILED, delivery, summary=f"{delivery} {error}"[:500],
                         after={"attempts": delivery.attempts, "error": error[:500]})
        return
    _mine(delivery).update(state=State.PENDING, last_error=error[:2000], claimed_by="", claimed_at=None,
                           next_attempt_at=now + BACKOFF[delivery.attempts - 1])


def _hand_back(rows: list[Delivery], now: dt.datetime) -> None:
    for delivery in rows:  # not attempted: the attempt taken at claim time is given back
        _mine(delivery).update(state=State.PENDING, claimed_by="", claimed_at=None, next_attempt_at=now,
                               attempts=F("attempts") - 1)


def _send(delivery: Delivery) -> str | None:
    """Send one delivery; the error text, or None on success."""
    note = delivery.notification
    with translation.override(settings.LANGUAGE_CODE):
        message = channels.Message(note.title, note.body, channels.site_url(note.link))
        link_text = gettext("View details")
    try:
        if delivery.channel == Channel.EMAIL:
            channels.send_email(delivery.target, message)
            return None
        robot = delivery.robot
        if robot is None or not robot.active:
            return "the group robot was removed or deactivated"
        if delivery.channel == Channel.WECOM:
            channels.send_wecom(robot.url, message, link_text)
        elif delivery.channel == Channel.DINGTALK:
            channels.send_dingtalk(robot.url, robot.secret, message, link_text)
        else:
            return f"unknown channel {delivery.channel!r}"
    except channels.SendError as exc:
        return str(exc)
    except Exception as exc:  # noqa: BLE001 — one bad message must not stop the pass
        log.exception("delivery %s crashed its channel", delivery.pk)
        return f"{type(exc).__name__}: {exc}"
    return None
