"""The billing run's computation on Apache Spark (``jamsos billing run --engine spark``).

The run is the single-machine run (:mod:`jamsos.billing.services.run`) but for one step,
``compute``: the rows the month bills, read from the database by the same set-based queries,
are written as a Parquet snapshot; Spark reads it, and each of its workers runs the legal
engine's bulk function, :func:`jamsos.legal.bulk.contributions_and_rejects`, on its Arrow
batches (``mapInArrow`` through :func:`jamsos.legal.arrow.contribution_batches`, nothing of the
law written again); the result is written as Parquet, read back, put in the order the bulk path
gives on the whole frame, and the run goes on as on one machine: payers, invoices, items, lines
and rejects written by COPY on PostgreSQL (``executemany`` on SQLite), the ledger entry, the
credits, the reference check, the run record. So the same guarantees hold: one transaction, a
re-run replaces the unpaid drafts and writes nothing twice, the ledger balances.

The run record's counts say ``engine: spark``, the Spark master, and the seconds of the
snapshot, the Spark job and the read-back (``spark_seconds``), and the bytes of the snapshot's
parts (``spark_bytes``).
"""

from __future__ import annotations

import time
from functools import partial
from typing import Any

import polars as pl

from jamsos.core.spark import Snapshot, SparkUnavailable, spark_available, spark_session
from jamsos.legal.arrow import (
    arrow_schema,
    contribution_batches,
    contributions_combined,
    in_bulk_order,
    split_output,
)
from jamsos.legal.slots import BaseKind

__all__ = ["spark_contributions", "spark_engine"]

#: The input's row number, carried through Spark to put the rows back in order.
ROW = "spark_row"


def spark_contributions(
    frame: pl.DataFrame, bases: tuple[BaseKind, ...], *, name: str, counts: dict[str, Any]
) -> tuple[pl.DataFrame, pl.DataFrame]:
    """(valid rows with their slots, rejects) of ``frame`` computed on Spark, as
    :func:`jamsos.legal.bulk.contributions_and_rejects` gives them on the whole frame (and in
    its order). ``name`` names the snapshot; ``counts`` (the run record's) gets the engine, the
    master, the seconds of each step and the snapshot's bytes."""
    from pyspark.sql.pandas.types import from_arrow_schema

    session = spark_session()
    seconds: dict[str, float] = {}
    started = time.perf_counter()
    rows = frame.with_row_index(ROW).with_columns(pl.col(ROW).cast(pl.Int64))
    empty, valid_columns = contributions_combined(rows.clear(), bases)
    schema = arrow_schema(empty.schema)
    with Snapshot(name) as snapshot:
        source = snapshot.write("input", rows)
        seconds["snapshot"] = time.perf_counter() - started
        started = time.perf_counter()
        batches = partial(contribution_batches, bases=bases, schema=schema)
        lines = session.read.parquet(source).mapInArrow(batches, from_arrow_schema(schema))
        lines.write.mode("overwrite").parquet(snapshot.spark_path("lines"))
        seconds["spark"] = time.perf_counter() - started
        started = time.perf_counter()
        combined = snapshot.read("lines", empty.schema).cast(dict(empty.schema))
        counts["spark_bytes"] = snapshot.sizes()
    valid, rejects = split_output(combined, rows.columns, valid_columns)
    valid, rejects = in_bulk_order(valid, ROW), in_bulk_order(rejects, ROW)
    seconds["read_back"] = time.perf_counter() - started
    counts["engine"] = "spark"
    counts["spark_master"] = session.sparkContext.master
    counts["spark_seconds"] = {k: round(v, 3) for k, v in seconds.items()}
    return valid, rejects


def spark_engine() -> Any:
    """:func:`spark_contributions`, when Spark can run here; else :class:`SparkUnavailable`."""
    reason = spark_available()
    if reason:
        raise SparkUnavailable(reason=reason)
    return spark_contributions
