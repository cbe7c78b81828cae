"""Small presentation helpers shared by the templates."""
from __future__ import annotations

import datetime as dt
import re
from typing import Any

from django import template
from django.apps import apps
from django.core.exceptions import FieldDoesNotExist
from django.utils.html import format_html
from django.utils.translation import gettext as _

from duban.core.actions import Action
from duban.supervision.dates import chinese_date

register = template.Library()

STATUS_STYLE = {
    "not_started": "secondary",
    "on_schedule": "primary",
    "ahead": "info",
    "behind": "warning",
    "overdue": "danger",
    "done": "success",
    "suspended": "dark",
}


@register.simple_tag
def status_badge(task) -> str:  # noqa: ANN001
    """A coloured status label; colour is never the only signal, the words are always there."""
    return format_html('<span class="badge status-badge text-bg-{}">{}</span>',
                       STATUS_STYLE.get(task.status, "secondary"), task.status_label)


@register.simple_tag
def units_line(units) -> str:  # noqa: ANN001
    """Units as documents list them; a deactivated one says so, since its tasks stay with it."""
    return "、".join(u.display_name + ("" if u.active else _(" (deactivated)")) for u in units)


@register.simple_tag(takes_context=True)
def with_param(context, key: str, value) -> str:  # noqa: ANN001
    """The current query string with one parameter replaced (for sort and page links)."""
    params = context["request"].GET.copy()
    params[key] = value
    if key != "page":
        params.pop("page", None)
    return "?" + params.urlencode()


# Entries whose summary says what happened (a letter's number and title, a request's reason, …).
DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
SUMMARISED = ("letter.", "request.", "report.return", "task.status", "task.reopen", "task.suspend")
LINKS = {"letters.letter": "letter-detail", "reporting.progressreport": "report-history"}


@register.simple_tag
def entry_link(entry) -> str:  # noqa: ANN001
    """Where a timeline entry's object can be opened, if it has a page of its own."""
    from django.urls import reverse

    name = LINKS.get(entry.object_type)
    return reverse(name, args=[entry.object_id]) if name else ""


@register.simple_tag
def change_summary(entry) -> str:  # noqa: ANN001
    """An update as 「field: before → after」 in the reader's words (field labels, choice labels, 是/否, Chinese
    dates, names of linked objects); other entries need no detail."""
    if entry.action == Action.TASK_COMMENT:
        return (entry.after or {}).get("text", "")
    if entry.action.startswith(SUMMARISED):
        return entry.summary
    if not entry.action.endswith(".update") or not entry.after:
        return ""
    model = apps.get_model(entry.object_type)
    parts = []
    for name, new in entry.after.items():
        try:
            field = model._meta.get_field(name)
        except FieldDoesNotExist:
            continue  # a detail with no label of its own is left out rather than shown as a code
        old = (entry.before or {}).get(name)
        parts.append(f"{field.verbose_name}: {shown_value(field, old)} → {shown_value(field, new)}")
    return ";".join(parts)


def shown_value(field: Any, value: Any) -> str:
    """A logged field value as a reader should see it."""
    if value in (None, "", []):
        return "—"
    if field.choices:
        return str(dict(field.flatchoices).get(value, value))
    if isinstance(value, bool):
        return str(_("yes") if value else _("no"))
    if field.is_relation:
        target = field.related_model._default_manager.filter(pk=value).first()
        return str(target) if target is not None else "—"
    if isinstance(value, list):
        return "、".join(str(v) for v in value)
    if isinstance(value, str) and DATE.fullmatch(value):
        return chinese_date(dt.date.fromisoformat(value))
    return str(value)


LEVEL_STYLE = {"blue": "primary", "yellow": "warning", "red": "danger"}


@register.simple_tag
def letter_badge(letter) -> str:  # noqa: ANN001
    if letter.level:
        return format_html('<span class="badge text-bg-{}">{}</span>', LEVEL_STYLE[letter.level],
                           letter.get_level_display())
    return format_html('<span class="badge text-bg-secondary">{}</span>', letter.get_kind_display())
