"""The benefit engine's typed interface, beyond the YAML cases: shapes, types, confidence."""

from __future__ import annotations

import dataclasses
from datetime import UTC, date, datetime
from decimal import Decimal

import pytest

from jamsos.legal import LegalInputError
from jamsos.legal.benefits import (
    BENEFITS,
    CASES,
    BenefitRequest,
    benefit_calculate,
    benefit_input,
    jht_yearly_return,
    jkk_care_limits,
    pension_age,
    scholarship_entitlement,
)
from jamsos.legal.messages import BENEFIT_NOTES, REASONS, render_benefit_note, render_reason

D = date(2025, 3, 10)


def test_cases_are_the_published_list() -> None:
    assert CASES == {
        "JKM": ("death",),
        "JKK": (
            "death",
            "temporary_disability",
            "total_permanent_disability",
            "partial_disability",
        ),
        "JHT": ("full", "partial_10", "partial_30"),
        "JP": ("old_age", "disability", "death"),
        "JKP": ("job_loss",),
    }


def test_as_dict_has_exactly_the_contract_keys() -> None:
    result = benefit_calculate(BenefitRequest("JKM", "death", D, contribution_months=12))
    data = result.as_dict()
    assert list(data) == [
        "program", "case", "date", "eligible", "reasons", "lines", "total_idr",
    ]  # fmt: skip
    assert data["date"] == "2025-03-10"
    for line in data["lines"]:
        assert list(line) == ["benefit", "amount_idr", "per_month_idr", "months", "reference"]
        assert line["benefit"] in BENEFITS
    assert data["total_idr"] == 42_000_000


def test_results_are_frozen() -> None:
    result = benefit_calculate(BenefitRequest("JKM", "death", D))
    with pytest.raises(dataclasses.FrozenInstanceError):
        result.total_idr = 0  # type: ignore[misc]
    with pytest.raises(dataclasses.FrozenInstanceError):
        result.lines[0].amount_idr = 0  # type: ignore[misc]


def test_each_line_names_its_parameter_and_confidence() -> None:
    result = benefit_calculate(
        BenefitRequest("JKK", "partial_disability", D, wage_idr=4_000_000, disability_row="one_eye")
    )
    (line,) = result.lines
    assert line.parameter == "benefits.jkk.partial_disability"
    assert line.confidence == "medium"  # the table row is MEDIUM
    assert line.amount_idr == 112_000_000  # 35% x 80 x 4,000,000
    assert "low_confidence_figures" in result.notes


def test_survivor_shares_show_low_confidence() -> None:
    result = benefit_calculate(
        BenefitRequest(
            "JP",
            "death",
            D,
            contribution_months=200,
            average_wage_idr=6_000_000,
            survivor="children",
        )
    )
    (line,) = result.lines
    assert (line.amount_idr, line.per_month_idr, line.confidence) == (None, 500_000, "low")
    assert result.total_idr == 0


def test_whole_number_percents_datetimes_and_lists_are_accepted() -> None:
    by_int = benefit_calculate(
        BenefitRequest(
            "JKK",
            "partial_disability",
            datetime(2025, 3, 10, 9, 30, tzinfo=UTC),
            wage_idr=5_000_000,
            disability_percent=35,  # type: ignore[arg-type]
        )
    )
    assert by_int.total_idr == 140_000_000
    assert by_int.date == D
    listed = benefit_calculate(
        BenefitRequest("JKM", "death", D, contribution_months=40, children=["PT"])  # type: ignore[arg-type]
    )
    assert listed.total_idr == 102_000_000


BAD_INPUT = [
    (BenefitRequest("JKK", "death", D, wage_idr=-1), "wage", "negative"),
    (BenefitRequest("JKK", "death", D, wage_idr=0), "wage", "not_positive"),
    (BenefitRequest("JHT", "full", D, balance_idr=10**13), "balance", "too_large"),
    (BenefitRequest("JKM", "death", D, segment="PMI"), "segment", "unknown_choice"),
    (
        BenefitRequest("JKM", "death", D, contribution_months=-3),
        "contribution_months",
        "out_of_range",
    ),
    (
        BenefitRequest("JP", "death", D, contribution_months=200, survivor="cousin"),
        "survivor",
        "unknown_choice",
    ),
    (
        BenefitRequest("JHT", "full", D, balance_idr=1, claim_reason="bored"),
        "claim_reason",
        "unknown_choice",
    ),
    (
        BenefitRequest(
            "JKK", "partial_disability", D, wage_idr=1, disability_percent=Decimal("NaN")
        ),
        "disability_percent",
        "not_percent",
    ),
]


@pytest.mark.parametrize(("request_", "field", "code"), BAD_INPUT)
def test_bad_input_names_the_public_field(request_: BenefitRequest, field: str, code: str) -> None:
    with pytest.raises(LegalInputError) as excinfo:
        benefit_calculate(request_)
    assert (excinfo.value.field, excinfo.value.code) == (field, code)
    assert excinfo.value.message("id")
    assert excinfo.value.message("en")


def test_benefit_input_refuses_unknown_fields_and_parses_strings() -> None:
    request = benefit_input(
        {"program": "jkk", "case": "Partial_Disability", "date": "2025-03-10", "wage": "5000000",
         "disability_percent": "35,5", "children": "sd, smp"}
    )  # fmt: skip
    assert (request.program, request.case, request.wage_idr) == (
        "JKK",
        "partial_disability",
        5_000_000,
    )
    assert request.disability_percent == Decimal("35.5")
    assert request.children == ("SD", "SMP")
    with pytest.raises(LegalInputError) as excinfo:
        benefit_input({"program": "JKM", "case": "death", "date": "2025-03-10", "salary": "1"})
    assert excinfo.value.field == "salary"


def test_every_reason_and_note_is_worded_in_both_languages() -> None:
    for key in REASONS:
        assert render_reason(key, "id") != render_reason(key, "en")
    for key in BENEFIT_NOTES:
        assert render_benefit_note(key, "id") != key
        assert render_benefit_note(key, "en") != key


def test_unknown_jht_years_say_so() -> None:
    assert jht_yearly_return(2021).known is False
    assert jht_yearly_return(2027).rate is None  # past the known parameters
    assert jht_yearly_return(2014).rate is None  # before the first year loaded
    assert jht_yearly_return(2016).rate == Decimal("0.0719")


def test_care_limits_and_scholarship_helpers() -> None:
    assert jkk_care_limits(D) == {
        "transport_land": 5_000_000,
        "transport_sea": 2_000_000,
        "transport_air": 10_000_000,
        "homecare": 20_000_000,
        "homecare_months": 12,
    }
    assert [scholarship_entitlement(level, D) for level in ("TK", "SD", "SMP", "SMA", "PT")] == [
        87_000_000, 87_000_000, 75_000_000, 69_000_000, 60_000_000,
    ]  # fmt: skip


def test_pension_age_follows_the_three_year_steps() -> None:
    ages = [pension_age(year) for year in range(2015, 2046)]
    assert ages[:4] == [56] * 4
    for index, year in enumerate(range(2019, 2043)):
        assert ages[4 + index] == 57 + (year - 2019) // 3
    assert ages[-3:] == [65, 65, 65]
