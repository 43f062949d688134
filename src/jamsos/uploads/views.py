"""Web pages of the bulk upload: the form, the result of a check, accepting or discarding, the
report and the template. Every page calls the same services as the API and the CLI.

Mounted by the project at ``/unggah/`` (namespace ``uploads``).
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from jamsos.access.models import Role
from jamsos.access.scope import Scope, scope_for_user
from jamsos.core.errors import ApplicationError
from jamsos.core.formatting import current_language, format_number
from jamsos.membership.selectors import employers_visible
from jamsos.uploads.errors import UploadNotFound
from jamsos.uploads.messages import reason_message, status_name
from jamsos.uploads.models import RowStatus, UploadStatus, WorkerUpload
from jamsos.uploads.parsing import max_bytes, max_rows, read_capped
from jamsos.uploads.policy import UPLOADS
from jamsos.uploads.selectors import (
    SHOWN_ROWS,
    upload_get,
    upload_list,
    upload_rows,
    written_rows,
)
from jamsos.uploads.services import (
    FileOut,
    upload_commit,
    upload_discard,
    upload_report,
    upload_template,
    upload_validate,
)

#: Above this many employers in scope the form asks for an NPP instead of offering a list.
EMPLOYER_LIST_MAX = 200


def _scope(request: HttpRequest) -> Scope:
    return scope_for_user(request.user)


def _download(out: FileOut) -> HttpResponse:
    response = HttpResponse(out.content, content_type=out.content_type)
    response["Content-Disposition"] = f'attachment; filename="{out.file_name}"'
    response["Cache-Control"] = "no-store"
    return response


def _employer_choices(scope: Scope) -> tuple[list[Any], bool]:
    """(employers to choose from, whether to ask for an NPP instead)."""
    if not UPLOADS.allows(scope, "upload.check"):
        return [], False
    if scope.role == Role.ADMIN:
        return [], True
    employers = list(
        employers_visible(scope).order_by("legal_name", "npp")[: EMPLOYER_LIST_MAX + 1]
    )
    if len(employers) > EMPLOYER_LIST_MAX:
        return [], True
    return employers, False


@login_required
def upload_form(request: HttpRequest) -> HttpResponse:
    """GET: the form and the latest uploads; POST: check the file and show the result."""
    scope = _scope(request)
    allowed = UPLOADS.allows(scope, "upload.check")
    errors: dict[str, str] = {}
    values = {"employer": request.POST.get("employer", "").strip()}
    status = 200
    if request.method == "POST":
        if not allowed:
            status = 403
        else:
            upload = request.FILES.get("file")
            if not values["employer"]:
                errors["employer"] = _("Choose the employer.")
            if upload is None:
                errors["file"] = _("Choose a file (XLSX or CSV).")
            if not errors and upload is not None:
                try:
                    content = read_capped(upload, file_name=upload.name or "")
                    result = upload_validate(
                        scope=scope,
                        employer_npp=values["employer"],
                        file_name=upload.name or "",
                        content=content,
                    )
                except ApplicationError as exc:
                    field = (
                        "employer" if exc.code.startswith(("membership.", "access.")) else "file"
                    )
                    errors[field] = exc.message
                else:
                    return redirect("uploads:detail", pk=result.pk)
            status = 400
    employers, ask_npp = _employer_choices(scope)
    context = {
        "allowed": allowed,
        "errors": errors,
        "values": values,
        "employers": employers,
        "ask_npp": ask_npp,
        "uploads": [_summary(u) for u in upload_list(scope)] if allowed else [],
        "max_rows": format_number(max_rows()),
        "max_mb": max_bytes() // (1024 * 1024),
    }
    return render(request, "uploads/upload_form.html", context, status=status)


def _summary(upload: WorkerUpload) -> dict[str, Any]:
    language = current_language()
    return {
        "upload": upload,
        "status": status_name(upload.status, language),
        "total": format_number(upload.total_rows),
        "valid": format_number(upload.valid_rows),
        "rejected": format_number(upload.rejected_rows),
        "written": format_number(upload.written_rows),
        "existing": format_number(upload.existing_people),
    }


def _get(scope: Scope, pk: int) -> WorkerUpload:
    try:
        return upload_get(scope, pk=pk)
    except UploadNotFound:
        raise Http404 from None


@login_required
@require_GET
def upload_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """The result of a check (and the accept / discard buttons), or what a commit wrote."""
    scope = _scope(request)
    upload = _get(scope, pk)
    language = current_language()
    rejected = [
        {
            "line": row.line,
            "nik": row.nik,
            "name": row.name,
            "reasons": [reason_message(r, language) for r in row.reasons],
        }
        for row in upload_rows(upload, status=RowStatus.REJECTED)
    ]
    context: dict[str, Any] = {
        **_summary(upload),
        "rejected_rows": rejected,
        "shown": SHOWN_ROWS,
        "more_rejected": upload.rejected_rows > len(rejected),
        "ignored": ", ".join(upload.ignored_columns),
    }
    if upload.status == UploadStatus.COMMITTED:
        written = [
            {
                "line": row.line,
                "nik": row.nik,
                "name": row.name,
                "kpj": row.kpj,
                "notes": [reason_message(n, language) for n in row.notes],
            }
            for row in written_rows(upload)
        ]
        context.update(written_rows=written, more_written=upload.written_rows > len(written))
        return render(request, "uploads/upload_committed.html", context)
    return render(request, "uploads/upload_result.html", context)


@login_required
@require_POST
def upload_accept(request: HttpRequest, pk: int) -> HttpResponse:
    scope = _scope(request)
    upload = _get(scope, pk)
    try:
        result = upload_commit(scope=scope, upload_id=upload.pk)
    except ApplicationError as exc:
        messages.error(request, exc.message)
    else:
        text = _("%(written)s workers written to the registry.") % {
            "written": format_number(result.written)
        }
        if result.upload.rejected_rows:
            text += " " + _("%(rejected)s rejected rows were not written.") % {
                "rejected": format_number(result.upload.rejected_rows)
            }
        messages.success(request, text)
    return redirect("uploads:detail", pk=upload.pk)


@login_required
@require_POST
def upload_drop(request: HttpRequest, pk: int) -> HttpResponse:
    scope = _scope(request)
    upload = _get(scope, pk)
    try:
        upload_discard(scope=scope, upload_id=upload.pk)
    except ApplicationError as exc:
        messages.error(request, exc.message)
        return redirect("uploads:detail", pk=upload.pk)
    messages.success(
        request, _("Upload %(number)s discarded: nothing was written.") % {"number": upload.pk}
    )
    return redirect("uploads:form")


@login_required
@require_GET
def upload_report_download(request: HttpRequest, pk: int, file_format: str) -> HttpResponse:
    """The per-row report; ``?baris=ditolak`` (or ``rows=rejected``) for the rejected rows."""
    scope = _scope(request)
    upload = _get(scope, pk)
    only_rejected = request.GET.get("baris") == "ditolak" or request.GET.get("rows") == "rejected"
    try:
        out = upload_report(
            scope=scope,
            upload_id=upload.pk,
            file_format=file_format,
            language=current_language(),
            only_rejected=only_rejected,
        )
    except ApplicationError:
        raise Http404 from None
    return _download(out)


@login_required
@require_GET
def template_download(request: HttpRequest, file_format: str) -> HttpResponse:
    try:
        out = upload_template(file_format=file_format, language=current_language())
    except ApplicationError:
        raise Http404 from None
    return _download(out)
