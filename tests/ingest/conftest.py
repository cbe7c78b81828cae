"""Shared helpers for the ingest tests: where the seed documents and the synthetic fixtures live."""

from __future__ import annotations

from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
FIXTURES = Path(__file__).resolve().parent / "fixtures"
SEED_DIRS = (REPO / "duban" / "samples", REPO.parent / "shared" / "seeds")


def seed_path(number: str) -> Path:
    """The seed whose name starts with `number` (e.g. "001"): duban/samples/ first, then ../shared/seeds/."""
    for directory in SEED_DIRS:
        found = sorted(directory.glob(f"{number}_*.txt")) if directory.is_dir() else []
        if found:
            return found[0]
    pytest.skip(f"seed {number} not found in {', '.join(map(str, SEED_DIRS))}")


def fixture_path(name: str) -> Path:
    return FIXTURES / name


@pytest.fixture(scope="session")
def seed001_path() -> Path:
    return seed_path("001")
