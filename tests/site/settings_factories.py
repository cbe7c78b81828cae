"""Small helpers shared by the settings-page tests and the role matrix."""
from __future__ import annotations

import datetime as dt

from duban.core.models import DEFAULT_DEADLINE_DAYS, Office, WorkdayOverride
from duban.documents import settings as document_settings
from duban.letters import settings as letter_settings
from duban.notify.models import GroupRobot


def robot(url: str = "http://127.0.0.1:9/hook", **kw: object) -> GroupRobot:
    """A 企业微信 robot of the office (pointing nowhere useful unless ``url`` says so)."""
    kw.setdefault("name", "督查室工作群")
    kw.setdefault("channel", "wecom")
    return GroupRobot.objects.create(url=url, **kw)


def override(date: str = "2030-01-02") -> str:
    """A working-day adjustment to remove; returns its date."""
    WorkdayOverride.objects.get_or_create(date=dt.date.fromisoformat(date), defaults={"is_workday": False})
    return date


def office_form() -> dict:
    office = Office.objects.get()
    return {"name": office.name, "authority": office.authority, "level": office.level,
            "letter_prefix": office.letter_prefix, "document_prefix": office.document_prefix,
            "version": office.version}


def deadlines_form() -> dict:
    return {**DEFAULT_DEADLINE_DAYS, "leader_instruction": 7, "version": Office.objects.get().version}


def vocabulary_form() -> dict:
    return {"vocabulary": "tuijin", "version": Office.objects.get().version}


def rule_form() -> dict:
    rule = letter_settings.rule_for("")
    return {"remind_before": 3, "urge_after": 1, "blue_within": 5, "yellow_returns": 2, "red_overdue": 5,
            "blue_to": "liaison", "yellow_to": "unit_head", "red_to": "leader", "active": "on",
            "version": rule.version if rule.pk else 0}


def letter_template_form(kind: str = "urge") -> dict:
    row = letter_settings.template_for(kind)
    return {"title": row.title, "body": row.body + "\n特此函告。", "version": row.version if row.pk else 0}


def document_template_form(kind: str = "bulletin") -> dict:
    row = document_settings.template_for(kind)
    return {**{f: getattr(row, f) for f in document_settings.FIELDS}, "loaded": document_settings.loaded_stamp(row)}
