"""REST API of the bulk upload (django-ninja); the project mounts ``router`` at
``/api/v1/uploads``.

- ``POST /uploads`` (multipart: ``employer`` = NPP, ``file``) checks a file and answers with
  the counts and the first rejected rows (201); nothing is written to the registry.
- ``GET /uploads/{id}``: the same summary, later.
- ``GET /uploads/{id}/report?format=xlsx|csv&rows=all|rejected``: the per-row report.
- ``POST /uploads/{id}/commit``: write the valid rows; ``POST /uploads/{id}/discard``.
- ``GET /uploads/template?format=xlsx|csv``: the empty template.

Signed-in callers only: a bearer token or the site's session (unsafe methods with the CSRF
token), as ``jamsos.api.auth.SIGNED_IN`` checks; the caller is ``request.user`` when signed in
through the session, else the user ``request.auth`` names. Refusals have the API's one error shape;
an upload outside the caller's scope is 404, like one that does not exist. Messages and reasons
are in Bahasa Indonesia unless ``?lang=en`` or ``Accept-Language: en``.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal

from django.http import HttpRequest, HttpResponse
from django.utils import translation
from ninja import File, Form, Router, Schema, Status
from ninja.files import UploadedFile

from jamsos.access.scope import Scope, scope_for_user
from jamsos.api.auth import SIGNED_IN
from jamsos.api.errors import request_language
from jamsos.uploads.messages import reason_message
from jamsos.uploads.models import RowStatus, WorkerUpload
from jamsos.uploads.parsing import read_capped
from jamsos.uploads.policy import UPLOADS
from jamsos.uploads.selectors import SHOWN_ROWS, upload_get, upload_rows
from jamsos.uploads.services import (
    FileOut,
    upload_commit,
    upload_discard,
    upload_report,
    upload_template,
    upload_validate,
)

#: Signed-in callers only (bearer token, or the site's session with its CSRF token), whatever
#: the API the router is mounted on says.
router = Router(tags=["uploads"], auth=SIGNED_IN)


class ReasonOut(Schema):
    code: str
    field: str
    message: str


class RowOut(Schema):
    row: int
    status: str
    nik: str
    name: str
    reasons: list[ReasonOut]


class UploadOut(Schema):
    id: int
    status: str
    employer_npp: str
    employer_name: str
    file_name: str
    format: str
    rows: int
    valid: int
    rejected: int
    existing_people: int
    written: int
    ignored_columns: list[str]
    created_at: datetime
    committed_at: datetime | None
    rejected_rows: list[RowOut]
    rejected_rows_shown: int
    report_xlsx: str
    report_csv: str


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


def caller_scope(request: HttpRequest) -> Scope:
    """The scope of the signed-in user, or of the user the API's authentication found."""
    user = getattr(request, "user", None)
    if user is None or not getattr(user, "is_authenticated", False):
        auth = getattr(request, "auth", None)
        user = auth if getattr(auth, "is_authenticated", False) else None
    return scope_for_user(user)


def _reasons(items: list[dict[str, Any]], language: str) -> list[ReasonOut]:
    return [
        ReasonOut(
            code=str(item.get("code", "")),
            field=str(item.get("field", "")),
            message=reason_message(item, language),
        )
        for item in items
    ]


def _out(request: HttpRequest, upload: WorkerUpload) -> UploadOut:
    language = request_language(request)
    rejected = upload_rows(upload, status=RowStatus.REJECTED)
    base = request.build_absolute_uri(request.path).split("/uploads")[0] + "/uploads"
    return UploadOut(
        id=upload.pk,
        status=upload.status,
        employer_npp=upload.employer.npp,
        employer_name=upload.employer.legal_name,
        file_name=upload.file_name,
        format=upload.file_format,
        rows=upload.total_rows,
        valid=upload.valid_rows,
        rejected=upload.rejected_rows,
        existing_people=upload.existing_people,
        written=upload.written_rows,
        ignored_columns=list(upload.ignored_columns),
        created_at=upload.created_at,
        committed_at=upload.committed_at,
        rejected_rows=[
            RowOut(
                row=row.line,
                status=row.status,
                nik=row.nik,
                name=row.name,
                reasons=_reasons(row.reasons, language),
            )
            for row in rejected
        ],
        rejected_rows_shown=min(SHOWN_ROWS, upload.rejected_rows),
        report_xlsx=f"{base}/{upload.pk}/report?format=xlsx",
        report_csv=f"{base}/{upload.pk}/report?format=csv",
    )


def _download(out: FileOut) -> HttpResponse:
    response = HttpResponse(out.content, content_type=out.content_type)
    response["Content-Disposition"] = f'attachment; filename="{out.file_name}"'
    response["Cache-Control"] = "no-store"
    return response


@router.post(
    "",
    response={201: UploadOut, **_ERRORS},
    summary="Check a file of PU workers (nothing is written)",
    url_name="uploads-create",
)
def upload_create(
    request: HttpRequest, employer: Form[str], file: File[UploadedFile]
) -> Status[UploadOut]:
    scope = caller_scope(request)
    with translation.override(request_language(request)):
        UPLOADS.require(scope, "upload.check")
        content = read_capped(file, file_name=file.name or "")
        upload = upload_validate(
            scope=scope, employer_npp=employer, file_name=file.name or "", content=content
        )
        return Status(201, _out(request, upload_get(scope, pk=upload.pk)))


@router.get(
    "/template",
    response={200: None, **_ERRORS},
    summary="The empty template (XLSX or CSV)",
    url_name="uploads-template",
)
def template(request: HttpRequest, format: Literal["xlsx", "csv"] = "xlsx") -> HttpResponse:
    return _download(upload_template(file_format=format, language=request_language(request)))


@router.get(
    "/{upload_id}",
    response={200: UploadOut, **_ERRORS},
    summary="An upload's counts and first rejected rows",
    url_name="uploads-detail",
)
def upload_detail(request: HttpRequest, upload_id: int) -> UploadOut:
    scope = caller_scope(request)
    with translation.override(request_language(request)):
        UPLOADS.require(scope, "upload.view")
        return _out(request, upload_get(scope, pk=upload_id))


@router.get(
    "/{upload_id}/report",
    response={200: None, **_ERRORS},
    summary="The per-row report: original columns, row, status, reasons",
    url_name="uploads-report",
)
def report(
    request: HttpRequest,
    upload_id: int,
    format: Literal["xlsx", "csv"] = "xlsx",
    rows: Literal["all", "rejected"] = "all",
) -> HttpResponse:
    scope = caller_scope(request)
    language = request_language(request)
    with translation.override(language):
        out = upload_report(
            scope=scope,
            upload_id=upload_id,
            file_format=format,
            language=language,
            only_rejected=rows == "rejected",
        )
    return _download(out)


@router.post(
    "/{upload_id}/commit",
    response={200: UploadOut, **_ERRORS},
    summary="Write the valid rows to the registry",
    url_name="uploads-commit",
)
def commit(request: HttpRequest, upload_id: int) -> UploadOut:
    scope = caller_scope(request)
    with translation.override(request_language(request)):
        UPLOADS.require(scope, "upload.commit")
        result = upload_commit(scope=scope, upload_id=upload_id)
        return _out(request, result.upload)


@router.post(
    "/{upload_id}/discard",
    response={200: UploadOut, **_ERRORS},
    summary="Discard a validated upload (nothing is written)",
    url_name="uploads-discard",
)
def discard(request: HttpRequest, upload_id: int) -> UploadOut:
    scope = caller_scope(request)
    with translation.override(request_language(request)):
        UPLOADS.require(scope, "upload.check")
        upload = upload_discard(scope=scope, upload_id=upload_id)
        return _out(request, upload_get(scope, pk=upload.pk))
