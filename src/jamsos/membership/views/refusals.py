"""Refused anonymous requests (administrators): how often an abuse limit answered 429, and how
often self-registration met a registered NIK, per day, route and reason (docs/security-abuse.md).

Counters only: the page shows no NIK and no address, since none is kept.
"""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from jamsos.access.models import RefusalReason
from jamsos.access.selectors import refusal_counts
from jamsos.core.formatting import format_number, label
from jamsos.web.common import scope_of, signed_in

DAYS_CHOICES = (1, 7, 30, 90)
DAYS_PARAM = "hari"

REASON_LABELS: dict[str, Promise] = {
    RefusalReason.LIMIT_ADDRESS: gettext_lazy("Limit per address reached (429)"),
    RefusalReason.LIMIT_NIK: gettext_lazy("Limit per NIK reached (429)"),
    RefusalReason.NIK_UNPROVEN: gettext_lazy(
        "Registered NIK with another name or birth date (answered without naming it)"
    ),
    RefusalReason.NIK_PROVEN: gettext_lazy(
        "Registered NIK with its own name and birth date (told: already registered)"
    ),
}


@signed_in
@require_http_methods(["GET"])
def refusal_counts_page(request: HttpRequest) -> HttpResponse:
    asked = request.GET.get(DAYS_PARAM, "")
    days = int(asked) if asked.isdigit() and int(asked) in DAYS_CHOICES else 7
    totals = refusal_counts(scope_of(request), days=days)
    rows = [
        {
            "day": row.day,
            "route": row.route,
            "reason": label(REASON_LABELS, row.reason),
            "count": format_number(row.count),
            "last_at": row.last_at,
        }
        for row in totals.rows
    ]
    context = {
        "rows": rows,
        "total": format_number(totals.total),
        "since": totals.since,
        "days": days,
        "days_choices": DAYS_CHOICES,
        "days_param": DAYS_PARAM,
    }
    return render(request, "web/registry/refusal_counts.html", context)
