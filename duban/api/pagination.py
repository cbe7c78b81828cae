"""Paging for every API list: ``page`` and ``page_size`` from the query string, never an unbounded list. A
page past the end is empty (the pages' paginator would show the last page instead, which a client paging
until an empty page must not get)."""
from __future__ import annotations

from django.conf import settings
from django.core.paginator import EmptyPage, Paginator
from django.db.models import QuerySet
from django.http import HttpRequest


def _number(value: str | None) -> int | None:
    """A plain positive decimal number, else None (so "²", "-1" or 40 digits fall back to the default)."""
    if value and value.isascii() and value.isdigit() and len(value) <= 9:
        return int(value) or None
    return None


def page(request: HttpRequest, qs: QuerySet) -> tuple[dict, list]:
    """The page's metadata (count, page, page_size) and its items."""
    size = min(_number(request.GET.get("page_size")) or settings.DUBAN_PAGE_SIZE, settings.DUBAN_API_MAX_PAGE_SIZE)
    number = _number(request.GET.get("page")) or 1
    paginator = Paginator(qs, size)
    try:
        items = list(paginator.page(number).object_list)
    except EmptyPage:
        items = []
    return {"count": paginator.count, "page": number, "page_size": size}, items
