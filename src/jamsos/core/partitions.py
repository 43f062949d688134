"""Monthly partitions of the large monthly tables on PostgreSQL (ADR 0107).

On PostgreSQL, ``billing_invoiceline``, ``coverage_coveragefact`` and ``coverage_coveragearea``
are partitioned by ``LIST (period)``: one partition per month (``<table>_p202503``) and a
``<table>_default`` partition that catches a month whose partition does not exist yet (a row
written by the ORM, a test). The Django models are the same on both databases; SQLite keeps
plain tables, and every function here does nothing special there.

- :func:`partition_ensure` creates a month's partition, moving the month's rows out of the
  default partition first;
- :func:`partition_write` writes a month into a **fresh** table without indexes (COPY), then
  attaches it as the month's partition: PostgreSQL builds the partition's indexes once, by
  sorting, instead of maintaining them row by row. ``replace=True`` swaps out the month's
  existing partition (the coverage job writes each month whole); otherwise a fresh table is
  used when the month has no partition yet (the first billing run of a month), and the rows
  are added to the existing partition when it has one (a re-run);
- :func:`table_partition` and :func:`table_unpartition` convert a table (the migrations).

Primary keys. PostgreSQL requires the primary key of a partitioned table to include the
partition key: the key is ``(id, period)``. ``id`` stays the Django primary key and stays
unique, because every id comes from the table's one identity sequence (nothing writes ids
of its own into these tables; the billing run lets the sequence assign line ids). A foreign key
*to* a partitioned table must name a unique key of it, so no database constraint points at
these tables (``JhtEntry.line`` is checked as a set by the billing run, ADR 0105's way).
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

from django.db import connection, models

from jamsos.core.bulkwrite import write_frame

if TYPE_CHECKING:
    import polars as pl

__all__ = [
    "partition_ensure",
    "partition_name",
    "partition_write",
    "partitioned",
    "partitions_of",
    "table_partition",
    "table_unpartition",
]


def _q(name: str) -> str:
    return connection.ops.quote_name(name)


def partition_name(model: type[models.Model], period: str) -> str:
    """``<table>_pYYYYMM`` for ``period`` (``YYYY-MM``)."""
    if len(period) != 7 or period[4] != "-" or not (period[:4] + period[5:]).isdigit():
        raise ValueError(f"not a period: {period!r}")
    return f"{model._meta.db_table}_p{period[:4]}{period[5:]}"


def _exists(cursor: Any, name: str) -> bool:
    cursor.execute("SELECT to_regclass(%s) IS NOT NULL", [name])
    return bool(cursor.fetchone()[0])


def partitioned(model: type[models.Model]) -> bool:
    """Whether ``model``'s table is partitioned (PostgreSQL after the migrations)."""
    if connection.vendor != "postgresql":
        return False
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT EXISTS (SELECT 1 FROM pg_partitioned_table WHERE partrelid = to_regclass(%s))",
            [model._meta.db_table],
        )
        return bool(cursor.fetchone()[0])


def partitions_of(model: type[models.Model]) -> dict[str, str]:
    """``{partition table: its bound}`` of ``model``'s table (empty when not partitioned)."""
    if connection.vendor != "postgresql":
        return {}
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT c.relname, pg_get_expr(c.relpartbound, c.oid) FROM pg_inherits i "
            "JOIN pg_class c ON c.oid = i.inhrelid WHERE i.inhparent = to_regclass(%s) "
            "ORDER BY c.relname",
            [model._meta.db_table],
        )
        return dict(cursor.fetchall())


def _new_table(cursor: Any, parent: str, name: str, period: str) -> None:
    """A plain table shaped as ``parent`` (columns, defaults, CHECKs), holding only
    ``period`` (the CHECK lets ATTACH skip its validating scan)."""
    cursor.execute(f"DROP TABLE IF EXISTS {_q(name)}")
    cursor.execute(
        f"CREATE TABLE {_q(name)} (LIKE {_q(parent)} INCLUDING DEFAULTS INCLUDING CONSTRAINTS)"
    )
    cursor.execute(
        f"ALTER TABLE {_q(name)} ADD CONSTRAINT {_q(name + '_month')} CHECK (period = %s)",
        [period],
    )


def _attach(cursor: Any, parent: str, name: str, period: str) -> None:
    cursor.execute(
        f"ALTER TABLE {_q(parent)} ATTACH PARTITION {_q(name)} FOR VALUES IN (%s)", [period]
    )
    cursor.execute(f"ALTER TABLE {_q(name)} DROP CONSTRAINT {_q(name + '_month')}")


def _move_from_default(cursor: Any, parent: str, name: str, period: str) -> int:
    default = f"{parent}_default"
    if not _exists(cursor, default):
        return 0
    cursor.execute(
        f"WITH moved AS (DELETE FROM {_q(default)} WHERE period = %s RETURNING *) "
        f"INSERT INTO {_q(name)} SELECT * FROM moved",
        [period],
    )
    return int(cursor.rowcount)


def partition_ensure(model: type[models.Model], period: str) -> bool:
    """Make sure ``period`` has its own partition; ``True`` when one was created. Rows of the
    month already in the default partition move into it. Does nothing off PostgreSQL or on
    a table that is not partitioned. Run it inside the transaction that writes the month."""
    if not partitioned(model):
        return False
    parent, name = model._meta.db_table, partition_name(model, period)
    with connection.cursor() as cursor:
        if _exists(cursor, name):
            return False
        _new_table(cursor, parent, name, period)
        _move_from_default(cursor, parent, name, period)
        _attach(cursor, parent, name, period)
    return True


def partition_write(
    model: type[models.Model],
    period: str,
    frame: pl.DataFrame,
    *,
    replace: bool = False,
    advance: Any = None,
) -> int:
    """Write ``frame`` (rows of ``period`` only, model attribute names, no ``id``: the
    sequence gives them) as the month's rows; returns the rows written.

    On a partitioned table the rows go by COPY into a fresh table with no index, which is then
    attached as the month's partition (its indexes built once). With ``replace`` the month's
    rows written before are dropped with their partition; without it, rows of the month in the
    default partition are kept (moved along), and when the month's partition exists already
    the rows are simply added to it (COPY). Elsewhere: a plain insert, after deleting the
    month's rows when ``replace``.
    """
    if not partitioned(model):
        if replace:
            with connection.cursor() as cursor:
                cursor.execute(
                    f"DELETE FROM {_q(model._meta.db_table)} WHERE period = %s", [period]
                )
        return write_frame(model, frame, advance=advance)
    parent, name = model._meta.db_table, partition_name(model, period)
    staging = f"{name}_new"
    pk = model._meta.pk.column
    with connection.cursor() as cursor:
        existing = _exists(cursor, name)
    if existing and not replace:
        written = write_frame(model, frame, advance=advance)  # into the month's partition
        if written >= 5_000:
            # The partition's statistics (made empty before the transaction) count the new
            # rows: the run's checks of the month then hash-join the partition instead of one
            # index probe per row (1.1 s to 0.3 s at 575,000 lines, EXPLAIN ANALYZE).
            with connection.cursor() as cursor:
                cursor.execute(f"ANALYZE {_q(name)}")
        return written
    with connection.cursor() as cursor:
        _new_table(cursor, parent, staging, period)
        cursor.execute("SELECT pg_get_serial_sequence(%s, %s)", [parent, pk])
        sequence = cursor.fetchone()[0]
        cursor.execute(
            f"ALTER TABLE {_q(staging)} ALTER COLUMN {_q(pk)} SET DEFAULT nextval(%s::regclass)",
            [sequence],
        )
        if replace:
            cursor.execute(f"DELETE FROM {_q(parent + '_default')} WHERE period = %s", [period])
        else:
            _move_from_default(cursor, parent, staging, period)
    written = write_frame(model, frame, advance=advance, into=staging)
    with connection.cursor() as cursor:
        cursor.execute(f"ALTER TABLE {_q(staging)} ALTER COLUMN {_q(pk)} DROP DEFAULT")
        cursor.execute(f"ANALYZE {_q(staging)}")
        if existing:
            cursor.execute(f"ALTER TABLE {_q(parent)} DETACH PARTITION {_q(name)}")
            cursor.execute(f"DROP TABLE {_q(name)}")
        cursor.execute(f"ALTER TABLE {_q(staging)} RENAME TO {_q(name)}")
        cursor.execute(
            f"ALTER TABLE {_q(name)} RENAME CONSTRAINT {_q(staging + '_month')} "
            f"TO {_q(name + '_month')}"
        )
        _attach(cursor, parent, name, period)
    return written


# -- conversion (migrations) -------------------------------------------------------------------


def _indexes(cursor: Any, table: str) -> tuple[list[str], list[tuple[str, str]]]:
    """The plain index definitions of ``table`` and its UNIQUE constraints (name, definition),
    the primary key left out."""
    cursor.execute(
        "SELECT pg_get_indexdef(i.indexrelid) FROM pg_index i "
        "WHERE i.indrelid = %s::regclass AND NOT EXISTS "
        "(SELECT 1 FROM pg_constraint c WHERE c.conindid = i.indexrelid) ORDER BY 1",
        [table],
    )
    plain = [row[0] for row in cursor.fetchall()]
    cursor.execute(
        "SELECT conname, pg_get_constraintdef(oid) FROM pg_constraint "
        "WHERE conrelid = %s::regclass AND contype = 'u' ORDER BY 1",
        [table],
    )
    return plain, list(cursor.fetchall())


def _rebuild(schema_editor: Any, table: str, *, partition_key: str | None) -> None:
    """Move ``table`` into a new table of the same shape, partitioned by ``partition_key``
    (one partition per value present, and a default one) or plain (``None``), keeping its
    rows, ids, sequence position, indexes and UNIQUE constraints by name."""
    if schema_editor.connection.vendor != "postgresql":
        return
    q = schema_editor.connection.ops.quote_name
    old = f"{table}_old"
    with schema_editor.connection.cursor() as cursor:
        plain, uniques = _indexes(cursor, table)
        cursor.execute("SELECT pg_get_serial_sequence(%s, 'id')", [table])
        old_sequence = cursor.fetchone()[0]
        cursor.execute(f"ALTER TABLE {q(table)} RENAME TO {q(old)}")
        like = f"LIKE {q(old)} INCLUDING DEFAULTS INCLUDING IDENTITY INCLUDING CONSTRAINTS"
        if partition_key:
            cursor.execute(
                f"CREATE TABLE {q(table)} ({like}) PARTITION BY LIST ({q(partition_key)})"
            )
            cursor.execute(f"CREATE TABLE {q(table + '_default')} PARTITION OF {q(table)} DEFAULT")
            cursor.execute(f"SELECT DISTINCT {q(partition_key)} FROM {q(old)} ORDER BY 1")
            for (value,) in cursor.fetchall():
                name = f"{table}_p{value[:4]}{value[5:]}"
                cursor.execute(
                    f"CREATE TABLE {q(name)} PARTITION OF {q(table)} FOR VALUES IN (%s)", [value]
                )
        else:
            cursor.execute(f"CREATE TABLE {q(table)} ({like})")
        cursor.execute(f"INSERT INTO {q(table)} SELECT * FROM {q(old)}")
        cursor.execute("SELECT pg_get_serial_sequence(%s, 'id')", [table])
        sequence = cursor.fetchone()[0]
        cursor.execute(
            f"SELECT setval(%s, COALESCE((SELECT MAX(id) FROM {q(old)}), 1), "
            f"(SELECT COUNT(*) > 0 FROM {q(old)}))",
            [sequence],
        )
        cursor.execute(f"DROP TABLE {q(old)} CASCADE")
        if old_sequence and sequence != old_sequence:
            short = old_sequence.split(".")[-1]
            cursor.execute(f"ALTER SEQUENCE {sequence} RENAME TO {q(short)}")
        key = f"id, {q(partition_key)}" if partition_key else "id"
        cursor.execute(
            f"ALTER TABLE {q(table)} ADD CONSTRAINT {q(table + '_pkey')} PRIMARY KEY ({key})"
        )
        for name, definition in uniques:
            cursor.execute(f"ALTER TABLE {q(table)} ADD CONSTRAINT {q(name)} {definition}")
        for definition in plain:
            cursor.execute(re.sub(rf" ON (ONLY )?(\S+\.)?{old} ", f" ON {q(table)} ", definition))
        cursor.execute(f"ANALYZE {q(table)}")


def table_partition(table: str, key: str = "period") -> Any:
    """A ``RunPython`` function partitioning ``table`` by ``LIST (key)`` on PostgreSQL."""

    def forward(apps: Any, schema_editor: Any) -> None:
        _rebuild(schema_editor, table, partition_key=key)

    return forward


def table_unpartition(table: str) -> Any:
    """The reverse of :func:`table_partition`: a plain table again, primary key ``id``."""

    def backward(apps: Any, schema_editor: Any) -> None:
        _rebuild(schema_editor, table, partition_key=None)

    return backward
