"""The benefit computed by the legal engine (``jamsos.legal.benefits``), the calculator's own,
from the facts the records give; kept on the claim with its trace (docs/claims.md).

The request carries every fact the engine's ``BenefitRequest`` has a field for; the answer's
``as_dict()`` (each line with its amount, parameter, regulation and confidence) is stored as
it is, so a decision can be explained with the law that made it.
"""

from __future__ import annotations

import dataclasses
from datetime import date
from typing import Any

from jamsos.claims.errors import EngineRefused
from jamsos.claims.services.records import Facts
from jamsos.legal.benefits import BenefitRequest, BenefitResult, benefit_calculate
from jamsos.legal.errors import LegalInputError


def request_values(
    *,
    program: str,
    case: str,
    on: date,
    facts: Facts,
    months_unable: int | None,
    disability_percent: int | None,
    children: int,
) -> dict[str, Any]:
    """Every fact the engine may read, by the engine's field names (JSON-ready)."""
    return {
        "program": program,
        "case": case,
        "date": on.isoformat(),
        "segment": facts.segment or "PU",
        "wage_idr": facts.wage_idr,
        "contribution_months": facts.contribution_months,
        "months_unable": months_unable or 0,
        "disability_percent": disability_percent or 0,
        "children": children,
        "balance_idr": facts.balance_idr,
        "average_wage_idr": facts.average_wage_idr or facts.wage_idr,
        "age": facts.age,
        "membership_months": facts.membership_months,
        "months_in_last_24": facts.months_in_last_24,
        "contribution_months_last_24": facts.months_in_last_24,
        "birth_date": facts.birth_date,
    }


def benefit_request(values: dict[str, Any]) -> BenefitRequest:
    """The engine's request from :func:`request_values` (only the fields it defines)."""
    names = {f.name for f in dataclasses.fields(BenefitRequest)}
    given = {k: v for k, v in values.items() if k in names}
    given["date"] = date.fromisoformat(values["date"])
    if "birth_date" in given:
        given["birth_date"] = date.fromisoformat(values["birth_date"])
    return BenefitRequest(**given)


def compute(values: dict[str, Any]) -> BenefitResult:
    """The engine's answer; its refusal of an input becomes the claims desk's refusal."""
    try:
        return benefit_calculate(benefit_request(values))
    except LegalInputError as error:
        raise EngineRefused(message=_engine_message(error)) from None


def _engine_message(error: LegalInputError) -> dict[str, str]:
    return {"id": error.message("id"), "en": error.message("en")}
