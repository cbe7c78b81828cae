"""Every write to notifications, preferences and robots goes through here; each one writes the activity log.

``notify`` is idempotent by key through unique constraints (one Notification per recipient and key, one
Delivery per key, channel and target), so a job that runs twice, or two jobs racing, queue nothing twice.
"""
from __future__ import annotations

import hashlib
from collections.abc import Iterable, Sequence
from typing import Any

from django.db import models, transaction
from django.db.models import Q
from django.http import Http404
from django.utils import timezone

from duban.core import audit
from duban.core.actions import Action
from duban.notify.models import Channel, Delivery, GroupRobot, Kind, Notification, Preference
from duban.people.access import MANAGERS
from duban.people.models import User


def dedupe_key(key: str, channel: str, target: str) -> str:
    return hashlib.sha256(f"{key}\x1f{channel}\x1f{target}".encode()).hexdigest()


def _check_link(link: str) -> str:
    # Only paths on this site: an inbox must not become a way to send people elsewhere.
    if link and (not link.startswith("/") or link.startswith("//") or "\\" in link):
        raise ValueError(f"link must be a path on this site, not {link!r}")
    return link


def email_wanted(user: User, preference: Preference | None) -> bool:
    return bool(user.email) and (preference is None or preference.email)


@transaction.atomic
def notify(
    recipients: Iterable[User],
    *,
    kind: str,
    title: str,
    body: str = "",
    link: str = "",
    obj: models.Model | None = None,
    key: str,
    actor: Any = None,
    robots: bool = True,
) -> list[Notification]:
    """Put a message in each recipient's inbox and queue the emails and group-robot posts it calls for.

    ``key`` names the occasion (e.g. ``"reminder:task:12:2026-03-01"``); a second call with the same key
    creates nothing for recipients who already have it. ``robots`` also posts once to the group robots of the
    recipients' units (and to the office's robot when a supervisor or admin is among them). Returns the
    notifications created by this call.
    """
    if not key:
        raise ValueError("notify() needs a key")
    if kind not in Kind.values:
        raise ValueError(f"unknown kind {kind!r}")
    _check_link(link)
    people = {u.pk: u for u in recipients if u.is_active}
    if not people:
        return []
    existing = set(Notification.objects.filter(key=key, recipient_id__in=people)
                   .values_list("recipient_id", flat=True))
    fresh = [pk for pk in people if pk not in existing]
    if not fresh:
        return []
    now = timezone.now()
    related = (obj._meta.label_lower, str(obj.pk)) if obj is not None else ("", "")
    Notification.objects.bulk_create([
        Notification(recipient_id=pk, kind=kind, title=title[:200], body=body, link=link,
                     object_type=related[0], object_id=related[1], key=key, created_at=now)
        for pk in fresh
    ], ignore_conflicts=True)  # a concurrent call may have won some rows: the constraint decides
    created = list(Notification.objects.filter(key=key, recipient_id__in=fresh, created_at=now)
                   .order_by("recipient_id"))
    if not created:
        return []
    deliveries = _deliveries(created, people, key, now, robots)
    Delivery.objects.bulk_create(deliveries, ignore_conflicts=True)
    audit.record(actor, Action.NOTIFY_SEND, created[0], summary=title, after={
        "key": key, "kind": kind, "object": "#".join(related) if obj is not None else None,
        "recipients": [n.recipient_id for n in created],
        "deliveries": sorted(f"{d.channel}:{d.robot_id or d.target}" for d in deliveries),
    })
    return created


def _deliveries(created: Sequence[Notification], people: dict[int, User], key: str, now: Any,
                robots: bool) -> list[Delivery]:
    prefs = {p.user_id: p for p in Preference.objects.filter(user_id__in=[n.recipient_id for n in created])}
    rows: dict[str, Delivery] = {}

    def add(note: Notification, channel: str, target: str, robot: GroupRobot | None = None) -> None:
        dk = dedupe_key(key, channel, target)
        rows.setdefault(dk, Delivery(notification=note, channel=channel, target=target, robot=robot,
                                     dedupe_key=dk, next_attempt_at=now, created_at=now))

    first_by_unit: dict[int, Notification] = {}
    office: Notification | None = None
    for note in created:
        user = people[note.recipient_id]
        if email_wanted(user, prefs.get(user.pk)):
            add(note, Channel.EMAIL, user.email.strip().lower())
        if user.is_unit_staff and user.unit_id:
            first_by_unit.setdefault(user.unit_id, note)
        elif user.role in MANAGERS and office is None:
            office = note
    if robots and (first_by_unit or office):
        scope = Q(unit_id__in=list(first_by_unit)) | (Q(unit__isnull=True) if office else Q(pk__in=[]))
        for robot in GroupRobot.objects.filter(scope, active=True).order_by("pk"):
            note = first_by_unit[robot.unit_id] if robot.unit_id else office
            add(note, robot.channel, robot.url, robot)
    return list(rows.values())


def mine(user: User) -> models.QuerySet[Notification]:
    """The notifications ``user`` may see: only their own."""
    if not user.is_authenticated:
        return Notification.objects.none()
    return Notification.objects.filter(recipient_id=user.pk)


def notification_for(user: User, notification_id: int) -> Notification:
    """The user's own notification; 404 for anyone else's, so ids reveal nothing."""
    try:
        return mine(user).get(pk=notification_id)
    except Notification.DoesNotExist:
        raise Http404 from None


@transaction.atomic
def mark_read(user: User, notification_id: int) -> Notification:
    note = notification_for(user, notification_id)
    if note.read_at is None:
        now = timezone.now()
        if Notification.objects.filter(pk=note.pk, read_at__isnull=True).update(read_at=now):
            note.read_at = now
            audit.record(user, Action.NOTIFY_READ, note, summary=note.title)
    return note


@transaction.atomic
def mark_all_read(user: User) -> int:
    count = mine(user).filter(read_at__isnull=True).update(read_at=timezone.now())
    if count:
        audit.record(user, Action.NOTIFY_READ_ALL, user, summary=str(count), after={"count": count})
    return count


def preference_for(user: User) -> Preference:
    """The user's saved choices, or the defaults (unsaved) if they never chose."""
    return Preference.objects.filter(user_id=user.pk).first() or Preference(user=user, email=bool(user.email))


@transaction.atomic
def set_preferences(user: User, *, email: bool) -> Preference:
    pref = preference_for(user)
    before = {"email": pref.email} if pref.updated_at else None
    pref.email = email
    pref.save()
    audit.record(user, Action.NOTIFY_PREFERENCES, pref, summary=str(user), before=before, after={"email": email})
    return pref


@transaction.atomic
def save_robot(actor: Any, robot: GroupRobot, *, created: bool) -> GroupRobot:
    """Create or change a group robot (from the admin). The secret and the URL's key are never logged."""
    fields = ("name", "channel", "unit", "active")
    before = None if created else audit.snapshot(GroupRobot.objects.get(pk=robot.pk), fields)
    robot.save()
    after = audit.snapshot(robot, fields)
    if before is not None:
        before, after = audit.changed(before, after)
    audit.record(actor, Action.NOTIFY_ROBOT, robot, summary=robot.name, before=before, after=after)
    return robot


@transaction.atomic
def requeue(actor: Any, delivery_ids: Iterable[int]) -> int:
    """Give failed deliveries a fresh set of attempts (e.g. after a robot's address was corrected)."""
    ids = list(Delivery.objects.filter(pk__in=list(delivery_ids), state=Delivery.State.FAILED)
               .values_list("pk", flat=True))
    count = Delivery.objects.filter(pk__in=ids, state=Delivery.State.FAILED).update(
        state=Delivery.State.PENDING, attempts=0, next_attempt_at=timezone.now(), claimed_by="",
        claimed_at=None)
    for delivery in Delivery.objects.filter(pk__in=ids):
        audit.record(actor, Action.NOTIFY_REQUEUE, delivery, summary=str(delivery.pk))
    return count
