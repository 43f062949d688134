"""The public simulator pages: contributions for any month the law covers."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from jamsos.calculator.simulator import simulate
from jamsos.core.formatting import (
    EMPLOYER_SIZE_LABELS,
    INDUSTRY_LABELS,
    RISK_CLASS_LABELS,
    SEGMENT_LABELS,
    current_language,
)
from jamsos.legal import FIRST_PERIOD, parameters
from jamsos.legal.contribution import last_period
from jamsos.web.error_pages import limited


@limited("web:simulasi-iuran", "public.address")
def contribution_simulator(request: HttpRequest) -> HttpResponse:
    """A GET form, so that every result has its own link. Limited per address for callers not
    signed in (``public.address``)."""
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
