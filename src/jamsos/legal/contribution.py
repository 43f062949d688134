"""Contributions for one person-month: the per-person path."""

from __future__ import annotations

from collections.abc import Callable

from jamsos.legal.errors import LegalInputError
from jamsos.legal.params import Parameters, parameters
from jamsos.legal.periods import FIRST_PERIOD, Period
from jamsos.legal.rules.bpu import bpu_lines
from jamsos.legal.rules.common import Builder
from jamsos.legal.rules.jakon import jakon_lines
from jamsos.legal.rules.pmi import pmi_lines
from jamsos.legal.rules.pu import pu_lines
from jamsos.legal.types import Breakdown, ContributionInput, Segment

_RULES: dict[Segment, Callable[[Builder, ContributionInput], None]] = {
    Segment.PU: pu_lines,
    Segment.BPU: bpu_lines,
    Segment.JAKON: jakon_lines,
    Segment.PMI: pmi_lines,
}

#: A parameter whose first value marks when a segment's contributions become computable.
_SEGMENT_START = {
    Segment.PU: "pu.jkk_rate",
    Segment.BPU: "bpu.jkk_rate",
    Segment.JAKON: "jakon.bands",
    Segment.PMI: "pmi.packages",
}


def last_period(params: Parameters) -> Period:
    known = params.known_until
    period = Period(known.year, known.month)
    return period if period.last_day <= known else Period.from_index(period.index - 1)


def check_period(segment: Segment, period: Period, params: Parameters) -> None:
    """Refuse a period before the law, past the known parameters, or before the segment starts."""
    if period < FIRST_PERIOD:
        raise LegalInputError(
            "period", "period_before_law", value=str(period), first=str(FIRST_PERIOD)
        )
    last = last_period(params)
    if period > last:
        raise LegalInputError(
            "period", "period_after_parameters", value=str(period), last=str(last)
        )
    first_value = params.parameter(_SEGMENT_START[segment]).values[0].since
    if period.legal_date < first_value:
        first = Period(first_value.year, first_value.month)
        raise LegalInputError(
            "period",
            "segment_not_in_force",
            value=str(period),
            segment=segment.value,
            first=str(first),
        )


def contribution(inp: ContributionInput, params: Parameters | None = None) -> Breakdown:
    """The contributions the law asks for one person-month, line by line, with references.

    Args:
        inp: a checked input (see :func:`jamsos.legal.inputs.contribution_input`).
        params: the parameters to read; the packaged ones by default.

    Raises:
        LegalInputError: the period is outside the known law, or an option does not fit.
    """
    params = params or parameters()
    check_period(inp.segment, inp.period, params)
    builder = Builder(params=params, on=inp.period.legal_date)
    _RULES[inp.segment](builder, inp)
    return Breakdown(inp.period, inp.segment, tuple(builder.lines), tuple(builder.notes))
