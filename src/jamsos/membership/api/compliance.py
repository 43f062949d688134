"""The compliance list of employers (branch officers and administrators), as the page shows it.

Interface only: ``employer_compliance`` checks the policy and filters by the caller's scope.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja import Query, Router, Schema

from jamsos.api.auth import SIGNED_IN, caller_scope
from jamsos.api.pagination import DEFAULT_LIMIT
from jamsos.core.clock import today_in_jakarta
from jamsos.legal.periods import Period
from jamsos.membership.api.common import READ_ERRORS, Limit
from jamsos.membership.compliance import (
    MONTHS_MAX,
    ComplianceFilter,
    Problem,
    employer_compliance,
    latest_reported_period,
)
from jamsos.membership.errors import InvalidChoice, InvalidPeriod

router = Router(tags=["compliance"], auth=SIGNED_IN)

PeriodQuery = Query[
    str | None,
    {"description": "Contribution month YYYY-MM; default the latest month with a wage reported"},
]
MonthsQuery = Query[
    int, {"ge": 1, "le": MONTHS_MAX, "description": "Months looked back for months not reported"}
]
ProblemQuery = Query[
    str | None, {"description": "Keep one kind: " + ", ".join(p.value for p in Problem)}
]
SearchQuery = Query[str | None, {"description": "Words of the legal name, or the NPP's start"}]
Offset = Query[int, {"ge": 0, "description": "Rows skipped"}]


class ComplianceRowOut(Schema):
    npp: str
    legal_name: str
    size: str
    branch_office: str
    regency_code: str
    workers: int
    workers_expected: int
    programs_missing: dict[str, int]
    wages_below_minimum: int
    minimum_basis: str
    months_not_reported: list[str]
    problems: list[str]


class ComplianceOut(Schema):
    period: str
    months: int
    count: int
    items: list[ComplianceRowOut]


@router.get(
    "/compliance/employers",
    response={200: ComplianceOut, **READ_ERRORS},
    summary="Employers falling short of the law in a month",
    url_name="compliance-employers",
)
def compliance_employers(
    request: HttpRequest,
    period: PeriodQuery = None,
    months: MonthsQuery = 3,
    problem: ProblemQuery = None,
    q: SearchQuery = None,
    limit: Limit = DEFAULT_LIMIT,
    offset: Offset = 0,
) -> dict[str, Any]:
    """Employers in the caller's scope with fewer workers than their size, mandatory programs
    missing, wages below the regional minimum (or no minimum known), or months not reported.

    Branch officers (their office's employers) and administrators; others 403.
    """
    scope = caller_scope(request)
    if problem and problem not in {p.value for p in Problem}:
        raise InvalidChoice(
            field="problem", value=problem, choices=", ".join(p.value for p in Problem)
        )
    if period:
        try:
            month = Period.parse(period)
        except ValueError:
            raise InvalidPeriod(field="period", value=period) from None
    else:
        today = today_in_jakarta()
        month = latest_reported_period(scope) or Period(today.year, today.month)
    rows = employer_compliance(
        scope,
        ComplianceFilter(period=month, months=months, problem=problem or "", search=q or ""),
    )
    return {
        "period": str(month),
        "months": months,
        "count": len(rows),
        "items": [
            {
                "npp": r.npp,
                "legal_name": r.legal_name,
                "size": r.size,
                "branch_office": r.branch_office,
                "regency_code": r.regency_code,
                "workers": r.workers,
                "workers_expected": r.workers_expected,
                "programs_missing": r.programs_missing,
                "wages_below_minimum": r.below_minimum,
                "minimum_basis": r.minimum_basis,
                "months_not_reported": r.months_not_reported,
                "problems": [p.value for p in r.problems],
            }
            for r in rows[offset : offset + limit]
        ],
    }
