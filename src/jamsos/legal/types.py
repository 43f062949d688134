"""Value types of the legal engine: inputs, breakdown lines, totals."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from enum import StrEnum
from typing import Any

from jamsos.legal.periods import Period


class Segment(StrEnum):
    PU = "PU"  # Penerima Upah: wage earners, through an employer
    BPU = "BPU"  # Bukan Penerima Upah: self-employed and informal workers
    JAKON = "JAKON"  # Jasa Konstruksi: construction projects
    PMI = "PMI"  # Pekerja Migran Indonesia: migrant workers


class Program(StrEnum):
    JKK = "JKK"  # Jaminan Kecelakaan Kerja: work accident
    JKM = "JKM"  # Jaminan Kematian: death
    JHT = "JHT"  # Jaminan Hari Tua: old-age savings
    JP = "JP"  # Jaminan Pensiun: pension
    JKP = "JKP"  # Jaminan Kehilangan Pekerjaan: job loss
    JKK_JKM = "JKK+JKM"  # PMI packages cover JKK and JKM together


class Payer(StrEnum):
    EMPLOYER = "employer"
    WORKER = "worker"  # deducted from the worker's wage
    PARTICIPANT = "participant"  # BPU and PMI paying for themselves
    GOVERNMENT = "government"  # central government share of JKP
    RECOMPOSED = "recomposed"  # JKP funding carved out of JKK/JKM: informative, in no total


class EmployerSize(StrEnum):
    MICRO = "micro"
    SMALL = "small"
    MEDIUM = "medium"
    LARGE = "large"


class Industry(StrEnum):
    """Industries named by PP 7/2025 Pasal 3 ayat (4), and ``other``."""

    FOOD_BEVERAGE_TOBACCO = "food_beverage_tobacco"
    TEXTILE_APPAREL = "textile_apparel"
    LEATHER_GOODS = "leather_goods"
    FOOTWEAR = "footwear"
    CHILDREN_TOYS = "children_toys"
    FURNITURE = "furniture"
    OTHER = "other"


@dataclass(frozen=True)
class ContributionInput:
    """What the law needs to know about one person-month.

    Field names are the public names used by the CLI (``--wage``), the API (``"wage"``) and in
    error messages. Amounts are whole rupiah.
    """

    segment: Segment
    period: Period
    wage_idr: int | None = None  # PU: upah (basic wage + fixed allowances)
    income_idr: int | None = None  # BPU: declared income
    contract_value_idr: int | None = None  # JAKON: project contract value
    placement_months: int | None = None  # PMI: length of the work agreement abroad
    risk_class: int | None = None  # PU: JKK risk class 1..5 (PP 44/2015 Lampiran I)
    employer_size: EmployerSize | None = None  # PU: Perpres 109/2013 phasing
    programs: frozenset[Program] = frozenset()  # optional programs chosen
    industry: Industry | None = None  # PU: for the PP 7/2025 JKK discount
    worker_count: int | None = None  # PU: employer's active workers, for PP 7/2025
    jkp_eligible: bool = True  # PU: WNI, under 54 at registration, in JKN (PP 37/2021)


@dataclass(frozen=True)
class Line:
    """One program and payer: base x rate (or a flat amount) = amount, with its legal reference."""

    program: Program
    payer: Payer
    base_idr: int
    rate: Decimal | None  # None for a flat amount
    amount_idr: int
    reference: str
    slot: str = ""  # stable column name in the bulk path, e.g. "jkk_employer"

    def to_json(self) -> dict[str, Any]:
        return {
            "program": self.program.value,
            "payer": self.payer.value,
            "base_idr": self.base_idr,
            "rate": format_rate(self.rate),
            "amount_idr": self.amount_idr,
            "reference": self.reference,
        }


@dataclass(frozen=True)
class Note:
    """A remark for the reader (deferral, low-confidence figure), rendered by language."""

    code: str
    params: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Totals:
    employer_idr: int
    worker_idr: int
    participant_idr: int
    government_idr: int

    @property
    def total_idr(self) -> int:
        return self.employer_idr + self.worker_idr + self.participant_idr + self.government_idr

    def to_json(self) -> dict[str, int]:
        return {
            "employer_idr": self.employer_idr,
            "worker_idr": self.worker_idr,
            "participant_idr": self.participant_idr,
            "government_idr": self.government_idr,
            "total_idr": self.total_idr,
        }


@dataclass(frozen=True)
class Breakdown:
    period: Period
    segment: Segment
    lines: tuple[Line, ...]
    notes: tuple[Note, ...] = ()

    @property
    def totals(self) -> Totals:
        sums = dict.fromkeys(Payer, 0)
        for line in self.lines:
            sums[line.payer] += line.amount_idr
        return Totals(
            employer_idr=sums[Payer.EMPLOYER],
            worker_idr=sums[Payer.WORKER],
            participant_idr=sums[Payer.PARTICIPANT],
            government_idr=sums[Payer.GOVERNMENT],
        )

    def to_json(self) -> dict[str, Any]:
        """The stable contract of ``jamsos calc contribution --json`` and the API."""
        return {
            "period": str(self.period),
            "segment": self.segment.value,
            "lines": [line.to_json() for line in self.lines],
            "totals": self.totals.to_json(),
        }

    def amounts_by_slot(self) -> dict[str, int]:
        """Amounts by bulk-path column, summed where a slot has several lines (Jakon bands)."""
        out: dict[str, int] = {}
        for line in self.lines:
            out[line.slot] = out.get(line.slot, 0) + line.amount_idr
        return out


def format_rate(rate: Decimal | None) -> str | None:
    """A rate as a plain decimal string without exponent or trailing zeros ("0.0024")."""
    if rate is None:
        return None
    text = format(rate.normalize(), "f")
    return text
