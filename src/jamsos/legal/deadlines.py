"""Due dates of monthly contributions and the late-payment penalty."""

from __future__ import annotations

import calendar as _calendar
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from jamsos.legal.calendar import next_working_day, previous_working_day
from jamsos.legal.errors import LegalInputError
from jamsos.legal.money import apply_rate
from jamsos.legal.params import Parameters, parameters
from jamsos.legal.periods import Period
from jamsos.legal.types import Segment

_DEADLINE = {Segment.PU: "deadline.pu", Segment.BPU: "deadline.bpu"}


def due_date(segment: Segment, period: Period, params: Parameters | None = None) -> date:
    """The last day to pay ``period``'s contribution without penalty.

    PU: the 15th of the following month (PP 44/2015), the 30th during PP 49/2020 (Pasal 4);
    BPU: the 15th of the same month. A day that is not a working day moves as the parameter says.
    """
    params = params or parameters()
    name = _DEADLINE.get(segment)
    if name is None:
        raise LegalInputError("segment", "no_monthly_due_date", segment=segment.value)
    rule = params.get(name, period.legal_date).value
    target = Period.from_index(period.index + int(rule["month_offset"]))
    last = _calendar.monthrange(target.year, target.month)[1]
    day = date(target.year, target.month, min(int(rule["day"]), last))
    if rule["holiday_rule"] == "next_working_day":
        return next_working_day(day)
    if rule["holiday_rule"] == "previous_working_day":
        return previous_working_day(day)
    raise ValueError(f"unknown holiday_rule {rule['holiday_rule']!r} in {name}")


def months_late(due: date, paid_on: date) -> int:
    """Months of delay; every started month counts (ADR 0004). 0 when paid by the due date."""
    if paid_on <= due:
        return 0
    months = (paid_on.year - due.year) * 12 + (paid_on.month - due.month)
    last_of_month = _calendar.monthrange(paid_on.year, paid_on.month)[1]
    # Paying after the due day's date in a later month starts another month of delay.
    if paid_on.day > min(due.day, last_of_month):
        months += 1
    return months


@dataclass(frozen=True)
class Penalty:
    due_date: date
    months_late: int
    rate_per_month: Decimal
    amount_idr: int
    reference: str


def late_penalty(
    segment: Segment,
    period: Period,
    amount_idr: int,
    paid_on: date,
    params: Parameters | None = None,
) -> Penalty:
    """The penalty (denda) on ``amount_idr`` of ``period``'s contribution paid on ``paid_on``.

    ``rate x months late x amount``, rounded half up once. The rate is the one in force for the
    contribution month (2%, or 0.5% for August 2020 - January 2021 under PP 49/2020 Pasal 23).
    """
    params = params or parameters()
    if isinstance(amount_idr, bool) or not isinstance(amount_idr, int) or amount_idr < 0:
        raise LegalInputError("amount", "not_integer", value=amount_idr)
    on = period.legal_date
    if segment.value not in params.get("penalty.segments", on).value:
        raise LegalInputError("segment", "penalty_not_applicable", segment=segment.value)
    due = due_date(segment, period, params)
    late = months_late(due, paid_on)
    rate = params.get("penalty.late_rate", on)
    amount = apply_rate(amount_idr * late, rate.value)
    return Penalty(due, late, rate.value, amount, rate.reference_text)
