"""`python -m duban.ingest parse FILE [--date YYYY-MM-DD] [--json]`."""

from __future__ import annotations

from .cli import main

raise SystemExit(main())
