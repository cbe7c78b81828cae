"""The supervision office this installation serves. Every page, letter and document that names the office takes
the name from here, so a new office sees its own name from the first day (``duban setup`` or the first-run page)."""
from __future__ import annotations

from typing import Any

from django.db import transaction
from django.db.models import F
from django.utils.translation import gettext as _

from duban.core import audit
from duban.core.actions import Action
from duban.core.errors import ActionRefused
from duban.core.models import Office


def current_office() -> Office:
    """The office row, or an unsaved placeholder before set-up (documents then read 督查室)."""
    return Office.objects.filter(pk=1).first() or Office(name="督查室", authority="人民政府办公室")


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
    if version is not None and version != office.version:
        raise ActionRefused(_("The office's details were changed by someone else meanwhile; please check them and save again."))
    before = audit.snapshot(office, OFFICE_FIELDS)
    for name, value in fields.items():
        setattr(office, name, value)
    office.version = F("version") + 1
    office.save()
    office.refresh_from_db()
    old, new = audit.changed(before, audit.snapshot(office, OFFICE_FIELDS))
    if new:
        audit.record(actor, Action.OFFICE_UPDATE, office, summary=office.name, before=old, after=new)
    return office
