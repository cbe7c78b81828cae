"""duban.supervision is pure Python: no Django, so jobs, views and tests share the same rules."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import duban.supervision

PACKAGE = Path(duban.supervision.__file__).resolve().parent


def test_no_django_imports_in_the_source() -> None:
    for path in PACKAGE.rglob("*.py"):
        source = path.read_text(encoding="utf-8")
        assert "import django" not in source and "from django" not in source, path


def test_importing_the_rules_loads_no_django() -> None:
    code = (
        "import sys; import duban.supervision.ladder, duban.supervision.schedule, duban.supervision.cadence; "
        "print('django' in sys.modules)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


def test_the_document_writer_and_chart_shaping_are_pure_too() -> None:
    """The GB/T 9704 writer and the chart shaping live beside their apps but load no Django either."""
    code = "import sys; import duban.documents.gbt9704, duban.dashboard.charts; print('django' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"
