"""duban.ingest is pure Python: no Django, and optional readers load only when their format is met."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import duban.ingest

PACKAGE = Path(duban.ingest.__file__).resolve().parent


def test_no_django_imports_in_the_source() -> None:
    for path in PACKAGE.rglob("*.py"):
        source = path.read_text(encoding="utf-8")
        assert "import django" not in source and "from django" not in source, path


def test_parsing_text_loads_neither_django_nor_the_heavy_readers(seed001_path: Path) -> None:
    code = (
        "import sys, duban.ingest as i; i.parse_file(sys.argv[1]); "
        "print(sorted(m for m in ('django', 'docx', 'openpyxl', 'pypdf', 'cn2an') if m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code, str(seed001_path)], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"
