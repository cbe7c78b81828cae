"""The parse result: a document and the task tree proposed for it, as plain dataclasses and JSON."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any, Literal

Kind = Literal["work_report", "decomposition", "implementation_report", "meeting_decision", "bulletin", "other"]
Op = Literal[">=", "=", "<="]


@dataclass(frozen=True, slots=True)
class Indicator:
    """A quantitative target read from task text."""

    name: str
    target: int | float
    unit: str
    op: Op
    text: str

    def to_dict(self) -> dict[str, Any]:
        return {"name": self.name, "target": self.target, "unit": self.unit, "op": self.op, "text": self.text}


@dataclass(frozen=True, slots=True)
class Section:
    """An enclosing heading of a task: its label (`四`, `二`) and title without the label."""

    number: str
    title: str

    def to_dict(self) -> dict[str, Any]:
        return {"number": self.number, "title": self.title}


@dataclass(slots=True)
class ParsedTask:
    """One proposed task.

    `path` is the labels of the enclosing numbered headings then the task's own label; `sections` holds those
    headings with their titles (so `path[:-1]` and `sections` line up). `heading` is the nearest enclosing
    heading text, which may be an unlabelled `——` sub-heading that is in neither list.
    """

    number: str
    path: list[str]
    text: str
    heading: str | None = None
    sections: list[Section] = field(default_factory=list)
    lead_units: list[str] = field(default_factory=list)
    support_units: list[str] = field(default_factory=list)
    leader: str | None = None
    owner: str | None = None
    deadline: dt.date | None = None
    deadline_text: str | None = None
    status: str | None = None
    status_text: str | None = None
    ongoing: bool = False
    progress: str | None = None
    problems: str | None = None
    next_steps: str | None = None
    coordination: str | None = None
    indicators: list[Indicator] = field(default_factory=list)
    review_reasons: list[str] = field(default_factory=list)

    @property
    def needs_review(self) -> bool:
        return bool(self.review_reasons)

    def to_dict(self) -> dict[str, Any]:
        return {
            "number": self.number,
            "path": list(self.path),
            "heading": self.heading,
            "text": self.text,
            "lead_units": list(self.lead_units),
            "support_units": list(self.support_units),
            "leader": self.leader,
            "deadline": self.deadline.isoformat() if self.deadline else None,
            "deadline_text": self.deadline_text,
            "status": self.status,
            "status_text": self.status_text,
            "ongoing": self.ongoing,
            "progress": self.progress,
            "indicators": [i.to_dict() for i in self.indicators],
            "needs_review": self.needs_review,
            # extra keys
            "sections": [s.to_dict() for s in self.sections],
            "owner": self.owner,
            "review_reasons": list(self.review_reasons),
            "problems": self.problems,
            "next_steps": self.next_steps,
            "coordination": self.coordination,
        }


@dataclass(slots=True)
class ParsedDocument:
    """A document's header fields and its proposed tasks, in document order."""

    title: str | None = None
    issuer: str | None = None
    date: dt.date | None = None
    kind: Kind = "other"
    tasks: list[ParsedTask] = field(default_factory=list)
    filename: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "title": self.title,
            "issuer": self.issuer,
            "date": self.date.isoformat() if self.date else None,
            "kind": self.kind,
            "tasks": [t.to_dict() for t in self.tasks],
            "filename": self.filename,
        }
