"""Export kinds: name → how to count and write one. Other documents (报告, 通报 …) register here to get the same
inline-or-background handling, progress page and download checks."""
from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, BinaryIO

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

Progress = Callable[[int, int], None]
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@dataclass(frozen=True)
class ExportKind:
    """``count(user, params)`` gives the rows an export will have (to decide inline or background);
    ``write(user, params, target, progress)`` writes the file and returns the rows written. Both read only what
    ``user`` may see, checked again when a queued job runs."""

    name: str
    label: str | Promise
    extension: str
    content_type: str
    count: Callable[[Any, dict[str, Any]], int]
    write: Callable[[Any, dict[str, Any], BinaryIO, Progress | None], int]
    filename: Callable[[dict[str, Any]], str]


REGISTRY: dict[str, ExportKind] = {}


def register(kind: ExportKind) -> ExportKind:
    REGISTRY[kind.name] = kind
    return kind


def get(name: str) -> ExportKind:
    try:
        return REGISTRY[name]
    except KeyError:
        raise KeyError(f"unknown export kind {name!r}; known: {', '.join(sorted(REGISTRY))}") from None


# the ledger -------------------------------------------------------------------------------------------------
def _as_of(params: dict[str, Any]) -> dt.date:
    from duban.tasks.filters import date_or_today

    return date_or_today(params.get("as_of"))


def ledger_tasks(user: Any, params: dict[str, Any]):
    """The tasks the user sees, narrowed by the task list's filters (``params["filters"]``)."""
    from duban.tasks.access import visible_tasks
    from duban.tasks.filters import TaskFilter
    from duban.tasks.models import Task

    filters = TaskFilter.from_params(params.get("filters") or {})
    return filters.apply(visible_tasks(user, Task.objects.actionable()))


def _ledger_count(user: Any, params: dict[str, Any]) -> int:
    return ledger_tasks(user, params).order_by().count()


def _ledger_write(user: Any, params: dict[str, Any], target: BinaryIO, progress: Progress | None) -> int:
    from duban.exports.ledger import write_ledger
    from duban.tasks.access import visible_reports

    return write_ledger(ledger_tasks(user, params), target, as_of=_as_of(params), title=params.get("title") or None,
                        progress=progress, reports=visible_reports(user))


def _ledger_filename(params: dict[str, Any]) -> str:
    return f"台账-{_as_of(params):%Y%m%d}.xlsx"


LEDGER = register(ExportKind("ledger", _("Ledger (台账)"), "xlsx", XLSX, _ledger_count, _ledger_write,
                             _ledger_filename))
