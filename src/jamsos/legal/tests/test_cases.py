"""Hand-computed legal cases, one test per case, read from ``cases/*.yaml``.

Every expected figure in the case files is worked out by hand from the rules reference
(rules.md), with the arithmetic in the case's ``why``; none is copied from the engine's output.

A case file is a list of cases::

    - name: PU worker on Rp 5,000,000 in March 2025, risk class I   # unique within the file
      why: 0.24% x 5,000,000 = 12,000; ...                          # the arithmetic and the rule
      kind: contribution           # the default; or due_date, or penalty
      input: {segment: PU, period: 2025-03, wage: 5000000, risk_class: 1}
      output:                      # only what is listed is asserted
        lines: {JKK/employer: 12000}       # program/payer, summed over lines
        absent: [JP/employer]              # no line with this program/payer
        totals: {employer_idr: 312000}     # Breakdown.totals
        rates: {JKK/employer: "0.0024"}    # one line: a string; several (Jakon bands): a list
        bases: {JKK/employer: 5000000}     # one line: a number; several: a list
        slots: {jkp_recomposed_jkm: 5000}  # amounts by bulk-path column
        notes: {jp_deferred: {employer_idr: 99000}}   # or a list of note codes
      xfail: "why the engine disagrees"    # optional; the case must then fail (strict)

A refusal has ``error: {field: period, code: period_before_law}`` instead of ``output``.
``kind: due_date`` takes ``{segment, period}`` and expects ``{due_date}``; ``kind: penalty``
takes ``{segment, period, amount, paid_on}`` and expects any of ``{due_date, months_late, rate,
amount_idr}``.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
import yaml

from jamsos.legal import LegalInputError, Period, Segment, contribution, due_date, late_penalty
from jamsos.legal.inputs import contribution_input
from jamsos.legal.params import parameters
from jamsos.legal.types import Breakdown

CASES_DIR = Path(__file__).parent / "cases"
CASE_FILES = (
    "jkk",
    "jkm",
    "jht",
    "jp",
    "jkp",
    "bpu",
    "jakon",
    "pmi",
    "relief",
    "deadlines",
    "penalty",
)
KINDS = ("contribution", "due_date", "penalty")
CASE_FIELDS = frozenset({"name", "why", "kind", "input", "output", "error", "xfail"})
OUTPUT_FIELDS = {
    "contribution": frozenset({"lines", "absent", "totals", "rates", "bases", "slots", "notes"}),
    "due_date": frozenset({"due_date"}),
    "penalty": frozenset({"due_date", "months_late", "rate", "amount_idr"}),
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


ALL_CASES = _collect()


def _check_shape(stem: str, case: dict[str, Any]) -> str:
    """Fail clearly on a malformed case; return its kind."""
    where = f"{stem}.yaml: {case.get('name', '?')}"
    unknown = set(case) - CASE_FIELDS
    assert not unknown, f"{where}: unknown field(s) {sorted(unknown)}"
    for field in ("name", "why"):
        assert isinstance(case.get(field), str), f"{where}: {field} required"
        assert case[field].strip(), f"{where}: {field} must not be blank"
    kind = case.get("kind", "contribution")
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
        error = case["error"]
        assert isinstance(error, dict), f"{where}: error must be a mapping"
        assert set(error) == {"field", "code"}, f"{where}: error must be {{field, code}}"
    return str(kind)


def _decimal(value: Any) -> Decimal:
    assert not isinstance(value, float), f"write rates as quoted strings, not floats: {value!r}"
    return Decimal(str(value))


def _key(line: Any) -> str:
    return f"{line.program.value}/{line.payer.value}"


def _lines_for(breakdown: Breakdown, key: str) -> list[Any]:
    found = [line for line in breakdown.lines if _key(line) == key]
    assert found, f"no {key} line; lines: {sorted({_key(x) for x in breakdown.lines})}"
    return found


def _check_contribution(case: dict[str, Any]) -> None:
    breakdown = contribution(contribution_input(case["input"]))
    expected = case["output"]
    sums: dict[str, int] = defaultdict(int)
    for line in breakdown.lines:
        sums[_key(line)] += line.amount_idr
    for key, amount in expected.get("lines", {}).items():
        assert key in sums, f"no {key} line; lines: {dict(sums)}"
        assert sums[key] == amount, f"{key}: expected {amount}, got {sums[key]}"
    for key in expected.get("absent", []):
        assert key not in sums, f"{key} should be absent, got {sums[key]}"
    totals = breakdown.totals.to_json()
    for key, amount in expected.get("totals", {}).items():
        assert totals[key] == amount, f"totals.{key}: expected {amount}, got {totals[key]}"
    for key, rate in expected.get("rates", {}).items():
        got = [line.rate for line in _lines_for(breakdown, key)]
        if isinstance(rate, list):
            assert got == [_decimal(r) for r in rate], f"{key} rates: expected {rate}, got {got}"
        else:
            assert len(got) == 1, f"{key}: {len(got)} lines; give a list of rates"
            assert got[0] == _decimal(rate), f"{key} rate: expected {rate}, got {got[0]}"
    for key, base in expected.get("bases", {}).items():
        got_bases = [line.base_idr for line in _lines_for(breakdown, key)]
        if isinstance(base, list):
            assert got_bases == base, f"{key} bases: expected {base}, got {got_bases}"
        else:
            assert len(got_bases) == 1, f"{key}: {len(got_bases)} lines; give a list of bases"
            assert got_bases[0] == base, f"{key} base: expected {base}, got {got_bases[0]}"
    slots = breakdown.amounts_by_slot()
    for slot, amount in expected.get("slots", {}).items():
        assert slots.get(slot) == amount, f"slot {slot}: expected {amount}, got {slots.get(slot)}"
    notes = expected.get("notes", {})
    by_code = {note.code: note.params for note in breakdown.notes}
    for code in notes:
        assert code in by_code, f"note {code} missing; notes: {sorted(by_code)}"
        if isinstance(notes, dict) and notes[code]:
            for param, value in notes[code].items():
                got_value = by_code[code].get(param)
                assert got_value == value, f"note {code}.{param}: expected {value}, got {got_value}"


def _segment_period(raw: dict[str, Any]) -> tuple[Segment, Period]:
    return Segment(str(raw["segment"])), Period.parse(str(raw["period"]))


def _check_due_date(case: dict[str, Any]) -> None:
    segment, period = _segment_period(case["input"])
    got = due_date(segment, period)
    expected = case["output"]["due_date"]
    assert isinstance(expected, date), "due_date must be a YYYY-MM-DD date"
    assert got == expected, f"due date: expected {expected}, got {got} ({got:%A})"


def _check_penalty(case: dict[str, Any]) -> None:
    raw = case["input"]
    segment, period = _segment_period(raw)
    assert isinstance(raw["paid_on"], date), "paid_on must be a YYYY-MM-DD date"
    penalty = late_penalty(segment, period, raw["amount"], raw["paid_on"])
    expected = case["output"]
    if "due_date" in expected:
        assert penalty.due_date == expected["due_date"], f"due date: got {penalty.due_date}"
    if "months_late" in expected:
        assert penalty.months_late == expected["months_late"], (
            f"months late: expected {expected['months_late']}, got {penalty.months_late}"
        )
    if "rate" in expected:
        assert penalty.rate_per_month == _decimal(expected["rate"]), (
            f"rate: expected {expected['rate']}, got {penalty.rate_per_month}"
        )
    if "amount_idr" in expected:
        assert penalty.amount_idr == expected["amount_idr"], (
            f"penalty: expected {expected['amount_idr']}, got {penalty.amount_idr}"
        )


CHECKS = {
    "contribution": _check_contribution,
    "due_date": _check_due_date,
    "penalty": _check_penalty,
}


@pytest.mark.parametrize(("stem", "case"), ALL_CASES)
def test_case(stem: str, case: dict[str, Any]) -> None:
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


def test_every_case_file_is_present_and_names_are_unique() -> None:
    on_disk = {path.stem for path in CASES_DIR.glob("*.yaml")}
    assert on_disk == set(CASE_FILES), f"case files differ: {sorted(on_disk ^ set(CASE_FILES))}"
    for stem in CASE_FILES:
        cases = _read(stem)
        assert cases, f"{stem}.yaml has no cases"
        names = [case.get("name") for case in cases]
        duplicates = sorted({n for n in names if names.count(n) > 1})
        assert not duplicates, f"{stem}.yaml: duplicate case names {duplicates}"


def _case_periods() -> set[Period]:
    periods = set()
    for stem in CASE_FILES:
        for case in _read(stem):
            text = str(case.get("input", {}).get("period", ""))
            try:
                periods.add(Period.parse(text))
            except ValueError:
                continue
    return periods


#: Parameters read once a year, not by a contribution month: the JHT development return is
#: credited per calendar year (billing/services/jht.py, whose tests cover each declared year).
YEARLY_PARAMETERS = frozenset({"jht.development_return"})
#: Benefit parameters are read on the date of a claim, not by contribution month: their own
#: cases (``cases/benefits/*.yaml``) cover the day before and the day of each change
#: (test_benefit_cases.py).
BENEFIT_PREFIX = "benefits."
#: Minimum wages, the compliance expectations and agents' commissions do not enter a contribution:
#: they flag wages, list employers and pay agents, and their own tests cover the day before and the
#: day of each change (test_minimum_wage.py, test_agents.py).
NOT_CONTRIBUTION_PREFIXES = ("minimum_wage.", "compliance.", "agent.")


def test_every_parameter_change_has_cases_before_and_at_it() -> None:
    """Each date on which a parameter changes has a case in its month and in the month before.

    A mid-month date (2021-02-02, 2025-02-07) governs the month containing it, because a
    contribution month reads its parameters on its last day. The last known month and the month
    after it (refused) are covered too.
    """
    params = parameters()
    covered = _case_periods()
    monthly = [
        p
        for p in params
        if p.name not in YEARLY_PARAMETERS
        and not p.name.startswith((BENEFIT_PREFIX, *NOT_CONTRIBUTION_PREFIXES))
    ]
    dates = [*sorted({d for p in monthly for d in p.dates}), params.known_until]
    missing = []
    for changed in dates:
        month = Period(changed.year, changed.month)
        if changed == params.known_until:
            needed = [month, month.next()]
        else:
            needed = [Period.from_index(month.index - 1), month]
        missing += [f"{p} (change on {changed})" for p in needed if p not in covered]
    assert not missing, "no case for: " + ", ".join(missing)
