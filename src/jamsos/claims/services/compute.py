"""The benefit computed by the legal engine (``jamsos.legal.benefits``), the calculator's own,
from the facts the records give; kept on the claim with its trace (docs/claims.md).

The trace keeps every line with its amount, monthly amount, months, parameter, regulation and
confidence, the engine's reasons and notes (keys and their texts in both languages) and the
request itself, so a decision can be explained years later with the law that made it.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from jamsos.claims.errors import EngineRefused
from jamsos.claims.services.records import Facts
from jamsos.legal.benefits import BenefitRequest, BenefitResult, benefit_calculate
from jamsos.legal.errors import LegalInputError, ParameterNotFound
from jamsos.legal.messages import render_reason

#: JP survivor pension: the heir's relationship → the engine's survivor.
SURVIVOR_OF = {"spouse": "spouse", "child": "children", "parent": "parent"}


def months_between(first: date, last: date) -> int:
    """Whole months from ``first`` to ``last`` (0 within the same month-day span)."""
    months = (last.year - first.year) * 12 + last.month - first.month
    return max(months - (last.day < first.day), 0)


def request_values(
    *,
    program: str,
    case: str,
    on: date,
    today: date,
    facts: Facts,
    months_unable: int | None,
    disability_percent: int | None,
    children: list[str],
    ground: str,
    relationship: str,
    jkp_claims_before: int,
    jht_partial_claimed: bool,
) -> dict[str, Any]:
    """The engine's request as JSON-ready values (kept on the claim)."""
    density = None
    if facts.membership_months:
        density = str(
            min(
                Decimal(100), Decimal(facts.contribution_months * 100) / facts.membership_months
            ).quantize(Decimal("0.01"))
        )
    balance = {"JHT": facts.balance_idr, "JP": facts.jp_balance_idr}.get(program) or None
    values: dict[str, Any] = {
        "program": program,
        "case": case,
        "date": on.isoformat(),
        "segment": facts.segment or "PU",
        "wage_idr": facts.wage_idr,
        "contribution_months": facts.contribution_months,
        "months_unable": months_unable or None,
        "disability_percent": str(disability_percent) if disability_percent else None,
        "children": list(children),
        "balance_idr": balance,
        "average_wage_idr": facts.average_wage_idr or facts.wage_idr,
        "membership_months": facts.membership_months,
        "contribution_density_percent": density,
        "age": facts.age,
    }
    if program == "JKP":
        # The engine's JKP condition counts the months paid within its window (24 months
        # before the job loss: benefits.jkp.claim_conditions), not every month ever paid.
        values["contribution_months"] = facts.months_in_last_24
        values["jkp_claims_before"] = jkp_claims_before
        values["months_since_job_loss"] = months_between(on, today)
        values["consecutive_months"] = facts.consecutive_months
    if program == "JHT" and case == "full":
        values["claim_reason"] = ground or None
        if ground == "stopped_work":
            values["months_since_stop"] = months_between(on, today)
    if program == "JHT" and case != "full":
        values["jht_partial_claimed"] = jht_partial_claimed
    if (program, case) == ("JP", "death"):
        values["survivor"] = SURVIVOR_OF.get(relationship, "spouse")
    return values


def benefit_request(values: dict[str, Any]) -> BenefitRequest:
    """The engine's request from :func:`request_values`."""
    given = dict(values)
    given["date"] = date.fromisoformat(values["date"])
    given["children"] = tuple(values.get("children") or ())
    for name in ("disability_percent", "contribution_density_percent"):
        if given.get(name) is not None:
            given[name] = Decimal(given[name])
    return BenefitRequest(**given)


def compute(values: dict[str, Any]) -> BenefitResult:
    """The engine's answer; its refusal of an input becomes the claims desk's refusal."""
    try:
        return benefit_calculate(benefit_request(values))
    except LegalInputError as error:
        raise EngineRefused(
            message={"id": error.message("id"), "en": error.message("en")}
        ) from None
    except ParameterNotFound as error:
        text = f"{error.name} ({error.on})"
        raise EngineRefused(
            message={
                "id": f"Parameter hukum tidak ada: {text}",
                "en": f"No legal parameter in force: {text}",
            }
        ) from None


def trace_of(result: BenefitResult, values: dict[str, Any]) -> dict[str, Any]:
    """Everything needed to explain the amounts later (JSON)."""
    answer = result.as_dict()
    answer["lines"] = [
        {
            **line.as_dict(),
            "parameter": line.parameter,
            "confidence": line.confidence,
            "detail": line.detail,
        }
        for line in result.lines
    ]
    answer["confidence"] = result.confidence
    answer["reasons_text"] = [
        {"key": k, "id": render_reason(k, "id"), "en": render_reason(k, "en")}
        for k in result.reasons
    ]
    answer["notes"] = [
        {"key": k, "id": render_reason(k, "id"), "en": render_reason(k, "en")} for k in result.notes
    ]
    answer["request"] = values
    return answer
