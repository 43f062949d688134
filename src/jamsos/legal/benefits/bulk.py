"""The recurring JP pension payroll for many pensioners at once: the bulk path.

The same rule and parameters as the per-person path (:func:`jamsos.legal.benefits.
benefit_calculate` for JP ``old_age``, ``disability`` and ``death``), computed by Polars with no
Python per row; the parity test holds the two equal to the rupiah.

Input columns:

=======================  ==========================  =============================================
column                   type                        meaning
=======================  ==========================  =============================================
``contribution_months``  integer                     months the formula counts (180 where the
                                                     law counts the period as 15 years)
``average_wage_idr``     integer, rupiah             average indexed monthly wage
``recipient``            String, nullable            null or ``member`` - the member's own
                                                     pension; ``spouse``, ``children``, ``parent``
                                                     - a survivor's share (LOW confidence)
=======================  ==========================  =============================================

Output of :func:`pension_payroll_frame`: the input columns plus ``pension_idr`` (Int64, the
monthly pension within the published minimum and maximum of the benefit year in force on
``on``), and ``reject_field`` (String, null on a good row; else the public field refused:
``contribution_months``, ``average_wage``, ``survivor``), whose ``pension_idr`` is null. Other
columns (pensioner ids) pass through.

The pension is the first-year amount; later years are indexed by inflation, which is not in the
parameters: a payroll after the first year needs the indexed amounts from the pension records.
"""

from __future__ import annotations

import math
from datetime import date

import polars as pl

from jamsos.legal.benefits.calculate import (
    MAX_AMOUNT_IDR,
    MAX_MONTHS,
    P_JP_FORMULA,
    P_JP_LIMITS,
    P_JP_SHARES,
)
from jamsos.legal.money import rate_ppm
from jamsos.legal.params import RATE_SCALE, Parameters, parameters

RECIPIENTS = ("member", "spouse", "children", "parent")


def pension_payroll_frame(
    frame: pl.DataFrame, *, on: date, params: Parameters | None = None
) -> pl.DataFrame:
    """Monthly JP pensions for every row of ``frame`` under the law in force on ``on``."""
    params = params or parameters()
    formula = params.get(P_JP_FORMULA, on).value
    limits = params.get(P_JP_LIMITS, on).value
    shares = params.get(P_JP_SHARES, on).value
    # 1% / 12 reduced to a fraction: exact half-up rounding in int64 (no overflow below
    # MAX_AMOUNT_IDR x MAX_MONTHS), equal to the per-person integer formula.
    numerator = rate_ppm(formula["accrual_rate"])
    denominator = 12 * RATE_SCALE
    common = math.gcd(numerator, denominator)
    numerator, denominator = numerator // common, denominator // common

    if "recipient" not in frame.columns:
        frame = frame.with_columns(pl.lit(None, dtype=pl.String).alias("recipient"))
    months = pl.col("contribution_months").cast(pl.Int64)
    wage = pl.col("average_wage_idr").cast(pl.Int64)
    recipient = pl.col("recipient").cast(pl.String).fill_null("member")
    share_ppm = (
        pl.when(recipient == "member")
        .then(pl.lit(RATE_SCALE))
        .when(recipient == "spouse")
        .then(pl.lit(rate_ppm(shares["spouse"])))
        .when(recipient == "children")
        .then(pl.lit(rate_ppm(shares["children"])))
        .when(recipient == "parent")
        .then(pl.lit(rate_ppm(shares["parent"])))
        .otherwise(pl.lit(None))
        .cast(pl.Int64)
    )
    reject = (
        pl.when(months.is_null() | (months < 1) | (months > MAX_MONTHS))
        .then(pl.lit("contribution_months"))
        .when(wage.is_null() | (wage < 1) | (wage > MAX_AMOUNT_IDR))
        .then(pl.lit("average_wage"))
        .when(share_ppm.is_null())
        .then(pl.lit("survivor"))
        .otherwise(pl.lit(None, dtype=pl.String))
    )
    base = (wage * months * numerator + denominator // 2) // denominator
    if limits["minimum"] is not None:
        base = pl.max_horizontal(base, pl.lit(limits["minimum"], dtype=pl.Int64))
    if limits["maximum"] is not None:
        base = pl.min_horizontal(base, pl.lit(limits["maximum"], dtype=pl.Int64))
    pension = (base * share_ppm + RATE_SCALE // 2) // RATE_SCALE
    return frame.with_columns(reject.alias("reject_field")).with_columns(
        pl.when(pl.col("reject_field").is_null())
        .then(pension)
        .otherwise(pl.lit(None, dtype=pl.Int64))
        .cast(pl.Int64)
        .alias("pension_idr")
    )
