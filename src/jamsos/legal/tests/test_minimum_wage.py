"""Minimum wages: the figures of rules.md §12.5, the UMK-then-UMP lookup, dates, exemptions."""

from __future__ import annotations

import textwrap
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

from jamsos.legal.errors import ParameterFileError
from jamsos.legal.minimum_wage import (
    Basis,
    Verdict,
    absurd_floor,
    minimum_wage,
    minimum_wage_spans,
    wage_check,
)
from jamsos.legal.params import load_parameters

# rules.md §12.5, Rp a month; cents exact.
RULES = {
    (Basis.UMP, "31", 2025): Decimal("5396761"),
    (Basis.UMP, "31", 2026): Decimal("5729876"),
    (Basis.UMP, "32", 2025): Decimal("2191232"),
    (Basis.UMP, "32", 2026): Decimal("2317601"),
    (Basis.UMK, "32.73", 2025): Decimal("4482914.09"),
    (Basis.UMK, "32.73", 2026): Decimal("4737678"),
    (Basis.UMK, "32.04", 2025): Decimal("3757284.86"),
    (Basis.UMK, "32.04", 2026): Decimal("3972202"),
    (Basis.UMP, "35", 2025): Decimal("2305985"),
    (Basis.UMP, "35", 2026): Decimal("2446880.68"),
    (Basis.UMK, "35.78", 2025): Decimal("4961753"),
    (Basis.UMK, "35.78", 2026): Decimal("5288796"),
}


@pytest.mark.parametrize(("key", "amount"), list(RULES.items()))
def test_figures_match_rules(key: tuple[Basis, str, int], amount: Decimal) -> None:
    basis, code, year = key
    province = code.split(".")[0]
    regency = code if basis is Basis.UMK else ""
    found = minimum_wage(province_code=province, regency_code=regency, on=date(year, 3, 1))
    assert (found.basis, found.region_code, found.amount) == (basis, code, amount)
    assert found.reference


def test_umk_applies_before_ump_and_ump_when_the_regency_has_none() -> None:
    on = date(2026, 1, 1)
    bandung = minimum_wage(province_code="32", regency_code="32.73", on=on)
    bekasi = minimum_wage(province_code="32", regency_code="32.16", on=on)
    assert (bandung.basis, bandung.amount) == (Basis.UMK, Decimal("4737678"))
    assert (bekasi.basis, bekasi.region_code, bekasi.amount) == (
        Basis.UMP,
        "32",
        Decimal("2317601"),
    )


def test_day_before_and_day_of_each_change() -> None:
    # 2025 starts on 1 January: the day before, no minimum is known.
    before = minimum_wage(province_code="31", on=date(2024, 12, 31))
    day_of = minimum_wage(province_code="31", on=date(2025, 1, 1))
    assert before.basis is Basis.UNKNOWN
    assert before.amount is None
    assert day_of.amount == Decimal("5396761")
    # Surabaya's revised 2025 UMK from 1 November 2025.
    october = minimum_wage(province_code="35", regency_code="35.78", on=date(2025, 10, 31))
    november = minimum_wage(province_code="35", regency_code="35.78", on=date(2025, 11, 1))
    assert (october.amount, november.amount) == (Decimal("4961753"), Decimal("5032635"))
    # The 2026 figure holds to 31 December 2026 and not beyond: 2027's is not known.
    last = minimum_wage(province_code="31", on=date(2026, 12, 31))
    next_year = minimum_wage(province_code="31", on=date(2027, 1, 1))
    assert last.amount == Decimal("5729876")
    assert next_year.basis is Basis.UNKNOWN


def test_region_without_data_is_unknown_not_a_pass() -> None:
    check = wage_check(
        wage_idr=100_000, province_code="11", regency_code="11.71", on=date(2026, 2, 1)
    )
    assert check.verdict is Verdict.MINIMUM_UNKNOWN
    assert check.flagged


def test_wage_check_verdicts_at_the_cent() -> None:
    on = date(2025, 6, 1)
    kab = {"province_code": "32", "regency_code": "32.04", "on": on}
    # 3,757,284.86: Rp 3,757,284 is below, Rp 3,757,285 is not.
    assert wage_check(wage_idr=3_757_284, **kab).verdict is Verdict.BELOW_MINIMUM
    assert wage_check(wage_idr=3_757_285, **kab).verdict is Verdict.OK
    assert not wage_check(wage_idr=3_757_285, **kab).flagged


def test_micro_and_small_employers_are_exempt() -> None:
    on = date(2026, 5, 1)
    for size in ("micro", "small"):
        check = wage_check(wage_idr=1_000_000, province_code="31", employer_size=size, on=on)
        assert check.verdict is Verdict.EXEMPT
        assert not check.flagged
        assert "PP 36/2021" in check.minimum.reference
    medium = wage_check(wage_idr=1_000_000, province_code="31", employer_size="medium", on=on)
    assert medium.verdict is Verdict.BELOW_MINIMUM


def test_absurd_floor() -> None:
    assert absurd_floor(date(2026, 1, 1)) == 100_000
    assert absurd_floor(date(1980, 1, 1)) == 100_000  # the date is refused on its own ground


def test_spans_cover_each_value_and_end_with_the_year() -> None:
    spans = {(s.basis, s.region_code, s.since): s for s in minimum_wage_spans()}
    assert len(spans) == 13
    surabaya = spans[(Basis.UMK, "35.78", date(2025, 1, 1))]
    assert surabaya.until == date(2025, 11, 1)
    dki = spans[(Basis.UMP, "31", date(2026, 1, 1))]
    assert (dki.until, dki.amount) == (date(2027, 1, 1), Decimal("5729876"))
    # UMK spans come first, so a CASE over them picks a regency's figure before its province's.
    ordered = [s.basis for s in minimum_wage_spans()]
    assert ordered == sorted(ordered, key=lambda b: b is Basis.UMP)


def _tree(root: Path, value: str) -> Path:
    (root / "minimum_wage" / "ump").mkdir(parents=True)
    (root / "meta.yaml").write_text("known_until: 2026-12-31\n", encoding="utf-8")
    text = f"""\
        description: A test minimum wage
        unit: idr_exact
        values:
          2025-01-01:
            value: {value}
            reference: {{instrument: Kepgub test}}
        """
    (root / "minimum_wage" / "ump" / "99.yaml").write_text(textwrap.dedent(text), "utf-8")
    return root


def test_idr_exact_keeps_sen_and_refuses_finer(tmp_path: Path) -> None:
    params = load_parameters(_tree(tmp_path / "good", "1234567.89"))
    assert params.get("minimum_wage.ump.99", date(2025, 1, 1)).value == Decimal("1234567.89")
    with pytest.raises(ParameterFileError, match="two decimals"):
        load_parameters(_tree(tmp_path / "fine", "1234567.891"))
    with pytest.raises(ParameterFileError, match="idr_exact"):
        load_parameters(_tree(tmp_path / "negative", "-5"))
