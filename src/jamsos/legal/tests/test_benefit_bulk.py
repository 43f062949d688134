"""The JP pension payroll (bulk path) agrees to the rupiah with the per-person calculator."""

from __future__ import annotations

import random
from datetime import date

import polars as pl
import pytest

from jamsos.legal.benefits import BenefitRequest, benefit_calculate
from jamsos.legal.benefits.bulk import pension_payroll_frame

#: A date in each benefit year, including those with a limit not found (2018, 2021, 2022).
DATES = [date(y, 6, 1) for y in range(2016, 2027)] + [date(2015, 7, 1), date(2026, 12, 31)]


def _per_person(months: int, wage: int, recipient: str | None, on: date) -> int:
    case = "old_age" if recipient is None else "death"
    result = benefit_calculate(
        BenefitRequest(
            program="JP",
            case=case,
            date=on,
            contribution_months=months,
            average_wage_idr=wage,
            survivor=recipient or "spouse",
        )
    )
    (line,) = result.lines
    assert line.per_month_idr is not None
    return line.per_month_idr


@pytest.mark.parametrize("on", DATES, ids=str)
def test_random_pensioners_match_per_person(on: date) -> None:
    rng = random.Random(on.toordinal())
    rows = []
    for _ in range(300):
        months = rng.choice([180, 181, 199, 240, 359, 480, rng.randint(180, 600)])
        wage = rng.choice(
            [1, 1_000_000, 4_321_987, 5_000_003, 40_000_000, rng.randint(1, 200_000_000)]
        )
        recipient = rng.choice([None, "spouse", "children", "parent"])
        rows.append(
            {"contribution_months": months, "average_wage_idr": wage, "recipient": recipient}
        )
    frame = pension_payroll_frame(pl.DataFrame(rows), on=on)
    assert frame["reject_field"].null_count() == len(rows)
    got = frame["pension_idr"].to_list()
    expected = [
        _per_person(r["contribution_months"], r["average_wage_idr"], r["recipient"], on)
        for r in rows
    ]
    assert got == expected


def test_a_hand_computed_payroll() -> None:
    frame = pl.DataFrame(
        {
            "pensioner": ["a", "b", "c", "d"],
            "contribution_months": [240, 180, 180, 200],
            "average_wage_idr": [6_000_000, 1_000_000, 40_000_000, 6_000_000],
            "recipient": [None, None, None, "spouse"],
        }
    )
    out = pension_payroll_frame(frame, on=date(2025, 6, 1))
    # 1% x 20 x 6,000,000 = 1,200,000; 150,000 -> minimum 399,700; 6,000,000 -> maximum
    # 4,792,300; 1,000,000 x spouse 50% = 500,000.
    assert out["pension_idr"].to_list() == [1_200_000, 399_700, 4_792_300, 500_000]
    assert out["pensioner"].to_list() == ["a", "b", "c", "d"]


def test_bad_rows_are_named_not_paid() -> None:
    frame = pl.DataFrame(
        {
            "contribution_months": [0, 180, 180, None],
            "average_wage_idr": [5_000_000, -1, 5_000_000, 5_000_000],
            "recipient": [None, None, "cousin", None],
        }
    )
    out = pension_payroll_frame(frame, on=date(2025, 6, 1))
    assert out["reject_field"].to_list() == [
        "contribution_months",
        "average_wage",
        "survivor",
        "contribution_months",
    ]
    assert out["pension_idr"].null_count() == 4
