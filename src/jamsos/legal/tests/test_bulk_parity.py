"""The bulk path (``legal.bulk``) against the per-person path (``legal.contribution``).

Every slot and every total must agree to the rupiah, for all four segments and every month from
2015-07 to the last known month, with the edge values of each rule: wages around the JP and JKP
caps, incomes around the BPU tiers, contract values at the Jakon band bounds, the PMI package
lengths, and the months where relief starts and ends. Rows the per-person path refuses must be
in the bulk rejects frame with the same field and code.

Hypothesis keeps no example database here; ``pytest --hypothesis-seed=N`` reproduces a run.
"""

from __future__ import annotations

import random
from collections.abc import Iterable, Mapping
from typing import Any

import polars as pl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from jamsos.legal import (
    ContributionInput,
    EmployerSize,
    Industry,
    LegalInputError,
    Period,
    Program,
    Segment,
    bulk,
    contribution,
    parameters,
)
from jamsos.legal.contribution import last_period
from jamsos.legal.inputs import contribution_input

PARAMS = parameters()
FIRST = Period(2015, 7)
LAST = last_period(PARAMS)
PMI_FIRST = Period(2019, 1)
ALL_MONTHS = [Period.from_index(i) for i in range(FIRST.index, LAST.index + 1)]
PMI_MONTHS = [p for p in ALL_MONTHS if p >= PMI_FIRST]
#: Months where a rule starts or stops: PP 49/2020, JKP funding, PP 6/2025, PP 7/2025, JP caps.
BOUNDARY_MONTHS = [
    Period(2015, 7),
    Period(2016, 2),
    Period(2016, 3),
    Period(2020, 7),
    Period(2020, 8),
    Period(2021, 1),
    Period(2021, 2),
    Period(2021, 3),
    Period(2025, 1),
    Period(2025, 2),
    Period(2025, 7),
    Period(2025, 8),
    Period(2026, 1),
    Period(2026, 2),
    Period(2026, 3),
    LAST,
]
ELIGIBLE_INDUSTRIES = [Industry.TEXTILE_APPAREL, Industry.FOOTWEAR, Industry.FURNITURE]
JKP_CAP = 5_000_000
PLACEMENTS = [1, 2, 5, 6, 7, 11, 12, 13, 23, 24, 25, 36, 60, 119, 120]
MAX_WAGE = 1_000_000_000_000
MAX_CONTRACT = 1_000_000_000_000_000

SCHEMA: dict[str, Any] = {
    "id": pl.Int64,
    "period": pl.Int32,
    "segment": pl.String,
    "wage_idr": pl.Int64,
    "income_idr": pl.Int64,
    "contract_value_idr": pl.Int64,
    "placement_months": pl.Int64,
    "risk_class": pl.Int8,
    "employer_size": pl.String,
    "optional_programs": pl.Int8,
    "industry": pl.String,
    "worker_count": pl.Int64,
    "jkp_eligible": pl.Boolean,
}
PROGRAM_BITS = ((bulk.OPTIONAL_JHT, Program.JHT), (bulk.OPTIONAL_JP, Program.JP))


# --------------------------------------------------------------------------------------------
# One row, as a bulk frame row and as a per-person input


def _row(**fields: Any) -> dict[str, Any]:
    row = dict.fromkeys(SCHEMA)
    row.update(fields)
    return row


def _input(row: Mapping[str, Any]) -> ContributionInput:
    """The per-person input that a valid bulk row stands for (fields of its segment only)."""
    segment = Segment(row["segment"])
    pu = segment is Segment.PU
    optional = (row["optional_programs"] or 0) if segment in (Segment.PU, Segment.BPU) else 0
    return ContributionInput(
        segment=segment,
        period=Period.from_index(row["period"]),
        wage_idr=row["wage_idr"] if pu else None,
        income_idr=row["income_idr"] if segment is Segment.BPU else None,
        contract_value_idr=row["contract_value_idr"] if segment is Segment.JAKON else None,
        placement_months=row["placement_months"] if segment is Segment.PMI else None,
        risk_class=row["risk_class"] if pu else None,
        employer_size=EmployerSize(row["employer_size"]) if pu and row["employer_size"] else None,
        programs=frozenset(p for bit, p in PROGRAM_BITS if optional & bit),
        industry=Industry(row["industry"]) if pu and row["industry"] else None,
        worker_count=row["worker_count"] if pu else None,
        jkp_eligible=row["jkp_eligible"] is not False,
    )


def _expected(row: Mapping[str, Any]) -> dict[str, int]:
    breakdown = contribution(_input(row), PARAMS)
    by_slot = breakdown.amounts_by_slot()
    assert set(by_slot) <= set(bulk.SLOTS), f"unknown slot in {sorted(by_slot)}"
    out = {slot: by_slot.get(slot, 0) for slot in bulk.SLOTS}
    out.update(breakdown.totals.to_json())
    return out


def _frame(rows: Iterable[Mapping[str, Any]]) -> pl.DataFrame:
    return pl.DataFrame(list(rows), schema=SCHEMA, orient="row")


def _assert_parity(rows: list[dict[str, Any]]) -> pl.DataFrame:
    """Bulk amounts equal the per-person ones for every row (all rows must be valid)."""
    rows = [{**row, "id": i} for i, row in enumerate(rows)]
    out, rejects = pl.collect_all(list(bulk.contributions_and_rejects(_frame(rows), PARAMS)))
    assert rejects.height == 0, rejects.head(5)
    assert out.height == len(rows)
    columns = [*bulk.SLOTS, *bulk.TOTALS]
    got_by_id = {r["id"]: r for r in out.select("id", *columns).iter_rows(named=True)}
    mismatches = []
    for row in rows:
        expected = _expected(row)
        got = {c: got_by_id[row["id"]][c] for c in columns}
        if got != expected:
            diff = {c: (expected[c], got[c]) for c in columns if expected[c] != got[c]}
            mismatches.append((str(Period.from_index(row["period"])), row, diff))
    assert not mismatches, (
        f"{len(mismatches)} rows differ (expected, bulk); first: {mismatches[:3]}"
    )
    return out


# --------------------------------------------------------------------------------------------
# Edge values


def _jp_cap(period: Period) -> int:
    return int(PARAMS.get("pu.jp_wage_cap", period.legal_date).value)


def _edges(value: int, spread: Iterable[int] = (-2, -1, 0, 1, 2)) -> list[int]:
    return [value + d for d in spread if value + d > 0]


def _wage_edges(period: Period) -> list[int]:
    return [
        1,
        2,
        *_edges(_jp_cap(period)),
        *_edges(JKP_CAP),
        *_edges(1_000_000, (-1, 0, 1)),
        4_999_999,
        9_999_999,
        MAX_WAGE,
        MAX_WAGE - 1,
    ]


def _income_edges() -> list[int]:
    tiers = PARAMS.get("bpu.income_tiers", FIRST.legal_date).value
    low, high, step = int(tiers["minimum"]), int(tiers["maximum"]), int(tiers["step"])
    return [
        1,
        low - 1,
        *_edges(low, (0, 1)),
        *_edges(low + step, (-1, 0, 1)),
        *_edges(low + 17 * step, (-1, 0, 1)),
        *_edges(high, (-1, 0, 1)),
        high + step,
        MAX_WAGE,
    ]


def _contract_edges() -> list[int]:
    bounds = PARAMS.get("jakon.bands", FIRST.legal_date).value["upper_bounds"]
    out = [1, 2, 499, 500, 501, MAX_CONTRACT, MAX_CONTRACT - 1]
    for bound in bounds:
        out += _edges(int(bound), (-1, 0, 1))
    return out


def _pu_row(
    rng: random.Random, period: Period, wage: int | None = None, **fields: Any
) -> dict[str, Any]:
    industry = rng.choice([*ELIGIBLE_INDUSTRIES, Industry.OTHER, None, None])
    if wage is None:
        wage = rng.choice(_wage_edges(period) + [rng.randint(1, 40_000_000)] * 6)
    row = _row(
        period=period.index,
        segment="PU",
        wage_idr=wage,
        risk_class=rng.choice([None, 1, 2, 3, 4, 5]),
        employer_size=rng.choice([None, *(s.value for s in EmployerSize)]),
        optional_programs=rng.choice([None, 0, 1, 2, 3]),
        industry=industry.value if industry else None,
        worker_count=rng.choice([None, 1, 49, 50, 51, 10_000_000]),
        jkp_eligible=rng.choice([None, True, False]),
    )
    row.update(fields)
    return row


def _bpu_row(rng: random.Random, period: Period, income: int | None = None) -> dict[str, Any]:
    if income is None:
        income = rng.choice(_income_edges() + [rng.randint(1, 30_000_000)] * 4)
    optional = rng.choice([None, 0, 1])
    return _row(period=period.index, segment="BPU", income_idr=income, optional_programs=optional)


def _jakon_row(rng: random.Random, period: Period, value: int | None = None) -> dict[str, Any]:
    if value is None:
        value = rng.choice(_contract_edges() + [rng.randint(1, 10 ** rng.randint(3, 15))] * 4)
    return _row(period=period.index, segment="JAKON", contract_value_idr=value)


def _pmi_row(rng: random.Random, period: Period, months: int | None = None) -> dict[str, Any]:
    placement = months if months is not None else rng.choice(PLACEMENTS)
    return _row(period=period.index, segment="PMI", placement_months=placement)


# --------------------------------------------------------------------------------------------
# Every month, every segment, deterministic


def test_monthly_table_covers_every_month() -> None:
    monthly = bulk.monthly_parameters(PARAMS)
    assert monthly["period"].to_list() == [p.index for p in ALL_MONTHS]
    assert str(Period.from_index(monthly["period"][0])) == "2015-07"
    assert str(Period.from_index(monthly["period"][-1])) == str(LAST) == "2026-12"
    assert monthly.filter(pl.col("in_force_pmi"))["period"][0] == PMI_FIRST.index


ROWS_PER_MONTH = 20  # per segment


def test_every_month_every_segment() -> None:
    rng = random.Random(20250207)
    rows = []
    for period in ALL_MONTHS:
        for _ in range(ROWS_PER_MONTH):
            rows.append(_pu_row(rng, period))
            rows.append(_bpu_row(rng, period))
            rows.append(_jakon_row(rng, period))
            if period >= PMI_FIRST:
                rows.append(_pmi_row(rng, period))
    _assert_parity(rows)


#: (industry, workers): PP 7/2025 needs a listed industry and at least 50 workers.
LABOUR_INTENSIVE_EDGES = [
    ("textile_apparel", 49),
    ("textile_apparel", 50),
    ("food_beverage_tobacco", 51),
    ("other", 50),
    (None, 50),
    ("footwear", None),
]


def test_edge_values_in_boundary_months() -> None:
    rng = random.Random(7)
    rows = []
    for period in BOUNDARY_MONTHS:
        for wage in _wage_edges(period):
            for industry, workers in LABOUR_INTENSIVE_EDGES:
                rows.append(_pu_row(rng, period, wage, industry=industry, worker_count=workers))
        for size in EmployerSize:
            for optional in range(4):
                for eligible in (True, False, None):
                    rows.append(
                        _pu_row(rng, period, employer_size=size.value,
                                optional_programs=optional, jkp_eligible=eligible)
                    )  # fmt: skip
        for risk_class in (None, 1, 2, 3, 4, 5):
            rows.append(
                _pu_row(rng, period, risk_class=risk_class, industry="furniture", worker_count=50)
            )
        for income in _income_edges():
            for optional in (None, 0, 1):
                rows.append({**_bpu_row(rng, period, income), "optional_programs": optional})
        rows += [_jakon_row(rng, period, value) for value in _contract_edges()]
        if period >= PMI_FIRST:
            rows += [_pmi_row(rng, period, months) for months in PLACEMENTS]
    _assert_parity(rows)


def test_pmi_package_change() -> None:
    """Permenaker 18/2018 had one package; Permenaker 4/2023 has three (from 2023-03)."""
    rng = random.Random(3)
    months = [Period(2019, 1), Period(2023, 2), Period(2023, 3), LAST]
    out = _assert_parity([_pmi_row(rng, p, m) for p in months for m in PLACEMENTS])
    assert out["pmi_extension"].max() > 0


# --------------------------------------------------------------------------------------------
# Random rows (hypothesis), biased to the edges


def _period(months: list[Period]) -> st.SearchStrategy[Period]:
    boundary = [p for p in BOUNDARY_MONTHS if p in months]
    return st.one_of(st.sampled_from(boundary), st.sampled_from(months))


@st.composite
def pu_rows(draw: st.DrawFn) -> dict[str, Any]:
    period = draw(_period(ALL_MONTHS))
    wage = draw(
        st.one_of(
            st.sampled_from(_wage_edges(period)),
            st.integers(1, 50_000_000),
            st.integers(1, MAX_WAGE),
        )
    )
    industry = draw(st.sampled_from([*ELIGIBLE_INDUSTRIES, Industry.OTHER, None]))
    return _row(
        period=period.index,
        segment="PU",
        wage_idr=wage,
        risk_class=draw(st.one_of(st.none(), st.integers(1, 5))),
        employer_size=draw(st.sampled_from([None, *(s.value for s in EmployerSize)])),
        optional_programs=draw(st.one_of(st.none(), st.integers(0, 3))),
        industry=industry.value if industry else None,
        worker_count=draw(st.one_of(st.none(), st.sampled_from([49, 50]), st.integers(1, 10_000))),
        jkp_eligible=draw(st.one_of(st.none(), st.booleans())),
    )


@st.composite
def bpu_rows(draw: st.DrawFn) -> dict[str, Any]:
    period = draw(_period(ALL_MONTHS))
    income = draw(
        st.one_of(
            st.sampled_from(_income_edges()),
            st.integers(1, 30_000_000),
            st.integers(1, MAX_WAGE),
        )
    )
    optional = draw(st.one_of(st.none(), st.integers(0, 1)))
    return _row(period=period.index, segment="BPU", income_idr=income, optional_programs=optional)


@st.composite
def jakon_rows(draw: st.DrawFn) -> dict[str, Any]:
    period = draw(_period(ALL_MONTHS))
    value = draw(
        st.one_of(
            st.sampled_from(_contract_edges()),
            st.integers(1, 10_000_000_000),
            st.integers(1, MAX_CONTRACT),
        )
    )
    return _row(period=period.index, segment="JAKON", contract_value_idr=value)


@st.composite
def pmi_rows(draw: st.DrawFn) -> dict[str, Any]:
    period = draw(_period(PMI_MONTHS))
    months = draw(st.one_of(st.sampled_from(PLACEMENTS), st.integers(1, 120)))
    return _row(period=period.index, segment="PMI", placement_months=months)


@settings(
    max_examples=150, deadline=None, database=None, suppress_health_check=[HealthCheck.too_slow]
)
@given(
    st.lists(st.one_of(pu_rows(), bpu_rows(), jakon_rows(), pmi_rows()), min_size=1, max_size=40)
)
def test_random_rows_match_per_person(rows: list[dict[str, Any]]) -> None:
    _assert_parity(rows)


# --------------------------------------------------------------------------------------------
# Rejects


def _raw(row: Mapping[str, Any]) -> dict[str, Any]:
    """A bulk row as the per-person path's public fields (for ``contribution_input``)."""
    segment = row["segment"]
    period = row["period"]
    raw: dict[str, Any] = {
        "segment": segment,
        "period": str(Period.from_index(period)) if isinstance(period, int) else period,
    }
    by_segment = {
        "PU": {"wage": "wage_idr", "risk_class": "risk_class", "employer_size": "employer_size",
               "industry": "industry", "workers": "worker_count", "jkp_eligible": "jkp_eligible"},
        "BPU": {"income": "income_idr"},
        "JAKON": {"contract_value": "contract_value_idr"},
        "PMI": {"placement_months": "placement_months"},
    }  # fmt: skip
    for field, column in by_segment.get(segment, {}).items():
        raw[field] = row.get(column)
    optional = row.get("optional_programs")
    if segment in ("PU", "BPU") and optional:
        raw["programs"] = [p.value for bit, p in PROGRAM_BITS if optional & bit]
    return raw


def _per_person_error(row: Mapping[str, Any]) -> tuple[str, str]:
    with pytest.raises(LegalInputError) as caught:
        contribution(contribution_input(_raw(row)), PARAMS)
    return caught.value.field, caught.value.code


MARCH_2025 = Period(2025, 3)


def _bad(segment: str | None, period: Period | None = MARCH_2025, **fields: Any) -> dict[str, Any]:
    return _row(segment=segment, period=None if period is None else period.index, **fields)


WAGE = {"wage_idr": 5_000_000}
REJECTED = [
    (_bad("PU", Period(2015, 6), **WAGE), "period", "period_before_law"),
    (_bad("BPU", Period(2027, 1), income_idr=5), "period", "period_after_parameters"),
    (_bad("PMI", Period(2018, 12), placement_months=12), "period", "segment_not_in_force"),
    (_bad("PMI", Period(2015, 7), placement_months=12), "period", "segment_not_in_force"),
    (_bad("PU"), "wage", "required"),
    (_bad("PU", income_idr=5_000_000), "wage", "required"),
    (_bad("PU", wage_idr=0), "wage", "not_positive"),
    (_bad("PU", wage_idr=-1), "wage", "negative"),
    (_bad("PU", wage_idr=MAX_WAGE + 1), "wage", "too_large"),
    (_bad("BPU", income_idr=0), "income", "not_positive"),
    (_bad("JAKON"), "contract_value", "required"),
    (_bad("JAKON", contract_value_idr=MAX_CONTRACT + 1), "contract_value", "too_large"),
    (_bad("PMI", placement_months=0), "placement_months", "out_of_range"),
    (_bad("PMI", placement_months=121), "placement_months", "out_of_range"),
    (_bad("PU", **WAGE, risk_class=0), "risk_class", "out_of_range"),
    (_bad("PU", **WAGE, risk_class=6), "risk_class", "out_of_range"),
    (_bad("PU", **WAGE, employer_size="huge"), "employer_size", "unknown_choice"),
    (_bad("PU", **WAGE, industry="mining"), "industry", "unknown_choice"),
    (_bad("PU", **WAGE, worker_count=0), "workers", "out_of_range"),
    (_bad("BPU", income_idr=5, optional_programs=2), "programs", "program_not_available"),
]
#: Rejects the per-person path cannot be given in the same form (no bitmask, no null segment).
REJECTED_BULK_ONLY = [
    (_bad(None, **WAGE), "segment", "required"),
    (_bad("pu", **WAGE), "segment", "unknown_choice"),
    (_bad("PU", None, **WAGE), "period", "required"),
    (_bad("PU", **WAGE, optional_programs=4), "programs", "unknown_choice"),
    (_bad("PU", **WAGE, optional_programs=-1), "programs", "unknown_choice"),
]


@pytest.mark.parametrize(("row", "field", "code"), REJECTED)
def test_reject_matches_per_person_error(row: dict[str, Any], field: str, code: str) -> None:
    assert _per_person_error(row) == (field, code)
    valid, rejects = pl.collect_all(list(bulk.split_valid(_frame([row]), PARAMS)))
    assert valid.height == 0
    assert rejects.select(bulk.REJECT_COLUMNS).rows() == [(field, code)]


def test_rejects_frame_reasons_and_valid_rows() -> None:
    rng = random.Random(11)
    good = [_pu_row(rng, Period(2025, 3)), _bpu_row(rng, Period(2019, 1)),
            _jakon_row(rng, Period(2020, 8)), _pmi_row(rng, PMI_FIRST)]  # fmt: skip
    bad = [row for row, _, _ in REJECTED + REJECTED_BULK_ONLY]
    rows = [{**row, "id": i} for i, row in enumerate(good + bad)]
    valid, rejects = pl.collect_all(list(bulk.split_valid(_frame(rows), PARAMS, keep_order=True)))
    assert valid.to_dicts() == _frame(rows[: len(good)]).to_dicts()
    expected = [(r["id"], field, code) for r, (_, field, code) in
                zip(rows[len(good):], REJECTED + REJECTED_BULK_ONLY, strict=True)]  # fmt: skip
    assert rejects.select("id", *bulk.REJECT_COLUMNS).rows() == expected
    assert rejects.columns == [*SCHEMA, *bulk.REJECT_COLUMNS]
    # contributions_frame leaves the rejects out.
    out = bulk.contributions(_frame(rows), PARAMS, keep_order=True)
    assert out["id"].to_list() == [r["id"] for r in rows[: len(good)]]


@st.composite
def wild_rows(draw: st.DrawFn) -> dict[str, Any]:
    """Any row at all: valid or not, with values in columns its segment ignores."""
    amount = st.one_of(st.none(), st.integers(-3, 3), st.integers(1, 10**16))
    return _row(
        segment=draw(st.sampled_from(["PU", "BPU", "JAKON", "PMI", None, "pu", "X"])),
        period=draw(st.one_of(st.none(), st.integers(FIRST.index - 3, LAST.index + 3))),
        wage_idr=draw(amount),
        income_idr=draw(amount),
        contract_value_idr=draw(amount),
        placement_months=draw(st.one_of(st.none(), st.integers(-1, 125))),
        risk_class=draw(st.one_of(st.none(), st.integers(-1, 7))),
        employer_size=draw(st.sampled_from([None, "micro", "large", "huge"])),
        optional_programs=draw(st.one_of(st.none(), st.integers(-1, 5))),
        industry=draw(st.sampled_from([None, "footwear", "other", "mining"])),
        worker_count=draw(st.one_of(st.none(), st.integers(-1, 60))),
        jkp_eligible=draw(st.one_of(st.none(), st.booleans())),
    )


@settings(max_examples=80, deadline=None, database=None)
@given(st.lists(wild_rows(), min_size=1, max_size=30))
def test_every_row_is_valid_or_rejected_with_a_reason(rows: list[dict[str, Any]]) -> None:
    rows = [{**row, "id": i} for i, row in enumerate(rows)]
    valid, rejects = pl.collect_all(list(bulk.split_valid(_frame(rows), PARAMS)))
    valid_ids, rejected_ids = set(valid["id"]), set(rejects["id"])
    assert not valid_ids & rejected_ids
    assert valid_ids | rejected_ids == set(range(len(rows)))
    assert rejects["reject_code"].null_count() == 0
    assert rejects["reject_field"].null_count() == 0
    for row in rows:
        if row["id"] in valid_ids:
            contribution_input(_raw(row))  # the per-person path accepts it too
    _assert_parity([row for row in rows if row["id"] in valid_ids])


def test_first_failing_check_is_reported() -> None:
    rows = [
        _bad("PU", Period(2030, 1), wage_idr=0, risk_class=9),
        _bad("PU", wage_idr=0, risk_class=9),
        _bad("PU", **WAGE, risk_class=9, optional_programs=8, industry="mining"),
        _bad("PU", **WAGE, optional_programs=8, industry="mining"),
        _bad("PU", **WAGE, optional_programs=8),
        _bad("PMI", Period(2018, 1), placement_months=0),
    ]
    _, rejects = bulk.split_valid(_frame(rows), PARAMS, keep_order=True)
    assert rejects.select(bulk.REJECT_COLUMNS).collect().rows() == [
        ("period", "period_after_parameters"),
        ("wage", "not_positive"),
        ("risk_class", "out_of_range"),
        ("industry", "unknown_choice"),
        ("programs", "unknown_choice"),
        ("period", "segment_not_in_force"),
    ]


# --------------------------------------------------------------------------------------------
# Input forms, order, long form, schema


def _sample(n: int = 400) -> list[dict[str, Any]]:
    rng = random.Random(5)
    rows = []
    for i in range(n):
        period = rng.choice(PMI_MONTHS)
        make = rng.choice([_pu_row, _bpu_row, _jakon_row, _pmi_row])
        rows.append({**make(rng, period), "id": i})
    return rows


def test_input_dtypes_give_the_same_result() -> None:
    frame = _frame(_sample())
    expected = bulk.contributions(frame, PARAMS, keep_order=True)
    enums = frame.with_columns(
        pl.col("segment").cast(bulk.SEGMENT_DTYPE),
        pl.col("employer_size").cast(bulk.EMPLOYER_SIZE_DTYPE),
        pl.col("industry").cast(bulk.INDUSTRY_DTYPE),
    )
    categoricals = frame.with_columns(
        pl.col("segment", "employer_size", "industry").cast(pl.Categorical)
    )
    text_periods = frame.with_columns(
        period=pl.format(
            "{}-{}",
            pl.col("period") // 12,
            (pl.col("period") % 12 + 1).cast(pl.String).str.zfill(2),
        )
    )
    for variant in (enums, categoricals, text_periods):
        got = bulk.contributions(variant.lazy(), PARAMS, keep_order=True)
        assert got.select("id", *bulk.SLOTS, *bulk.TOTALS).equals(
            expected.select("id", *bulk.SLOTS, *bulk.TOTALS)
        )


def test_text_period_helper() -> None:
    frame = pl.DataFrame({"period": ["2025-03", " 2015-07 ", "2025-13", "2025-3", "x", None]})
    got = frame.select(bulk.period_index("period"))["period"].to_list()
    assert got == [Period(2025, 3).index, Period(2015, 7).index, None, None, None, None]
    row = _row(segment="PU", period=0, wage_idr=5_000_000)
    frame = _frame([row]).with_columns(pl.lit("2025-13").alias("period"))
    _, rejects = bulk.split_valid(frame, PARAMS)
    assert rejects.select(bulk.REJECT_COLUMNS).collect().rows() == [("period", "bad_period")]


def test_rows_grouped_by_segment_unless_order_kept() -> None:
    frame = _frame(_sample())
    grouped = bulk.contributions(frame, PARAMS)
    kept = bulk.contributions(frame, PARAMS, keep_order=True)
    assert kept["id"].to_list() == sorted(frame["id"].to_list())
    assert grouped.sort("id").equals(kept)
    segments = grouped["segment"].to_list()
    order = ["PU", "BPU", "JAKON", "PMI"]
    assert segments == sorted(segments, key=order.index)


def test_missing_optional_columns_count_as_null() -> None:
    frame = pl.DataFrame(
        {"segment": ["PU", "BPU"], "period": [Period(2025, 3).index] * 2,
         "wage_idr": [5_000_000, None], "income_idr": [None, 2_000_000]}
    )  # fmt: skip
    out = bulk.contributions(frame, PARAMS, keep_order=True)
    inputs = [
        {"segment": "PU", "period": "2025-03", "wage": 5_000_000},
        {"segment": "BPU", "period": "2025-03", "income": 2_000_000},
    ]
    for got, raw in zip(out.iter_rows(named=True), inputs, strict=True):
        assert got["total_idr"] == contribution(contribution_input(raw)).totals.total_idr


def test_to_lines_sums_to_the_totals() -> None:
    out = bulk.contributions(_frame(_sample()), PARAMS)
    lines = bulk.to_lines(out).collect()
    assert lines.columns[-4:] == ["slot", "program", "payer", "amount_idr"]
    assert (lines["amount_idr"] != 0).all()
    payers = lines.group_by("id", "payer").agg(pl.col("amount_idr").sum())
    employer = payers.filter(pl.col("payer") == "employer").select("id", "amount_idr")
    joined = out.select("id", "employer_idr").join(employer, on="id", how="left")
    assert joined.select((pl.col("amount_idr").fill_null(0) == pl.col("employer_idr")).all()).item()
    slot_sum = out.select(pl.sum_horizontal(bulk.SLOTS).sum()).item()
    assert lines["amount_idr"].sum() == slot_sum
    per_line = lines.select("slot", "program", "payer").unique().rows()
    for slot, program, payer in per_line:
        assert bulk.SLOT_PROGRAM[slot].value == program
        assert bulk.SLOT_PAYER[slot].value == payer


def test_unsigned_amounts_beyond_int64_are_too_large() -> None:
    huge = 2**64 - 1
    frame = pl.DataFrame(
        {
            "segment": ["PU", "PU"],
            "period": pl.Series([MARCH_2025.index, huge], dtype=pl.UInt64),
            "wage_idr": pl.Series([huge, 5_000_000], dtype=pl.UInt64),
        }
    )
    _, rejects = bulk.split_valid(frame, PARAMS, keep_order=True)
    assert rejects.select(bulk.REJECT_COLUMNS).collect().rows() == [
        ("wage", "too_large"),
        ("period", "period_after_parameters"),
    ]


@pytest.mark.parametrize(
    "frame",
    [
        pl.DataFrame({"segment": ["PU"], "wage_idr": [1]}),
        pl.DataFrame({"period": [1], "segment": ["PU"], "wage_idr": [1.5]}),
        pl.DataFrame({"period": [1.0], "segment": ["PU"], "wage_idr": [1]}),
        pl.DataFrame({"period": [1], "segment": [1], "wage_idr": [1]}),
        pl.DataFrame({"period": [1], "segment": ["PU"], "jkp_eligible": ["yes"]}),
        pl.DataFrame({"period": [1], "segment": ["PU"], "total_idr": [1]}),
    ],
)
def test_schema_errors_raise(frame: pl.DataFrame) -> None:
    with pytest.raises(bulk.FrameSchemaError):
        bulk.contributions_frame(frame, PARAMS)
