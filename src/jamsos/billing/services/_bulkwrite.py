"""Polars frames in and out of the database, set-based: COPY on PostgreSQL, cursors on SQLite.

The billing run reads and writes millions of rows as columnar frames. The row writers of
``membership.demo.writer`` and ``uploads.services._write`` take Python tuples, one at a time,
which at 10 million lines costs more than the database itself (a tuple and a ``write_row`` per
row). Here a frame goes to PostgreSQL as CSV that Polars writes in Rust, in slices, through
``COPY ... FROM STDIN``; and a query comes back through ``COPY (...) TO STDOUT`` into
``polars.read_csv``. On SQLite (tests, small installations) a frame is inserted with one prepared
``INSERT`` run by ``executemany`` over slices, and a query is one cursor fetch. Ids and
timestamps come from :mod:`jamsos.uploads.services._write` (``reserve_ids``,
``timestamp_text``), which already solves them for both databases.
"""

from __future__ import annotations

import io
from collections.abc import Callable, Sequence
from typing import Any

import polars as pl
from django.db import connection, models

#: Rows per COPY slice or ``executemany`` call: large enough to keep the database busy, small
#: enough to report progress and to bound the CSV buffer (about 100 MB for wide lines).
SLICE = 500_000
SQLITE_BATCH = 5_000
#: NULL in the CSV that COPY reads and writes, so that an empty string stays a string.
NULL = r"\N"


def _literal_sql(sql: str, params: Sequence[Any]) -> str:
    """``sql`` with ``params`` bound client-side: COPY takes no server-side parameters."""
    from psycopg import ClientCursor

    connection.ensure_connection()
    return ClientCursor(connection.connection).mogrify(sql, list(params))


def read_frame(sql: str, params: Sequence[Any], schema: dict[str, Any]) -> pl.DataFrame:
    """The result of ``sql`` (``%s`` placeholders) as a frame with ``schema`` (column names in
    select order and their Polars types). Booleans must be selected as integers."""
    if connection.vendor == "postgresql":
        statement = _literal_sql(sql, params)
        buffer = io.BytesIO()
        sql_copy = f"COPY ({statement}) TO STDOUT (FORMAT csv, NULL '{NULL}')"
        with connection.cursor() as cursor, cursor.copy(sql_copy) as copy:
            for chunk in copy:
                buffer.write(chunk)
        if not buffer.tell():
            return pl.DataFrame(schema=schema)
        return pl.read_csv(
            buffer.getvalue(),
            has_header=False,
            new_columns=list(schema),
            schema=schema,
            null_values=NULL,
        )
    with connection.cursor() as cursor:
        cursor.execute(sql, list(params))
        rows = cursor.fetchall()
    return pl.DataFrame(rows, schema=schema, orient="row")


def write_frame(
    model: type[models.Model],
    frame: pl.DataFrame,
    *,
    advance: Callable[[int], None] | None = None,
) -> int:
    """Insert every row of ``frame`` into ``model``'s table; the frame's column names are model
    attribute names (``invoice_id``, ``amount_idr``). Returns the rows written."""
    if frame.is_empty():
        return 0
    quote = connection.ops.quote_name
    fields = [_column(model, name) for name in frame.columns]
    columns = ", ".join(quote(column) for column in fields)
    table = quote(model._meta.db_table)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            sql = f"COPY {table} ({columns}) FROM STDIN (FORMAT csv, NULL '{NULL}')"
            with cursor.copy(sql) as copy:
                for part in frame.iter_slices(SLICE):
                    copy.write(part.write_csv(include_header=False, null_value=NULL))
                    if advance:
                        advance(part.height)
            return frame.height
        # SQLite: dates as ISO text (the sqlite3 module's date adapter is deprecated).
        frame = frame.with_columns(pl.col(pl.Date, pl.Datetime).cast(pl.String))
        placeholders = ", ".join(["%s"] * len(fields))
        sql = f"INSERT INTO {table} ({columns}) VALUES ({placeholders})"
        for part in frame.iter_slices(SLICE):
            rows = part.rows()
            for start in range(0, len(rows), SQLITE_BATCH):
                cursor.executemany(sql, rows[start : start + SQLITE_BATCH])
            if advance:
                advance(part.height)
    return frame.height


def _column(model: type[models.Model], name: str) -> str:
    """The database column of ``model``'s concrete field ``name`` (its attribute name)."""
    field = model._meta.get_field(name)
    if not isinstance(field, models.Field):
        raise TypeError(f"{model.__name__}.{name} is not a concrete field")
    return field.column


def execute(sql: str, params: Sequence[Any] = ()) -> int:
    """Run one statement; the rows it touched."""
    with connection.cursor() as cursor:
        cursor.execute(sql, list(params))
        touched: int = cursor.rowcount
        return touched


def execute_literal(sql: str, params: Sequence[Any] = ()) -> int:
    """Run one statement whose parameters PostgreSQL cannot bind server-side (``CREATE TABLE
    AS``, ``COPY``): bound client-side there, as usual elsewhere."""
    if connection.vendor == "postgresql":
        return execute(_literal_sql(sql, params))
    return execute(sql, params)


def table(model: type[models.Model]) -> str:
    return connection.ops.quote_name(model._meta.db_table)
