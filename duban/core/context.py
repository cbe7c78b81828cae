"""What every page shows of the office: its name in the header, read only by pages that render it."""
from __future__ import annotations

from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject

from duban.core.models import Office


def office(request: HttpRequest) -> dict:
    return {"office_name": SimpleLazyObject(
        lambda: Office.objects.filter(pk=1).values_list("name", flat=True).first() or "")}
