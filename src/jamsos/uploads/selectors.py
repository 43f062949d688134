"""Reading uploads, always within the caller's scope.

An employer user sees the uploads for their company, a branch officer those for the employers
of their office, an administrator all; anyone else none. An upload outside the scope is reported
exactly as one that does not exist, so a guessed number tells nothing.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date

from django.db.models import QuerySet

from jamsos.access.models import Role
from jamsos.access.scope import Scope
from jamsos.membership.identifiers import kpj_make
from jamsos.uploads.errors import UploadNotFound
from jamsos.uploads.models import RowStatus, UploadStatus, WorkerUpload, WorkerUploadRow

#: Rows shown on a page or in an API answer; the full list is in the report.
SHOWN_ROWS = 100


def uploads_visible(scope: Scope) -> QuerySet[WorkerUpload]:
    query = WorkerUpload.objects.defer("content")
    if scope.role == Role.ADMIN:
        return query
    if scope.role == Role.BRANCH_OFFICER and scope.branch_office_id:
        return query.filter(employer__branch_office_id=scope.branch_office_id)
    if scope.role == Role.EMPLOYER_USER and scope.employer_id:
        return query.filter(employer_id=scope.employer_id)
    return query.none()


def upload_get(scope: Scope, *, pk: int | str) -> WorkerUpload:
    try:
        number = int(pk)
    except (TypeError, ValueError):
        raise UploadNotFound(id=str(pk)[:20]) from None
    upload = (
        uploads_visible(scope)
        .select_related("employer", "employer__branch_office")
        .filter(pk=number)
        .first()
    )
    if upload is None:
        raise UploadNotFound(id=number)
    return upload


def upload_list(scope: Scope, *, limit: int = 20) -> list[WorkerUpload]:
    """The latest uploads the scope may see, newest first."""
    return list(uploads_visible(scope).select_related("employer")[:limit])


def upload_rows(
    upload: WorkerUpload, *, status: str | None = None, limit: int | None = SHOWN_ROWS
) -> list[WorkerUploadRow]:
    """Rows of an upload in file order (``status``: valid or rejected)."""
    query = WorkerUploadRow.objects.filter(upload=upload)
    if status:
        query = query.filter(status=status)
    query = query.order_by("line")
    return list(query[:limit] if limit is not None else query)


class KpjSeries:
    """The KPJ of each written row of a committed upload.

    The commit reserves one block of serials per start year and hands them out to that year's
    written rows in row order (``WorkerUpload.kpj_blocks``: year → first serial). Fed the valid
    rows of the upload in row order, from the first, :meth:`next` gives each row its KPJ; the
    memberships hold the same numbers.
    """

    def __init__(self, upload: WorkerUpload) -> None:
        self.first = {int(year): serial for year, serial in (upload.kpj_blocks or {}).items()}
        self.given: dict[int, int] = defaultdict(int)

    def next(self, start_date: date) -> str:
        year = start_date.year
        serial = self.first[year] + self.given[year]
        self.given[year] += 1
        return kpj_make(year=year, serial=serial)


def written_rows(upload: WorkerUpload, *, limit: int | None = SHOWN_ROWS) -> list[WorkerUploadRow]:
    """The rows a commit wrote, in file order, each with its ``kpj``."""
    if upload.status != UploadStatus.COMMITTED:
        return []
    series = KpjSeries(upload)
    rows = upload_rows(upload, status=RowStatus.VALID, limit=limit)
    for row in rows:
        row.kpj = series.next(row.start_date)  # type: ignore[attr-defined,arg-type]
    return rows


__all__ = [
    "SHOWN_ROWS",
    "KpjSeries",
    "RowStatus",
    "upload_get",
    "upload_list",
    "upload_rows",
    "uploads_visible",
    "written_rows",
]
