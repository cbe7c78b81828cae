from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from openpyxl import load_workbook

from duban.exports.ledger import write_ledger
from duban.tasks.models import Task

AS_OF = dt.date(2026, 11, 18)


@pytest.fixture(autouse=True)
def _generated_root(settings, tmp_path: Path) -> None:
    """Export files of each test go to its own temporary directory."""
    settings.GENERATED_ROOT = tmp_path / "generated"


@pytest.fixture
def demo_ledger(db, tmp_path: Path) -> Path:
    """The ledger of the whole demo, as the supervisor would download it."""
    path = tmp_path / "ledger.xlsx"
    write_ledger(Task.objects.all(), path, as_of=AS_OF)
    return path


def sheet_rows(path: Path) -> list[tuple]:
    return list(load_workbook(path).worksheets[0].iter_rows(values_only=True))
