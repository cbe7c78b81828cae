"""The office's wording of its documents (settings → 公文模板): one service call per change, refused when the
template was saved by someone else since the editor loaded it, and written to the activity log."""
from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.template import Context, Template, TemplateDoesNotExist, TemplateSyntaxError
from django.utils.translation import gettext as _

from duban.core import audit
from duban.core.actions import Action
from duban.core.errors import ActionRefused
from duban.documents.defaults import DEFAULT_TEMPLATES
from duban.documents.models import DocumentTemplate
from duban.letters.settings import check_template_text

FIELDS = ("header", "number", "title", "addressee", "intro", "closing", "signature", "copy_to", "printed_by")


def template_for(kind: str) -> DocumentTemplate:
    """The saved template of ``kind``, or an unsaved one with the built-in wording."""
    return (DocumentTemplate.objects.filter(kind=kind).first()
            or DocumentTemplate(kind=kind, **DEFAULT_TEMPLATES[kind]))


def loaded_stamp(row: DocumentTemplate) -> str:
    """What the editor loaded: the last save's time ("" before the first save)."""
    return row.updated_at.isoformat() if row.pk and row.updated_at else ""


@transaction.atomic
def save_document_template(actor: Any, kind: str, *, loaded: str, **fields: str) -> DocumentTemplate:
    """New wording for one kind of document; documents made afterwards use it. ``loaded`` is
    :func:`loaded_stamp` of the template the editor showed."""
    if kind not in DEFAULT_TEMPLATES:
        raise ActionRefused(_("Unknown kind of document."))
    if set(fields) - set(FIELDS):
        raise ValueError(f"not template fields: {sorted(set(fields) - set(FIELDS))}")
    fields = {k: (v or "").strip() for k, v in fields.items()}
    if not fields.get("title", "x"):
        raise ActionRefused(_("Enter a title."))
    check_template_text(*fields.values())
    for value in fields.values():
        try:
            Template(value).render(Context({}))
        except (TemplateSyntaxError, TemplateDoesNotExist, ValueError, TypeError, AttributeError) as exc:
            raise ActionRefused(_("The template has an error: %(error)s") % {"error": exc}) from None
    row = DocumentTemplate.objects.select_for_update().filter(kind=kind).first() or template_for(kind)
    if loaded != loaded_stamp(row):
        raise ActionRefused(_("Someone else saved this meanwhile; the page now shows their version. Check it and "
                              "save again."))
    before = audit.snapshot(row, FIELDS)
    for name, value in fields.items():
        setattr(row, name, value)
    try:
        row.full_clean(exclude=["kind"])
    except ValidationError as exc:
        raise ActionRefused(" ".join(exc.messages)) from None
    row.save()
    old, new = audit.changed(before, audit.snapshot(row, FIELDS))
    if new:
        audit.record(actor, Action.SETTINGS_TEMPLATE, row, summary=row.get_kind_display(), before=old, after=new)
    return row
