"""The supervision office this installation serves. Every page, letter and document that names the office takes
the name from here, so a new office sees its own name from the first day (``duban setup`` or the first-run page)."""
from __future__ import annotations

import time
from typing import Any

from asgiref.local import Local
from django.conf import settings
from django.core.signals import request_started
from django.db import transaction
from django.utils.translation import gettext as _

from duban.core import audit
from duban.core.actions import Action
from duban.core.errors import ActionRefused
from duban.core.models import DEFAULT_DEADLINE_DAYS, Office
from duban.core.versioned import save_versioned
from duban.supervision import schedule


def current_office() -> Office:
    """The office row, or an unsaved placeholder before set-up (documents then read 督查室)."""
    office = Office.objects.filter(pk=1).first() or Office(name="督查室", authority="人民政府办公室")
    _remember_vocabulary(office)
    return office


def office_exists() -> bool:
    return Office.objects.filter(pk=1).exists()


def authority_for(name: str) -> str:
    """The usual issuing authority of an office: 东湖区人民政府督查室 → 东湖区人民政府办公室 (the office sits in
    the government's general office); a name that already says 办公室…督查室 drops 督查室."""
    base = name.removesuffix("督查室").removesuffix("督查处").removesuffix("督查局")
    if base.endswith(("办公室", "办公厅")) or not base:
        return base or name
    return f"{base}办公{'厅' if base.endswith('省人民政府') else '室'}"


OFFICE_FIELDS = ("name", "authority", "level", "letter_prefix", "document_prefix")


@transaction.atomic
def save_office(actor: Any, *, version: int | None = None, **fields: Any) -> Office:
    """Record the office (first set-up) or change its details. An edit carries the ``version`` it was loaded
    at and is refused when someone saved in between."""
    fields = {k: (v.strip() if isinstance(v, str) else v) for k, v in fields.items()}
    if fields.get("name") and not fields.get("authority"):
        fields["authority"] = authority_for(fields["name"])
    office = Office.objects.select_for_update().filter(pk=1).first()
    if office is None:
        office = Office.objects.create(pk=1, **fields)
        audit.record(actor, Action.OFFICE_SETUP, office, summary=office.name,
                     after=audit.snapshot(office, OFFICE_FIELDS))
        return office
    return _save_settings(actor, Action.OFFICE_UPDATE, version, fields)


@transaction.atomic
def _save_settings(actor: Any, action: Action, version: int | None, fields: dict[str, Any]) -> Office:
    """Change some of the office's details or settings, refused (not overwritten) when someone saved in
    between; logs only what changed. The office is set up first (first-run page or ``duban setup``)."""
    office = Office.objects.select_for_update().filter(pk=1).first()
    if office is None:
        raise ActionRefused(_("Set up the office first."))
    if version is not None and version != office.version:
        raise ActionRefused(_("The office's details were changed by someone else meanwhile; please check them and save again."))
    before = audit.snapshot(office, fields)
    for name, value in fields.items():
        setattr(office, name, value)
    old, new = save_versioned(office, before, fields)
    forget_status_vocabulary()
    if new:
        audit.record(actor, action, office, summary=office.name, before=old, after=new)
    return office


@transaction.atomic
def save_deadlines(actor: Any, *, version: int | None, days: dict[str, int]) -> Office:
    """The default deadline, in working days, of each kind of source (and of urgent matters)."""
    if any(not isinstance(n, int) or not 1 <= n <= 365 for n in days.values()):
        raise ActionRefused(_("A default deadline is between 1 and 365 working days."))
    unknown = set(days) - set(DEFAULT_DEADLINE_DAYS)
    if unknown:
        raise ActionRefused(_("Unknown kind of source."))
    return _save_settings(actor, Action.SETTINGS_DEADLINES, version, {"deadline_days": dict(sorted(days.items()))})


@transaction.atomic
def save_status_vocabulary(actor: Any, *, version: int | None, vocabulary: str) -> Office:
    """The family of status words pages, ledgers and reports use (one of schedule.VOCABULARIES)."""
    if vocabulary not in schedule.VOCABULARIES:
        raise ActionRefused(_("Unknown set of status words."))
    return _save_settings(actor, Action.SETTINGS_VOCABULARY, version, {"status_vocabulary": vocabulary})


# The office's status words are read for every task on a page: one query per request (or per half minute in a
# job), not one per row. A request starts with a fresh look, so a change shows on the next page everywhere.
VOCABULARY_TTL = 30.0
_memo = Local()


def _remember_vocabulary(office: Office) -> None:
    _memo.value = (office.status_vocabulary or "", time.monotonic())


def forget_status_vocabulary(**_kwargs: Any) -> None:
    _memo.value = None


request_started.connect(forget_status_vocabulary, dispatch_uid="duban.core.office.vocabulary")


def status_vocabulary() -> str:
    """The office's status words (Office.status_vocabulary); DUBAN_STATUS_VOCABULARY while it has chosen none."""
    memo = getattr(_memo, "value", None)
    if memo is None or time.monotonic() - memo[1] > VOCABULARY_TTL:
        chosen = Office.objects.filter(pk=1).values_list("status_vocabulary", flat=True).first() or ""
        memo = _memo.value = (chosen, time.monotonic())
    return memo[0] or settings.DUBAN_STATUS_VOCABULARY
