"""Units as <option> elements for filters and forms, built in plain Python: a province lists 2,000 units, and a
template loop (or format_html per option) over them took longer than all of a page's queries together."""
from __future__ import annotations

from collections.abc import Iterable

from django.db.models import QuerySet, Value
from django.db.models.functions import Coalesce, NullIf
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from duban.units.models import Unit


def display_names(units: QuerySet[Unit]) -> QuerySet:
    """(id, display name) pairs by name, read as plain rows; the display name is Unit.display_name."""
    return units.order_by("name").annotate(shown=Coalesce(NullIf("short_name", Value("")), "name")
                                           ).values_list("pk", "shown")


def unit_options(units: Iterable[tuple[int, str]], selected: int | None = None) -> SafeString:
    """The <option> elements of (id, display name) pairs, the chosen one selected."""
    return mark_safe("".join(
        f'<option value="{pk}"{" selected" if pk == selected else ""}>{escape(name)}</option>' for pk, name in units))


def active_names() -> QuerySet:
    """The active units' full names, for the type-ahead of unit fields (a <datalist>)."""
    return Unit.objects.filter(active=True).order_by("name").values_list("name", flat=True)
