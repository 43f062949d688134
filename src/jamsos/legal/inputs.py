"""Turning raw input (CLI flags, JSON, form fields) into a checked :class:`ContributionInput`.

Every entry point parses through here, so bad input gets the same error, naming the field and the
reason, whether it came from the CLI, the API or the web form.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from jamsos.legal.errors import LegalInputError
from jamsos.legal.periods import Period
from jamsos.legal.types import ContributionInput, EmployerSize, Industry, Program, Segment

#: Public field names, in the order the CLI and the API document them.
FIELDS = (
    "segment",
    "period",
    "wage",
    "income",
    "contract_value",
    "placement_months",
    "risk_class",
    "employer_size",
    "programs",
    "industry",
    "workers",
    "jkp_eligible",
)

#: Which optional fields each segment accepts (segment and period are always required).
SEGMENT_FIELDS: dict[Segment, frozenset[str]] = {
    Segment.PU: frozenset(
        {"wage", "risk_class", "employer_size", "programs", "industry", "workers", "jkp_eligible"}
    ),
    Segment.BPU: frozenset({"income", "programs"}),
    Segment.JAKON: frozenset({"contract_value"}),
    Segment.PMI: frozenset({"placement_months"}),
}
REQUIRED: dict[Segment, str] = {
    Segment.PU: "wage",
    Segment.BPU: "income",
    Segment.JAKON: "contract_value",
    Segment.PMI: "placement_months",
}

MAX_AMOUNT_IDR = {
    "wage": 1_000_000_000_000,  # Rp 1 trillion a month: beyond any real wage
    "income": 1_000_000_000_000,
    "contract_value": 1_000_000_000_000_000,  # Rp 1 quadrillion: keeps int64 arithmetic exact
}
MAX_PLACEMENT_MONTHS = 120
MAX_WORKERS = 10_000_000


def _blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _choice(
    field: str, value: Any, enum: type[Segment] | type[EmployerSize] | type[Industry]
) -> Any:
    text = str(value).strip()
    for member in enum:
        if text.lower() == member.value.lower():
            return member
    raise LegalInputError(
        field, "unknown_choice", value=value, choices=", ".join(m.value for m in enum)
    )


def _whole(field: str, value: Any, code: str = "not_whole_number") -> int:
    if isinstance(value, bool):
        raise LegalInputError(field, code, value=value)
    if isinstance(value, int):
        return value
    if isinstance(value, float):
        if value.is_integer():
            return int(value)
        raise LegalInputError(field, code, value=value)
    text = str(value).strip().replace("_", "")
    if text.startswith(("+", "-")):
        sign, digits = text[0], text[1:]
    else:
        sign, digits = "", text
    if not digits.isdigit() or not digits.isascii():
        raise LegalInputError(field, code, value=value)
    return int(sign + digits)


def parse_amount(field: str, value: Any) -> int:
    """A whole-rupiah amount > 0, within sane bounds."""
    amount = _whole(field, value, "not_integer")
    if amount < 0:
        raise LegalInputError(field, "negative", value=amount)
    if amount == 0:
        raise LegalInputError(field, "not_positive", value=amount)
    maximum = MAX_AMOUNT_IDR.get(field, MAX_AMOUNT_IDR["wage"])
    if amount > maximum:
        raise LegalInputError(field, "too_large", value=amount, maximum=maximum)
    return amount


def _bounded(field: str, value: Any, minimum: int, maximum: int) -> int:
    number = _whole(field, value)
    if not minimum <= number <= maximum:
        raise LegalInputError(field, "out_of_range", value=number, minimum=minimum, maximum=maximum)
    return number


def _programs(value: Any) -> frozenset[Program]:
    items: Iterable[Any]
    if isinstance(value, str):
        items = [part for part in value.replace(";", ",").split(",") if part.strip()]
    elif isinstance(value, list | tuple | set | frozenset):
        items = value
    else:
        raise LegalInputError(
            "programs", "unknown_choice", value=value, choices=", ".join(p.value for p in Program)
        )
    chosen: set[Program] = set()
    for item in items:
        text = str(item).strip().upper()
        match = next((p for p in Program if p.value == text), None)
        if match is None:
            raise LegalInputError(
                "programs",
                "unknown_choice",
                value=item,
                choices=", ".join(p.value for p in Program),
            )
        chosen.add(match)
    return frozenset(chosen)


def _bool(field: str, value: Any) -> bool:
    if isinstance(value, bool):
        return value
    text = str(value).strip().lower()
    if text in {"1", "true", "yes", "ya", "on"}:
        return True
    if text in {"0", "false", "no", "tidak", "off"}:
        return False
    raise LegalInputError(field, "unknown_choice", value=value, choices="true, false")


def parse_period(value: Any) -> Period:
    if isinstance(value, Period):
        return value
    try:
        return Period.parse(str(value))
    except ValueError:
        raise LegalInputError("period", "bad_period", value=value) from None


def contribution_input(data: Mapping[str, Any]) -> ContributionInput:
    """Check raw fields (strings or JSON values) and build the input.

    Unknown fields, a field that does not fit the segment, a missing required field, and any
    value of the wrong type or out of range raise :class:`LegalInputError`.
    """
    present = {k: v for k, v in data.items() if not _blank(v)}
    unknown = sorted(set(present) - set(FIELDS))
    if unknown:
        raise LegalInputError(
            unknown[0], "unknown_field", value=unknown[0], choices=", ".join(FIELDS)
        )
    if "segment" not in present:
        raise LegalInputError("segment", "required")
    segment = _choice("segment", present["segment"], Segment)
    if "period" not in present:
        raise LegalInputError("period", "required")
    period = parse_period(present["period"])
    allowed = SEGMENT_FIELDS[segment]
    for name in FIELDS[2:]:
        if name in present and name not in allowed:
            raise LegalInputError(name, "not_for_segment", segment=segment.value)
    required = REQUIRED[segment]
    if required not in present:
        raise LegalInputError(required, "required", segment=segment.value)

    kwargs: dict[str, Any] = {"segment": segment, "period": period}
    if "wage" in present:
        kwargs["wage_idr"] = parse_amount("wage", present["wage"])
    if "income" in present:
        kwargs["income_idr"] = parse_amount("income", present["income"])
    if "contract_value" in present:
        kwargs["contract_value_idr"] = parse_amount("contract_value", present["contract_value"])
    if "placement_months" in present:
        kwargs["placement_months"] = _bounded(
            "placement_months", present["placement_months"], 1, MAX_PLACEMENT_MONTHS
        )
    if "risk_class" in present:
        kwargs["risk_class"] = _bounded("risk_class", present["risk_class"], 1, 5)
    if "employer_size" in present:
        kwargs["employer_size"] = _choice("employer_size", present["employer_size"], EmployerSize)
    if "programs" in present:
        kwargs["programs"] = _programs(present["programs"])
    if "industry" in present:
        kwargs["industry"] = _choice("industry", present["industry"], Industry)
    if "workers" in present:
        kwargs["worker_count"] = _bounded("workers", present["workers"], 1, MAX_WORKERS)
    if "jkp_eligible" in present:
        kwargs["jkp_eligible"] = _bool("jkp_eligible", present["jkp_eligible"])
    return ContributionInput(**kwargs)
