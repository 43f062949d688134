"""The benefit calculator's typed interface: a request, its lines, its result.

A request states a history (wage, contribution months, children's school levels...) and a date:
the date of the event (death, accident, job loss, claim), whose law applies. The calculator takes
the stated history as given and applies the law in force on that date.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

#: The cases each program pays, by program code.
CASES: dict[str, tuple[str, ...]] = {
    "JKM": ("death",),
    "JKK": ("death", "temporary_disability", "total_permanent_disability", "partial_disability"),
    "JHT": ("full", "partial_10", "partial_30"),
    "JP": ("old_age", "disability", "death"),
    "JKP": ("job_loss",),
}
#: Segments the calculator knows: PU wage earners, BPU the self-employed and informal workers.
SEGMENTS: tuple[str, ...] = ("PU", "BPU")
#: School levels of a child for the JKM/JKK scholarship, in the order of the path.
SCHOOL_LEVELS: tuple[str, ...] = ("TK", "SD", "SMP", "SMA", "PT")
#: Why a full JHT claim is made (Permenaker 4/2022): reaching 56, death, total permanent
#: disability, leaving Indonesia for good, stopping work (resignation or dismissal).
JHT_REASONS: tuple[str, ...] = (
    "age_56",
    "death",
    "total_permanent_disability",
    "left_indonesia",
    "stopped_work",
)
#: Who receives a JP survivor pension: the widow or widower, the children, or a parent.
SURVIVORS: tuple[str, ...] = ("spouse", "children", "parent")
#: Benefit codes of the lines (``BenefitLine.benefit``).
BENEFITS: tuple[str, ...] = (
    "lump_sum",
    "periodic",
    "funeral",
    "scholarship",
    "wage_replacement",
    "monthly_pension",
    "cash_benefit",
    "jht_balance",
    "tax",
)


@dataclass(frozen=True)
class BenefitRequest:
    """One claim to simulate.

    ``date`` is the date of the event (death, accident, job loss) or of the claim (JHT, JP old
    age): the law in force on it applies. Money is whole rupiah; percents are 0-100.
    """

    program: str
    case: str
    date: datetime.date
    segment: str = "PU"
    #: Monthly wage (PU) or declared income (BPU), whole rupiah; JKK and JKP.
    wage_idr: int | None = None
    #: Months of contributions paid (masa iur).
    contribution_months: int | None = None
    #: JKK temporary disability: months unable to work.
    months_unable: int | None = None
    #: JKK partial disability: the table percent for the injury (0-100).
    disability_percent: Decimal | None = None
    #: JKM/JKK scholarship: each child's current school level (TK, SD, SMP, SMA, PT).
    children: tuple[str, ...] = ()
    #: JHT: the balance claimed; JP: the JP balance paid as a lump sum under 15 years.
    balance_idr: int | None = None
    #: JP: the average indexed monthly wage over the contribution period.
    average_wage_idr: int | None = None
    #: JKK partial disability, functional: the percent of function lost (0-100).
    functional_loss_percent: Decimal | None = None
    #: JKK partial disability: a row of the disability table instead of a percent.
    disability_row: str | None = None
    #: JKP: claims already paid to this worker.
    jkp_claims_before: int | None = None
    #: JKP: whole months from the job loss to the claim.
    months_since_job_loss: int | None = None
    #: JKP under PP 37/2021: consecutive months paid just before the job loss.
    consecutive_months: int | None = None
    #: JHT partial claims and JP survivor/disability: months of membership (default:
    #: ``contribution_months``).
    membership_months: int | None = None
    #: JP disability and survivor pensions: share of membership months paid (0-100).
    contribution_density_percent: Decimal | None = None
    #: JHT full claim: why (see :data:`JHT_REASONS`); None takes the condition as met.
    claim_reason: str | None = None
    #: JHT full claim after stopping work: whole months since work stopped.
    months_since_stop: int | None = None
    #: JHT partial claim: a partial claim was already paid (it is allowed once).
    jht_partial_claimed: bool = False
    #: JP old age and JHT age_56: the member's age on ``date``, in whole years.
    age: int | None = None
    #: JP death: who receives the survivor pension (see :data:`SURVIVORS`).
    survivor: str = "spouse"


@dataclass(frozen=True)
class BenefitLine:
    """One benefit paid, with the regulation and the parameter behind it.

    ``amount_idr`` is the whole amount of the line (None for a pension paid for life);
    ``per_month_idr`` and ``months`` describe a monthly payment. ``confidence`` is the lowest
    confidence of the figures used (high, medium or low).
    """

    benefit: str
    amount_idr: int | None
    per_month_idr: int | None
    months: int | None
    reference: str
    parameter: str
    confidence: str = "high"
    #: Free detail for readers (e.g. the child's level), not part of the JSON contract.
    detail: str = ""

    def as_dict(self) -> dict[str, Any]:
        return {
            "benefit": self.benefit,
            "amount_idr": self.amount_idr,
            "per_month_idr": self.per_month_idr,
            "months": self.months,
            "reference": self.reference,
        }


@dataclass(frozen=True)
class BenefitResult:
    """The benefits of one claim. ``total_idr`` sums the lines' non-null amounts (0 when not
    eligible). ``reasons`` are message keys (:func:`jamsos.legal.messages.render_reason`);
    ``notes`` are informative message keys (uncertain figures, conditions taken as met)."""

    program: str
    case: str
    date: datetime.date
    eligible: bool
    reasons: tuple[str, ...]
    lines: tuple[BenefitLine, ...]
    total_idr: int
    notes: tuple[str, ...] = field(default=())

    def as_dict(self) -> dict[str, Any]:
        """The JSON contract of ``jamsos calc benefit --json`` and the API."""
        return {
            "program": self.program,
            "case": self.case,
            "date": self.date.isoformat(),
            "eligible": self.eligible,
            "reasons": list(self.reasons),
            "lines": [line.as_dict() for line in self.lines],
            "total_idr": self.total_idr,
        }

    @property
    def confidence(self) -> str:
        """The lowest confidence of the lines ("high" when there is none)."""
        order = ("low", "medium", "high")
        return min((line.confidence for line in self.lines), key=order.index, default="high")
