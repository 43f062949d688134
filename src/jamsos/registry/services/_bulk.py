"""Set-based inserts: COPY on PostgreSQL, one ``executemany`` on SQLite, ``bulk_create`` elsewhere.

``bulk_create`` on SQLite is capped at 999 bound parameters per statement (76 region rows), which
turns 91k rows into 1,200 statements; ``executemany`` of one prepared INSERT is several times
faster, and COPY is the fastest path on PostgreSQL (see docs/registry/regions.md for timings).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from django.db import connection, models

CHUNK = 5_000


def insert_rows(
    model: type[models.Model],
    columns: Sequence[str],
    rows: Sequence[Sequence[Any]],
    *,
    advance: Callable[[int], None] | None = None,
) -> None:
    """Insert plain value tuples into ``model``'s table; ``columns`` are database column names."""
    if not rows:
        return
    table = model._meta.db_table
    quote = connection.ops.quote_name
    column_list = ", ".join(quote(c) for c in columns)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            sql = f"COPY {quote(table)} ({column_list}) FROM STDIN"
            for start in range(0, len(rows), CHUNK):
                chunk = rows[start : start + CHUNK]
                with cursor.cursor.copy(sql) as copy:
                    for row in chunk:
                        copy.write_row(row)
                if advance:
                    advance(len(chunk))
            return
        if connection.vendor == "sqlite":
            placeholders = ", ".join(["%s"] * len(columns))
            sql = f"INSERT INTO {quote(table)} ({column_list}) VALUES ({placeholders})"
            for start in range(0, len(rows), CHUNK):
                chunk = rows[start : start + CHUNK]
                cursor.executemany(sql, chunk)
                if advance:
                    advance(len(chunk))
            return
    fields = {f.column: f.attname for f in model._meta.concrete_fields}
    objs = [model(**{fields[c]: v for c, v in zip(columns, row, strict=True)}) for row in rows]
    for start in range(0, len(objs), CHUNK):
        model._default_manager.bulk_create(objs[start : start + CHUNK])
        if advance:
            advance(len(objs[start : start + CHUNK]))
