from __future__ import annotations

import pytest


@pytest.fixture(autouse=True)
def _no_dashboard_cache(settings) -> None:
    """Each test computes the figures afresh; test_cache turns the cache back on where it is the subject."""
    settings.DUBAN_DASHBOARD_CACHE_SECONDS = 0
