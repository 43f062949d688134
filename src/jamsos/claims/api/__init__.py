"""Claims API (mounted at /api/v1/claims; docs/claims.md "API").

- ``POST /check``: the eligibility and the amounts for a claim, writing nothing;
- ``POST /``: submit a claim (201), or the refusal (nothing written);
- ``GET /``: the claims the caller sees (a worker: "Klaim saya"); ``GET /{number}``: one claim
  with its trace and history;
- ``POST /{number}/documents`` (multipart ``kind``, ``file``), ``/{number}/report`` (the
  employer's stage II report), ``/{number}/verify``, ``/{number}/approve``, ``/{number}/reject``;
- ``POST /{number}/pay``: pay, idempotent by ``idempotency_key`` (body) or the
  ``Idempotency-Key`` header: 201 when paid now, 200 when that key paid it before, 409 when
  the key paid another claim;
- ``GET /transfer-file``: the bank transfer file (CSV); ``GET /report``: per program and month;
- ``POST /payroll``: the month's recurring benefit payroll, queued for the task worker.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.utils import translation
from django.utils.dateparse import parse_datetime
from ninja import File, Form, Router, Schema, Status
from ninja.files import UploadedFile

from jamsos.api.auth import SIGNED_IN, caller_scope
from jamsos.api.errors import request_language
from jamsos.claims.errors import BadDate, DocumentTooLarge, Required
from jamsos.claims.models import Claim
from jamsos.claims.rules import DOCUMENT_MAX_BYTES
from jamsos.claims.selectors import (
    QueueFilter,
    claim_get,
    claim_queue,
    claims_report,
    my_claims,
    timer_of,
)
from jamsos.claims.services.documents import document_add
from jamsos.claims.services.intake import ClaimInput, assess, claim_submit
from jamsos.claims.services.payment import TRANSFER_COLUMNS, claim_pay, transfer_rows
from jamsos.claims.services.payroll import payroll_enqueue
from jamsos.claims.services.workflow import (
    claim_approve,
    claim_reject,
    claim_report_outcome,
    claim_verify,
)
from jamsos.core.exports import CSV_TYPE, write_csv
from jamsos.core.masking import mask_nik

router = Router(tags=["claims"], auth=SIGNED_IN)


class ErrorShape(Schema):
    code: str
    message: str
    fields: dict[str, list[str]]


_ERRORS: dict[int, Any] = {
    400: ErrorShape,
    403: ErrorShape,
    404: ErrorShape,
    409: ErrorShape,
    413: ErrorShape,
}


class ClaimIn(Schema):
    nik: str
    program: str
    case: str
    event_date: str
    claimant_name: str = ""
    claimant_nik: str = ""
    relationship: str = ""
    no_higher_heir: bool = False
    ground: str = ""
    months_unable: int | None = None
    disability_percent: int | None = None
    children: list[str] = []
    accident_at: str = ""
    report_text: str = ""
    bank_code: str = ""
    account_number: str = ""
    account_name: str = ""


class CheckOut(Schema):
    eligible: bool
    reasons: list[str]
    amount_idr: int
    facts: dict[str, Any]
    trace: dict[str, Any]


class EventOut(Schema):
    at: datetime
    status_from: str
    status_to: str
    actor: str
    note: str


class ClaimOut(Schema):
    number: str
    nik: str
    name: str
    program: str
    case: str
    event_date: date
    channel: str
    claimant_name: str
    status: str
    amount_idr: int
    reject_reason: str
    submitted_at: datetime
    due_at: datetime
    overdue: bool
    needs_second_approval: bool
    report1_late: bool


class ClaimDetailOut(ClaimOut):
    eligibility: dict[str, Any]
    trace: dict[str, Any]
    documents: list[str]
    events: list[EventOut]


class NoteIn(Schema):
    note: str = ""


class RejectIn(Schema):
    reason: str = ""


class ReportIn(Schema):
    text: str = ""


class PayIn(Schema):
    idempotency_key: str = ""
    paid_on: str = ""


class PayOut(Schema):
    number: str
    status: str
    lump_sum_idr: int
    monthly_idr: list[int]
    already_paid: bool


class PayrollIn(Schema):
    period: str


class PayrollOut(Schema):
    job: int
    period: str
    status: str


class ReportRowOut(Schema):
    program: str
    month: str
    claims: int
    paid_claims: int
    paid_idr: int


def _input(payload: ClaimIn) -> ClaimInput:
    accident = None
    if payload.accident_at.strip():
        accident = parse_datetime(payload.accident_at.strip())
        if accident is None:
            raise BadDate(field="accident_at", value=payload.accident_at)
    values = payload.dict()
    values["accident_at"] = accident
    return ClaimInput(**values)


def _out(claim: Claim) -> dict[str, Any]:
    timer = timer_of(claim)
    return {
        "number": claim.number,
        "nik": mask_nik(claim.person.nik),
        "name": claim.person.name,
        "program": claim.program,
        "case": claim.case,
        "event_date": claim.event_date,
        "channel": claim.channel,
        "claimant_name": claim.claimant_name,
        "status": claim.status,
        "amount_idr": claim.amount_idr,
        "reject_reason": claim.reject_reason,
        "submitted_at": claim.submitted_at,
        "due_at": claim.due_at,
        "overdue": timer.overdue,
        "needs_second_approval": claim.needs_second_approval,
        "report1_late": claim.report1_late,
    }


def _detail(claim: Claim) -> ClaimDetailOut:
    return ClaimDetailOut(
        **_out(claim),
        eligibility=claim.eligibility,
        trace=claim.trace,
        documents=list(claim.documents.values_list("kind", flat=True)),
        events=[
            EventOut(
                at=e.at,
                status_from=e.status_from,
                status_to=e.status_to,
                actor=e.actor_name,
                note=e.note,
            )
            for e in claim.events.all()
        ],
    )


@router.post(
    "/check",
    response={200: CheckOut, **_ERRORS},
    url_name="claims-check",
    summary="Eligibility and amounts for a claim, from the records (nothing written)",
)
def claim_check(request: HttpRequest, payload: ClaimIn) -> CheckOut:
    scope = caller_scope(request)
    with translation.override(request_language(request)):
        found = assess(scope, _input(payload))
        return CheckOut(
            eligible=found.eligible,
            reasons=found.reasons,
            amount_idr=found.amount_idr,
            facts=found.facts.as_dict(),
            trace=found.result,
        )


@router.post(
    "/",
    response={201: ClaimDetailOut, **_ERRORS},
    url_name="claims-submit",
    summary="Submit a claim",
)
def claim_create(request: HttpRequest, payload: ClaimIn) -> Status[ClaimDetailOut]:
    scope = caller_scope(request)
    with translation.override(request_language(request)):
        claim = claim_submit(scope, _input(payload))
        return Status(201, _detail(claim))


@router.get(
    "/",
    response={200: list[ClaimOut], **_ERRORS},
    url_name="claims-list",
    summary="The claims the caller sees, newest first (a worker: their own)",
)
def claim_list(
    request: HttpRequest, status: str = "", program: str = "", limit: int = 50
) -> list[dict[str, Any]]:
    scope = caller_scope(request)
    with translation.override(request_language(request)):
        rows = my_claims(scope).select_related("person")
        if status:
            rows = rows.filter(status=status)
        if program:
            rows = rows.filter(program=program.upper())
        return [_out(c) for c in rows[: max(1, min(limit, 500))]]


@router.get(
    "/queue",
    response={200: list[ClaimOut], **_ERRORS},
    url_name="claims-queue",
    summary="The officer's queue: open claims, the soonest due first",
)
def claim_queue_list(
    request: HttpRequest,
    status: str = "",
    program: str = "",
    overdue: bool = False,
    limit: int = 100,
) -> list[dict[str, Any]]:
    scope = caller_scope(request)
    with translation.override(request_language(request)):
        rows = claim_queue(
            scope, QueueFilter(status=status, program=program.upper(), overdue=overdue)
        )
        return [_out(c) for c in rows[: max(1, min(limit, 500))]]


@router.get(
    "/transfer-file",
    url_name="claims-transfer-file",
    summary="The bank transfer file of approved claims (CSV)",
)
def transfer_file(request: HttpRequest) -> HttpResponse:
    scope = caller_scope(request)
    with translation.override(request_language(request)):
        body = write_csv(transfer_rows(scope), TRANSFER_COLUMNS)
    response = HttpResponse(body, content_type=CSV_TYPE)
    response["Content-Disposition"] = 'attachment; filename="transfer-manfaat.csv"'
    return response


@router.get(
    "/report",
    response={200: list[ReportRowOut], **_ERRORS},
    url_name="claims-report",
    summary="Claims and amounts paid per program and month",
)
def report(request: HttpRequest, year: int | None = None) -> list[Any]:
    scope = caller_scope(request)
    with translation.override(request_language(request)):
        return [r.__dict__ for r in claims_report(scope, year=year)]


@router.post(
    "/payroll",
    response={202: PayrollOut, **_ERRORS},
    url_name="claims-payroll",
    summary="Queue the month's payroll of recurring benefits",
)
def payroll(request: HttpRequest, payload: PayrollIn) -> Status[PayrollOut]:
    scope = caller_scope(request)
    with translation.override(request_language(request)):
        run = payroll_enqueue(payload.period, by=scope)
        return Status(202, PayrollOut(job=run.pk, period=run.period, status=run.status))


@router.get(
    "/{number}",
    response={200: ClaimDetailOut, **_ERRORS},
    url_name="claims-detail",
    summary="One claim with its eligibility, trace and history",
)
def claim_detail(request: HttpRequest, number: str) -> ClaimDetailOut:
    scope = caller_scope(request)
    with translation.override(request_language(request)):
        return _detail(claim_get(scope, number))


@router.post(
    "/{number}/documents",
    response={201: ClaimDetailOut, **_ERRORS},
    url_name="claims-document",
    summary="Upload a document (PDF, JPEG or PNG)",
)
def document_upload(
    request: HttpRequest, number: str, kind: Form[str], file: File[UploadedFile]
) -> Status[ClaimDetailOut]:
    scope = caller_scope(request)
    with translation.override(request_language(request)):
        name = file.name or kind
        if (file.size or 0) > DOCUMENT_MAX_BYTES:
            raise DocumentTooLarge(value=name, size=file.size, max=DOCUMENT_MAX_BYTES)
        content = file.read(DOCUMENT_MAX_BYTES + 1)
        document_add(scope, number, kind=kind, name=name, content=content)
        return Status(201, _detail(claim_get(scope, number, audit=False)))


def _moved(request: HttpRequest, number: str, move: Any, **kwargs: Any) -> ClaimDetailOut:
    scope = caller_scope(request)
    with translation.override(request_language(request)):
        claim = move(scope, number, **kwargs)
        return _detail(claim_get(scope, claim.number, audit=False))


@router.post(
    "/{number}/report",
    response={200: ClaimDetailOut, **_ERRORS},
    url_name="claims-report-outcome",
    summary="The stage II work-accident report",
)
def report_outcome(request: HttpRequest, number: str, payload: ReportIn) -> ClaimDetailOut:
    return _moved(request, number, claim_report_outcome, text=payload.text)


@router.post(
    "/{number}/verify",
    response={200: ClaimDetailOut, **_ERRORS},
    url_name="claims-verify",
    summary="Verify (documents complete)",
)
def verify(request: HttpRequest, number: str, payload: NoteIn) -> ClaimDetailOut:
    return _moved(request, number, claim_verify, note=payload.note)


@router.post(
    "/{number}/approve",
    response={200: ClaimDetailOut, **_ERRORS},
    url_name="claims-approve",
    summary="Approve (a second officer from the threshold)",
)
def approve(request: HttpRequest, number: str, payload: NoteIn) -> ClaimDetailOut:
    return _moved(request, number, claim_approve, note=payload.note)


@router.post(
    "/{number}/reject",
    response={200: ClaimDetailOut, **_ERRORS},
    url_name="claims-reject",
    summary="Reject with a reason",
)
def reject(request: HttpRequest, number: str, payload: RejectIn) -> ClaimDetailOut:
    return _moved(request, number, claim_reject, reason=payload.reason)


@router.post(
    "/{number}/pay",
    response={201: PayOut, 200: PayOut, **_ERRORS},
    url_name="claims-pay",
    summary="Pay an approved claim (idempotent)",
)
def pay(request: HttpRequest, number: str, payload: PayIn) -> Status[PayOut]:
    scope = caller_scope(request)
    with translation.override(request_language(request)):
        key = payload.idempotency_key or request.headers.get("Idempotency-Key", "")
        if not key.strip():
            raise Required(field="idempotency_key")
        paid_on = None
        if payload.paid_on.strip():
            try:
                paid_on = date.fromisoformat(payload.paid_on.strip())
            except ValueError:
                raise BadDate(field="paid_on", value=payload.paid_on) from None
        result = claim_pay(scope, number, idempotency_key=key, paid_on=paid_on)
        out = PayOut(
            number=result.claim.number,
            status=result.claim.status,
            lump_sum_idr=result.lump_sum_idr,
            monthly_idr=[b.amount_idr for b in result.monthly],
            already_paid=not result.created,
        )
        return Status(201 if result.created else 200, out)
