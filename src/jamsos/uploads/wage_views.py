"""The page of a month's wages of existing workers from a file, and its template (by employer).

Mounted with the upload pages: ``/unggah/upah/<npp>/`` (namespace ``uploads``). The new-worker
upload is :mod:`jamsos.uploads.views`; this one only reports wages of workers already registered.
"""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from jamsos.core.clock import today_in_jakarta
from jamsos.core.errors import ApplicationError
from jamsos.core.formatting import current_language, format_number
from jamsos.legal.periods import Period
from jamsos.membership.forms import PeriodField
from jamsos.membership.policy import MEMBERSHIP
from jamsos.membership.selectors import employer_get_by_npp
from jamsos.uploads.parsing import max_bytes, read_capped
from jamsos.uploads.wage_reports import WageFileResult, wage_file_import, wage_file_template
from jamsos.web.common import scope_of, signed_in

CONTENT_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


def _period(value: str | None) -> tuple[Period, str]:
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
def wage_upload(request: HttpRequest, npp: str) -> HttpResponse:
    """GET: the form; POST: check the file, report every row or none, show every bad row."""
    scope = scope_of(request)
    MEMBERSHIP.require(scope, "wage.report")
    employer = employer_get_by_npp(scope, npp=npp)
    source = request.POST if request.method == "POST" else request.GET
    period, period_error = _period(source.get("period"))
    errors: dict[str, str] = {}
    result: WageFileResult | None = None
    status = 200
    if request.method == "POST":
        upload = request.FILES.get("file")
        if period_error:
            errors["period"] = period_error
        if upload is None:
            errors["file"] = _("Choose a file (XLSX or CSV).")
        if not errors and upload is not None:
            try:
                content = read_capped(upload, file_name=upload.name or "")
                result = wage_file_import(
                    scope,
                    employer=employer,
                    period=period,
                    content=content,
                    file_name=upload.name or "",
                    language=current_language(),
                )
            except ApplicationError as error:
                errors["period" if error.field == "period" else "file"] = error.message
            else:
                if not result.problems:
                    messages.success(
                        request,
                        _("%(count)s wages reported for %(period)s from the file.")
                        % {"count": format_number(result.written), "period": str(period)},
                    )
                    url = reverse("employer-wages", args=[employer.npp])
                    return redirect(f"{url}?{urlencode({'period': str(period)})}")
        status = 400
    context = {
        "employer": employer,
        "period": str(period),
        "errors": errors,
        "result": result,
        "max_mb": max_bytes() // (1024 * 1024),
        "wages_url": reverse("employer-wages", args=[employer.npp]),
        "employer_url": reverse("employer-detail", args=[employer.npp]),
        "template_xlsx": reverse("uploads:wages-template", args=[employer.npp, "xlsx"]),
        "template_csv": reverse("uploads:wages-template", args=[employer.npp, "csv"]),
    }
    return render(request, "uploads/wage_upload.html", context, status=status)


@signed_in
@require_GET
def wage_template(request: HttpRequest, npp: str, file_format: str) -> HttpResponse:
    """The employer's active wage earners with their last wage, to fill in and upload."""
    if file_format not in CONTENT_TYPES:
        raise Http404
    scope = scope_of(request)
    employer = employer_get_by_npp(scope, npp=npp)
    content = wage_file_template(
        scope, employer=employer, file_format=file_format, language=current_language()
    )
    response = HttpResponse(content, content_type=CONTENT_TYPES[file_format])
    response["Content-Disposition"] = f'attachment; filename="upah-{employer.npp}.{file_format}"'
    response["Cache-Control"] = "no-store"
    return response
