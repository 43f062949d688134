"""Writing generated rows: COPY on PostgreSQL, ``executemany`` on SQLite, ``bulk_create`` else.

Measured on this project's machine (docs/registry/demo-population.md): ``bulk_create`` on SQLite
is held to 999 bound parameters per statement (under 50 membership rows), so one prepared
``INSERT`` run with ``executemany`` over 5,000 rows at a time is several times faster; COPY is
the fastest path on PostgreSQL. ``method="orm"`` forces ``bulk_create(batch_size=5000)`` on any
database, for comparison.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from typing import Any

from django.db import connection, models
from django.utils.dateparse import parse_date, parse_datetime

from jamsos.membership.demo.generator import COLUMNS, TABLES, Rows
from jamsos.membership.models import (
    ConstructionProject,
    Employer,
    Membership,
    MembershipEvent,
    Person,
    Placement,
    WageReport,
)

BATCH = 5_000
MODELS: dict[str, type[models.Model]] = {
    "person": Person,
    "employer": Employer,
    "employer_association": Employer.associations.through,
    "project": ConstructionProject,
    "placement": Placement,
    "membership": Membership,
    "wage_report": WageReport,
    "event": MembershipEvent,
}


def method_for(requested: str = "auto") -> str:
    if requested != "auto":
        return requested
    return {"postgresql": "copy", "sqlite": "executemany"}.get(connection.vendor, "orm")


def timestamp_suffix(method: str) -> str:
    """How generated timestamps (UTC) are written: SQLite rows hold naive UTC text, as Django
    stores them; COPY and the ORM read the offset."""
    return "" if method == "executemany" else "+00:00"


class Writer:
    def __init__(self, method: str) -> None:
        self.method = method
        self.rows_written = 0

    def write(self, rows: Rows, advance: Callable[[int], None] | None = None) -> None:
        for table in TABLES:
            values = getattr(rows, table)
            if values:
                self._insert(table, values)
                self.rows_written += len(values)
                if advance:
                    advance(len(values))

    def _insert(self, table: str, rows: Sequence[tuple[Any, ...]]) -> None:
        model = MODELS[table]
        fields = [model._meta.get_field(name) for name in COLUMNS[table]]
        if self.method == "orm":
            self._bulk_create(model, fields, rows)
            return
        quote = connection.ops.quote_name
        columns = ", ".join(quote(f.column) for f in fields)
        db_table = quote(model._meta.db_table)
        with connection.cursor() as cursor:
            if self.method == "copy":
                with cursor.copy(f"COPY {db_table} ({columns}) FROM STDIN") as copy:
                    for row in rows:
                        copy.write_row(row)
                return
            placeholders = ", ".join(["%s"] * len(fields))
            sql = f"INSERT INTO {db_table} ({columns}) VALUES ({placeholders})"
            for start in range(0, len(rows), BATCH):
                cursor.executemany(sql, rows[start : start + BATCH])

    @staticmethod
    def _bulk_create(
        model: type[models.Model], fields: list[Any], rows: Sequence[tuple[Any, ...]]
    ) -> None:
        converters: list[Callable[[Any], Any]] = []
        for field in fields:
            if isinstance(field, models.DateTimeField):
                converters.append(lambda v: parse_datetime(v) if isinstance(v, str) else v)
            elif isinstance(field, models.DateField):
                converters.append(lambda v: parse_date(v) if isinstance(v, str) else v)
            elif isinstance(field, models.JSONField):
                converters.append(lambda v: json.loads(v) if isinstance(v, str) else v)
            else:
                converters.append(lambda v: v)
        names = [f.attname for f in fields]
        objects = [
            model(**{n: c(v) for n, c, v in zip(names, converters, row, strict=True)})
            for row in rows
        ]
        model._default_manager.bulk_create(objects, batch_size=BATCH)
