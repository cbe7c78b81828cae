"""Where uploaded files are stored: under random names, outside any web root. The original name is kept only
as data and never becomes part of a path, so a hostile name (../../x, 中文 with spaces) cannot do harm."""
from __future__ import annotations

import uuid
from pathlib import PurePath

from django.utils import timezone


def _random_name(folder: str, filename: str) -> str:
    suffix = PurePath(filename).suffix.lower()
    suffix = suffix if suffix[1:].isalnum() and len(suffix) <= 8 else ""
    return f"{folder}/{timezone.now():%Y}/{uuid.uuid4().hex}{suffix}"


def source_path(instance: object, filename: str) -> str:
    return _random_name("sources", filename)


def import_path(instance: object, filename: str) -> str:
    return _random_name("imports", filename)


def evidence_path(instance: object, filename: str) -> str:
    return _random_name("evidence", filename)
