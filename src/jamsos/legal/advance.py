"""Paying BPU contributions ahead: how many months at once, and which months.

``bpu.advance_months`` (bpu/advance_months.yaml) is the most months a BPU participant may pay at
once, counted from the first month not paid yet. Months past the parameters known to the engine
(``meta.yaml`` ``known_until``) cannot be billed yet, so the months offered stop there too.
"""

from __future__ import annotations

from jamsos.legal.contribution import last_period
from jamsos.legal.params import Parameters, parameters
from jamsos.legal.periods import Period

ADVANCE_PARAMETER = "bpu.advance_months"
MIN_MONTHS = 1


def advance_months_max(first: Period, params: Parameters | None = None) -> int:
    """The most months a BPU participant may pay at once from ``first`` (the law's limit)."""
    params = params or parameters()
    return int(str(params.get(ADVANCE_PARAMETER, first.legal_date).value))


def advance_months_offered(first: Period, params: Parameters | None = None) -> int:
    """The months that can be paid from ``first`` today: the law's limit, cut at the last month
    whose parameters are known (0 when ``first`` itself is past them)."""
    params = params or parameters()
    last = last_period(params)
    known = max(0, last.index - first.index + 1)
    return min(advance_months_max(first, params), known)


def advance_periods(first: Period, months: int) -> list[Period]:
    """``months`` consecutive periods from ``first``."""
    return [Period.from_index(first.index + n) for n in range(months)]
