"""The law as dated, cited parameters, and pure functions over them.

Nothing here imports Django. Every read takes a date or a contribution period; there is no
"current value". Money is whole rupiah (int); rates are exact decimals.

Public API:
    contribution(ContributionInput) -> Breakdown      one person-month (per-person path)
    bulk.contributions_frame(frame) -> polars frame   millions of person-months (bulk path)
    due_date(segment, period) -> date
    late_penalty(segment, period, amount_idr, paid_on) -> Penalty
    parameters() -> Parameters                        the loaded, validated YAML
    slots.registry() -> Registry                      the program lines (parameters/slots.yaml),
                                                      their rules, labels, accounts and columns
"""

from jamsos.legal.contribution import contribution
from jamsos.legal.deadlines import Penalty, due_date, late_penalty
from jamsos.legal.errors import LegalInputError, ParameterFileError, ParameterNotFound
from jamsos.legal.params import Parameters, parameters
from jamsos.legal.periods import FIRST_PERIOD, Period
from jamsos.legal.types import (
    Breakdown,
    ContributionInput,
    EmployerSize,
    Industry,
    Line,
    Note,
    Payer,
    Program,
    Segment,
    Totals,
)

__all__ = [
    "FIRST_PERIOD",
    "Breakdown",
    "ContributionInput",
    "EmployerSize",
    "Industry",
    "LegalInputError",
    "Line",
    "Note",
    "ParameterFileError",
    "ParameterNotFound",
    "Parameters",
    "Payer",
    "Penalty",
    "Period",
    "Program",
    "Segment",
    "Totals",
    "contribution",
    "due_date",
    "late_penalty",
    "parameters",
]
