"""The benefit simulator's form handling: query string in, benefits or field errors out.

The values are checked by :func:`jamsos.legal.benefits.benefit_input`, as for the CLI and the
API. Blank values are dropped (the form shows every field when JavaScript is off) and amounts may
be typed with thousands separators. Fields that do not belong to the chosen program are ignored
by the engine.
"""

from __future__ import annotations

import json
import shlex
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.http import QueryDict

from jamsos.calculator.benefit_labels import CASE_LABELS, line_label, note_texts, reason_texts
from jamsos.calculator.simulator import plain_amount
from jamsos.core.clock import today_in_jakarta
from jamsos.core.formatting import format_money, label
from jamsos.legal import LegalInputError, parameters
from jamsos.legal.benefits import INPUT_FIELDS, BenefitResult, benefit_calculate, benefit_input

AMOUNT_FIELDS = ("wage", "balance", "average_wage")
#: The form's own name for the repeated children field (one select per child).
CHILD_FIELD = "child"
#: How many child selects the form shows (the law pays for 2; a third shows the limit).
CHILD_SLOTS = 3


def default_date(today: date | None = None) -> date:
    """Today in Jakarta, but never past the last day with known parameters."""
    return min(today or today_in_jakarta(), parameters().known_until)


def form_input(query: QueryDict) -> dict[str, Any]:
    """The submitted fields for the engine, blanks left out."""
    data: dict[str, Any] = {}
    for name in INPUT_FIELDS:
        if name == "children":
            children = [value for value in query.getlist(CHILD_FIELD) if value.strip()]
            if children:
                data["children"] = children
            continue
        value = query.get(name, "")
        if value.strip():
            data[name] = plain_amount(value) if name in AMOUNT_FIELDS else value.strip()
    return data


@dataclass
class Row:
    benefit: str
    per_month: str
    months: str
    amount: str
    reference: str
    for_life: bool


@dataclass
class Result:
    result: BenefitResult
    case_label: str
    rows: list[Row]
    total: str
    reasons: list[str]
    notes: list[str]


@dataclass
class Simulation:
    submitted: bool
    values: dict[str, Any]
    children: list[str]
    errors: dict[str, str] = field(default_factory=dict)
    result: Result | None = None
    cli: str = ""
    api_body: str = ""


def result_of(result: BenefitResult, language: str) -> Result:
    rows = [
        Row(
            benefit=line_label(line),
            per_month=format_money(line.per_month_idr, language)
            if line.per_month_idr is not None
            else "",
            months=str(line.months) if line.months is not None else "",
            amount=format_money(line.amount_idr, language) if line.amount_idr is not None else "",
            reference=line.reference,
            for_life=line.amount_idr is None,
        )
        for line in result.lines
    ]
    return Result(
        result=result,
        case_label=label(CASE_LABELS, result.case),
        rows=rows,
        total=format_money(result.total_idr, language),
        reasons=reason_texts(result, language),
        notes=note_texts(result, language),
    )


def simulate(query: QueryDict, language: str, today: date | None = None) -> Simulation:
    """Read the form, compute when it was submitted, and keep what to show back in the fields."""
    submitted = "program" in query
    values: dict[str, Any] = {
        "program": "JKM",
        "case": "death",
        "segment": "PU",
        "date": default_date(today).isoformat(),
    }
    children: list[str] = []
    if submitted:
        values = {name: query.get(name, "") for name in INPUT_FIELDS if name != "children"}
        children = query.getlist(CHILD_FIELD)
    children = (children + [""] * CHILD_SLOTS)[: max(CHILD_SLOTS, len(children))]
    simulation = Simulation(submitted=submitted, values=values, children=children)
    if not submitted:
        return simulation
    data = form_input(query)
    try:
        result = benefit_calculate(benefit_input(data))
    except LegalInputError as exc:
        simulation.errors[exc.field] = exc.message(language)
        return simulation
    simulation.result = result_of(result, language)
    simulation.cli = cli_command(data)
    simulation.api_body = json.dumps(data, ensure_ascii=False)
    return simulation


def cli_command(data: Mapping[str, Any]) -> str:
    """The ``jamsos calc benefit`` command line for the same input."""
    parts = ["jamsos calc benefit"]
    for name, value in data.items():
        if name == "children":
            parts += [f"--child {shlex.quote(str(level))}" for level in value]
            continue
        if name == "jht_partial_claimed":
            if str(value).strip().lower() in {"1", "true", "yes", "ya", "on"}:
                parts.append("--jht-partial-claimed")
            continue
        parts.append(f"--{name.replace('_', '-')} {shlex.quote(str(value))}")
    return " ".join(parts)
