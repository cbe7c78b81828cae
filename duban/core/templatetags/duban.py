"""Small presentation helpers shared by the templates."""
from __future__ import annotations

from django import template
from django.utils.html import format_html

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
    return "、".join(u.display_name for u in units)


@register.simple_tag(takes_context=True)
def with_param(context, key: str, value) -> str:  # noqa: ANN001
    """The current query string with one parameter replaced (for sort and page links)."""
    params = context["request"].GET.copy()
    params[key] = value
    if key != "page":
        params.pop("page", None)
    return "?" + params.urlencode()


# Entries whose summary says what happened (a letter's number and title, a request's reason, …).
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
    """An update as 「field: before → after」 in the reader's language; other entries need no detail."""
    from django.apps import apps
    from django.core.exceptions import FieldDoesNotExist

    if entry.action == "task.comment":
        return (entry.after or {}).get("text", "")
    if entry.action.startswith(SUMMARISED):
        return entry.summary
    if not entry.action.endswith(".update") or not entry.after:
        return ""
    model = apps.get_model(entry.object_type)
    parts = []
    for name, new in entry.after.items():
        try:
            label = model._meta.get_field(name).verbose_name
        except FieldDoesNotExist:
            label = name
        old = (entry.before or {}).get(name)
        parts.append(f"{label}: {old if old not in (None, '') else '—'} → {new if new not in (None, '') else '—'}")
    return ";".join(parts)


LEVEL_STYLE = {"blue": "primary", "yellow": "warning", "red": "danger"}


@register.simple_tag
def letter_badge(letter) -> str:  # noqa: ANN001
    if letter.level:
        return format_html('<span class="badge text-bg-{}">{}</span>', LEVEL_STYLE[letter.level],
                           letter.get_level_display())
    return format_html('<span class="badge text-bg-secondary">{}</span>', letter.get_kind_display())
