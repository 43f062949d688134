"""The bulk path on Arrow batches (what Spark's workers run) equals the bulk path on the whole
frame: amounts, rejects with their reasons, and the order once put back."""

from __future__ import annotations

import random

import polars as pl
import pytest

from jamsos.legal import bulk
from jamsos.legal.arrow import (
    arrow_schema,
    contribution_batches,
    contributions_combined,
    in_bulk_order,
    split_output,
)
from jamsos.legal.periods import Period
from jamsos.legal.slots import BaseKind
from jamsos.legal.tests.test_bulk_parity import (
    REJECTED,
    REJECTED_BULK_ONLY,
    _bpu_row,
    _frame,
    _jakon_row,
    _pmi_row,
    _pu_row,
)

pa = pytest.importorskip("pyarrow")

BASES = (BaseKind.JP_WAGE, BaseKind.INCOME_TIER)


def _rows() -> pl.DataFrame:
    rng = random.Random(17)
    makers = [_pu_row, _bpu_row, _jakon_row, _pmi_row]
    good = [rng.choice(makers)(rng, Period(2025, rng.randrange(1, 13))) for _ in range(300)]
    bad = [row for row, _field, _code in REJECTED + REJECTED_BULK_ONLY]
    rows = good + bad
    rng.shuffle(rows)
    return _frame(rows).with_row_index("row").with_columns(pl.col("row").cast(pl.Int64))


def test_batches_give_the_whole_frames_result_in_its_order():
    frame = _rows()
    expected_valid, expected_rejects = pl.collect_all(
        list(bulk.contributions_and_rejects(frame, bases=BASES))
    )
    empty, valid_columns = contributions_combined(frame.clear(), BASES)
    schema = arrow_schema(empty.schema)
    # Uneven batches, as an engine hands them out, with an empty one among them.
    table = frame.to_arrow()
    batches = [table.slice(0, 7), table.slice(7, 0), table.slice(7, 150), table.slice(157)]
    out = [b for batch in batches for b in contribution_batches(
        batch.to_batches(), bases=BASES, schema=schema
    )]  # fmt: skip
    assert all(b.schema == schema for b in out)
    assert pa.large_string() not in schema.types
    combined = pl.from_arrow(pa.Table.from_batches(out, schema=schema))
    valid, rejects = split_output(combined, frame.columns, valid_columns)
    keep = frame.with_columns(order=pl.col("row"))
    valid = in_bulk_order(valid.with_columns(order=pl.col("row")), "order")
    rejects = in_bulk_order(rejects.with_columns(order=pl.col("row")), "order")
    assert keep.height == valid.height + rejects.height
    assert expected_rejects.height == len(REJECTED) + len(REJECTED_BULK_ONLY)
    assert valid.equals(
        expected_valid.with_columns(pl.col(pl.Enum, pl.Categorical).cast(pl.String))
    )
    assert rejects.equals(
        expected_rejects.with_columns(pl.col(pl.Enum, pl.Categorical).cast(pl.String))
    )
