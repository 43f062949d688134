"""An employer's page, and the monthly wage report of its wage earners."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django import forms
from django.contrib import messages
from django.db.models import OuterRef, Subquery
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from jamsos.core.clock import today_in_jakarta
from jamsos.core.formatting import current_language, format_number
from jamsos.core.masking import mask_nik
from jamsos.legal.periods import Period
from jamsos.membership.errors import MembershipError
from jamsos.membership.forms import PeriodField, RupiahField, village_label
from jamsos.membership.models import Employer, Membership, Status, WageReport
from jamsos.membership.policy import MEMBERSHIP
from jamsos.membership.selectors import employer_get_by_npp, membership_list
from jamsos.membership.services import WageBatch, wages_report, wages_same_as_last_month
from jamsos.membership.views.display import employer_facts, membership_rows, money, period_text
from jamsos.membership.views.workers import wage_source_for
from jamsos.membership.wage_checks import EmployerMinimum, employer_minimum
from jamsos.web.common import (
    page_of,
    scope_of,
    signed_in,
    upload_url,
    url_or_none,
)

#: The most lines on the monthly wage form; a larger employer narrows them with the search or
#: uploads a file.
WAGE_ROWS_MAX = 1000


def employer_context(request: HttpRequest, employer: Employer) -> dict[str, Any]:
    """The employer's facts and one page of its active workers (masked NIK)."""
    scope = scope_of(request)
    page = page_of(
        request, membership_list(scope, status=Status.ACTIVE, employer_id=employer.pk), 25
    )
    wage_earners = membership_list(
        scope, segment="PU", status=Status.ACTIVE, employer_id=employer.pk
    ).exists()
    return {
        "employer": employer,
        "facts": employer_facts(employer),
        "address": village_label(employer.address_village),
        "page": page,
        "rows": membership_rows(page.object_list),
        "upload_url": upload_url(),
        "may_register": MEMBERSHIP.allows(scope, "pu.register"),
        "may_report_wages": MEMBERSHIP.allows(scope, "wage.report"),
        "has_wage_earners": wage_earners,
        "register_url": reverse("register-pu") + "?" + urlencode({"npp": employer.npp}),
        "wages_url": reverse("employer-wages", args=[employer.npp]),
        "wage_upload_url": url_or_none("uploads:wages", employer.npp),
    }


@signed_in
@require_http_methods(["GET"])
def employer_detail(request: HttpRequest, npp: str) -> HttpResponse:
    scope = scope_of(request)
    MEMBERSHIP.require(scope, "employer.view")
    employer = employer_get_by_npp(scope, npp=npp)
    return render(request, "web/registry/employer_detail.html", employer_context(request, employer))


@dataclass
class WageLine:
    """One wage earner on the monthly report: the last wage known and this month's, if any."""

    membership: Membership
    nik: str
    last_wage: str
    last_period: str
    reported: str
    value: str
    flag: str = ""
    error: str = ""

    @property
    def field_name(self) -> str:
        return f"wage-{self.membership.kpj}"


def _period_from(value: str | None) -> tuple[Period, str]:
    today = today_in_jakarta()
    current = Period(today.year, today.month)
    if not value:
        return current, ""
    try:
        return PeriodField().clean(value), ""
    except forms.ValidationError as error:
        return current, " ".join(error.messages)


@signed_in
@require_http_methods(["GET", "POST"])
def employer_wages(request: HttpRequest, npp: str) -> HttpResponse:
    """Report one month's wages of all the employer's active wage earners on one form.

    Each line starts with the last wage reported; a line left empty is not reported. The lines
    of one submit are written together or not at all (``wages_report``), and a refused submit
    shows every line as typed with its reason. ``q`` narrows the lines shown; "same as last
    month" reports every line not yet reported with its last wage.
    """
    scope = scope_of(request)
    MEMBERSHIP.require(scope, "wage.report")
    employer = employer_get_by_npp(scope, npp=npp)
    source = request.POST if request.method == "POST" else request.GET
    period, period_error = _period_from(source.get("period"))
    search = source.get("q", "").strip()[:60]
    active = membership_list(
        scope, segment="PU", status=Status.ACTIVE, employer_id=employer.pk, search=search
    ).order_by("person__name", "kpj")
    members = list(active[: WAGE_ROWS_MAX + 1])
    too_many = len(members) > WAGE_ROWS_MAX
    members = members[:WAGE_ROWS_MAX]
    rule = employer_minimum(employer, period)
    lines = _lines(members, period, rule)
    query = {"period": str(period), **({"q": search} if search else {})}
    url = reverse("employer-wages", args=[employer.npp])
    if request.method == "POST" and not period_error:
        try:
            if request.POST.get("action") == "same":
                batch = wages_same_as_last_month(
                    employer=employer, period=period, source=wage_source_for(scope), by=scope
                )
            else:
                batch = _submit(request, scope, employer, lines, period)
        except MembershipError as error:
            period_error = error.message
            batch = None
        if batch is not None and not batch.refused:
            _say_written(request, batch, period, same=request.POST.get("action") == "same")
            return redirect(f"{url}?{urlencode(query)}")
        if batch is not None:
            for line in lines:
                refusal = batch.refusals.get(line.membership.kpj)
                if refusal is not None:
                    line.error = refusal.message_in(current_language())
    context = {
        "employer": employer,
        "period": str(period),
        "period_text": period_text(str(period)),
        "period_error": period_error,
        "search": search,
        "lines": lines,
        "has_lines": bool(lines),
        "too_many": too_many,
        "rows_max": WAGE_ROWS_MAX,
        "has_errors": any(line.error for line in lines),
        "minimum_text": rule.text,
        "flagged": sum(1 for line in lines if line.flag),
        "wage_upload_url": url_or_none("uploads:wages", employer.npp),
        "employer_url": reverse("employer-detail", args=[employer.npp]),
    }
    return render(request, "web/registry/employer_wages.html", context)


def _say_written(request: HttpRequest, batch: WageBatch, period: Period, *, same: bool) -> None:
    if same and not batch.written:
        messages.info(
            request,
            _("Every worker with a wage on record is already reported for %(period)s.")
            % {"period": period_text(str(period))},
        )
    elif batch.written:
        messages.success(
            request,
            _("%(count)s wages reported for %(period)s.")
            % {"count": format_number(batch.written), "period": period_text(str(period))},
        )
    else:
        messages.info(request, _("Nothing was reported: every wage field was empty."))


def _lines(members: list[Membership], period: Period, rule: EmployerMinimum) -> list[WageLine]:
    """The lines, with two queries: last wages, and this month's reports."""
    ids = [m.pk for m in members]
    latest = WageReport.objects.filter(membership=OuterRef("pk")).order_by("-period")
    last = {
        row["pk"]: row
        for row in Membership.objects.filter(pk__in=ids)
        .annotate(
            last_wage=Subquery(latest.values("wage_idr")[:1]),
            last_period=Subquery(latest.values("period")[:1]),
        )
        .values("pk", "last_wage", "last_period")
    }
    this_month = dict(
        WageReport.objects.filter(membership_id__in=ids, period=str(period)).values_list(
            "membership_id", "wage_idr"
        )
    )
    lines = []
    for m in members:
        known = last.get(m.pk, {})
        reported = this_month.get(m.pk)
        lines.append(
            WageLine(
                membership=m,
                nik=mask_nik(m.person.nik),
                last_wage=money(known.get("last_wage")),
                last_period=period_text(known["last_period"]) if known.get("last_period") else "",
                reported=money(reported) if reported is not None else "",
                value=format_number(known["last_wage"]) if known.get("last_wage") else "",
                flag=rule.reason(rule.check(reported)) if reported is not None else "",
            )
        )
    return lines


def _submit(
    request: HttpRequest, scope: Any, employer: Employer, lines: list[WageLine], period: Period
) -> WageBatch | None:
    """Report the filled lines at once; None (and each line's error) when one cannot be read."""
    wanted: dict[str, int | None] = {}
    parse = RupiahField(required=False)
    for line in lines:
        if line.reported:
            continue
        raw = request.POST.get(line.field_name, "").strip()
        line.value = raw
        if not raw:
            continue
        try:
            wanted[line.membership.kpj] = parse.clean(raw)
        except forms.ValidationError as error:
            line.error = " ".join(error.messages)
    if any(line.error for line in lines):
        return None
    return wages_report(
        employer=employer, period=period, wages=wanted, source=wage_source_for(scope), by=scope
    )
