"""The office's own escalation ladder and letter wording (settings → 催办规则, 函件模板). Every change is
refused when someone saved the same rule or template in between, and is written to the activity log."""
from __future__ import annotations

import re
from typing import Any

from django.db import transaction
from django.template import Context, Template, TemplateDoesNotExist, TemplateSyntaxError
from django.utils.translation import gettext as _

from duban.core import audit
from duban.core.actions import Action
from duban.core.errors import ActionRefused
from duban.core.versioned import save_versioned, saved_version
from duban.letters.defaults import DEFAULT_TEMPLATES
from duban.letters.models import RECIPIENTS, EscalationRule, LetterTemplate

RULE_FIELDS = ("remind_before", "urge_after", "blue_within", "yellow_returns", "red_overdue", "blue_to",
               "yellow_to", "red_to", "send_on_non_workdays", "active")
TEMPLATE_FIELDS = ("title", "body")
# What a letter template may use, with the values the preview shows.
PLACEHOLDERS = {
    "task.number": "12", "task.text": "推进老旧小区改造，年内完成改造3000户", "unit": "区住建局",
    "leader": "王副区长", "reason": "逾期 5 个工作日未办结（完成时限 2026年11月10日）",
    "office": "东湖区人民政府督查室", "issued_on": "2026年11月18日",
}


def rule_for(source_kind: str) -> EscalationRule:
    """The saved rule of ``source_kind`` ("" = the default for all), or an unsaved one with the defaults."""
    return EscalationRule.objects.filter(source_kind=source_kind).first() or EscalationRule(source_kind=source_kind)


def _check_version(row: Any, version: int | None) -> None:
    if version is not None and version != saved_version(row):
        raise ActionRefused(_("Someone else saved this meanwhile; the page now shows their version. Check it and "
                              "save again."))


@transaction.atomic
def save_escalation_rule(actor: Any, source_kind: str, *, version: int | None, **fields: Any) -> EscalationRule:
    """Change one rung or recipient of the ladder for a kind of source; ``version`` is 0 for a rule not yet
    saved. Offsets count working days; letters already issued stay as they are."""
    unknown = set(fields) - set(RULE_FIELDS)
    if unknown:
        raise ValueError(f"not rule fields: {sorted(unknown)}")
    recipients = {value for value, _label in RECIPIENTS}
    if any(fields.get(f, "liaison") not in recipients for f in ("blue_to", "yellow_to", "red_to")):
        raise ActionRefused(_("Unknown recipient."))
    limits = {"remind_before": (0, 60), "urge_after": (0, 60), "blue_within": (0, 60), "yellow_returns": (1, 10),
              "red_overdue": (0, 120)}
    for name, (low, high) in limits.items():
        if name in fields and not low <= int(fields[name]) <= high:
            raise ActionRefused(_("A value is out of range."))
    row = EscalationRule.objects.select_for_update().filter(source_kind=source_kind).first()
    row = row or EscalationRule(source_kind=source_kind)
    _check_version(row, version)
    before = audit.snapshot(row, RULE_FIELDS) if row.pk else None
    for name, value in fields.items():
        setattr(row, name, value)
    before, after = save_versioned(row, before, RULE_FIELDS)
    if after:
        audit.record(actor, Action.SETTINGS_ESCALATION, row, summary=str(row), before=before, after=after)
    return row


def template_for(kind: str) -> LetterTemplate:
    """The office's wording of a letter kind, or an unsaved one with the built-in wording."""
    title, body = DEFAULT_TEMPLATES[kind]
    return LetterTemplate.objects.filter(kind=kind).first() or LetterTemplate(kind=kind, title=title, body=body)


# Tags that reach outside the text itself (other templates, tag libraries, the whole context): refused.
FORBIDDEN_TAGS = re.compile(r"{%-?\s*(include|extends|load|debug|ssi)\b")


def check_template_text(*texts: str) -> None:
    """Refuse wording that reaches outside itself; the office's templates are text with placeholders."""
    if any(FORBIDDEN_TAGS.search(t) for t in texts):
        raise ActionRefused(_("Templates may use placeholders, filters, if and for, but not include, extends, "
                              "load or debug."))


def render_sample(title: str, body: str) -> tuple[str, str]:
    """The letter as it would read for a sample task (the preview); a template error is refused."""
    check_template_text(title, body)
    sample = {k: v for k, v in PLACEHOLDERS.items() if "." not in k}
    sample["task"] = {"number": PLACEHOLDERS["task.number"], "text": PLACEHOLDERS["task.text"]}
    try:
        context = Context(sample)
        return Template(title).render(context), Template(body).render(context)
    except (TemplateSyntaxError, TemplateDoesNotExist, ValueError, TypeError, AttributeError) as exc:
        # e.g. an unknown tag, an {% include %} of a missing file, a filter given the wrong argument
        raise ActionRefused(_("The template has an error: %(error)s") % {"error": exc}) from None


@transaction.atomic
def save_letter_template(actor: Any, kind: str, *, version: int | None, title: str, body: str) -> LetterTemplate:
    """New wording for one kind of letter; letters issued afterwards use it."""
    if kind not in DEFAULT_TEMPLATES:
        raise ActionRefused(_("Unknown kind of letter."))
    title, body = title.strip(), body.strip()
    if not title or not body:
        raise ActionRefused(_("Enter a title and a body."))
    render_sample(title, body)
    row = LetterTemplate.objects.select_for_update().filter(kind=kind).first() or template_for(kind)
    _check_version(row, version)
    before = audit.snapshot(row, TEMPLATE_FIELDS)
    row.title, row.body = title[:200], body
    old, new = save_versioned(row, before, TEMPLATE_FIELDS)
    if new:
        audit.record(actor, Action.SETTINGS_TEMPLATE, row, summary=row.get_kind_display(), before=old, after=new)
    return row
