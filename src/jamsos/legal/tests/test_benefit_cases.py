"""Hand-computed benefit cases, one test per case, read from ``cases/benefits/*.yaml``.

Every expected figure is worked out by hand from rules.md, with the arithmetic in ``why``.

A case::

    - name: Non-work death on 10 Mar 2025 with 12 months    # unique within the file
      why: 20,000,000 + 12,000,000 + 10,000,000 = 42,000,000
      kind: benefit                   # the default; or pension_age ({year}) or jht_return ({year})
      input: {program: JKM, case: death, date: 2025-03-10, contribution_months: 12}
      output:                         # only what is listed is asserted
        eligible: true
        reasons: []                   # the reason keys, in order
        lines: {lump_sum: 20000000}   # amount_idr by benefit: one line a number (or null),
                                      # several lines a list in order
        per_month: {periodic: 500000} # likewise per_month_idr
        months: {periodic: 24}        # likewise months
        absent: [scholarship]         # no line of this benefit
        total_idr: 42000000
        confidence: high              # the lowest confidence of the lines
        notes: [scholarship_yearly]   # these note keys are present

A refusal has ``error: {field, code}`` instead of ``output``. ``pension_age`` expects
``{pension_age}``; ``jht_return`` expects ``{rate}`` (a quoted decimal, or null when not known)
and optionally ``{confidence}``.
"""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
import yaml

from jamsos.legal import LegalInputError
from jamsos.legal.benefits import (
    CASES,
    FIRST_DATE,
    benefit_calculate,
    benefit_input,
    jht_yearly_return,
    pension_age,
)
from jamsos.legal.benefits.calculate import P_JHT_RETURN
from jamsos.legal.params import parameters

CASES_DIR = Path(__file__).parent / "cases" / "benefits"
CASE_FILES = ("jkm", "jkk", "jht", "jp", "jkp")
KINDS = ("benefit", "pension_age", "jht_return")
CASE_FIELDS = frozenset({"name", "why", "kind", "input", "output", "error", "xfail"})
OUTPUT_FIELDS = {
    "benefit": frozenset(
        {
            "eligible",
            "reasons",
            "lines",
            "per_month",
            "months",
            "absent",
            "total_idr",
            "confidence",
            "notes",
        }
    ),
    "pension_age": frozenset({"pension_age"}),
    "jht_return": frozenset({"rate", "confidence"}),
}


def _read(stem: str) -> list[dict[str, Any]]:
    path = CASES_DIR / f"{stem}.yaml"
    loaded = yaml.safe_load(path.read_text(encoding="utf-8"))
    if not isinstance(loaded, list) or not all(isinstance(c, dict) for c in loaded):
        raise AssertionError(f"{path.name}: must be a list of cases (mappings)")
    return loaded


def _collect() -> list[Any]:
    params = []
    for stem in CASE_FILES:
        for index, case in enumerate(_read(stem)):
            name = str(case.get("name", f"#{index}"))
            marks = []
            if case.get("xfail"):
                marks.append(pytest.mark.xfail(strict=True, reason=str(case["xfail"])))
            params.append(pytest.param(stem, case, id=f"{stem}: {name}", marks=marks))
    return params


def _check_shape(stem: str, case: dict[str, Any]) -> str:
    where = f"benefits/{stem}.yaml: {case.get('name', '?')}"
    unknown = set(case) - CASE_FIELDS
    assert not unknown, f"{where}: unknown field(s) {sorted(unknown)}"
    for field in ("name", "why"):
        assert isinstance(case.get(field), str), f"{where}: {field} required"
        assert case[field].strip(), f"{where}: {field} must not be blank"
    kind = str(case.get("kind", "benefit"))
    assert kind in KINDS, f"{where}: kind must be one of {KINDS}"
    assert isinstance(case.get("input"), dict), f"{where}: input must be a mapping"
    assert ("output" in case) != ("error" in case), f"{where}: give output or error, not both"
    if "output" in case:
        output = case["output"]
        assert isinstance(output, dict), f"{where}: output must be a mapping"
        assert output, f"{where}: output must not be empty"
        unknown = set(output) - OUTPUT_FIELDS[kind]
        assert not unknown, f"{where}: unknown output field(s) {sorted(unknown)}"
    else:
        assert set(case["error"]) == {"field", "code"}, f"{where}: error must be {{field, code}}"
    return kind


def _by_benefit(lines: Any, attribute: str, benefit: str) -> list[Any]:
    found = [getattr(line, attribute) for line in lines if line.benefit == benefit]
    assert found, f"no {benefit} line; lines: {[line.benefit for line in lines]}"
    return found


def _check_benefit(case: dict[str, Any]) -> None:
    result = benefit_calculate(benefit_input(case["input"]))
    expected = case["output"]
    if "eligible" in expected:
        assert result.eligible is expected["eligible"], f"eligible: {result.reasons}"
    if "reasons" in expected:
        assert list(result.reasons) == expected["reasons"], f"reasons: {result.reasons}"
    for field, attribute in (
        ("lines", "amount_idr"),
        ("per_month", "per_month_idr"),
        ("months", "months"),
    ):
        for benefit, value in expected.get(field, {}).items():
            got = _by_benefit(result.lines, attribute, benefit)
            if isinstance(value, list):
                assert got == value, f"{benefit} {attribute}: expected {value}, got {got}"
            else:
                assert len(got) == 1, f"{benefit}: {len(got)} lines; give a list"
                assert got[0] == value, f"{benefit} {attribute}: expected {value}, got {got[0]}"
    for benefit in expected.get("absent", []):
        assert all(line.benefit != benefit for line in result.lines), f"{benefit} present"
    if "total_idr" in expected:
        assert result.total_idr == expected["total_idr"], f"total: got {result.total_idr}"
        assert result.as_dict()["total_idr"] == expected["total_idr"]
    if "confidence" in expected:
        assert result.confidence == expected["confidence"], f"confidence: {result.confidence}"
    for note in expected.get("notes", []):
        assert note in result.notes, f"note {note} missing: {result.notes}"


def _check_pension_age(case: dict[str, Any]) -> None:
    got = pension_age(case["input"]["year"])
    assert got == case["output"]["pension_age"], f"pension age {got}"


def _check_jht_return(case: dict[str, Any]) -> None:
    found = jht_yearly_return(case["input"]["year"])
    expected = case["output"]
    rate = expected["rate"]
    assert not isinstance(rate, float), "write rates as quoted strings"
    if rate is None:
        assert found.rate is None, f"expected unknown, got {found.rate}"
        assert not found.known
    else:
        assert found.rate == Decimal(str(rate)), f"rate {found.rate}"
    if "confidence" in expected:
        assert found.confidence == expected["confidence"]


CHECKS = {
    "benefit": _check_benefit,
    "pension_age": _check_pension_age,
    "jht_return": _check_jht_return,
}


@pytest.mark.parametrize(("stem", "case"), _collect())
def test_benefit_case(stem: str, case: dict[str, Any]) -> None:
    kind = _check_shape(stem, case)
    if "error" in case:
        with pytest.raises(LegalInputError) as excinfo:
            CHECKS[kind](case)
        got = (excinfo.value.field, excinfo.value.code)
        assert got == (case["error"]["field"], case["error"]["code"]), (
            f"refused with {got}, expected {case['error']}: {excinfo.value}"
        )
    else:
        CHECKS[kind](case)


def test_case_files_are_present_and_names_unique() -> None:
    on_disk = {path.stem for path in CASES_DIR.glob("*.yaml")}
    assert on_disk == set(CASE_FILES), sorted(on_disk ^ set(CASE_FILES))
    for stem in CASE_FILES:
        names = [case.get("name") for case in _read(stem)]
        assert names, f"{stem}.yaml has no cases"
        duplicates = sorted({n for n in names if names.count(n) > 1})
        assert not duplicates, f"{stem}.yaml: duplicate names {duplicates}"


def test_every_program_and_case_has_a_case() -> None:
    seen = {
        (str(c["input"].get("program")), str(c["input"].get("case")))
        for stem in CASE_FILES
        for c in _read(stem)
        if c.get("kind", "benefit") == "benefit" and "output" in c
    }
    missing = [(p, c) for p, cases in CASES.items() for c in cases if (p, c) not in seen]
    assert not missing, f"no worked case for {missing}"


def _covered_dates() -> set[date]:
    """Dates a case reads the law on: a benefit case's date, a pension-age case's year."""
    covered: set[date] = set()
    for stem in CASE_FILES:
        for case in _read(stem):
            raw = case["input"]
            kind = case.get("kind", "benefit")
            if kind == "benefit" and isinstance(raw.get("date"), date):
                covered.add(raw["date"])
            elif kind == "pension_age":
                covered |= {date(raw["year"], 1, 1), date(raw["year"], 12, 31)}
    return covered


def _return_years() -> set[int]:
    return {
        int(case["input"]["year"])
        for stem in CASE_FILES
        for case in _read(stem)
        if case.get("kind") == "jht_return"
    }


def test_every_benefit_parameter_change_has_cases_the_day_before_and_the_day_of_it() -> None:
    """For each date a benefit parameter changes, a case on that day and on the day before; the
    last known day and the day after it (refused) too. The JHT return is yearly: a case for the
    year of each change and the year before."""
    params = parameters()
    dates = sorted(
        {d for p in params if p.name.startswith("benefits.") for d in p.dates}
        | {params.known_until}
    )
    assert FIRST_DATE in dates
    covered = _covered_dates()
    missing = []
    for changed in dates:
        needed = (
            [changed, changed + timedelta(days=1)]
            if changed == params.known_until
            else [changed - timedelta(days=1), changed]
        )
        missing += [f"{d} (change on {changed})" for d in needed if d not in covered]
    assert not missing, "no benefit case on: " + ", ".join(missing)
    years = _return_years()
    for since in params.parameter(P_JHT_RETURN).dates:
        for year in (since.year - 1, since.year):
            if year >= FIRST_DATE.year:
                assert year in years, f"no jht_return case for {year} (change in {since.year})"
