"""Task list filtering and sorting, shared by the web list and the API so both answer the same question."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Mapping

from django.db.models import Exists, F, OuterRef, Q, QuerySet

from duban.tasks.models import Task, TaskUnit

# Tasks without a deadline go last whichever way deadlines are sorted (PostgreSQL and SQLite differ by default).
SORTS = {
    "number": ("path",),
    "deadline": (F("deadline").asc(nulls_last=True), "path"),
    "-deadline": (F("deadline").desc(nulls_last=True), "path"),
    "status": ("status", "path"),
    "updated": ("-updated_at", "path"),
}
STATUS_VALUES = {choice.value for choice in Task.Status} | {"ongoing"}


def _date(value: str | None) -> dt.date | None:
    try:
        return dt.date.fromisoformat(value) if value else None
    except ValueError:
        return None


def _int(value: str | None) -> int | None:
    return int(value) if value and value.isdigit() else None


@dataclass(frozen=True)
class TaskFilter:
    unit: int | None = None
    status: str = ""
    area: str = ""
    q: str = ""
    due_from: dt.date | None = None
    due_to: dt.date | None = None
    sort: str = "number"

    @classmethod
    def from_params(cls, params: Mapping[str, str]) -> TaskFilter:
        """Read filters from query parameters, ignoring values that make no sense instead of failing."""
        status = params.get("status", "")
        sort = params.get("sort", "number")
        return cls(
            unit=_int(params.get("unit")),
            status=status if status in STATUS_VALUES else "",
            area=params.get("area", "").strip(),
            q=params.get("q", "").strip()[:100],
            due_from=_date(params.get("due_from")),
            due_to=_date(params.get("due_to")),
            sort=sort if sort in SORTS else "number",
        )

    @property
    def active(self) -> bool:
        return any((self.unit, self.status, self.area, self.q, self.due_from, self.due_to))

    def apply(self, qs: QuerySet[Task]) -> QuerySet[Task]:
        if self.unit:
            qs = qs.filter(Exists(TaskUnit.objects.filter(task=OuterRef("pk"), unit_id=self.unit)))
        if self.status == "ongoing":
            qs = qs.filter(status=Task.Status.DONE, ongoing=True)
        elif self.status:
            qs = qs.filter(status=self.status)
        if self.area:
            qs = qs.filter(area=self.area)
        if self.q:
            qs = qs.filter(Q(text__icontains=self.q) | Q(number=self.q) | Q(heading__icontains=self.q))
        if self.due_from:
            qs = qs.filter(deadline__gte=self.due_from)
        if self.due_to:
            qs = qs.filter(deadline__lte=self.due_to)
        return qs.order_by(*SORTS[self.sort])
