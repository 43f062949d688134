"""Contributions for millions of person-months at once: the bulk path.

The same rules as the per-person path (:func:`jamsos.legal.contribution`), read from the same
parameters, computed by Polars over a frame with one row per person-month and any mix of
segments, periods and options. No Python runs per row; the parity tests hold the two paths equal
to the rupiah.

Input columns (``period`` and ``segment`` are required; a missing optional column counts as null):

======================  =====================================  ==================================
column                  type                                   meaning (segment)
======================  =====================================  ==================================
``period``              integer index ``year * 12 + month -    contribution month (all)
                        1`` (:attr:`Period.index`), or text
                        "YYYY-MM" (see :func:`period_index`)
``segment``             Enum, Categorical or String            PU, BPU, JAKON or PMI
``wage_idr``            integer, rupiah                        wage (PU, required)
``income_idr``          integer, rupiah                        declared income (BPU, required)
``contract_value_idr``  integer, rupiah                        contract value (JAKON, required)
``placement_months``    integer                                agreement length (PMI, required)
``risk_class``          integer 1..5, null = 1                 JKK risk class (PU)
``employer_size``       Enum, Categorical or String,           micro, small, medium, large (PU)
                        null = large
``optional_programs``   integer bitmask, null = 0              optional programs (PU, BPU)
``industry``            Enum, Categorical or String, nullable  :class:`Industry` code (PU)
``worker_count``        integer, nullable                      employer's active workers (PU)
``jkp_eligible``        Boolean, null = true                   JKP conditions met (PU)
======================  =====================================  ==================================

``optional_programs`` holds the optional programs chosen (``ContributionInput.programs``):
:data:`OPTIONAL_JHT` = 1 (lowest bit) for JHT, :data:`OPTIONAL_JP` = 2 (next bit) for JP, 3 for
both. Mandatory programs follow from the employer size and the month (programs/mandatory.yaml)
and need no bit. Codes match exactly (upper-case segments, lower-case sizes and industries);
the Enum dtypes :data:`SEGMENT_DTYPE`, :data:`EMPLOYER_SIZE_DTYPE` and :data:`INDUSTRY_DTYPE`
are the fastest. Columns a row's segment does not use are ignored for that row. Any other
column (worker or employer ids, region codes) passes through.

Output of :func:`contributions_frame`: the valid rows with their input columns, one Int64 column
per slot of :data:`SLOTS` (0 where the slot does not apply) and the totals :data:`TOTALS`
(``employer_idr``, ``worker_idr``, ``participant_idr``, ``government_idr``, ``total_idr``). The
recomposed JKP slots are informative and count in no total, as in :class:`Totals`. Rows come
out grouped by segment (PU, BPU, JAKON, PMI), each group in input order; ``keep_order=True``
restores the input order at the cost of a sort. :func:`to_lines` turns the slots into one row
per non-zero line (program, payer, amount) for billing.

Rows the law cannot be applied to are not exceptions. :func:`split_valid` and
:func:`contributions_and_rejects` return them in a rejects frame: the input columns plus
``reject_field`` (the public field name, as in :class:`LegalInputError`) and ``reject_code`` (the
per-person path's code, so :func:`jamsos.legal.messages.render` words it). The first failing
check is reported, in this order:

- ``segment``: ``required``, ``unknown_choice``;
- ``period``: ``required``, ``bad_period`` (text that is not YYYY-MM), ``period_before_law``
  (before 2015-07), ``period_after_parameters`` (after the last known month),
  ``segment_not_in_force`` (PMI before 2019-01);
- the segment's amount (``wage``, ``income``, ``contract_value``): ``required``, ``negative``,
  ``not_positive``, ``too_large`` (above :data:`jamsos.legal.inputs.MAX_AMOUNT_IDR`);
  ``placement_months``: ``required``, ``out_of_range`` (1..120);
- PU: ``risk_class`` ``out_of_range``, ``employer_size`` and ``industry`` ``unknown_choice``,
  ``workers`` ``out_of_range`` (1..10,000,000);
- PU and BPU: ``programs`` ``unknown_choice`` (a bit other than 1 and 2),
  ``program_not_available`` (JP for BPU).

A frame without ``period`` or ``segment``, with a column of the wrong type, or that already has
an output column raises :class:`FrameSchemaError` before any row is read.

How it works. :func:`monthly_parameters` resolves every parameter the rules read at each month's
legal date (its last day), into integer columns, one row per month from 2015-07 to the last
known month. From it, small lookup tables are built once per :class:`Parameters`, one per
segment, indexed by ``month * width + profile``; the profile is what besides the amount decides
a line's rate: risk class, employer size, optional programs, PP 7/2025 eligibility and JKP
eligibility for PU; optional programs for BPU; the band of the contract value for Jakon; the
placement length for PMI. The frame is split by segment; each row gathers its rates (in
millionths, after the relief discounts of its month) or fixed amounts by that index, and every
line is ``(base * rate_ppm + 500_000) // 1_000_000``, the rounding of :mod:`jamsos.legal.money`.
A contract value lies in one Jakon band and the bands below it are full, so their lines (each
rounded half up, as per person) are summed in the table and only the value's own band is
computed per row. Int64 stays exact: the input bounds keep every ``base * rate_ppm`` below 2**63,
and the tables refuse a rate that would break that (see ``_check_no_overflow``).
"""

from __future__ import annotations

import functools
import operator
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import polars as pl

from jamsos.legal.contribution import check_period, last_period
from jamsos.legal.errors import LegalInputError
from jamsos.legal.inputs import MAX_AMOUNT_IDR, MAX_PLACEMENT_MONTHS, MAX_WORKERS
from jamsos.legal.money import discounted, rate_ppm
from jamsos.legal.params import RATE_SCALE, Parameters, ParamValue, parameters
from jamsos.legal.periods import FIRST_PERIOD, Period
from jamsos.legal.rules.pmi import choose_package
from jamsos.legal.rules.pu import DEFAULT_EMPLOYER_SIZE, DEFAULT_RISK_CLASS
from jamsos.legal.slots import CAPPED, RISK_CLASS_KEY, BaseKind, Registry, SlotRule, When, registry
from jamsos.legal.types import EmployerSize, Industry, Payer, Program, Segment

__all__ = [
    "EMPLOYER_SIZE_DTYPE",
    "INDUSTRY_DTYPE",
    "INPUT_COLUMNS",
    "OPTIONAL_JHT",
    "OPTIONAL_JP",
    "REJECT_COLUMNS",
    "SEGMENT_DTYPE",
    "SLOTS",
    "SLOT_PAYER",
    "SLOT_PROGRAM",
    "TOTALS",
    "FrameSchemaError",
    "base_column",
    "contributions",
    "contributions_and_rejects",
    "contributions_frame",
    "monthly_parameters",
    "period_index",
    "split_valid",
    "to_lines",
]

OPTIONAL_JHT = 1
OPTIONAL_JP = 2
_OPTIONAL_BITS = {Program.JHT.value: OPTIONAL_JHT, Program.JP.value: OPTIONAL_JP}
_ALL_OPTIONAL = OPTIONAL_JHT | OPTIONAL_JP

SEGMENTS: tuple[Segment, ...] = (Segment.PU, Segment.BPU, Segment.JAKON, Segment.PMI)
SIZES: tuple[EmployerSize, ...] = tuple(EmployerSize)
INDUSTRIES: tuple[Industry, ...] = tuple(Industry)
SEGMENT_DTYPE = pl.Enum([s.value for s in SEGMENTS])
EMPLOYER_SIZE_DTYPE = pl.Enum([s.value for s in SIZES])
INDUSTRY_DTYPE = pl.Enum([i.value for i in INDUSTRIES])
_DEFAULT_SIZE = SIZES.index(DEFAULT_EMPLOYER_SIZE)
_NO_INDUSTRY = len(INDUSTRIES)

#: Slot columns of the packaged registry (parameters/slots.yaml), in output order, with the
#: program and payer of their lines. The functions below read :func:`slots.registry` when called,
#: so that a registry put in place by :func:`slots.using` is computed too.
SLOT_PROGRAM: dict[str, Program] = {s.key: s.program for s in registry().slots}
SLOT_PAYER: dict[str, Payer] = {s.key: s.payer for s in registry().slots}
SLOTS: tuple[str, ...] = tuple(SLOT_PROGRAM)
_TOTAL_OF_PAYER = {
    Payer.EMPLOYER: "employer_idr",
    Payer.WORKER: "worker_idr",
    Payer.PARTICIPANT: "participant_idr",
    Payer.GOVERNMENT: "government_idr",
}
TOTALS: tuple[str, ...] = (*_TOTAL_OF_PAYER.values(), "total_idr")
REJECT_COLUMNS: tuple[str, ...] = ("reject_field", "reject_code")

#: Input columns and the kind of dtype each accepts.
INPUT_COLUMNS: dict[str, str] = {
    "period": "period",
    "segment": "code",
    "wage_idr": "integer",
    "income_idr": "integer",
    "contract_value_idr": "integer",
    "placement_months": "integer",
    "risk_class": "integer",
    "employer_size": "code",
    "optional_programs": "integer",
    "industry": "code",
    "worker_count": "integer",
    "jkp_eligible": "boolean",
}
_REQUIRED_COLUMNS = ("period", "segment")
#: The amount each segment must give, by public field name and column.
_AMOUNT_FIELD = ("wage", "income", "contract_value", "placement_months")
_AMOUNT_COLUMN = ("wage_idr", "income_idr", "contract_value_idr", "placement_months")
_AMOUNT_MAX = (
    MAX_AMOUNT_IDR["wage"],
    MAX_AMOUNT_IDR["income"],
    MAX_AMOUNT_IDR["contract_value"],
    MAX_PLACEMENT_MONTHS,
)

HALF = RATE_SCALE // 2
_INT64_MAX = 2**63 - 1
#: A bound no amount reaches: pads missing Jakon bands and marks "never eligible".
_NEVER = 2**62

_P = "__bulk_"  # prefix of the internal columns, dropped from every output


class FrameSchemaError(ValueError):
    """The frame lacks a required column, or a column has a type the bulk path does not take."""


# --------------------------------------------------------------------------------------------
# The per-month table


def _program_bits(params: Parameters) -> dict[str, int]:
    """A bit for every program code the program parameters name: JHT 1, JP 2, then the others
    in alphabetical order (JKK 4, JKM 8, ...)."""
    codes: set[str] = set()
    for name in ("programs.available", "programs.mandatory", "jkp.required_programs"):
        for value in params.parameter(name).values:
            codes.update(code for group in value.value.values() for code in group)
    others = sorted(codes - set(_OPTIONAL_BITS))
    return {**_OPTIONAL_BITS, **{code: 4 << i for i, code in enumerate(others)}}


def _program_mask(codes: Iterable[str], bits: Mapping[str, int]) -> int:
    mask = 0
    for code in codes:
        mask |= bits[code]
    return mask


def _optional_mask(codes: Iterable[str]) -> int:
    return sum(bit for code, bit in _OPTIONAL_BITS.items() if code in set(codes))


def _package_keys(params: Parameters) -> tuple[int, ...]:
    keys = {int(k.removeprefix("months_")) for v in params.parameter("pmi.packages").values
            for k in v.value}  # fmt: skip
    return tuple(sorted(keys))


def _band_count(params: Parameters) -> int:
    return max(len(v.value["jkk_rates"]) for v in params.parameter("jakon.bands").values)


def _rules(reg: Registry, segment: Segment) -> list[tuple[str, SlotRule]]:
    """(slot key, rule) of every slot the segment computes, in registry order."""
    return [(slot.key, rule) for slot in reg.slots if (rule := slot.rule(segment)) is not None]


def _rate_columns(key: str, rule: SlotRule) -> list[tuple[str, int | None]]:
    """The monthly table's rate columns of a PU slot: one, or one per risk class."""
    if rule.key == RISK_CLASS_KEY:
        return [(f"pu_{key}_class_{k}_ppm", k) for k in range(1, 6)]
    return [(f"pu_{key}_ppm", None)]


def _li(name: str) -> str:
    """The column of a rate after the PP 7/2025 discount too."""
    return name.replace("_ppm", "_li_ppm")


def _cap(name: str) -> str:
    return f"cap_{name.replace('.', '_')}_idr"


def _month_row(
    params: Parameters,
    period: Period,
    bands: int,
    packages: Sequence[int],
    bits: Mapping[str, int],
    reg: Registry,
) -> dict[str, Any]:
    """Every parameter the contribution rules read, resolved at the month's legal date."""
    on = period.legal_date
    row: dict[str, Any] = {"period": period.index, "legal_date": on}
    for segment in SEGMENTS:
        try:
            check_period(segment, period, params)
            row[f"in_force_{segment.value.lower()}"] = True
        except LegalInputError:
            row[f"in_force_{segment.value.lower()}"] = False

    def value(name: str) -> ParamValue | None:
        return params.find(name, on)

    available = value("programs.available")
    mandatory = value("programs.mandatory")
    row["pu_available"] = _optional_mask(available.value["PU"]) if available else 0
    row["bpu_mandatory"] = _program_mask(mandatory.value["BPU"], bits) if mandatory else None
    row["bpu_available"] = _optional_mask(available.value["BPU"]) if available else 0
    for size in SIZES:
        row[f"pu_mandatory_{size.value}"] = (
            _program_mask(mandatory.value[f"PU_{size.value}"], bits) if mandatory else None
        )

    # PP 7/2025: the JKK discount share and who is eligible.
    li = value("relief.labour_intensive_jkk_discount")
    li_share = Decimal(li.value["share"]) if li else Decimal(0)
    row["li_share_ppm"] = rate_ppm(li_share)
    row["li_min_workers"] = int(li.value["min_workers"]) if li else None
    row["li_industries"] = sum(
        1 << i
        for i, industry in enumerate(INDUSTRIES)
        if li and industry.value in li.value["industries"]
    )
    # PU: every slot's rate as its rule defines it (by risk class where keyed so), after the
    # relief in force, and after the PP 7/2025 discount too where the rule lists it; caps.
    for key, rule in _rules(reg, Segment.PU):
        for name, risk_class in _rate_columns(key, rule):
            rate = rule.rate_at(params, on, risk_class=risk_class)
            row[name] = None if rate is None else rate_ppm(rate)
            if rule.conditional_discounts:
                rate = rule.rate_at(params, on, risk_class=risk_class, extra=[li_share])
                row[_li(name)] = None if rate is None else rate_ppm(rate)
        if rule.cap is not None:
            cap = rule.cap_at(params, on)
            row[_cap(rule.cap)] = cap.value if cap else None

    # JKP funding: informative lines, only while the funding is in force.
    funding = value("jkp.funding")
    row["jkp_in_force"] = funding is not None
    required = value("jkp.required_programs") if funding else None
    for size in SIZES:
        row[f"jkp_required_{size.value}"] = (
            _program_mask(required.value[size.value], bits) if required else None
        )

    # BPU: income tier, JKK on the tier, JKM flat, optional JHT.
    tiers = value("bpu.income_tiers")
    if tiers is not None and tiers.value["rule"] != "floor_to_step":
        raise ValueError(f"unknown BPU tier rule {tiers.value['rule']!r} in bpu/income_tiers.yaml")
    for key in ("minimum", "maximum", "step"):
        row[f"bpu_tier_{key}_idr"] = int(str(tiers.value[key])) if tiers else None
    for key, rule in _rules(reg, Segment.BPU):
        if rule.base is BaseKind.FIXED:
            row[f"bpu_{key}_idr"] = rule.fixed_at(params, on)
        else:
            rate = rule.rate_at(params, on)
            row[f"bpu_{key}_ppm"] = None if rate is None else rate_ppm(rate)

    # Jakon: band bounds and rates (with the COVID discounts); missing bands are empty.
    band = value("jakon.bands")
    uppers = list(band.value["upper_bounds"]) if band else []
    if uppers != sorted(uppers) or len(set(uppers)) != len(uppers):
        raise ValueError("jakon.bands upper_bounds must increase")
    for i in range(bands - 1):
        row[f"jakon_upper_{i + 1}_idr"] = (
            uppers[i] if i < len(uppers) else (_NEVER if band else None)
        )
    for key, rule in _rules(reg, Segment.JAKON):
        rates = list(rule.value(params, on) or []) if band else []
        shares = [share for share, _ in rule.discount_shares(params, on)]
        for i in range(bands):
            row[f"jakon_{key}_{i + 1}_ppm"] = (
                rate_ppm(discounted(rates[i], *shares)) if i < len(rates) else (0 if band else None)
            )

    # PMI: pre-placement, packages by length (null when not offered), extension per month.
    pre = value("pmi.pre_placement")
    row["pmi_pre_placement_idr"] = pre.value if pre else None
    offered = value("pmi.packages")
    for months in packages:
        row[f"pmi_package_{months}_idr"] = (
            offered.value.get(f"months_{months}") if offered else None
        )
    extension = value("pmi.extension_monthly")
    row["pmi_extension_idr"] = extension.value if extension else None
    return row


def _periods(params: Parameters) -> list[Period]:
    first, last = FIRST_PERIOD.index, last_period(params).index
    return [Period.from_index(i) for i in range(first, last + 1)]


def monthly_parameters(params: Parameters | None = None) -> pl.DataFrame:
    """One row per contribution month from 2015-07 to the last known month, every parameter the
    contribution rules read resolved at the month's legal date (its last day).

    Rates are in millionths (``*_ppm``, after the relief discounts in force), amounts in rupiah
    (``*_idr``), program sets as bitmasks (JHT 1, JP 2, then the other codes alphabetically from
    4 up), industries as a bitmask in :class:`Industry` order; null where the parameter is not in
    force that month.
    """
    return _monthly(params or parameters(), registry()).clone()


@functools.cache
def _monthly(params: Parameters, reg: Registry) -> pl.DataFrame:
    bands, packages, bits = _band_count(params), _package_keys(params), _program_bits(params)
    rows = [_month_row(params, period, bands, packages, bits, reg) for period in _periods(params)]
    schema: dict[str, Any] = {
        name: (
            pl.Int32
            if name == "period"
            else pl.Date
            if name == "legal_date"
            else pl.Boolean
            if name.startswith(("in_force_", "jkp_in_force"))
            else pl.Int64
        )
        for name in rows[0]
    }
    return pl.DataFrame(rows, schema=schema, orient="row")


# --------------------------------------------------------------------------------------------
# Lookup tables derived from the monthly table


@dataclass(frozen=True)
class _Table:
    """Values each row gathers at ``month * width + profile``."""

    width: int
    columns: Mapping[str, pl.Series]

    def get(self, name: str, key: pl.Expr) -> pl.Expr:
        return pl.lit(self.columns[name]).gather(key)


@dataclass(frozen=True)
class _Lookups:
    first: int  # period index of month 0 (2015-07)
    months: int  # months with known parameters
    bands: int  # Jakon bands (the most any month has)
    start: Mapping[Segment, int]  # first month in which each segment's rules are in force
    by_month: Mapping[str, pl.Series]
    li_threshold: pl.Series  # month * (industries + 1) + industry: min workers, or _NEVER
    pu: _Table  # risk class x size x optional programs x PP 7/2025 discount x JKP eligible
    bpu: _Table  # optional programs
    jakon: _Table  # band of the contract value
    pmi: _Table  # placement months - 1
    reg: Registry  # the slots the tables were built for

    def month_value(self, name: str, month: pl.Expr) -> pl.Expr:
        """A by-month value for each row; a literal when it is the same in every month."""
        table = self.by_month[name]
        if table.n_unique() == 1:
            return pl.lit(int(table[0]), dtype=pl.Int64)
        return pl.lit(table).gather(month)


def _int(value: Any) -> int:
    return 0 if value is None else int(value)


def _pu_profiles(
    m: Mapping[str, Any], reg: Registry, bits: Mapping[str, int]
) -> list[tuple[int, ...]]:
    """Rates in ppm, one per PU slot in registry order, for every PU profile of one month.

    The profile is ``(risk_class - 1) * 64 + size * 16 + optional * 4 + discount * 2 + jkp``:
    a rate is 0 where its rule's condition fails (the program not held, JKP not funded).
    """
    rules = _rules(reg, Segment.PU)
    out: list[tuple[int, ...]] = []
    for risk_class in range(1, 6):
        for size in SIZES:
            mandatory = _int(m[f"pu_mandatory_{size.value}"])
            required = m[f"jkp_required_{size.value}"]
            for optional in range(4):
                programs = mandatory | optional
                jkp = bool(m["jkp_in_force"]) and required is not None and not required & ~programs
                for li in (False, True):
                    for eligible in (False, True):
                        rates: list[int] = []
                        for key, rule in rules:
                            if rule.when is When.PROGRAM_HELD:
                                held = bool(programs & bits[reg.slot(key).program.value])
                            else:
                                held = rule.when is When.ALWAYS or (jkp and eligible)
                            columns = _rate_columns(key, rule)
                            name = columns[min(risk_class, len(columns)) - 1][0]
                            if li and rule.conditional_discounts:
                                name = _li(name)
                            rates.append(_int(m[name]) if held else 0)
                        out.append(tuple(rates))
    return out


def _bpu_profiles(
    m: Mapping[str, Any], reg: Registry, bits: Mapping[str, int]
) -> list[tuple[int, ...]]:
    """Each BPU slot's rate (ppm) or fixed amount (rupiah), by optional programs: 0 for a
    program the rule needs held and neither mandatory (programs/mandatory.yaml) nor chosen."""
    mandatory = _int(m["bpu_mandatory"])
    out: list[tuple[int, ...]] = []
    for optional in range(4):
        programs = mandatory | optional
        row: list[int] = []
        for key, rule in _rules(reg, Segment.BPU):
            held = rule.when is not When.PROGRAM_HELD or bool(
                programs & bits[reg.slot(key).program.value]
            )
            unit = "idr" if rule.base is BaseKind.FIXED else "ppm"
            row.append(_int(m[f"bpu_{key}_{unit}"]) if held else 0)
        out.append(tuple(row))
    return out


def _jakon_columns(reg: Registry) -> tuple[str, ...]:
    keys = [key for key, _ in _rules(reg, Segment.JAKON)]
    return ("lower", *keys, *(f"{key}_below" for key in keys))


def _jakon_profiles(m: Mapping[str, Any], bands: int, reg: Registry) -> list[tuple[int, ...]]:
    """For a value in each band: its lower bound, each slot's band rate (ppm), and the sum of
    each slot's lines of the full bands below it, each rounded half up as one per-person line."""
    keys = [key for key, _ in _rules(reg, Segment.JAKON)]
    out: list[tuple[int, ...]] = []
    uppers = [_int(m[f"jakon_upper_{i + 1}_idr"]) for i in range(bands - 1)]
    rates = {key: [_int(m[f"jakon_{key}_{i + 1}_ppm"]) for i in range(bands)] for key in keys}
    lower = 0
    below = dict.fromkeys(keys, 0)
    for band in range(bands):
        out.append((lower, *(rates[k][band] for k in keys), *(below[k] for k in keys)))
        if band < bands - 1:
            width = uppers[band] - lower
            for key in keys:
                below[key] += (width * rates[key][band] + HALF) // RATE_SCALE
            lower = uppers[band]
    return out


_PMI_COLUMNS = ("pre_placement", "package", "extension")
#: The PMI amount each rate parameter of a PMI rule gives.
_PMI_PARTS = {
    "pmi.pre_placement": "pre_placement",
    "pmi.packages": "package",
    "pmi.extension_monthly": "extension",
}


def _pmi_profiles(m: Mapping[str, Any], packages: Sequence[int]) -> list[tuple[int, ...]]:
    """The three PMI amounts for every placement length from 1 month to the maximum."""
    if m["pmi_pre_placement_idr"] is None:
        return [(0, 0, 0)] * MAX_PLACEMENT_MONTHS
    offered = {f"months_{k}": m[f"pmi_package_{k}_idr"] for k in packages}
    out: list[tuple[int, ...]] = []
    for placement in range(1, MAX_PLACEMENT_MONTHS + 1):
        _, amount, extra = choose_package(placement, offered)
        out.append((_int(m["pmi_pre_placement_idr"]), amount, _int(m["pmi_extension_idr"]) * extra))
    return out


def _table(names: Sequence[str], rows: list[tuple[int, ...]], months: int) -> _Table:
    columns = list(zip(*rows, strict=True))
    return _Table(
        width=len(rows) // months,
        columns={n: pl.Series(n, c, dtype=pl.Int64) for n, c in zip(names, columns, strict=True)},
    )


def _start(monthly: pl.DataFrame, segment: Segment) -> int:
    """The first month a segment is in force; it stays in force to the last known month."""
    flags = monthly[f"in_force_{segment.value.lower()}"].to_list()
    first = flags.index(True) if True in flags else len(flags)
    if not all(flags[first:]):
        raise ValueError(f"{segment.value} contributions stop and resume: not supported in bulk")
    return first


def _lookups(params: Parameters, reg: Registry | None = None) -> _Lookups:
    """The lookup tables of ``params`` and the registry in use, built once per pair."""
    return _lookups_for(params, reg or registry())


@functools.cache
def _lookups_for(params: Parameters, reg: Registry) -> _Lookups:
    monthly = _monthly(params, reg)
    bits = _program_bits(params)
    _check_no_overflow(monthly)
    bands, packages = _band_count(params), _package_keys(params)
    months = monthly.to_dicts()
    n = len(months)
    thresholds: list[int] = []
    for m in months:
        eligible = bool(m["li_share_ppm"]) and m["li_min_workers"] is not None
        for i in range(len(INDUSTRIES) + 1):
            listed = i < len(INDUSTRIES) and bool(m["li_industries"] >> i & 1)
            thresholds.append(int(m["li_min_workers"]) if eligible and listed else _NEVER)
    by_month = {
        name: monthly[column].fill_null(0).cast(pl.Int64)
        for name, column in (
            *(
                (_cap(cap), _cap(cap))
                for cap in {r.cap for _, r in _rules(reg, Segment.PU) if r.cap}
            ),
            ("tier_min", "bpu_tier_minimum_idr"),
            ("tier_max", "bpu_tier_maximum_idr"),
            ("tier_step", "bpu_tier_step_idr"),
            *((f"upper_{i + 1}", f"jakon_upper_{i + 1}_idr") for i in range(bands - 1)),
        )
    }
    # A month without BPU parameters has no valid BPU row; a step of 1 keeps the division defined.
    by_month["tier_step"] = by_month["tier_step"].replace(0, 1)
    for segment in ("pu", "bpu"):
        by_month[f"{segment}_forbidden"] = (_ALL_OPTIONAL & ~monthly[f"{segment}_available"]).cast(
            pl.Int64
        )
    return _Lookups(
        first=FIRST_PERIOD.index,
        months=n,
        bands=bands,
        start={segment: _start(monthly, segment) for segment in SEGMENTS},
        by_month=by_month,
        li_threshold=pl.Series("li_threshold", thresholds, dtype=pl.Int64),
        pu=_table(
            [k for k, _ in _rules(reg, Segment.PU)],
            [p for m in months for p in _pu_profiles(m, reg, bits)],
            n,
        ),
        bpu=_table(
            [k for k, _ in _rules(reg, Segment.BPU)],
            [p for m in months for p in _bpu_profiles(m, reg, bits)],
            n,
        ),
        jakon=_table(
            _jakon_columns(reg), [p for m in months for p in _jakon_profiles(m, bands, reg)], n
        ),
        pmi=_table(_PMI_COLUMNS, [p for m in months for p in _pmi_profiles(m, packages)], n),
        reg=reg,
    )


def _check_no_overflow(monthly: pl.DataFrame) -> None:
    """``base * rate_ppm + HALF`` must stay below 2**63 for every admissible base.

    Bases are bounded by the input limits (:data:`MAX_AMOUNT_IDR`): a wage or income of at most
    Rp 10**12 times any rate (at most 10**6 ppm) stays within 10**18; a contract value of at most
    Rp 10**15 needs a Jakon rate under about 9,200 ppm (the rates are at most 2,100 ppm, so
    2.1 * 10**18). A parameter change that would overflow fails here, when the tables are built,
    instead of wrapping silently.
    """
    jakon = [c for c in monthly.columns if c.startswith("jakon_") and c.endswith("_ppm")]
    others = [c for c in monthly.columns if c.endswith("_ppm") and c not in jakon]
    wage_or_income = max(MAX_AMOUNT_IDR["wage"], MAX_AMOUNT_IDR["income"])
    for rates, bound in ((jakon, MAX_AMOUNT_IDR["contract_value"]), (others, wage_or_income)):
        largest = int(monthly.select(pl.max_horizontal(rates).max()).item() or 0)
        if bound * largest + HALF > _INT64_MAX:
            raise ValueError(f"a rate in {rates} is too large for exact Int64 arithmetic")


# --------------------------------------------------------------------------------------------
# Schema and input normalisation


def period_index(column: str | pl.Expr = "period") -> pl.Expr:
    """A "YYYY-MM" text column as the Int32 period index (null when it does not parse)."""
    text = (pl.col(column) if isinstance(column, str) else column).str.strip_chars()
    year = text.str.slice(0, 4).cast(pl.Int32, strict=False)
    month = text.str.slice(5, 2).cast(pl.Int32, strict=False)
    ok = text.str.contains(r"^[0-9]{4}-[0-9]{2}$") & month.is_between(1, 12)
    return pl.when(ok).then(year * 12 + month - 1).cast(pl.Int32)


def _kind(dtype: pl.DataType) -> str:
    if dtype == pl.Null:
        return "null"
    if dtype.is_integer():
        return "integer"
    if dtype == pl.String:
        return "string"
    if isinstance(dtype, pl.Enum | pl.Categorical):
        return "categorical"
    if dtype == pl.Boolean:
        return "boolean"
    return str(dtype)


_ACCEPTED = {
    "period": {"integer", "string"},
    "code": {"string", "categorical", "null"},
    "integer": {"integer", "null"},
    "boolean": {"boolean", "null"},
}


def _checked_schema(frame: pl.LazyFrame) -> pl.Schema:
    schema = frame.collect_schema()
    for name in _REQUIRED_COLUMNS:
        if name not in schema:
            raise FrameSchemaError(f"the frame has no {name!r} column")
    for name, kind in INPUT_COLUMNS.items():
        if name in schema and _kind(schema[name]) not in _ACCEPTED[kind]:
            raise FrameSchemaError(f"column {name!r} has type {schema[name]}; expected {kind}")
    clashes = sorted(set(schema) & {*registry().keys, *TOTALS, *REJECT_COLUMNS})
    clashes += sorted(c for c in schema if c.startswith(_P))
    if clashes:
        raise FrameSchemaError(f"the frame already has output column(s) {clashes}")
    return schema


def _as_enum(schema: pl.Schema, name: str, dtype: pl.Enum) -> pl.Expr:
    """A code column as ``dtype``: null when null or not one of its categories (exact match)."""
    if name not in schema or schema[name] == pl.Null:
        return pl.lit(None, dtype=dtype)
    column = pl.col(name)
    if schema[name] == dtype:
        return column
    if isinstance(schema[name], pl.Enum):
        column = column.cast(pl.String)
    return column.cast(dtype, strict=False)


def _int64(schema: pl.Schema, name: str) -> pl.Expr:
    """An integer column as Int64; UInt64 values beyond Int64 become its maximum (too large)."""
    if name not in schema:
        return pl.lit(None, dtype=pl.Int64)
    column = pl.col(name)
    if schema[name] == pl.UInt64:
        column = column.clip(upper_bound=_INT64_MAX)
    return column.cast(pl.Int64)


@dataclass(frozen=True)
class _Check:
    """One validation: rows where ``ok`` is false or null are rejected with ``field``/``code``."""

    name: str
    field: str
    code: str
    ok: pl.Expr


_MONTH = f"{_P}month"
_AMOUNT = f"{_P}amount"


def _month_and_amount(schema: pl.Schema, segment: Segment, lk: _Lookups) -> tuple[pl.Expr, pl.Expr]:
    """The month (0 for 2015-07) and the segment's amount, as Int64 expressions."""
    if _kind(schema["period"]) == "string":
        period = period_index("period").cast(pl.Int64)
    else:
        period = _int64(schema, "period")
    return period - lk.first, _int64(schema, _AMOUNT_COLUMN[SEGMENTS.index(segment)])


def _checks(
    schema: pl.Schema, segment: Segment, lk: _Lookups, month: pl.Expr, amount: pl.Expr
) -> list[_Check]:
    """The checks of one segment's rows, in the order their failures are reported."""
    i = SEGMENTS.index(segment)
    field = _AMOUNT_FIELD[i]
    bad_amount = "out_of_range" if segment is Segment.PMI else None
    given = pl.col("period").is_not_null()
    checks = [
        _Check("period_given", "period", "required", given),
        _Check("period_parsed", "period", "bad_period", ~given | month.is_not_null()),
        _Check("period_after_first", "period", "period_before_law", month >= 0),
        _Check("period_before_last", "period", "period_after_parameters", month < lk.months),
        _Check("in_force", "period", "segment_not_in_force", month >= lk.start[segment]),
        _Check("amount_given", field, "required", amount.is_not_null()),
        _Check("amount_not_negative", field, bad_amount or "negative", amount >= 0),
        _Check("amount_positive", field, bad_amount or "not_positive", amount != 0),
        _Check("amount_not_too_large", field, bad_amount or "too_large", amount <= _AMOUNT_MAX[i]),
    ]
    if segment is Segment.PU:
        risk_class = _int64(schema, "risk_class")
        workers = _int64(schema, "worker_count")
        size_known = _known(schema, "employer_size", EMPLOYER_SIZE_DTYPE)
        industry_known = _known(schema, "industry", INDUSTRY_DTYPE)
        checks += [
            _Check("risk_class", "risk_class", "out_of_range",
                   risk_class.is_null() | risk_class.is_between(1, 5)),
            _Check("employer_size", "employer_size", "unknown_choice", size_known),
            _Check("industry", "industry", "unknown_choice", industry_known),
            _Check("workers", "workers", "out_of_range",
                   workers.is_null() | workers.is_between(1, MAX_WORKERS)),
        ]  # fmt: skip
    if segment in (Segment.PU, Segment.BPU):
        optional = _int64(schema, "optional_programs").fill_null(0)
        name = f"{segment.value.lower()}_forbidden"
        forbidden = lk.month_value(name, month.clip(0, lk.months - 1))
        available = (
            pl.lit(True)  # every optional program is available in every month
            if lk.by_month[name].max() == 0
            else (optional & forbidden) == 0
        )
        checks += [
            _Check("programs_known", "programs", "unknown_choice",
                   optional.is_between(0, _ALL_OPTIONAL)),
            _Check("programs_available", "programs", "program_not_available", available),
        ]  # fmt: skip
    return checks


def _all_pass(oks: Iterable[pl.Expr]) -> pl.Expr:
    """True where every check passes (a null check fails)."""
    return pl.all_horizontal(list(oks)).fill_null(False)


def _valid_rows(
    lf: pl.LazyFrame, schema: pl.Schema, segment: Segment, lk: _Lookups
) -> pl.LazyFrame:
    """The rows of one segment that pass every check, with their month and amount."""
    month, amount = _month_and_amount(schema, segment, lk)
    rows = lf.filter(_segment_column(schema) == segment.value)
    rows = rows.with_columns(**{_MONTH: month, _AMOUNT: amount})
    checks = _checks(schema, segment, lk, pl.col(_MONTH), pl.col(_AMOUNT))
    rows = rows.with_columns(**{_flag(check): check.ok for check in checks})
    return rows.filter(_all_pass(pl.col(_flag(check)) for check in checks))


def _rejected_rows(
    lf: pl.LazyFrame, schema: pl.Schema, segment: Segment, lk: _Lookups, keep: list[str]
) -> pl.LazyFrame:
    """The rows of one segment that fail a check, with the first failure's field and code.

    Planned apart from :func:`_valid_rows` (one filter on the input), so that collecting both
    does not cache the segment's rows: the reasons are worked out on the rejected rows only.
    """
    month, amount = _month_and_amount(schema, segment, lk)
    checks = _checks(schema, segment, lk, month, amount)
    rows = lf.filter((_segment_column(schema) == segment.value) & ~_all_pass(c.ok for c in checks))
    field: pl.Expr = pl.lit(None, dtype=pl.String)
    code: pl.Expr = pl.lit(None, dtype=pl.String)
    for check in reversed(checks):
        failed = ~check.ok.fill_null(False)
        field = pl.when(failed).then(pl.lit(check.field)).otherwise(field)
        code = pl.when(failed).then(pl.lit(check.code)).otherwise(code)
    return rows.select(*keep, field.alias("reject_field"), code.alias("reject_code"))


def _flag(check: _Check) -> str:
    return f"{_P}ok_{check.name}"


def _segment_column(schema: pl.Schema) -> pl.Expr:
    """The segment as :data:`SEGMENT_DTYPE`: the input column, or its cast added by _assess."""
    return pl.col("segment" if schema["segment"] == SEGMENT_DTYPE else f"{_P}segment")


def _known(schema: pl.Schema, name: str, dtype: pl.Enum) -> pl.Expr:
    """True where a code column is null or one of ``dtype``'s categories."""
    if name not in schema or schema[name] in (dtype, pl.Null):
        return pl.lit(True)
    return pl.col(name).is_null() | _as_enum(schema, name, dtype).is_not_null()


# --------------------------------------------------------------------------------------------
# The contribution lines, by segment (each mirrors its module in legal/rules)


def _amount(base: pl.Expr, ppm: pl.Expr) -> pl.Expr:
    """Half up to the rupiah, as ``money.apply_rate`` (no overflow: see _check_no_overflow)."""
    return (base * ppm + HALF) // RATE_SCALE


_KEY = f"{_P}key"
_ROW = f"{_P}row"


def _key(month: pl.Expr, table: _Table, profile: pl.Expr) -> pl.Expr:
    return month.cast(pl.UInt32) * table.width + profile.cast(pl.UInt32)


def _pu(rows: pl.LazyFrame, schema: pl.Schema, lk: _Lookups) -> pl.LazyFrame:
    """rules/pu.py: JKK, JKM, JHT, JP and the JKP funding lines on the wage."""
    c = pl.col
    month, key = c(_MONTH), c(_KEY)
    # The profile in UInt32 (valid rows only: every part is small and non-negative).
    u32 = pl.UInt32
    size = _as_enum(schema, "employer_size", EMPLOYER_SIZE_DTYPE).to_physical().cast(u32)
    industry = _as_enum(schema, "industry", INDUSTRY_DTYPE).to_physical().cast(u32)
    # PP 7/2025: the employer has at least the minimum workers of its month and industry.
    industry_key = month.cast(u32) * (len(INDUSTRIES) + 1) + industry.fill_null(_NO_INDUSTRY)
    threshold = pl.lit(lk.li_threshold).gather(industry_key)
    discounted = _int64(schema, "worker_count").fill_null(-1) >= threshold
    jkp = c("jkp_eligible").fill_null(True) if "jkp_eligible" in schema else pl.lit(True)
    risk_class = _int64(schema, "risk_class").fill_null(DEFAULT_RISK_CLASS).cast(u32)
    optional = _int64(schema, "optional_programs").fill_null(0).cast(u32)
    profile = (
        (risk_class - 1) * (len(SIZES) * 16)
        + size.fill_null(_DEFAULT_SIZE) * 16
        + optional * 4
        + discounted.cast(u32) * 2
        + jkp.cast(u32)
    )
    rows = rows.with_columns(**{_KEY: _key(month, lk.pu, profile)})

    # Each slot on its rule's base: the wage, or min(wage, cap of the month) (JP: PP 45/2015
    # Pasal 29; JKP funding: its own cap).
    return rows.with_columns(
        **{
            k: _amount(_rule_base(rule, lk), lk.pu.get(k, key))
            for k, rule in _rules(lk.reg, Segment.PU)
        }
    )


def _bpu(rows: pl.LazyFrame, schema: pl.Schema, lk: _Lookups) -> pl.LazyFrame:
    """rules/bpu.py: JKK on the income tier, the flat JKM, the optional JHT."""
    c = pl.col
    month, income, key = c(_MONTH), c(_AMOUNT), c(_KEY)
    optional = _int64(schema, "optional_programs").fill_null(0)
    # bpu/income_tiers.yaml, floor_to_step: clamp to [minimum, maximum], down to a step.
    minimum, step = lk.month_value("tier_min", month), lk.month_value("tier_step", month)
    clamped = income.clip(minimum, lk.month_value("tier_max", month))
    tier = minimum + (clamped - minimum) // step * step
    rows = rows.with_columns(**{_KEY: _key(month, lk.bpu, optional), f"{_P}tier": tier})
    base = c(f"{_P}tier")
    return rows.with_columns(
        **{
            k: lk.bpu.get(k, key)
            if rule.base is BaseKind.FIXED
            else _amount(base, lk.bpu.get(k, key))
            for k, rule in _rules(lk.reg, Segment.BPU)
        }
    )


def _jakon(rows: pl.LazyFrame, schema: pl.Schema, lk: _Lookups) -> pl.LazyFrame:
    """rules/jakon.py: JKK and JKM marginally by band of the contract value.

    Every band below the value's band is full: its lines are in the table (``*_below``), so
    only the line of the value's own band is computed here.
    """
    c = pl.col
    month, value, key = c(_MONTH), c(_AMOUNT), c(_KEY)
    band: pl.Expr = pl.lit(0, dtype=pl.Int64)  # the number of upper bounds below the value
    for i in range(lk.bands - 1):
        band = band + (value > lk.month_value(f"upper_{i + 1}", month)).cast(pl.Int64)
    rows = rows.with_columns(**{_KEY: _key(month, lk.jakon, band)})
    rows = rows.with_columns(**{f"{_P}top": value - lk.jakon.get("lower", key)})
    top = c(f"{_P}top")
    return rows.with_columns(
        **{
            k: _amount(top, lk.jakon.get(k, key)) + lk.jakon.get(f"{k}_below", key)
            for k, _ in _rules(lk.reg, Segment.JAKON)
        }
    )


def _pmi(rows: pl.LazyFrame, schema: pl.Schema, lk: _Lookups) -> pl.LazyFrame:
    """rules/pmi.py: pre-placement, the package covering the placement, extension months."""
    c = pl.col
    rows = rows.with_columns(**{_KEY: _key(c(_MONTH), lk.pmi, c(_AMOUNT) - 1)})
    key = c(_KEY)
    return rows.with_columns(
        **{k: lk.pmi.get(_PMI_PARTS[rule.rate], key) for k, rule in _rules(lk.reg, Segment.PMI)}
    )


_SEGMENT_LINES = {Segment.PU: _pu, Segment.BPU: _bpu, Segment.JAKON: _jakon, Segment.PMI: _pmi}


def _sum(terms: Sequence[pl.Expr]) -> pl.Expr:
    """``a + b + ...`` (0 for no term): every slot of a valid row is a number, never null."""
    return functools.reduce(operator.add, terms) if terms else pl.lit(0, dtype=pl.Int64)


def _rule_base(rule: SlotRule, lk: _Lookups) -> pl.Expr:
    """The base a rule's rate applies to, on a segment's rows: the amount (wage, contract
    value), the wage under the month's cap, or the BPU bracket (computed by :func:`_bpu`)."""
    if rule.base in CAPPED and rule.cap is not None:
        return pl.min_horizontal(pl.col(_AMOUNT), lk.month_value(_cap(rule.cap), pl.col(_MONTH)))
    if rule.base is BaseKind.INCOME_TIER:
        return pl.col(f"{_P}tier")
    return pl.col(_AMOUNT)


def base_column(kind: BaseKind) -> str:
    """The output column of a base asked for with ``bases=`` (``base_jp_wage_idr``)."""
    return f"base_{kind.value}_idr"


def _output(
    lines: pl.LazyFrame,
    segment: Segment,
    keep: list[str],
    lk: _Lookups,
    bases: Sequence[BaseKind] = (),
) -> pl.LazyFrame:
    """The kept columns, every slot (0 where the segment has none), the bases asked for (null
    where the segment has no such base) and the totals."""
    reg = lk.reg
    own_bases = {r.base: r for _, r in reversed(_rules(reg, segment))}
    based = [
        (_rule_base(own_bases[kind], lk) if kind in own_bases else pl.lit(None, dtype=pl.Int64))
        .cast(pl.Int64)
        .alias(base_column(kind))
        for kind in bases
        if kind is not BaseKind.FIXED
    ]
    own = [key for key, _ in _rules(reg, segment)]
    slots = [pl.col(s) if s in own else _sum([]).alias(s) for s in reg.keys]
    paid = {
        total: [pl.col(s) for s in own if reg.slot(s).payer is payer]
        for payer, total in _TOTAL_OF_PAYER.items()
    }
    totals = [_sum(terms).alias(total) for total, terms in paid.items()]
    lines = lines.select(*keep, *slots, *based, *totals)
    grand = _sum([pl.col(total) for total, terms in paid.items() if terms])
    return lines.with_columns(total_idr=grand)


@dataclass(frozen=True)
class _Plan:
    """A checked input frame, ready to be split by segment."""

    frame: pl.LazyFrame
    schema: pl.Schema
    keep: list[str]  # the input columns (and the row number when the order is kept)
    lookups: _Lookups
    keep_order: bool

    def valid(self, segment: Segment) -> pl.LazyFrame:
        return _valid_rows(self.frame, self.schema, segment, self.lookups)

    def rejects(self) -> pl.LazyFrame:
        unknown = self.frame.filter(_segment_column(self.schema).is_null()).select(
            *self.keep,
            reject_field=pl.lit("segment"),
            reject_code=pl.when(pl.col("segment").is_null())
            .then(pl.lit("required"))
            .otherwise(pl.lit("unknown_choice")),
        )
        return self.concat(
            [unknown]
            + [
                _rejected_rows(self.frame, self.schema, s, self.lookups, self.keep)
                for s in SEGMENTS
            ]
        )

    def concat(self, parts: list[pl.LazyFrame]) -> pl.LazyFrame:
        out = pl.concat(parts, how="vertical", rechunk=False)
        return out.sort(_ROW).drop(_ROW) if self.keep_order else out


def _plan(frame: pl.DataFrame | pl.LazyFrame, params: Parameters | None, keep_order: bool) -> _Plan:
    lookups = _lookups(params or parameters(), registry())
    lf = frame.lazy()
    schema = _checked_schema(lf)
    keep = list(schema)
    if keep_order:
        lf, keep = lf.with_row_index(_ROW), [*keep, _ROW]
    if schema["segment"] != SEGMENT_DTYPE:
        lf = lf.with_columns(**{f"{_P}segment": _as_enum(schema, "segment", SEGMENT_DTYPE)})
    return _Plan(lf, schema, keep, lookups, keep_order)


# --------------------------------------------------------------------------------------------
# Public API


def contributions_and_rejects(
    frame: pl.DataFrame | pl.LazyFrame,
    params: Parameters | None = None,
    *,
    keep_order: bool = False,
    bases: Sequence[BaseKind] = (),
) -> tuple[pl.LazyFrame, pl.LazyFrame]:
    """(contributions of the valid rows, rejects); collect both with ``pl.collect_all``.

    Rows come out grouped by segment (PU, BPU, JAKON, PMI), each group in input order; carry an
    identifying column (worker, employer) to join results back. ``keep_order=True`` restores
    the input order at the cost of a sort. ``bases`` adds, for each base kind named, the base
    the rules applied (:func:`base_column`: ``base_jp_wage_idr`` the wage under the JP cap,
    ``base_income_tier_idr`` the BPU bracket, ...), null where a row's segment has none.

    Raises:
        FrameSchemaError: a required column is missing or a column has the wrong type.
    """
    plan = _plan(frame, params, keep_order)
    lines = [_output(_SEGMENT_LINES[s](plan.valid(s), plan.schema, plan.lookups), s, plan.keep,
                     plan.lookups, bases)
             for s in SEGMENTS]  # fmt: skip
    return plan.concat(lines), plan.rejects()


def contributions_frame(
    frame: pl.DataFrame | pl.LazyFrame,
    params: Parameters | None = None,
    *,
    keep_order: bool = False,
) -> pl.LazyFrame:
    """The valid rows' input columns, one Int64 column per slot, and the totals.

    Rows that fail validation are left out: :func:`split_valid` and
    :func:`contributions_and_rejects` return them with a reason. Row order as in
    :func:`contributions_and_rejects`.
    """
    return contributions_and_rejects(frame, params, keep_order=keep_order)[0]


def contributions(
    frame: pl.DataFrame | pl.LazyFrame,
    params: Parameters | None = None,
    *,
    keep_order: bool = False,
) -> pl.DataFrame:
    """:func:`contributions_frame`, collected."""
    return contributions_frame(frame, params, keep_order=keep_order).collect()


def split_valid(
    frame: pl.DataFrame | pl.LazyFrame,
    params: Parameters | None = None,
    *,
    keep_order: bool = False,
) -> tuple[pl.LazyFrame, pl.LazyFrame]:
    """(valid rows, rejects): the input rows the law applies to, with their columns unchanged,
    and the others with ``reject_field`` and ``reject_code``. Row order as in
    :func:`contributions_and_rejects`."""
    plan = _plan(frame, params, keep_order)
    valid = plan.concat([plan.valid(s).select(plan.keep) for s in SEGMENTS])
    return valid, plan.rejects()


def to_lines(frame: pl.DataFrame | pl.LazyFrame) -> pl.LazyFrame:
    """Long form of a contributions frame: one row per non-zero slot, after the input columns,
    with ``slot``, ``program``, ``payer`` (Enums) and ``amount_idr``; the totals are dropped."""
    lf = frame.lazy()
    reg = registry()
    slots = [key for key in reg.keys if key in lf.collect_schema()]
    index = [c for c in lf.collect_schema() if c not in reg.keys and c not in TOTALS]
    programs = {s.key: s.program.value for s in reg.slots}
    payers = {s.key: s.payer.value for s in reg.slots}
    slot = pl.col("slot").cast(pl.String)
    return (
        lf.unpivot(on=slots, index=index, variable_name="slot", value_name="amount_idr")
        .filter(pl.col("amount_idr") != 0)
        .with_columns(
            program=slot.replace_strict(programs).cast(pl.Enum([p.value for p in Program])),
            payer=slot.replace_strict(payers).cast(pl.Enum([p.value for p in Payer])),
            slot=slot.cast(pl.Enum(list(reg.keys))),
        )
        .select(*index, "slot", "program", "payer", "amount_idr")
    )
