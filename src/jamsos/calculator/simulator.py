"""The contribution simulator's form handling: query string in, breakdown or field errors out.

The values are checked by :func:`jamsos.legal.inputs.contribution_input`, as for the CLI and the
API. Two things are specific to the web form, which shows every field when JavaScript is off:
blank values are dropped, and so are the fields that do not belong to the chosen segment.
"""

from __future__ import annotations

import json
import re
import shlex
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from django.http import QueryDict
from django.utils import timezone

from jamsos.core.formatting import (
    PAYER_LABELS,
    PROGRAM_NAMES,
    format_money,
    format_period,
    format_rate,
    label,
    render_notes,
)
from jamsos.legal import Breakdown, LegalInputError, Payer, Period, Segment, parameters
from jamsos.legal.contribution import contribution, last_period
from jamsos.legal.inputs import FIELDS, SEGMENT_FIELDS, contribution_input

#: Amount fields, where people type thousands separators ("5.000.000", "Rp 5.000.000").
AMOUNT_FIELDS = ("wage", "income", "contract_value")
_GROUPED = re.compile(r"^(?:rp\.?\s*)?(\d{1,3}(?:\.\d{3})+|\d+)(?:,-|,00)?$", re.IGNORECASE)

#: What the form shows before anything is submitted.
DEFAULTS = {"segment": Segment.PU.value, "risk_class": "1", "employer_size": "large"}


def default_period(today: Any = None) -> Period:
    """The current month, but never past the last month with known parameters."""
    today = today or timezone.localdate()
    return min(Period(today.year, today.month), last_period(parameters()))


def plain_amount(text: str) -> str:
    """``"Rp 5.000.000"`` -> ``"5000000"``; anything else unchanged, for the engine to judge."""
    match = _GROUPED.match(text.strip().replace("\u00a0", " "))
    return match.group(1).replace(".", "") if match else text


def _segment(value: str) -> Segment | None:
    return next((s for s in Segment if s.value.lower() == value.strip().lower()), None)


def form_input(query: QueryDict) -> dict[str, Any]:
    """The submitted fields for the engine: blanks and other segments' fields left out."""
    data: dict[str, Any] = {}
    for name in FIELDS:
        if name == "programs":
            chosen = [value for value in query.getlist(name) if value.strip()]
            if chosen:
                data[name] = chosen
            continue
        value = query.get(name, "")
        if value.strip():
            data[name] = plain_amount(value) if name in AMOUNT_FIELDS else value
    segment = _segment(str(data.get("segment", "")))
    if segment is not None:
        allowed = {"segment", "period", *SEGMENT_FIELDS[segment]}
        data = {name: value for name, value in data.items() if name in allowed}
    return data


@dataclass
class Row:
    program: str
    program_name: str
    payer: str
    base: str
    rate: str
    amount: str
    reference: str
    informative: bool


@dataclass
class Result:
    breakdown: Breakdown
    title_period: str
    rows: list[Row]
    totals: list[tuple[str, str]]
    total: str
    notes: list[str]
    has_recomposed: bool


@dataclass
class Simulation:
    submitted: bool
    values: dict[str, Any]
    programs: list[str]
    errors: dict[str, str] = field(default_factory=dict)
    result: Result | None = None
    cli: str = ""
    api_body: str = ""


def result_of(breakdown: Breakdown, language: str) -> Result:
    rows = [
        Row(
            program=line.program.value,
            program_name=label(PROGRAM_NAMES, line.program.value),
            payer=label(PAYER_LABELS, line.payer.value),
            base=format_money(line.base_idr, language),
            rate=format_rate(line.rate, language),
            amount=format_money(line.amount_idr, language),
            reference=line.reference,
            informative=line.payer is Payer.RECOMPOSED,
        )
        for line in breakdown.lines
    ]
    totals = breakdown.totals
    by_payer = {
        Payer.EMPLOYER: totals.employer_idr,
        Payer.WORKER: totals.worker_idr,
        Payer.PARTICIPANT: totals.participant_idr,
        Payer.GOVERNMENT: totals.government_idr,
    }
    return Result(
        breakdown=breakdown,
        title_period=format_period(breakdown.period, language),
        rows=rows,
        totals=[
            (label(PAYER_LABELS, payer.value), format_money(amount, language))
            for payer, amount in by_payer.items()
            if amount
        ],
        total=format_money(totals.total_idr, language),
        notes=render_notes(breakdown.notes, language),
        has_recomposed=any(row.informative for row in rows),
    )


def simulate(query: QueryDict, language: str, today: Any = None) -> Simulation:
    """Read the form, compute when it was submitted, and keep what to show back in the fields."""
    submitted = "segment" in query
    values: dict[str, Any] = {**DEFAULTS, "period": str(default_period(today))}
    programs: list[str] = []
    if submitted:
        values = {name: query.get(name, "") for name in FIELDS if name != "programs"}
        programs = query.getlist("programs")
    simulation = Simulation(submitted=submitted, values=values, programs=programs)
    if not submitted:
        return simulation
    data = form_input(query)
    try:
        breakdown = contribution(contribution_input(data))
    except LegalInputError as exc:
        simulation.errors[exc.field] = exc.message(language)
        return simulation
    simulation.result = result_of(breakdown, language)
    simulation.cli = cli_command(data)
    simulation.api_body = json.dumps(data, ensure_ascii=False)
    return simulation


def cli_command(data: Mapping[str, Any]) -> str:
    """The ``jamsos calc contribution`` command line for the same input."""
    parts = ["jamsos calc contribution"]
    for name, value in data.items():
        if name == "jkp_eligible":
            if str(value).strip().lower() in {"0", "false", "no", "tidak", "off"}:
                parts.append("--not-jkp-eligible")
            continue
        text = ",".join(value) if isinstance(value, list) else str(value)
        parts.append(f"--{name.replace('_', '-')} {shlex.quote(text)}")
    return " ".join(parts)
