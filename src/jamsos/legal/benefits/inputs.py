"""A benefit request from loose values (CLI options, API body, web form): checked, typed.

Public field names: ``program, case, date, segment, wage, contribution_months, months_unable,
disability_percent, children, balance, average_wage`` and the optional ``functional_loss_percent,
disability_row, jkp_claims_before, months_since_job_loss, consecutive_months,
membership_months, contribution_density_percent, claim_reason, months_since_stop,
jht_partial_claimed, age, survivor``. Blank values are absent. A bad value raises
:class:`LegalInputError` naming the field.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

from jamsos.legal.benefits.types import CASES, SCHOOL_LEVELS, BenefitRequest
from jamsos.legal.errors import LegalInputError
from jamsos.legal.inputs import _bool, _whole, parse_amount

AMOUNTS = {"wage": "wage_idr", "balance": "balance_idr", "average_wage": "average_wage_idr"}
COUNTS = (
    "contribution_months",
    "months_unable",
    "jkp_claims_before",
    "months_since_job_loss",
    "consecutive_months",
    "membership_months",
    "months_since_stop",
    "age",
)
PERCENTS = ("disability_percent", "functional_loss_percent", "contribution_density_percent")
CHOICES = ("disability_row", "claim_reason", "survivor")
INPUT_FIELDS: tuple[str, ...] = (
    "program",
    "case",
    "date",
    "segment",
    *AMOUNTS,
    *COUNTS,
    *PERCENTS,
    "children",
    *CHOICES,
    "jht_partial_claimed",
)


def _blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def parse_date(field: str, value: Any) -> date:
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value).strip())
    except ValueError:
        raise LegalInputError(field, "bad_date", value=value) from None


def parse_percent(field: str, value: Any) -> Decimal:
    if isinstance(value, bool | float):
        value = str(value)
    try:
        number = Decimal(str(value).strip().replace(",", "."))
    except InvalidOperation:
        raise LegalInputError(field, "not_percent", value=value) from None
    if not number.is_finite():
        raise LegalInputError(field, "not_percent", value=value)
    return number


def _children(value: Any) -> tuple[str, ...]:
    if isinstance(value, str):
        items = [part for part in value.replace(";", ",").split(",") if part.strip()]
    elif isinstance(value, list | tuple):
        items = [item for item in value if not _blank(item)]
    else:
        raise LegalInputError(
            "children", "unknown_choice", value=value, choices=", ".join(SCHOOL_LEVELS)
        )
    return tuple(str(item).strip().upper() for item in items)


def benefit_input(data: Mapping[str, Any]) -> BenefitRequest:
    """Check and type a request; unknown fields are refused, naming them."""
    present = {key: value for key, value in data.items() if not _blank(value)}
    unknown = sorted(set(present) - set(INPUT_FIELDS))
    if unknown:
        raise LegalInputError(
            unknown[0], "unknown_field", value=unknown[0], choices=", ".join(INPUT_FIELDS)
        )
    for field in ("program", "case", "date"):
        if field not in present:
            raise LegalInputError(field, "required")
    program = str(present["program"]).strip().upper()
    if program not in CASES:
        raise LegalInputError(
            "program", "unknown_choice", value=present["program"], choices=", ".join(CASES)
        )
    case = str(present["case"]).strip().lower()
    if case not in CASES[program]:
        raise LegalInputError(
            "case", "unknown_choice", value=present["case"], choices=", ".join(CASES[program])
        )
    values: dict[str, Any] = {
        "program": program,
        "case": case,
        "date": parse_date("date", present["date"]),
        "segment": str(present.get("segment", "PU")).strip().upper(),
    }
    for field, attribute in AMOUNTS.items():
        if field in present:
            values[attribute] = parse_amount(field, present[field])
    for field in COUNTS:
        if field in present:
            values[field] = _whole(field, present[field])
    for field in PERCENTS:
        if field in present:
            values[field] = parse_percent(field, present[field])
    if "children" in present:
        values["children"] = _children(present["children"])
    for field in CHOICES:
        if field in present:
            text = str(present[field]).strip()
            values[field] = text.upper() if field == "segment" else text.lower()
    if "jht_partial_claimed" in present:
        values["jht_partial_claimed"] = _bool("jht_partial_claimed", present["jht_partial_claimed"])
    return BenefitRequest(**values)
