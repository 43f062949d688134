"""Accepting an upload: write its valid rows to the registry, set-based, in one transaction.

For every valid row: the person (new NIKs only; a registered person is used as registered), a PU
membership with the employer (KPJ from the ``kpj:<start year>`` series, one block of serials
reserved per year), the first month's wage report and a ``started`` event, as
``pu_worker_register`` writes them one at a time, with ``source = bulk_upload``, the employer's
branch office and the channel ``employer`` (``branch`` when a branch officer accepts). The rows
are written by the membership's bulk registration
(:func:`jamsos.membership.services.registrations_write`), the one writer of registrations in
bulk. One audit event records the import, not one per row.

Just before writing, the rows are checked again against the registry: a NIK registered since
the validation, or a person who got an active PU membership with this employer since, is refused
on that row (with the reason) and the other rows are written. Two commits of the same upload
cannot both run: the upload row is locked and must still be ``validated``.

The order of the writes (people, then the KPJ serials, then memberships) is the one
``pu_worker_register`` follows, so that a registration running at the same moment cannot
deadlock with a commit; if one registers a NIK of the file between the check and the insert,
the unique index refuses the insert, the transaction is undone and the commit is tried again
(up to :data:`ATTEMPTS` times), this time refusing that row.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.db import IntegrityError, OperationalError, connection, transaction
from django.utils import timezone

from jamsos.access.audit import audit_record
from jamsos.access.models import AuditAction, Role
from jamsos.access.scope import Scope
from jamsos.core import bulkwrite
from jamsos.core.masking import mask_nik
from jamsos.legal.types import Segment
from jamsos.membership.models import (
    Channel,
    Membership,
    Person,
    RecordSource,
    Status,
)
from jamsos.membership.services import Registration, registrations_write
from jamsos.uploads.errors import NothingValid, UploadError, UploadNotCommittable
from jamsos.uploads.messages import STATUS_NAMES
from jamsos.uploads.models import RowStatus, UploadStatus, WorkerUpload, WorkerUploadRow
from jamsos.uploads.policy import UPLOADS
from jamsos.uploads.selectors import upload_get
from jamsos.uploads.services.uploads import Progress
from jamsos.uploads.validation import reason

ATTEMPTS = 3

_ROW_COLUMNS = (
    "pk", "line", "nik", "name", "birth_date", "sex", "phone", "village_pk", "wage_idr",
    "start_date", "programs", "person_pk",
)  # fmt: skip


@dataclass(frozen=True)
class CommitResult:
    upload: WorkerUpload
    written: int
    new_people: int
    existing_people: int
    refused_at_commit: int


def upload_commit(
    *,
    scope: Scope,
    upload_id: int | str,
    now: datetime | None = None,
    progress: Progress | None = None,
) -> CommitResult:
    """Write the valid rows of a validated upload (see the module's description)."""
    UPLOADS.require(scope, "upload.commit")
    upload = upload_get(scope, pk=upload_id)
    for attempt in range(1, ATTEMPTS + 1):
        try:
            with transaction.atomic():
                return _commit(scope, upload.pk, now=now or timezone.now(), progress=progress)
        except UploadError:
            raise
        except (IntegrityError, OperationalError):
            # A NIK or an active membership of the file was registered by someone else
            # between the check and the insert (or the two writers deadlocked): try again,
            # and the check will refuse that row.
            if attempt == ATTEMPTS:
                _mark_failed(upload.pk)
                raise
        except Exception:
            _mark_failed(upload.pk)
            raise
    raise AssertionError("unreachable")


def _mark_failed(pk: int) -> None:
    WorkerUpload.objects.filter(pk=pk, status=UploadStatus.VALIDATED).update(
        status=UploadStatus.FAILED,
        closed_at=timezone.now(),
        failure="The commit stopped on an unexpected error; nothing was written.",
    )


def _commit(scope: Scope, pk: int, *, now: datetime, progress: Progress | None) -> CommitResult:
    started = time.perf_counter()
    upload = (
        WorkerUpload.objects.select_for_update(of=("self",))
        .select_related("employer")
        .defer("content")
        .get(pk=pk)
    )
    if upload.status != UploadStatus.VALIDATED:
        raise UploadNotCommittable(id=pk, status=STATUS_NAMES[upload.status])
    rows = list(
        WorkerUploadRow.objects.filter(upload=upload, status=RowStatus.VALID)
        .order_by("line")
        .values_list(*_ROW_COLUMNS, named=True)
    )
    if not rows:
        raise NothingValid(id=pk)
    refused, gone = _recheck(rows, upload)
    writing = [r for r in rows if r.pk not in refused]
    timings = dict(upload.timings or {})
    timings["check"] = round(time.perf_counter() - started, 3)
    step = time.perf_counter()
    kpjs, blocks = _write_registry(scope, upload, writing, gone=gone, now=now, progress=progress)
    written = len(kpjs)
    timings["write"] = round(time.perf_counter() - step, 3)
    step = time.perf_counter()
    _refuse_rows(refused)
    new_people = sum(1 for r in writing if r.person_pk is None or r.pk in gone)
    upload.status = UploadStatus.COMMITTED
    upload.valid_rows -= len(refused)
    upload.rejected_rows += len(refused)
    upload.written_rows = written
    upload.kpj_blocks = blocks
    upload.existing_people = written - new_people
    upload.committed_at = now
    upload.committed_by_id = scope.user_id
    upload.committed_by_name = (scope.actor_name or "system")[:150]
    timings["rows"] = round(time.perf_counter() - step, 3)
    timings["commit"] = round(time.perf_counter() - started, 3)
    upload.timings = timings
    upload.save(
        update_fields=[
            "status",
            "valid_rows",
            "rejected_rows",
            "written_rows",
            "kpj_blocks",
            "existing_people",
            "committed_at",
            "committed_by",
            "committed_by_name",
            "timings",
        ]
    )
    audit_record(
        scope,
        AuditAction.IMPORT,
        upload,
        label=f"{upload.file_name} → NPP {upload.employer.npp}"[:200],
        detail={
            "employer_npp": upload.employer.npp,
            "file_name": upload.file_name,
            "file_sha256": upload.file_sha256,
            "rows": upload.total_rows,
            "written": written,
            "new_people": new_people,
            "existing_people": written - new_people,
            "rejected": upload.rejected_rows,
            "refused_at_commit": len(refused),
        },
    )
    return CommitResult(
        upload=upload,
        written=written,
        new_people=new_people,
        existing_people=written - new_people,
        refused_at_commit=len(refused),
    )


def _recheck(rows: list[Any], upload: WorkerUpload) -> tuple[dict[int, dict[str, Any]], set[int]]:
    """Rows to refuse now (row pk → reason), and the rows whose registered person is gone (they
    register the person again from the row's own, validated, data).

    One query joins the upload's valid rows to the people registered under their NIKs and to
    those people's active PU membership with the employer (at most one, by the unique index):
    nothing of the file is sent back to the database."""
    refused: dict[int, dict[str, Any]] = {}
    gone: set[int] = set()
    row_table = bulkwrite.table(WorkerUploadRow)
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT r.id, p.id, p.name, m.kpj FROM {row_table} r "
            f"JOIN {bulkwrite.table(Person)} p ON p.nik = r.nik "
            f"LEFT JOIN {bulkwrite.table(Membership)} m ON m.person_id = p.id "
            "AND m.employer_id = %s AND m.segment = %s AND m.status = %s "
            "WHERE r.upload_id = %s AND r.status = %s",
            [
                upload.employer_id,
                Segment.PU.value,
                Status.ACTIVE.value,
                upload.pk,
                RowStatus.VALID.value,
            ],
        )
        found = {row_pk: (pk, name, kpj) for row_pk, pk, name, kpj in cursor.fetchall()}
    for row in rows:
        person = found.get(row.pk)
        if row.person_pk is None:
            if person is not None:
                refused[row.pk] = reason(
                    "uploads.registered_meanwhile", "nik", nik=mask_nik(row.nik), name=person[1]
                )
        elif person is None:
            gone.add(row.pk)
        elif person[2] is not None:
            refused[row.pk] = reason(
                "uploads.active_meanwhile", "nik", name=person[1], kpj=person[2]
            )
    return refused, gone


def _write_registry(
    scope: Scope,
    upload: WorkerUpload,
    rows: list[Any],
    *,
    gone: set[int],
    now: datetime,
    progress: Progress | None,
) -> tuple[dict[int, str], dict[str, int]]:
    """Write the rows through the membership's bulk registration; returns the KPJ given to each
    row (by the row's id) and the first serial of each year's block."""
    if not rows:
        return {}, {}
    employer = upload.employer
    channel = Channel.BRANCH if scope.role == Role.BRANCH_OFFICER else Channel.EMPLOYER
    extra = {"upload_id": upload.pk}
    registrations = [
        Registration(
            segment=Segment.PU.value,
            start_date=row.start_date,
            programs=row.programs,
            branch_office_id=employer.branch_office_id,
            channel=channel.value,
            person_id=None if row.person_pk is None or row.pk in gone else row.person_pk,
            nik=row.nik,
            name=row.name,
            birth_date=row.birth_date,
            sex=row.sex,
            phone=row.phone or None,
            domicile_id=row.village_pk,
            employer_id=employer.pk,
            employer_npp=employer.npp,
            wage_idr=row.wage_idr,
            extra=extra,
        )
        for row in rows
    ]
    written = registrations_write(
        registrations,
        source=RecordSource.BULK_UPLOAD,
        by=scope,
        now=now,
        audit=False,
        progress=(lambda done, total: progress("commit", done, total)) if progress else None,
    )
    kpjs = {row.pk: done.kpj for row, done in zip(rows, written.registered, strict=True)}
    return kpjs, written.kpj_blocks


def _refuse_rows(refused: dict[int, dict[str, Any]]) -> None:
    """Rows refused by the re-check get that reason (a few rows, in batches)."""
    if refused:
        changed = [
            WorkerUploadRow(pk=pk, status=RowStatus.REJECTED, reasons=[item])
            for pk, item in refused.items()
        ]
        WorkerUploadRow.objects.bulk_update(changed, ["status", "reasons"], batch_size=1000)
