"""Bulk writing with ids assigned by the generator: batched COPY or executemany, then the sequences reset.

Writing a million rows through the ORM would take hours; plain tuples with known ids need no round trip for
foreign keys, and the database sequences are moved past them at the end."""
from __future__ import annotations

import datetime as dt
import json
from collections.abc import Sequence
from typing import Any

from django.core.management.color import no_style
from django.db import connection, models
from django.db.models import Max
from django.utils import timezone

BATCH = 20_000


def naive_utc(value: dt.datetime) -> str:
    """A datetime as SQLite stores it (UTC, no offset): executemany bypasses the field's conversion."""
    return value.astimezone(dt.UTC).replace(tzinfo=None).isoformat(" ")


def next_id(model: type[models.Model]) -> int:
    """The first free primary key: generated rows go on top of whatever the database holds."""
    return (model.objects.aggregate(m=Max("pk"))["m"] or 0) + 1


class Writer:
    """Batched inserts of plain tuples into one table: COPY on PostgreSQL, executemany elsewhere.

    ``given`` names the fields every row supplies, in order; all other columns get the field's default."""

    def __init__(self, model: type[models.Model], given: Sequence[str]) -> None:
        self.model = model
        fields = {f.attname: f for f in model._meta.concrete_fields}
        self.given = list(given)
        rest = [f for name, f in fields.items() if name not in self.given]
        self.columns = [fields[name].column for name in self.given] + [f.column for f in rest]
        now = timezone.now()
        self.constants = tuple(self._const(f, now) for f in rest)
        self.postgres = connection.vendor == "postgresql"
        kinds = [fields[name] for name in self.given]
        self.times = [i for i, f in enumerate(kinds) if isinstance(f, models.DateTimeField)]
        self.rows: list[tuple] = []
        self.count = 0

    def _const(self, f: models.Field, now: dt.datetime) -> Any:
        """The value a column nobody supplies gets, in the form the database takes it."""
        if getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False):
            value: Any = now
        elif f.has_default() or (not f.null and f.empty_strings_allowed):
            value = f.get_default()  # "" for text fields without a default
        elif f.null:
            value = None
        else:
            raise ValueError(f"{self.model.__name__}.{f.attname} needs a value")
        if isinstance(f, models.JSONField):
            return json.dumps(value)
        if isinstance(f, models.DateTimeField) and value is not None:
            return value if connection.vendor == "postgresql" else naive_utc(value)
        return f.get_db_prep_save(value, connection)

    def add(self, *row: Any) -> None:
        """Queue one row (the ``given`` fields in order); a full batch is written at once."""
        if self.times and not self.postgres:
            row = tuple(naive_utc(v) if i in self.times and v is not None else v for i, v in enumerate(row))
        self.rows.append(row + self.constants)
        if len(self.rows) >= BATCH:
            self.flush()

    def flush(self) -> None:
        """Write the queued rows; call once more at the end of a step."""
        if not self.rows:
            return
        table = connection.ops.quote_name(self.model._meta.db_table)
        cols = ", ".join(connection.ops.quote_name(c) for c in self.columns)
        with connection.cursor() as cursor:
            if self.postgres:
                with cursor.cursor.copy(f"COPY {table} ({cols}) FROM STDIN") as copy:
                    for row in self.rows:
                        copy.write_row(row)
            else:
                marks = ", ".join(["%s"] * len(self.columns))
                cursor.executemany(f"INSERT INTO {table} ({cols}) VALUES ({marks})", self.rows)
        self.count += len(self.rows)
        self.rows = []


def reset_sequences(tables: Sequence[type[models.Model]]) -> None:
    """Move PostgreSQL's id sequences past the ids written here, so the app's own inserts do not collide
    (SQLite takes the next id from the table itself)."""
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        for sql in connection.ops.sequence_reset_sql(no_style(), list(tables)):
            cursor.execute(sql)
