"""Regional minimum wages (UMK of a regency, else UMP of its province) and the checks of a wage.

The figures are dated parameters (``parameters/minimum_wage/ump/<province>.yaml`` and
``umk/<province>_<regency>.yaml``), kept exact in rupiah and sen as the governors' decrees publish
them. The lookup says which minimum applied, or that none is known: a region without data is
"minimum unknown", never a pass. Micro and small enterprises are exempt (PP 36/2021 Pasal 36).

Public API:
    minimum_wage(province_code=, regency_code=, on=) -> MinimumWage
    wage_check(wage_idr=, province_code=, regency_code=, employer_size=, on=) -> WageCheck
    absurd_floor(on) -> int                the smallest wage accepted at all
    minimum_wage_spans() -> [Span]         every dated minimum, for set-based SQL
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from enum import StrEnum

from jamsos.legal.params import Parameters, parameters

FAMILY = "minimum_wage"


class Basis(StrEnum):
    """Which minimum applied to a wage."""

    UMK = "UMK"  # the regency's (kabupaten/kota) minimum wage
    UMP = "UMP"  # the province's minimum wage, where no UMK is known
    UNKNOWN = "unknown"  # no minimum known for the region on that date
    EXEMPT = "exempt"  # a micro or small enterprise (PP 36/2021 Pasal 36)


class Verdict(StrEnum):
    OK = "ok"
    BELOW_MINIMUM = "below_minimum"
    MINIMUM_UNKNOWN = "minimum_unknown"
    EXEMPT = "exempt"


@dataclass(frozen=True)
class MinimumWage:
    """The minimum wage in force in a region on a day, and where it comes from."""

    basis: Basis
    region_code: str = ""  # the province (``32``) or regency (``32.73``) whose figure applied
    amount: Decimal | None = None
    since: date | None = None
    reference: str = ""
    confidence: str = ""


@dataclass(frozen=True)
class WageCheck:
    verdict: Verdict
    minimum: MinimumWage
    wage_idr: int

    @property
    def flagged(self) -> bool:
        """True when an officer should look: below the minimum, or no minimum known."""
        return self.verdict in (Verdict.BELOW_MINIMUM, Verdict.MINIMUM_UNKNOWN)


@dataclass(frozen=True)
class Span:
    """One dated minimum: ``basis`` of ``region_code`` is ``amount`` from ``since`` until the
    day before ``until``."""

    basis: Basis
    region_code: str
    since: date
    until: date
    amount: Decimal


def _name(basis: Basis, region_code: str) -> str:
    return f"{FAMILY}.{basis.value.lower()}.{region_code.replace('.', '_')}"


def _year_end(params: Parameters, name: str, since: date) -> date:
    """A minimum wage is set for a calendar year: the last value known holds until the end of
    its year, not beyond (next year's figure is unknown until its decree)."""
    dates = params.parameter(name).dates
    later = [d for d in dates if d > since]
    return later[0] if later else date(since.year + 1, 1, 1)


def minimum_wage(
    *, province_code: str, regency_code: str = "", on: date, params: Parameters | None = None
) -> MinimumWage:
    """The minimum wage on ``on``: the regency's UMK if known, else the province's UMP."""
    params = params or parameters()
    for basis, code in ((Basis.UMK, regency_code), (Basis.UMP, province_code)):
        if not code:
            continue
        name = _name(basis, code)
        if name not in params:
            continue
        found = params.find(name, on)
        if found is None or found.value is None or on >= _year_end(params, name, found.since):
            continue
        return MinimumWage(
            basis=basis,
            region_code=code,
            amount=Decimal(found.value),
            since=found.since,
            reference=found.reference_text,
            confidence=found.confidence,
        )
    return MinimumWage(basis=Basis.UNKNOWN, region_code=regency_code or province_code)


def exempt_sizes(on: date, params: Parameters | None = None) -> tuple[str, ...]:
    """Employer sizes the minimum wage does not bind on ``on``."""
    found = (params or parameters()).find(f"{FAMILY}.exempt_sizes", on)
    return tuple(found.value) if found is not None else ()


def absurd_floor(on: date, params: Parameters | None = None) -> int:
    """The smallest monthly wage accepted at all (``minimum_wage/absurd_floor.yaml``); before its
    first date (a month before the programs, refused on its own ground) its first value."""
    parameter = (params or parameters()).parameter(f"{FAMILY}.absurd_floor")
    found = parameter.at(on) or parameter.values[0]
    return int(found.value)


def wage_check(
    *,
    wage_idr: int,
    province_code: str,
    regency_code: str = "",
    employer_size: str = "",
    on: date,
    params: Parameters | None = None,
) -> WageCheck:
    """How a reported wage stands against the minimum in force on ``on``."""
    params = params or parameters()
    if employer_size and employer_size in exempt_sizes(on, params):
        found = params.get(f"{FAMILY}.exempt_sizes", on)
        minimum = MinimumWage(
            basis=Basis.EXEMPT,
            region_code=regency_code or province_code,
            since=found.since,
            reference=found.reference_text,
            confidence=found.confidence,
        )
        return WageCheck(Verdict.EXEMPT, minimum, wage_idr)
    minimum = minimum_wage(
        province_code=province_code, regency_code=regency_code, on=on, params=params
    )
    if minimum.amount is None:
        return WageCheck(Verdict.MINIMUM_UNKNOWN, minimum, wage_idr)
    verdict = Verdict.BELOW_MINIMUM if Decimal(wage_idr) < minimum.amount else Verdict.OK
    return WageCheck(verdict, minimum, wage_idr)


def minimum_wage_spans(params: Parameters | None = None) -> list[Span]:
    """Every dated minimum of every region, UMK first (a UMK overrides its province's UMP)."""
    params = params or parameters()
    spans: list[Span] = []
    for basis in (Basis.UMK, Basis.UMP):
        prefix = f"{FAMILY}.{basis.value.lower()}."
        for parameter in params:
            if not parameter.name.startswith(prefix):
                continue
            code = parameter.name.removeprefix(prefix).replace("_", ".")
            values = parameter.values
            for index, value in enumerate(values):
                if value.value is None:
                    continue
                until = (
                    values[index + 1].since
                    if index + 1 < len(values)
                    else date(value.since.year + 1, 1, 1)
                )
                spans.append(Span(basis, code, value.since, until, Decimal(value.value)))
    return spans
