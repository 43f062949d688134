"""Claims pages under ``/klaim/``: "Klaim saya", the claim form, the officer's queue with its
timers, one claim with its trace, the report per program and month, the transfer file.

Every page reads through :mod:`jamsos.claims.selectors` with the caller's scope and writes
through the services; a claim outside the scope is the same 404 page as one that does not exist.
"""

from __future__ import annotations

import uuid
from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from jamsos.calculator.benefit_labels import BENEFIT_LABELS, CONFIDENCE_LABELS, LEVEL_LABELS
from jamsos.claims.errors import ClaimsError
from jamsos.claims.forms import ClaimForm, DocumentForm, RejectForm, ReportForm
from jamsos.claims.models import Claim, ClaimStatus
from jamsos.claims.policy import CLAIMS
from jamsos.claims.rules import (
    CASE_NAMES,
    DOCUMENT_MAX_BYTES,
    DOCUMENT_NAMES,
    DOCUMENTS,
    HEIR_NAMES,
)
from jamsos.claims.selectors import (
    QueueFilter,
    claim_get,
    claim_queue,
    claims_report,
    my_claims,
    timer_of,
)
from jamsos.claims.services.documents import document_add
from jamsos.claims.services.intake import ClaimInput, claim_submit
from jamsos.claims.services.letters import decision_letter_pdf
from jamsos.claims.services.payment import TRANSFER_COLUMNS, claim_pay, transfer_rows
from jamsos.claims.services.workflow import (
    claim_approve,
    claim_reject,
    claim_report_outcome,
    claim_verify,
    missing_documents,
)
from jamsos.core.errors import refusal_on_form
from jamsos.core.exports import CSV_TYPE, csv_lines
from jamsos.core.formatting import current_language, format_money
from jamsos.core.masking import mask_nik
from jamsos.web.common import page_of, scope_of, signed_in

STATUS_LABELS = {
    ClaimStatus.SUBMITTED.value: gettext_lazy("Submitted"),
    ClaimStatus.VERIFIED.value: gettext_lazy("Verified"),
    ClaimStatus.APPROVED.value: gettext_lazy("Approved"),
    ClaimStatus.PAID.value: gettext_lazy("Paid"),
    ClaimStatus.REJECTED.value: gettext_lazy("Rejected"),
}


def _case(code: str) -> str:
    return CASE_NAMES.get(code, {}).get(current_language(), code)


def _row(claim: Claim) -> dict[str, Any]:
    timer = timer_of(claim)
    return {
        "number": claim.number,
        "program": claim.program,
        "case": _case(claim.case),
        "name": claim.person.name,
        "nik": mask_nik(claim.person.nik),
        "status": claim.status,
        "status_label": STATUS_LABELS[claim.status],
        "amount": format_money(claim.amount_idr),
        "submitted_at": claim.submitted_at,
        "due_at": timer.due_at,
        "overdue": timer.overdue and not claim.is_final,
        "hours_left": timer.hours_left,
        "late_report": claim.report1_late,
    }


@signed_in
def my_claims_page(request: HttpRequest) -> HttpResponse:
    scope = scope_of(request)
    page = page_of(request, my_claims(scope).select_related("person"))
    return render(
        request,
        "claims/mine.html",
        {
            "rows": [_row(c) for c in page],
            "page": page,
            "may_submit": CLAIMS.allows(scope, "claim.submit"),
            "may_decide": CLAIMS.allows(scope, "claim.decide"),
            "may_report": CLAIMS.allows(scope, "report.view"),
        },
    )


@signed_in
def submit_page(request: HttpRequest) -> HttpResponse:
    scope = scope_of(request)
    CLAIMS.require(scope, "claim.submit")
    initial = {}
    if scope.person_id and request.method != "POST":
        from jamsos.membership.models import Person

        person = Person.objects.filter(pk=scope.person_id).first()
        if person is not None:
            initial = {"nik": person.nik, "claimant_name": person.name}
    form = ClaimForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        data["children"] = data.get("children") or ""
        try:
            claim = claim_submit(scope, ClaimInput(**data))
        except ClaimsError as error:
            refusal_on_form(form, error)
        else:
            messages.success(
                request, _("Claim %(number)s is submitted.") % {"number": claim.number}
            )
            return redirect("claims:claim", number=claim.number)
    return render(request, "claims/submit.html", {"form": form}, status=400 if form.errors else 200)


@signed_in
def queue_page(request: HttpRequest) -> HttpResponse:
    scope = scope_of(request)
    filters = QueueFilter(
        status=request.GET.get("status", "")
        if request.GET.get("status", "") in STATUS_LABELS
        else "",
        program=request.GET.get("program", "").upper()[:3],
        overdue=request.GET.get("overdue") == "1",
        text=request.GET.get("q", "")[:40],
    )
    page = page_of(request, claim_queue(scope, filters))
    return render(
        request,
        "claims/queue.html",
        {
            "rows": [_row(c) for c in page],
            "page": page,
            "filters": filters,
            "statuses": list(STATUS_LABELS.items()),
            "programs": ["JKK", "JKM", "JHT", "JP", "JKP"],
            "may_pay": CLAIMS.allows(scope, "claim.pay"),
        },
    )


def _benefit_label(line: dict[str, Any]) -> str:
    """The line's benefit in the page's language, with the child's level or the rate."""
    code, detail = line.get("benefit", ""), line.get("detail") or ""
    text = str(BENEFIT_LABELS.get(code, code))
    if detail in LEVEL_LABELS:
        return f"{text}: {LEVEL_LABELS[detail]}"
    return f"{text} ({detail})" if detail else text


def _trace_lines(claim: Claim) -> list[dict[str, Any]]:
    out = []
    for line in claim.trace.get("lines", []):
        out.append(
            {
                "benefit": _benefit_label(line),
                "amount": format_money(int(line.get("amount_idr") or 0)),
                "per_month": format_money(int(line["per_month_idr"]))
                if line.get("per_month_idr")
                else "",
                "months": line.get("months") or "",
                "reference": line.get("reference", ""),
                "parameter": line.get("parameter", ""),
                "confidence": str(
                    CONFIDENCE_LABELS.get(line.get("confidence", ""), line.get("confidence", ""))
                ),
            }
        )
    return out


@signed_in
def claim_page(request: HttpRequest, number: str) -> HttpResponse:
    scope = scope_of(request)
    claim = claim_get(scope, number)
    lang = current_language()
    need = DOCUMENTS.get((claim.program, claim.case), ())
    have = {d.kind for d in claim.documents.all()}
    return render(
        request,
        "claims/claim.html",
        {
            "claim": claim,
            "row": _row(claim),
            "trace": _trace_lines(claim),
            "facts": claim.eligibility.get("facts", {}),
            "reasons": claim.eligibility.get("reasons", []),
            "events": [
                {
                    "at": e.at,
                    "status_from": STATUS_LABELS.get(e.status_from, e.status_from),
                    "status_to": STATUS_LABELS.get(e.status_to, e.status_to),
                    "actor_name": e.actor_name,
                    "note": e.note,
                }
                for e in claim.events.all()
            ],
            "documents": [{"kind": DOCUMENT_NAMES[k][lang], "done": k in have} for k in need],
            "missing": missing_documents(claim),
            "relationship": HEIR_NAMES.get(claim.relationship, {}).get(lang, ""),
            "document_form": DocumentForm(),
            "reject_form": RejectForm(),
            "report_form": ReportForm(),
            "max_mb": DOCUMENT_MAX_BYTES // (1024 * 1024),
            "may_decide": CLAIMS.allows(scope, "claim.decide") and not claim.is_final,
            "may_pay": CLAIMS.allows(scope, "claim.pay") and claim.status == ClaimStatus.APPROVED,
            "may_report": CLAIMS.allows(scope, "claim.report")
            and claim.program == "JKK"
            and claim.report2_at is None
            and not claim.is_final,
            "may_upload": CLAIMS.allows(scope, "claim.document") and not claim.is_final,
            "pay_key": uuid.uuid4().hex,
            "decided": claim.status
            in {ClaimStatus.APPROVED, ClaimStatus.PAID, ClaimStatus.REJECTED},
        },
    )


@require_POST
@signed_in
def document_upload(request: HttpRequest, number: str) -> HttpResponse:
    scope = scope_of(request)
    form = DocumentForm(request.POST, request.FILES)
    if form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            if upload.size > DOCUMENT_MAX_BYTES:
                content = b"x" * (DOCUMENT_MAX_BYTES + 1)
            else:
                content = upload.read()
            document_add(
                scope, number, kind=form.cleaned_data["kind"], name=upload.name, content=content
            )
            messages.success(request, _("The document is stored."))
        except ClaimsError as error:
            if error.http_status == 404:
                raise
            messages.error(request, error.message)
    else:
        messages.error(request, _("Choose a document kind and a file."))
    return redirect("claims:claim", number=number)


@require_POST
@signed_in
def claim_action(request: HttpRequest, number: str) -> HttpResponse:
    scope = scope_of(request)
    action = request.POST.get("action", "")
    try:
        if action == "verify":
            claim_verify(scope, number)
        elif action == "approve":
            claim_approve(scope, number)
        elif action == "reject":
            claim_reject(scope, number, reason=request.POST.get("reason", ""))
        elif action == "report":
            claim_report_outcome(scope, number, text=request.POST.get("text", ""))
        elif action == "pay":
            claim_pay(scope, number, idempotency_key=request.POST.get("key", ""))
        else:
            messages.error(request, _("Unknown action."))
            return redirect("claims:claim", number=number)
        messages.success(request, _("Done."))
    except ClaimsError as error:
        if error.http_status == 404:
            raise
        messages.error(request, error.message)
    return redirect("claims:claim", number=number)


@signed_in
def letter_pdf(request: HttpRequest, number: str) -> HttpResponse:
    claim = claim_get(scope_of(request), number)
    response = HttpResponse(
        decision_letter_pdf(claim, current_language()), content_type="application/pdf"
    )
    response["Content-Disposition"] = f'inline; filename="keputusan-{claim.number}.pdf"'
    return response


@signed_in
def report_page(request: HttpRequest) -> HttpResponse:
    scope = scope_of(request)
    year_text = request.GET.get("tahun", "")
    year = int(year_text) if year_text.isascii() and year_text.isdigit() else None
    rows = claims_report(scope, year=year)
    return render(
        request,
        "claims/report.html",
        {
            "rows": [{**r.__dict__, "paid": format_money(r.paid_idr)} for r in rows],
            "total": format_money(sum(r.paid_idr for r in rows)),
            "year": year,
        },
    )


@signed_in
def transfer_csv(request: HttpRequest) -> HttpResponse:
    rows = list(transfer_rows(scope_of(request)))
    response = HttpResponse("".join(csv_lines(rows, TRANSFER_COLUMNS)), content_type=CSV_TYPE)
    response["Content-Disposition"] = 'attachment; filename="transfer-manfaat.csv"'
    return response
