"""Pages of bulk and sponsored enrolment under /mitra/pendaftaran/: the batches (with those
waiting for the officer's approval), the upload form, a batch with its rows (NIK masked), the
checker's approve and reject buttons, and the result file. Same services as the API and CLI."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import URLPattern, path
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from jamsos.access.models import Role
from jamsos.access.scope import Scope, scope_for_user
from jamsos.core.errors import ApplicationError
from jamsos.core.formatting import current_language, format_number
from jamsos.core.masking import mask_nik
from jamsos.partners.models import BatchKind, BatchStatus, RowStatus
from jamsos.partners.policy import PARTNERS
from jamsos.partners.selectors.enrolment import (
    batch_get,
    batch_list,
    batch_rows,
    batches_pending,
)
from jamsos.partners.services.enrolment import (
    BATCH_STATUS_TEXT,
    STATUS_TEXT,
    batch_approve,
    batch_reject,
    batch_result_file,
    batch_stage,
    columns_for,
    row_reasons,
)
from jamsos.partners.services.enrolment import COLUMNS as COLUMN_NAMES
from jamsos.uploads.parsing import read_capped

#: Rows shown on a batch's page; the result file has them all.
SHOWN_ROWS = 500


def _scope(request: HttpRequest) -> Scope:
    return scope_for_user(request.user)


def _lang() -> int:
    return 0 if current_language() == "id" else 1


def _batch_view(batch: Any) -> dict[str, Any]:
    counts = batch.counts or {}
    return {
        "batch": batch,
        "status_text": BATCH_STATUS_TEXT[batch.status][_lang()],
        "counts": [
            (STATUS_TEXT[s][_lang()], format_number(int(counts.get(s, 0))), s)
            for s in RowStatus.values
            if counts.get(s)
        ],
        "rows": format_number(int(counts.get("rows", 0))),
    }


def _denied(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "partners/enrolment/denied.html",
        {"message": _("Your role may not see enrolment lists.")},
        status=403,
    )


@login_required
def batch_list_view(request: HttpRequest) -> HttpResponse:
    scope = _scope(request)
    if not PARTNERS.allows(scope, "enrolment.view"):
        return _denied(request)
    may_check = PARTNERS.allows(scope, "enrolment.check")
    pending = batches_pending(scope) if may_check else []
    context = {
        "pending": [_batch_view(b) for b in pending],
        "batches": [_batch_view(b) for b in batch_list(scope)],
        "may_check": may_check,
    }
    return render(request, "partners/enrolment/batch_list.html", context)


def _partner_choices(scope: Scope) -> list[Any]:
    from jamsos.partners.selectors.partners import partners_visible

    return list(partners_visible(scope).order_by("name")[:500])


@login_required
def batch_upload_view(request: HttpRequest) -> HttpResponse:
    scope = _scope(request)
    if not PARTNERS.allows(scope, "enrolment.view"):
        return _denied(request)
    errors: dict[str, str] = {}
    values = {
        k: request.POST.get(k, "").strip()
        for k in ("partner", "kind", "key", "term_from", "term_until", "sponsor_kind")
    }
    if scope.role == Role.PARTNER_USER:
        values["partner"] = scope.partner_ref
    status = 200
    if request.method == "POST":
        upload = request.FILES.get("file")
        if upload is None:
            errors["file"] = _("Choose a file (XLSX or CSV).")
        else:
            try:
                content = read_capped(upload, file_name=upload.name or "")
                result = batch_stage(
                    scope=scope,
                    partner_code=values["partner"],
                    kind=values["kind"],
                    idempotency_key=values["key"],
                    file_name=upload.name or "",
                    content=content,
                    term_from=values["term_from"] or None,
                    term_until=values["term_until"] or None,
                    sponsor_kind=values["sponsor_kind"],
                )
            except ApplicationError as exc:
                errors[getattr(exc, "field", "") or "file"] = exc.message
            else:
                if not result.created:
                    messages.info(
                        request, _("Same key and same file: this is the batch sent before.")
                    )
                return redirect("partners:batch-detail", pk=result.batch.pk)
        status = 400
    kinds = []
    for value, label in BatchKind.choices:
        required, optional = columns_for(value)
        kinds.append(
            {
                "value": value,
                "label": label,
                "required": [" / ".join(dict.fromkeys(COLUMN_NAMES[k])) for k in required],
                "optional": [" / ".join(dict.fromkeys(COLUMN_NAMES[k])) for k in optional],
            }
        )
    context = {
        "errors": errors,
        "values": values,
        "kinds": kinds,
        "partners": [] if scope.role == Role.PARTNER_USER else _partner_choices(scope),
    }
    return render(request, "partners/enrolment/batch_upload.html", context, status=status)


@login_required
def batch_detail_view(request: HttpRequest, pk: int) -> HttpResponse:
    scope = _scope(request)
    if not PARTNERS.allows(scope, "enrolment.view"):
        return _denied(request)
    try:
        batch = batch_get(scope, pk)
    except ApplicationError as exc:
        return render(
            request, "partners/enrolment/denied.html", {"message": exc.message}, status=404
        )
    language = current_language()
    status_filter = request.GET.get("status", "")
    rows = [
        {
            "number": r.row_number,
            "nik": mask_nik(r.nik) if len(r.nik) == 16 else r.nik,
            "name": r.name,
            "status": r.status,
            "status_text": STATUS_TEXT[r.status][_lang()],
            "reason": row_reasons(r, language),
            "kpj": (r.data or {}).get("_kpj", ""),
        }
        for r in batch_rows(batch, status=status_filter, limit=SHOWN_ROWS)
    ]
    may_decide = (
        batch.status == BatchStatus.VALIDATED
        and PARTNERS.allows(scope, "enrolment.check")
        and scope.user_id != batch.uploaded_by_id
        and (scope.role == Role.ADMIN or scope.branch_office_id == batch.branch_office_id)
    )
    context = {
        **_batch_view(batch),
        "table": rows,
        "shown_max": SHOWN_ROWS,
        "status_filter": status_filter,
        "statuses": [(s, STATUS_TEXT[s][_lang()]) for s in RowStatus.values],
        "may_decide": may_decide,
        "own_upload": scope.user_id == batch.uploaded_by_id,
    }
    return render(request, "partners/enrolment/batch_detail.html", context)


@login_required
@require_POST
def batch_approve_view(request: HttpRequest, pk: int) -> HttpResponse:
    scope = _scope(request)
    try:
        result = batch_approve(scope=scope, batch_id=pk, note=request.POST.get("note", ""))
    except ApplicationError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(
            request,
            _("%(count)s workers enrolled.") % {"count": format_number(result.enrolled)},
        )
    return redirect("partners:batch-detail", pk=pk)


@login_required
@require_POST
def batch_reject_view(request: HttpRequest, pk: int) -> HttpResponse:
    scope = _scope(request)
    try:
        batch_reject(scope=scope, batch_id=pk, note=request.POST.get("note", ""))
    except ApplicationError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("The list was rejected."))
    return redirect("partners:batch-detail", pk=pk)


@login_required
def batch_result_view(request: HttpRequest, pk: int, fmt: str) -> HttpResponse:
    scope = _scope(request)
    if not PARTNERS.allows(scope, "enrolment.view"):
        return _denied(request)
    try:
        out = batch_result_file(scope=scope, batch_id=pk, file_format=fmt)
    except ApplicationError as exc:
        return render(
            request,
            "partners/enrolment/denied.html",
            {"message": exc.message},
            status=exc.http_status if hasattr(exc, "http_status") else 400,
        )
    response = HttpResponse(out.content, content_type=out.content_type)
    response["Content-Disposition"] = f'attachment; filename="{out.file_name}"'
    response["Cache-Control"] = "no-store"
    return response


urlpatterns: list[URLPattern] = [
    path("pendaftaran/", batch_list_view, name="batch-list"),
    path("pendaftaran/unggah/", batch_upload_view, name="batch-upload"),
    path("pendaftaran/<int:pk>/", batch_detail_view, name="batch-detail"),
    path("pendaftaran/<int:pk>/setujui/", batch_approve_view, name="batch-approve"),
    path("pendaftaran/<int:pk>/tolak/", batch_reject_view, name="batch-reject"),
    path("pendaftaran/<int:pk>/hasil.<str:fmt>", batch_result_view, name="batch-result"),
]
