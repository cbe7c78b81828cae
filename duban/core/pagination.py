"""Page limits for every list (never an unbounded list)."""
from __future__ import annotations

from django.conf import settings
from django.core.paginator import Page, Paginator
from django.db.models import QuerySet


def page_of(qs: QuerySet, page: str | int | None, size: int | None = None) -> Page:
    return Paginator(qs, size or settings.DUBAN_PAGE_SIZE).get_page(page)
