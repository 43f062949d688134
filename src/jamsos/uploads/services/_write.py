"""Set-based inserts: COPY on PostgreSQL, ``executemany`` on SQLite, ``bulk_create`` elsewhere.

The same approach as ``membership.demo.writer`` (measured there: COPY is 12-45x faster than
``bulk_create`` on PostgreSQL; on SQLite one prepared ``INSERT`` run over many rows beats
``bulk_create``, which is held to 999 bound parameters per statement). Rows are tuples in the
order of ``fields``: dates as ISO text, JSON as text, timestamps from :func:`timestamp_text`.

When the rows of a next table must point at the new rows, :func:`insert_with_ids` returns the
new ids by a unique key: on PostgreSQL the table's sequence gives them during COPY and one query
by ``key = ANY(array)`` reads them back (asking the sequence for 100,000 values one by one costs
more); elsewhere they are handed out after the largest id (SQLite's transaction holds the write
lock from its first statement, so nobody else can take them).
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Iterator, Sequence
from datetime import UTC, datetime
from itertools import islice
from typing import Any

from django.db import connection, models
from django.db.models import Max
from django.utils.dateparse import parse_date, parse_datetime

BATCH = 5_000


def method() -> str:
    return {"postgresql": "copy", "sqlite": "executemany"}.get(connection.vendor, "orm")


def timestamp_text(moment: datetime) -> str:
    """An aware timestamp as the insert wants it: naive UTC text on SQLite (as Django stores
    it there), with its offset elsewhere."""
    utc = moment.astimezone(UTC)
    if connection.vendor == "sqlite":
        return utc.replace(tzinfo=None).isoformat(sep=" ")
    return utc.isoformat(sep=" ")


def json_text(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


def reserve_ids(model: type[models.Model], count: int) -> list[int]:
    """``count`` new primary keys for ``model``."""
    if count <= 0:
        return []
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
                [model._meta.db_table, model._meta.pk.column, count],
            )
            return [row[0] for row in cursor.fetchall()]
    start = (model._default_manager.aggregate(m=Max("pk"))["m"] or 0) + 1
    return list(range(start, start + count))


def rows_where_in(
    model: type[models.Model], fields: Sequence[str], key: str, values: Sequence[Any]
) -> list[tuple[Any, ...]]:
    """``fields`` of the rows whose ``key`` is one of ``values``: one query with an array
    parameter on PostgreSQL (Django prepares IN parameters one by one, which costs more than the
    query for thousands of them), batches of IN elsewhere."""
    if not values:
        return []
    if connection.vendor == "postgresql":
        quote = connection.ops.quote_name
        columns = ", ".join(quote(model._meta.get_field(f).column) for f in fields)  # type: ignore[union-attr]
        column = quote(model._meta.get_field(key).column)  # type: ignore[union-attr]
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT {columns} FROM {quote(model._meta.db_table)} WHERE {column} = ANY(%s)",
                [list(values)],
            )
            return cursor.fetchall()
    found: list[tuple[Any, ...]] = []
    for start in range(0, len(values), BATCH):
        chunk = list(values[start : start + BATCH])
        query = model._default_manager.filter(**{f"{key}__in": chunk})
        found.extend(query.values_list(*fields))
    return found


def insert_with_ids(
    model: type[models.Model],
    fields: Sequence[str],
    rows: Iterable[tuple[Any, ...]],
    *,
    key: str,
) -> dict[Any, int]:
    """Insert ``rows`` (without their id) and return ``{key value: new id}``; ``key`` is one
    of ``fields`` and unique in the table."""
    position = list(fields).index(key)
    if connection.vendor == "postgresql":
        keys: list[Any] = []

        def noted() -> Iterator[tuple[Any, ...]]:
            for row in rows:
                keys.append(row[position])
                yield row

        insert(model, fields, noted())
        if not keys:
            return {}
        column = model._meta.get_field(key).column  # type: ignore[union-attr]
        quote = connection.ops.quote_name
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT {quote(column)}, {quote(model._meta.pk.column)} "
                f"FROM {quote(model._meta.db_table)} WHERE {quote(column)} = ANY(%s)",
                [keys],
            )
            return dict(cursor.fetchall())
    listed = list(rows)
    ids = reserve_ids(model, len(listed))
    insert(model, ("id", *fields), [(pk, *row) for pk, row in zip(ids, listed, strict=True)])
    return {row[position]: pk for pk, row in zip(ids, listed, strict=True)}


def insert(
    model: type[models.Model], fields: Sequence[str], rows: Iterable[tuple[Any, ...]]
) -> None:
    """Insert ``rows`` (tuples in the order of ``fields``, model attribute names) into
    ``model``'s table.

    ``rows`` may be a generator: on PostgreSQL each row is sent as soon as it is made, so the
    server indexes the rows already sent while Python makes the next ones (two cores at work).
    """
    how = method()
    resolved = [model._meta.get_field(name) for name in fields]
    if how == "orm":
        _bulk_create(model, resolved, list(rows))
        return
    quote = connection.ops.quote_name
    columns = ", ".join(quote(f.column) for f in resolved)  # type: ignore[union-attr]
    table = quote(model._meta.db_table)
    iterator = iter(rows)
    with connection.cursor() as cursor:
        if how == "copy":
            first = next(iterator, None)
            if first is None:
                return
            with cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
                copy.write_row(first)
                for row in iterator:
                    copy.write_row(row)
            return
        placeholders = ", ".join(["%s"] * len(resolved))
        sql = f"INSERT INTO {table} ({columns}) VALUES ({placeholders})"
        while chunk := list(islice(iterator, BATCH)):
            cursor.executemany(sql, chunk)


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
        model(**{n: c(v) for n, c, v in zip(names, converters, row, strict=True)}) for row in rows
    ]
    model._default_manager.bulk_create(objects, batch_size=BATCH)


def analyze_if_grown(model: type[models.Model], inserted: int) -> None:
    """On PostgreSQL, refresh the planner's statistics of a table that has just grown a lot.

    The foreign keys are checked when the transaction commits, one lookup per new row, with
    plans made from the table's statistics: a table last analysed when nearly empty (a new
    registry) would be scanned whole for each of 100,000 lookups. ``ANALYZE`` inside the
    transaction counts its own new rows, and takes a fraction of a second.
    """
    if connection.vendor != "postgresql" or inserted < 5_000:
        return
    table = model._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute("SELECT reltuples FROM pg_class WHERE oid = %s::regclass", [table])
        found = cursor.fetchone()
        known = float(found[0]) if found else 0.0
        if known < 0 or inserted > known * 0.2:
            cursor.execute(f"ANALYZE {connection.ops.quote_name(table)}")
