"""Checks every uploaded evidence file passes before it is stored: size, and type judged by the content (the
name and the browser's claim are not trusted). Documents to import have their own, stricter reader checks."""
from __future__ import annotations

import io
import zipfile
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from duban.ingest.errors import IngestError
from duban.ingest.readers.safety import check_archive

MAX_EVIDENCE_BYTES = 20 * 1024 * 1024
SIGNATURES = {
    b"%PDF-": "pdf",
    b"\x89PNG\r\n\x1a\n": "png",
    b"\xff\xd8\xff": "jpeg",
    b"GIF87a": "gif",
    b"GIF89a": "gif",
}
OFFICE_PARTS = {"word/document.xml": "docx", "xl/workbook.xml": "xlsx"}


def evidence_kind(head: bytes, data: Any) -> str | None:
    """The file type by its first bytes (and, for Office files, by the parts inside the archive)."""
    for signature, kind in SIGNATURES.items():
        if head.startswith(signature):
            return kind
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "webp"
    if head.startswith(b"PK\x03\x04"):
        data.seek(0)
        try:
            archive = zipfile.ZipFile(data)
            check_archive(archive)
        except (zipfile.BadZipFile, IngestError):
            return None
        names = set(archive.namelist())
        return next((kind for part, kind in OFFICE_PARTS.items() if part in names), None)
    return None


def check_evidence(upload: Any) -> None:
    """Raise a ValidationError with a message for the user unless ``upload`` is acceptable evidence."""
    if not upload.size:
        raise ValidationError(_("The file is empty."))
    if upload.size > MAX_EVIDENCE_BYTES:
        raise ValidationError(_("The file is too large (%(size).1f MB); the limit is %(limit)d MB.") % {
            "size": upload.size / 1024 / 1024, "limit": MAX_EVIDENCE_BYTES // 1024 // 1024})
    upload.seek(0)
    head = upload.read(16)
    upload.seek(0)
    content = io.BytesIO(upload.read()) if head.startswith(b"PK") else None
    upload.seek(0)
    if evidence_kind(head, content) is None:
        raise ValidationError(_("Evidence can be a photo (JPEG, PNG, GIF, WebP), a PDF, or a Word or Excel file."))
