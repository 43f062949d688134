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
from collections.abc import Callable, Sequence
from datetime import UTC, datetime
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
    rows: Sequence[tuple[Any, ...]],
    *,
    key: str,
) -> dict[Any, int]:
    """Insert ``rows`` (without their id) and return ``{key value: new id}``; ``key`` is one
    of ``fields`` and unique in the table."""
    if not rows:
        return {}
    position = list(fields).index(key)
    if connection.vendor == "postgresql":
        insert(model, fields, rows)
        column = model._meta.get_field(key).column  # type: ignore[union-attr]
        quote = connection.ops.quote_name
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT {quote(column)}, {quote(model._meta.pk.column)} "
                f"FROM {quote(model._meta.db_table)} WHERE {quote(column)} = ANY(%s)",
                [[row[position] for row in rows]],
            )
            return dict(cursor.fetchall())
    ids = reserve_ids(model, len(rows))
    insert(model, ("id", *fields), [(pk, *row) for pk, row in zip(ids, rows, strict=True)])
    return {row[position]: pk for pk, row in zip(ids, rows, strict=True)}


def insert(
    model: type[models.Model], fields: Sequence[str], rows: Sequence[tuple[Any, ...]]
) -> None:
    """Insert ``rows`` (tuples in the order of ``fields``, model attribute names) into
    ``model``'s table."""
    if not rows:
        return
    how = method()
    resolved = [model._meta.get_field(name) for name in fields]
    if how == "orm":
        _bulk_create(model, resolved, rows)
        return
    quote = connection.ops.quote_name
    columns = ", ".join(quote(f.column) for f in resolved)  # type: ignore[union-attr]
    table = quote(model._meta.db_table)
    with connection.cursor() as cursor:
        if how == "copy":
            with cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
            return
        placeholders = ", ".join(["%s"] * len(resolved))
        sql = f"INSERT INTO {table} ({columns}) VALUES ({placeholders})"
        for start in range(0, len(rows), BATCH):
            cursor.executemany(sql, rows[start : start + BATCH])


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


def update_by_id(
    model: type[models.Model],
    constant: dict[str, Any],
    column: str,
    values: Sequence[tuple[int, Any]],
) -> None:
    """Set ``constant`` fields and one per-row ``column`` (``values``: (id, value) pairs) on
    many rows: through a temporary table and one ``UPDATE ... FROM`` on PostgreSQL, one prepared
    ``UPDATE`` over all pairs on SQLite, ``bulk_update`` elsewhere."""
    if not values:
        return
    how = method()
    if how == "orm":
        field_names = [*constant, column]
        objects = [model(pk=pk, **constant, **{column: value}) for pk, value in values]
        model._default_manager.bulk_update(objects, field_names, batch_size=1000)
        return
    quote = connection.ops.quote_name
    table = quote(model._meta.db_table)
    target = quote(model._meta.get_field(column).column)  # type: ignore[union-attr]
    pk = quote(model._meta.pk.column)
    sets = ", ".join(f"{quote(model._meta.get_field(k).column)} = %s" for k in constant)  # type: ignore[union-attr]
    fixed = list(constant.values())
    with connection.cursor() as cursor:
        if how == "copy":
            cursor.execute(
                "CREATE TEMPORARY TABLE jamsos_update_values (id bigint PRIMARY KEY, value text) "
                "ON COMMIT DROP"
            )
            with cursor.copy("COPY jamsos_update_values (id, value) FROM STDIN") as copy:
                for row in values:
                    copy.write_row(row)
            cursor.execute(
                f"UPDATE {table} AS t SET {sets}, {target} = v.value "
                f"FROM jamsos_update_values AS v WHERE t.{pk} = v.id",
                fixed,
            )
            cursor.execute("DROP TABLE jamsos_update_values")
            return
        sql = f"UPDATE {table} SET {sets}, {target} = %s WHERE {pk} = %s"
        rows = [(*fixed, value, row_id) for row_id, value in values]
        for start in range(0, len(rows), BATCH):
            cursor.executemany(sql, rows[start : start + BATCH])
