"""An employer's page, and the monthly wage report of its wage earners."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django import forms
from django.contrib import messages
from django.db import transaction
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
from jamsos.membership.services import wage_report_submit
from jamsos.membership.views.display import employer_facts, membership_rows, money, period_text
from jamsos.membership.views.workers import wage_source_for
from jamsos.web.common import (
    PAGE_PARAM,
    page_of,
    scope_of,
    signed_in,
    upload_url,
)

WAGE_ROWS_PER_PAGE = 25


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
    error: str = ""

    @property
    def field_name(self) -> str:
        return f"wage-{self.membership.pk}"


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
    """Report one month's wages of the employer's active wage earners, a page at a time.

    Each line starts with the last wage reported; a line left empty is not reported. The lines of
    one submit are written together or not at all.
    """
    scope = scope_of(request)
    MEMBERSHIP.require(scope, "wage.report")
    employer = employer_get_by_npp(scope, npp=npp)
    source = request.POST if request.method == "POST" else request.GET
    period, period_error = _period_from(source.get("period"))
    active = membership_list(scope, segment="PU", status=Status.ACTIVE, employer_id=employer.pk)
    page = page_of(request, active, WAGE_ROWS_PER_PAGE)
    ids = [m.pk for m in page.object_list]
    lines = _lines(page.object_list, period)
    if request.method == "POST" and not period_error:
        written = _submit(request, scope, lines, period)
        if written >= 0:
            if written:
                messages.success(
                    request,
                    _("%(count)s wages reported for %(period)s.")
                    % {"count": written, "period": period_text(str(period))},
                )
            else:
                messages.info(request, _("Nothing was reported: every wage field was empty."))
            query = {"period": str(period), PAGE_PARAM: page.number}
            url = reverse("employer-wages", args=[employer.npp])
            return redirect(f"{url}?{urlencode(query)}")
    context = {
        "employer": employer,
        "period": str(period),
        "period_text": period_text(str(period)),
        "period_error": period_error,
        "page": page,
        "lines": lines,
        "has_lines": bool(ids),
        "has_errors": any(line.error for line in lines),
        "upload_url": upload_url(),
        "employer_url": reverse("employer-detail", args=[employer.npp]),
    }
    return render(request, "web/registry/employer_wages.html", context)


def _lines(memberships: Any, period: Period) -> list[WageLine]:
    """The page's lines, with two queries: last wages, and this month's reports."""
    members = list(memberships)
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
            )
        )
    return lines


def _submit(request: HttpRequest, scope: Any, lines: list[WageLine], period: Period) -> int:
    """Report the filled lines; -1 (and each line's error) when any is refused."""
    wanted: list[tuple[WageLine, int]] = []
    parse = RupiahField(required=False)
    for line in lines:
        if line.reported:
            continue
        raw = request.POST.get(line.field_name, "").strip()
        line.value = raw
        if not raw:
            continue
        try:
            amount = parse.clean(raw)
        except forms.ValidationError as error:
            line.error = " ".join(error.messages)
            continue
        wanted.append((line, amount))
    if any(line.error for line in lines):
        return -1
    source = wage_source_for(scope)
    with transaction.atomic():
        for line, amount in wanted:
            try:
                wage_report_submit(
                    membership=line.membership,
                    period=period,
                    wage_idr=amount,
                    source=source,
                    by=scope,
                )
            except MembershipError as error:
                line.error = error.message_in(current_language())
        if any(line.error for line in lines):
            transaction.set_rollback(True)
            return -1
    return len(wanted)
