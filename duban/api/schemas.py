from __future__ import annotations

import datetime as dt
from typing import Any, Generic, TypeVar

from ninja import Schema

T = TypeVar("T")


class Page(Schema, Generic[T]):
    count: int
    page: int
    page_size: int
    results: list[T]


class UnitRef(Schema):
    id: int
    name: str


def unit_ref(unit: Any) -> dict:
    """A unit as other objects refer to it: its id and the name people use."""
    return {"id": unit.pk, "name": unit.display_name}


class UnitOut(Schema):
    id: int
    name: str
    short_name: str
    kind: str
    parent_id: int | None
    active: bool
    aliases: list[str]
    version: int


class TaskOut(Schema):
    id: int
    number: str
    kind: str
    parent_id: int | None
    sections: list[str]
    heading: str
    text: str
    lead_units: list[UnitRef]
    support_units: list[UnitRef]
    leader: str | None
    owner: str
    deadline: dt.date | None
    cadence: str
    priority: int
    area: str
    status: str
    status_label: str
    ongoing: bool
    source_id: int | None
    updated_at: dt.datetime
    version: int  # send it back with PATCH: an edit of a task that moved on since is refused


class ReportOut(Schema):
    id: int
    task_id: int
    unit: UnitRef
    period_start: dt.date
    period_end: dt.date
    progress: str
    problems: str
    next_steps: str
    coordination: str
    percent: int | None
    indicator_actuals: dict
    status_text: str
    state: str
    submitted_at: dt.datetime | None


class PeriodOut(Schema):
    id: int
    task_id: int
    key: str
    start: dt.date
    end: dt.date
    due: dt.date


class LetterOut(Schema):
    id: int
    number: str
    task_id: int
    unit: UnitRef
    kind: str
    level: str
    title: str
    body: str
    reason: str
    issued_on: dt.date
    acknowledged_at: dt.datetime | None


class ReportIn(Schema):
    progress: str
    problems: str = ""
    next_steps: str = ""
    coordination: str = ""
    percent: int | None = None
    indicator_actuals: dict[str, str] = {}


class AcknowledgeIn(Schema):
    response: str = ""


class ErrorOut(Schema):
    detail: str
