"""The wages, incomes and months the registry accepts, in one place (docs/registry/bounds.md).

Every entry path (API, pages, uploads, the services) checks against these; anything outside is
refused with a membership refusal naming the field (``membership.out_of_range``), never stored.
They sit beside the billing bounds (:mod:`jamsos.billing.bounds`), which start at the same date.
"""

from __future__ import annotations

from datetime import date

from jamsos.core.clock import today_in_jakarta
from jamsos.legal.inputs import MAX_AMOUNT_IDR
from jamsos.legal.periods import Period

#: The programs' contributions start on 1 July 2015, when PP 44, 45 and 46 of 2015 (JKK and JKM,
#: JHT, JP) take effect: no wage is reported for a month before it.
PROGRAMS_START = date(2015, 7, 1)
WAGE_PERIOD_FIRST = Period(PROGRAMS_START.year, PROGRAMS_START.month)

#: How many months ahead of this month (in Jakarta) a wage may be reported: next month's wage
#: is known when a hire starts at the turn of the month; a month further out is a typing slip.
WAGE_PERIOD_MONTHS_AHEAD = 1

#: The largest monthly wage of a PU worker, in whole rupiah: Rp 10.000.000.000 (ten billion),
#: a larger monthly wage is taken for a typing slip (digits typed twice).
#: The same bound holds for uploaded wages. Sums over a large employer's payroll stay far
#: inside a 64-bit integer.
WAGE_MAX_IDR = 10_000_000_000

#: The largest declared monthly income of a BPU member: Rp 1.000.000.000 (a billion). The
#: top contribution tier is Rp 20.700.000 (legal/parameters/bpu/income_tiers.yaml); an income
#: nearly fifty times it is a slip, not a declaration.
INCOME_MAX_IDR = 1_000_000_000

#: The largest construction contract value: Rp 1.000.000.000.000.000, the calculator's bound
#: (keeps the banded JAKON arithmetic exact in 64-bit integers).
CONTRACT_VALUE_MAX_IDR = MAX_AMOUNT_IDR["contract_value"]

#: How far ahead a construction project or a placement abroad may start: a contract signed or
#: a departure planned within a year (Jakon workers are registered within 14 working days of the
#: SPK; a migrant worker before departure). Further out is a typing slip.
START_DAYS_AHEAD = 366

#: The longest construction project and placement abroad, in months (ten years).
SEGMENT_MONTHS_MAX = 120

#: The smallest wage or income, in whole rupiah.
AMOUNT_MIN_IDR = 1


def wage_period_last(today: date | None = None) -> Period:
    """The latest month a wage may be reported for."""
    today = today or today_in_jakarta()
    month = today.year * 12 + today.month - 1 + WAGE_PERIOD_MONTHS_AHEAD
    return Period(month // 12, month % 12 + 1)


def rupiah_text(amount: int) -> str:
    """``Rp 10.000.000.000``: an amount as a message names a bound."""
    return "Rp " + f"{amount:,}".replace(",", ".")
