"""Benefits under the law: dated, cited parameters (``parameters/benefits/``) and pure functions.

Public API (names kept stable for the claims app):
    BenefitRequest, BenefitLine, BenefitResult      frozen dataclasses (types.py)
    benefit_calculate(request) -> BenefitResult     one claim, line by line, with references
    benefit_input(mapping) -> BenefitRequest        the same request from strings (CLI, API, web)
    pension_age(year) -> int                        JP pension age for a calendar year
    CASES                                           the cases each program pays
    jht_yearly_return(year) -> YearlyReturn         the declared JHT return, or "not known"
    bulk.pension_payroll_frame(frame, on=...)       JP monthly pensions for many pensioners
"""

from jamsos.legal.benefits.calculate import (
    FIRST_DATE,
    YearlyReturn,
    benefit_calculate,
    check_request,
    jht_lump_sum_tax,
    jht_yearly_return,
    jkk_care_limits,
    jp_first_year_pension,
    jp_limited,
    pension_age,
    scholarship_entitlement,
)
from jamsos.legal.benefits.inputs import INPUT_FIELDS, benefit_input
from jamsos.legal.benefits.types import (
    BENEFITS,
    CASES,
    JHT_REASONS,
    SCHOOL_LEVELS,
    SEGMENTS,
    SURVIVORS,
    BenefitLine,
    BenefitRequest,
    BenefitResult,
)

__all__ = [
    "BENEFITS",
    "CASES",
    "FIRST_DATE",
    "INPUT_FIELDS",
    "JHT_REASONS",
    "SCHOOL_LEVELS",
    "SEGMENTS",
    "SURVIVORS",
    "BenefitLine",
    "BenefitRequest",
    "BenefitResult",
    "YearlyReturn",
    "benefit_calculate",
    "benefit_input",
    "check_request",
    "jht_lump_sum_tax",
    "jht_yearly_return",
    "jkk_care_limits",
    "jp_first_year_pension",
    "jp_limited",
    "pension_age",
    "scholarship_entitlement",
]
