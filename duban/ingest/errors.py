"""The one exception the ingest library raises for input it cannot read."""

from __future__ import annotations


class IngestError(ValueError):
    """Input that cannot be turned into a document; the message is Chinese, fit to show a supervisor."""
