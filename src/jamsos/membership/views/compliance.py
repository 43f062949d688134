"""The compliance list of employers for branch officers, with filters and an export."""

from __future__ import annotations

from django import forms
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET

from jamsos.access.audit import audit_record
from jamsos.access.models import AuditAction
from jamsos.core.clock import today_in_jakarta
from jamsos.core.exports import CSV_TYPE, XLSX_TYPE, Sheet, write_csv, write_xlsx
from jamsos.core.formatting import format_number
from jamsos.legal.periods import Period
from jamsos.membership.compliance import (
    EXPORT_HEADER,
    MONTHS_MAX,
    ComplianceFilter,
    Problem,
    compliance_rows_for_export,
    employer_compliance,
    latest_reported_period,
)
from jamsos.membership.forms import PeriodField
from jamsos.membership.policy import MEMBERSHIP
from jamsos.membership.views.display import period_text
from jamsos.web.common import page_of, scope_of, signed_in

PROBLEM_LABELS = {
    Problem.FEW_WORKERS.value: gettext_lazy("Fewer workers than its size"),
    Problem.PROGRAMS_MISSING.value: gettext_lazy("Mandatory programs missing"),
    Problem.BELOW_MINIMUM.value: gettext_lazy("Wages below the minimum"),
    Problem.MINIMUM_UNKNOWN.value: gettext_lazy("Minimum wage unknown"),
    Problem.MONTHS_NOT_REPORTED.value: gettext_lazy("Months not reported"),
}
SIZE_LABELS = {
    "micro": gettext_lazy("Micro"),
    "small": gettext_lazy("Small"),
    "medium": gettext_lazy("Medium"),
    "large": gettext_lazy("Large"),
}


class ComplianceForm(forms.Form):
    period = PeriodField(label=gettext_lazy("Contribution month"), required=False)
    months = forms.IntegerField(
        label=gettext_lazy("Months looked back"), min_value=1, max_value=MONTHS_MAX, required=False
    )
    problem = forms.ChoiceField(
        label=gettext_lazy("Problem"),
        required=False,
        choices=[("", gettext_lazy("Any")), *list(PROBLEM_LABELS.items())],
    )
    q = forms.CharField(label=gettext_lazy("Employer (name or NPP)"), required=False, max_length=60)


def _filter(request: HttpRequest, form: ComplianceForm) -> ComplianceFilter:
    scope = scope_of(request)
    data = form.cleaned_data if form.is_valid() else {}
    period = data.get("period") or latest_reported_period(scope)
    if period is None:
        today = today_in_jakarta()
        period = Period(today.year, today.month)
    return ComplianceFilter(
        period=period,
        months=data.get("months") or 3,
        problem=data.get("problem") or "",
        search=(data.get("q") or "").strip(),
    )


@signed_in
@require_GET
def compliance_list(request: HttpRequest) -> HttpResponse:
    """Employers falling short of the law in one month, for the officer to follow."""
    scope = scope_of(request)
    MEMBERSHIP.require(scope, "compliance.view")
    form = ComplianceForm(request.GET or None)
    f = _filter(request, form)
    rows = employer_compliance(scope, f)
    fmt = request.GET.get("format", "")
    if fmt in ("csv", "xlsx"):
        return _export(request, f, rows, fmt)
    page = page_of(request, rows, 25)
    query = {"period": str(f.period), "months": f.months, "problem": f.problem, "q": f.search}
    base = reverse("compliance-list")
    context = {
        "form": form,
        "filter": f,
        "period_text": period_text(str(f.period)),
        "page": page,
        "count": format_number(len(rows)),
        "rows": [
            {
                "row": row,
                "size": SIZE_LABELS.get(row.size, row.size),
                "problems": [PROBLEM_LABELS[p.value] for p in row.problems],
                "url": reverse("employer-detail", args=[row.npp]),
                "wages_url": reverse("employer-wages", args=[row.npp])
                + "?"
                + urlencode({"period": str(f.period)}),
            }
            for row in page.object_list
        ],
        "extra_query": urlencode(query),
        "csv_url": f"{base}?{urlencode({**query, 'format': 'csv'})}",
        "xlsx_url": f"{base}?{urlencode({**query, 'format': 'xlsx'})}",
    }
    return render(request, "web/registry/compliance.html", context)


#: The export's column titles in the reader's language (the CLI's files keep the field names).
EXPORT_TITLES = {
    "npp": "NPP",
    "legal_name": gettext_lazy("Employer"),
    "size": gettext_lazy("Size"),
    "branch_office": gettext_lazy("Branch office"),
    "regency_code": gettext_lazy("Regency code"),
    "workers": gettext_lazy("Workers reported"),
    "workers_expected": gettext_lazy("Workers expected"),
    "programs_missing": gettext_lazy("Programs missing"),
    "wages_below_minimum": gettext_lazy("Wages below the minimum"),
    "minimum_basis": gettext_lazy("Minimum wage used"),
    "months_not_reported": gettext_lazy("Months not reported"),
    "problems": gettext_lazy("Problems"),
}


def _export(request: HttpRequest, f: ComplianceFilter, rows: list, fmt: str) -> HttpResponse:
    records = compliance_rows_for_export(rows)
    header = [str(EXPORT_TITLES.get(key, key)) for key in EXPORT_HEADER]
    audit_record(
        scope_of(request),
        AuditAction.EXPORT,
        target_type="membership.compliance",
        target_id=str(f.period),
        label=_("compliance %(period)s") % {"period": str(f.period)},
        detail={"format": fmt, "rows": len(records), "problem": f.problem},
    )
    name = f"kepatuhan-{f.period}"
    if fmt == "csv":
        response = HttpResponse(write_csv(records, header, bom=True), content_type=CSV_TYPE)
    else:
        content = write_xlsx(Sheet("kepatuhan", header, records, freeze_header=True))
        response = HttpResponse(content, content_type=XLSX_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{name}.{fmt}"'
    response["Cache-Control"] = "no-store"
    return response
