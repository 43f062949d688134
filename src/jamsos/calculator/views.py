"""The public simulator pages: contributions for any month the law covers, benefits of a claim."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from jamsos.calculator.benefit_labels import (
    CASE_LABELS,
    CLAIM_REASON_LABELS,
    LEVEL_LABELS,
    SURVIVOR_LABELS,
)
from jamsos.calculator.benefit_simulator import simulate as simulate_benefit
from jamsos.calculator.simulator import simulate
from jamsos.core.formatting import (
    EMPLOYER_SIZE_LABELS,
    INDUSTRY_LABELS,
    PROGRAM_LABELS,
    RISK_CLASS_LABELS,
    SEGMENT_LABELS,
    current_language,
    label,
)
from jamsos.legal import FIRST_PERIOD, parameters
from jamsos.legal.benefits import CASES, FIRST_DATE
from jamsos.legal.contribution import last_period


def contribution_simulator(request: HttpRequest) -> HttpResponse:
    """A GET form, so that every result has its own link."""
    simulation = simulate(request.GET, current_language())
    context = {
        "simulation": simulation,
        "values": simulation.values,
        "errors": simulation.errors,
        "result": simulation.result,
        "segments": list(SEGMENT_LABELS.items()),
        "employer_sizes": list(EMPLOYER_SIZE_LABELS.items()),
        "industries": list(INDUSTRY_LABELS.items()),
        "risk_classes": [(str(key), text) for key, text in RISK_CLASS_LABELS.items()],
        "first_period": str(FIRST_PERIOD),
        "last_period": str(last_period(parameters())),
    }
    return render(request, "calculator/contribution_simulator.html", context)


def benefit_simulator(request: HttpRequest) -> HttpResponse:
    """The benefits of one claim, a GET form so that every result has its own link."""
    simulation = simulate_benefit(request.GET, current_language())
    context = {
        "simulation": simulation,
        "values": simulation.values,
        "errors": simulation.errors,
        "result": simulation.result,
        "programs": [(code, label(PROGRAM_LABELS, code)) for code in CASES],
        "cases": [
            (program, [(case, label(CASE_LABELS, case)) for case in cases])
            for program, cases in CASES.items()
        ],
        "levels": list(LEVEL_LABELS.items()),
        "survivors": list(SURVIVOR_LABELS.items()),
        "claim_reasons": list(CLAIM_REASON_LABELS.items()),
        "disability_rows": disability_rows(),
        "first_date": FIRST_DATE.isoformat(),
        "last_date": parameters().known_until.isoformat(),
    }
    return render(request, "calculator/benefit_simulator.html", context)


def disability_rows() -> list[str]:
    """The rows of the JKK disability table known on the last known day."""
    table = parameters().find("benefits.jkk.disability_table", parameters().known_until)
    return list(table.value) if table is not None else []
