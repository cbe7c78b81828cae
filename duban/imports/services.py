"""Upload → preview → confirm. Each step is one service call that writes the activity log; the final import
is one transaction, and a file the parser cannot read is refused with a message before anything is stored."""
from __future__ import annotations

import datetime as dt
import hashlib
import logging
from typing import Any

from django.core.files.base import ContentFile
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import F
from django.utils.translation import gettext as _

from duban import ingest
from duban.core import audit
from duban.core.actions import Action
from duban.core.errors import ActionRefused
from duban.imports.models import ImportDraft
from duban.imports.resolution import Resolver
from duban.ingest.readers import read_bytes
from duban.tasks.importer import ImportResult, import_document
from duban.tasks.models import SourceDocument

MAX_UPLOAD_BYTES = 20 * 1024 * 1024
logger = logging.getLogger(__name__)


class StaleDraft(ActionRefused):
    """The draft was changed by someone else since this preview was loaded."""


def _parse(data: bytes, filename: str, date: dt.date | None) -> tuple[dict[str, Any], str]:
    try:
        blocks = read_bytes(data, filename)
        parsed = ingest.parse_blocks(blocks, date=date, filename=filename)
    except ingest.IngestError as exc:
        raise ActionRefused(str(exc)) from exc
    except Exception as exc:  # a parser bug must not lose the user's request or crash the page
        logger.exception("parser failed on %s", filename)
        raise ActionRefused(_("The file could not be read. Check that it is a complete Word, Excel, PDF, "
                               "web page or text document.")) from exc
    if not parsed.tasks:
        raise ActionRefused(_("No tasks were found in this document. Numbered tasks with responsible units "
                               "(for example 责任单位:…) are expected."))
    return parsed.to_dict(), "\n".join(block.text for block in blocks)


def _previous(sha: str, title: str | None) -> SourceDocument | None:
    """An earlier import of this document: the same file, else the same title."""
    same = SourceDocument.objects.filter(sha256=sha).first()
    if same or not title:
        return same
    return SourceDocument.objects.filter(title=title).order_by("-created_at").first()


def create_draft(actor: Any, upload: UploadedFile, *, date: dt.date | None = None) -> ImportDraft:
    if not upload.size:
        raise ActionRefused(_("The file is empty."))
    if upload.size > MAX_UPLOAD_BYTES:
        raise ActionRefused(_("The file is too large (%(size).1f MB); the limit is %(limit)d MB.") % {
            "size": upload.size / 1024 / 1024, "limit": MAX_UPLOAD_BYTES // 1024 // 1024})
    data = upload.read()
    filename = (upload.name or "document").replace("\\", "/").rsplit("/", 1)[-1][:200]
    parsed, text = _parse(data, filename, date)
    sha = hashlib.sha256(data).hexdigest()
    with transaction.atomic():
        draft = ImportDraft.objects.create(
            file=ContentFile(data, name=filename), filename=filename, sha256=sha, size=len(data), text=text,
            parsed=parsed, previous=_previous(sha, parsed.get("title")), created_by=actor,
        )
        audit.record(actor, Action.IMPORT_UPLOAD, draft, summary=filename,
                     after={"sha256": sha, "tasks": len(parsed["tasks"]), "previous": draft.previous_id})
    return draft


def _claim(draft: ImportDraft, version: int, **changes: Any) -> None:
    """Write only if nobody changed the draft since ``version`` was read (conditional UPDATE)."""
    done = ImportDraft.objects.filter(pk=draft.pk, version=version, state=ImportDraft.State.PREVIEW).update(
        version=F("version") + 1, **changes)
    if not done:
        raise StaleDraft(_("This import was changed or confirmed by someone else meanwhile. The page now shows "
                           "its current state."))
    draft.refresh_from_db()


@transaction.atomic
def edit_draft(actor: Any, draft: ImportDraft, version: int, edits: dict[int, dict[str, Any]]) -> ImportDraft:
    """Apply the supervisor's corrections (task index → field → value) to the proposed tasks."""
    parsed = draft.parsed
    changed = {}
    for index, fields in edits.items():
        task = parsed["tasks"][index]
        diff = {k: v for k, v in fields.items() if task.get(k) != v}
        if diff:
            task.update(diff)
            changed[index] = diff
    _claim(draft, version, parsed=parsed)
    if changed:
        audit.record(actor, Action.IMPORT_EDIT, draft, summary=draft.filename, after={str(k): v for k, v in changed.items()})
    return draft


@transaction.atomic
def apply_draft(actor: Any, draft: ImportDraft, version: int) -> ImportResult:
    """Import the included tasks in one transaction; a second confirmation of the same draft is refused."""
    parsed = dict(draft.parsed)
    parsed["tasks"] = [t for t in parsed["tasks"] if t.get("include", True)]
    with draft.file.open("rb") as stored:
        data = stored.read()
    resolver = Resolver()
    result = import_document(actor, parsed, data=data, filename=draft.filename, text=draft.text,
                             previous=draft.previous, units_for=lambda name: resolver.units_for(actor, name))
    _claim(draft, version, state=ImportDraft.State.APPLIED, source=result.source)
    audit.record(actor, Action.IMPORT_APPLY, draft, summary=draft.filename, after={
        "source": result.source.pk, "created": result.created, "updated": result.updated,
        "unchanged": result.unchanged, "missing": result.missing})
    return result


@transaction.atomic
def discard_draft(actor: Any, draft: ImportDraft, version: int) -> None:
    _claim(draft, version, state=ImportDraft.State.DISCARDED)
    audit.record(actor, Action.IMPORT_DISCARD, draft, summary=draft.filename)
