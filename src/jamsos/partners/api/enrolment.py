"""Partner API of bulk and sponsored enrolment, under /api/v1/partners/enrolment
(docs/partners/enrolment.md).

- ``POST /enrolment/batches`` (multipart: ``partner``, ``kind``, ``file``, optional term and
  sponsor fields; the idempotency key in the ``Idempotency-Key`` header or the
  ``idempotency_key`` field): stage and check a list. 201 with the new batch; 200 with the same
  batch when the same key comes again with the same file (a retry never enrols twice); 409 when
  the key was used for another file.
- ``GET /enrolment/batches`` (``?status=validated`` for those waiting), ``GET
  /enrolment/batches/{id}``, ``GET /enrolment/batches/{id}/rows`` (NIK masked).
- ``GET /enrolment/batches/{id}/result?format=xlsx|csv``: the result file.
- ``POST /enrolment/batches/{id}/approve`` and ``/reject`` (a branch officer of the batch's
  office, not the uploader).

Bearer tokens (``jamsos users token NAME``) or the site's session; refusals in the API's one
error shape, in Bahasa Indonesia unless ``?lang=en`` or ``Accept-Language: en``.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any, Literal

from django.http import HttpRequest, HttpResponse
from django.utils import translation
from ninja import File, Form, Router, Schema, Status
from ninja.files import UploadedFile

from jamsos.api.auth import SIGNED_IN
from jamsos.api.errors import request_language
from jamsos.core.masking import mask_nik
from jamsos.partners.models import EnrolmentBatch
from jamsos.partners.selectors.enrolment import batch_get, batch_list, batch_rows
from jamsos.partners.services.enrolment import (
    batch_approve,
    batch_reject,
    batch_result_file,
    batch_stage,
    row_reasons,
)
from jamsos.uploads.api import caller_scope
from jamsos.uploads.parsing import read_capped

router = Router(tags=["partners"], auth=SIGNED_IN)


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


class BatchOut(Schema):
    id: int
    partner: str
    agreement: str | None
    kind: str
    idempotency_key: str
    file_name: str
    status: str
    branch_office: str
    term_from: date | None
    term_until: date | None
    sponsor_kind: str
    sponsor_ref: str
    sponsor_name: str
    counts: dict[str, int]
    uploaded_by: str
    uploaded_at: datetime
    decided_by: str | None
    decided_at: datetime | None
    decision_note: str
    enrolled_at: datetime | None
    result_xlsx: str
    result_csv: str


class RowOut(Schema):
    row: int
    nik: str
    name: str
    status: str
    reason: str
    kpj: str


class DecisionIn(Schema):
    note: str = ""


def _out(request: HttpRequest, batch: EnrolmentBatch) -> BatchOut:
    base = request.build_absolute_uri(request.path).split("/enrolment/batches")[0]
    counts = {k: int(v) for k, v in (batch.counts or {}).items() if isinstance(v, int)}
    return BatchOut(
        id=batch.pk,
        partner=batch.partner.code,
        agreement=batch.agreement.number if batch.agreement else None,
        kind=batch.kind,
        idempotency_key=batch.idempotency_key,
        file_name=batch.file_name,
        status=batch.status,
        branch_office=batch.branch_office.code,
        term_from=batch.term_from,
        term_until=batch.term_until,
        sponsor_kind=batch.sponsor_kind,
        sponsor_ref=batch.sponsor_ref,
        sponsor_name=batch.sponsor_name,
        counts=counts,
        uploaded_by=batch.uploaded_by.get_username(),
        uploaded_at=batch.uploaded_at,
        decided_by=batch.decided_by.get_username() if batch.decided_by else None,
        decided_at=batch.decided_at,
        decision_note=batch.decision_note,
        enrolled_at=batch.enrolled_at,
        result_xlsx=f"{base}/enrolment/batches/{batch.pk}/result?format=xlsx",
        result_csv=f"{base}/enrolment/batches/{batch.pk}/result?format=csv",
    )


@router.post(
    "/enrolment/batches",
    response={200: BatchOut, 201: BatchOut, **_ERRORS},
    summary="Stage and check an enrolment list (nobody is enrolled until approved)",
    url_name="enrolment-batch-create",
)
def create_batch(
    request: HttpRequest,
    partner: Form[str],
    kind: Form[
        Literal["association", "election", "sponsored", "market", "ecommerce", "cooperative"]
    ],
    file: File[UploadedFile],
    idempotency_key: Form[str] = "",
    term_from: Form[date | None] = None,
    term_until: Form[date | None] = None,
    sponsor_kind: Form[str] = "",
    sponsor_ref: Form[str] = "",
    sponsor_name: Form[str] = "",
    agreement: Form[str] = "",
) -> Status[BatchOut]:
    scope = caller_scope(request)
    key = request.headers.get("Idempotency-Key") or idempotency_key
    with translation.override(request_language(request)):
        content = read_capped(file, file_name=file.name or "")
        result = batch_stage(
            scope=scope,
            partner_code=partner,
            kind=kind,
            idempotency_key=key,
            file_name=file.name or "",
            content=content,
            term_from=term_from,
            term_until=term_until,
            sponsor_kind=sponsor_kind,
            sponsor_ref=sponsor_ref,
            sponsor_name=sponsor_name,
            agreement_number=agreement,
        )
        batch = batch_get(scope, result.batch.pk)
        return Status(201 if result.created else 200, _out(request, batch))


@router.get(
    "/enrolment/batches",
    response={200: list[BatchOut], **_ERRORS},
    summary="Enrolment batches in scope (status=validated: waiting for approval)",
    url_name="enrolment-batch-list",
)
def list_batches(request: HttpRequest, status: str = "", partner: str = "") -> list[BatchOut]:
    scope = caller_scope(request)
    with translation.override(request_language(request)):
        return [_out(request, b) for b in batch_list(scope, status=status, partner_code=partner)]


@router.get(
    "/enrolment/batches/{batch_id}",
    response={200: BatchOut, **_ERRORS},
    summary="A batch's status and counts",
    url_name="enrolment-batch-detail",
)
def get_batch(request: HttpRequest, batch_id: int) -> BatchOut:
    scope = caller_scope(request)
    with translation.override(request_language(request)):
        return _out(request, batch_get(scope, batch_id))


@router.get(
    "/enrolment/batches/{batch_id}/rows",
    response={200: list[RowOut], **_ERRORS},
    summary="A batch's rows with status and reason (NIK masked)",
    url_name="enrolment-batch-rows",
)
def get_rows(
    request: HttpRequest, batch_id: int, status: str = "", offset: int = 0, limit: int = 500
) -> list[RowOut]:
    scope = caller_scope(request)
    language = request_language(request)
    with translation.override(language):
        batch = batch_get(scope, batch_id)
        rows = batch_rows(
            batch, status=status, offset=max(0, offset), limit=min(max(1, limit), 5000)
        )
        return [
            RowOut(
                row=r.row_number,
                nik=mask_nik(r.nik),
                name=r.name,
                status=r.status,
                reason=row_reasons(r, language),
                kpj=str((r.data or {}).get("_kpj", "")),
            )
            for r in rows
        ]


@router.get(
    "/enrolment/batches/{batch_id}/result",
    response={200: None, **_ERRORS},
    summary="The result file: every row with status and reason (id and en) and KPJ",
    url_name="enrolment-batch-result",
)
def get_result(
    request: HttpRequest, batch_id: int, format: Literal["xlsx", "csv"] = "xlsx"
) -> HttpResponse:
    scope = caller_scope(request)
    with translation.override(request_language(request)):
        out = batch_result_file(scope=scope, batch_id=batch_id, file_format=format)
    response = HttpResponse(out.content, content_type=out.content_type)
    response["Content-Disposition"] = f'attachment; filename="{out.file_name}"'
    response["Cache-Control"] = "no-store"
    return response


@router.post(
    "/enrolment/batches/{batch_id}/approve",
    response={200: BatchOut, **_ERRORS},
    summary="Approve a batch and enrol its valid rows (branch officer, not the uploader)",
    url_name="enrolment-batch-approve",
)
def approve(request: HttpRequest, batch_id: int, body: DecisionIn | None = None) -> BatchOut:
    scope = caller_scope(request)
    with translation.override(request_language(request)):
        result = batch_approve(scope=scope, batch_id=batch_id, note=body.note if body else "")
        return _out(request, batch_get(scope, result.batch.pk))


@router.post(
    "/enrolment/batches/{batch_id}/reject",
    response={200: BatchOut, **_ERRORS},
    summary="Reject a batch with a note (branch officer, not the uploader)",
    url_name="enrolment-batch-reject",
)
def reject(request: HttpRequest, batch_id: int, body: DecisionIn) -> BatchOut:
    scope = caller_scope(request)
    with translation.override(request_language(request)):
        batch = batch_reject(scope=scope, batch_id=batch_id, note=body.note)
        return _out(request, batch_get(scope, batch.pk))
