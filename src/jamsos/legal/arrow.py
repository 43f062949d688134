"""The bulk path on Arrow record batches, for a distributed engine.

A distributed engine (Spark's ``mapInArrow``) hands each of its workers the rows as Arrow record
batches. :func:`contribution_batches` runs the same function the single-machine billing run calls
on the whole month, :func:`jamsos.legal.bulk.contributions_and_rejects`, on each batch: nothing
of the law is written again. The rules read one row at a time (no rule looks at another row), so
the union of the batches' results is the result on the whole frame.

One output schema carries both results, as an engine's map step returns one kind of row: the
valid rows with their slot columns and ``reject_field``/``reject_code`` empty, and the rejected
rows with their input columns, the reason, and the slot columns empty. :func:`split_output`
parts them again on the engine's driver.

Nothing here imports Django; ``pyarrow`` is needed only where the batches are (an engine that
uses Arrow has it).
"""

from __future__ import annotations

import importlib
from collections.abc import Iterable, Iterator, Sequence
from typing import Any

import polars as pl

from jamsos.legal.bulk import REJECT_COLUMNS, SEGMENTS, contributions_and_rejects
from jamsos.legal.slots import BaseKind

__all__ = [
    "REJECT_COLUMNS",
    "contribution_batches",
    "contributions_combined",
    "in_bulk_order",
    "output_schema",
    "split_output",
]


def _plain(frame: pl.DataFrame) -> pl.DataFrame:
    """Enum and categorical columns as text (an engine's schema has no enums)."""
    return frame.with_columns(pl.col(pl.Enum, pl.Categorical).cast(pl.String))


def contributions_combined(
    frame: pl.DataFrame, bases: Sequence[BaseKind] = ()
) -> tuple[pl.DataFrame, list[str]]:
    """The valid rows then the rejected ones in one frame (see the module's docstring), and
    the names of the valid rows' columns."""
    valid, rejects = pl.collect_all(list(contributions_and_rejects(frame, bases=bases)))
    valid, rejects = _plain(valid), _plain(rejects)
    combined = pl.concat(
        [
            valid.with_columns(pl.lit(None, dtype=pl.String).alias(c) for c in REJECT_COLUMNS),
            rejects,
        ],
        how="diagonal_relaxed",
    )
    return combined, valid.columns


def output_schema(input_schema: pl.Schema, bases: Sequence[BaseKind] = ()) -> pl.Schema:
    """The combined output's schema for input rows of ``input_schema``."""
    empty = pl.DataFrame(schema=input_schema)
    return contributions_combined(empty, bases)[0].schema


def split_output(
    combined: pl.DataFrame, input_columns: Sequence[str], valid_columns: Sequence[str]
) -> tuple[pl.DataFrame, pl.DataFrame]:
    """(valid rows with the valid columns, rejects with the input columns and the reason)."""
    refused = pl.col(REJECT_COLUMNS[1]).is_not_null()
    valid = combined.filter(~refused).select(valid_columns)
    rejects = combined.filter(refused).select(*input_columns, *REJECT_COLUMNS)
    return valid, rejects


def in_bulk_order(frame: pl.DataFrame, row: str) -> pl.DataFrame:
    """Rows of batches put back in the order the bulk path gives on the whole frame (grouped by
    segment, PU, BPU, JAKON, PMI, an unknown segment first; each group in input order), by the
    input's row number ``row``, which is then dropped."""
    rank = {segment.value: index + 1 for index, segment in enumerate(SEGMENTS)}
    segment = pl.col("segment").cast(pl.String)
    by_segment = segment.replace_strict(rank, default=0, return_dtype=pl.Int64).fill_null(0)
    return frame.sort(by_segment, pl.col(row)).drop(row)


def _pyarrow() -> Any:
    """``pyarrow``, imported where the batches are (it comes with the engine)."""
    return importlib.import_module("pyarrow")


def _arrow_type(dtype: Any) -> Any:
    """Arrow's ``large_string`` (Polars' text) as ``string``, which every engine reads."""
    pa = _pyarrow()
    return pa.string() if dtype == pa.large_string() else dtype


def arrow_schema(schema: pl.Schema) -> Any:
    """``schema`` as a ``pyarrow.Schema`` of plain types (text as ``string``)."""
    pa = _pyarrow()

    arrow = pl.DataFrame(schema=schema).to_arrow().schema
    return pa.schema([pa.field(f.name, _arrow_type(f.type)) for f in arrow])


def contribution_batches(
    batches: Iterable[Any], *, bases: Sequence[BaseKind], schema: Any
) -> Iterator[Any]:
    """Each Arrow record batch of input rows as a batch of the combined output, cast to
    ``schema`` (:func:`arrow_schema` of :func:`output_schema`)."""
    for batch in batches:
        if batch.num_rows == 0:
            continue
        frame = pl.from_arrow(batch)
        assert isinstance(frame, pl.DataFrame)
        combined, _ = contributions_combined(frame, bases)
        table = combined.to_arrow().cast(schema)
        yield from table.to_batches()
