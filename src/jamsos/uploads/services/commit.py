"""Accepting an upload: write its valid rows to the registry, set-based, in one transaction.

For every valid row: the person (new NIKs only; a registered person is used as registered), a PU
membership with the employer (KPJ from the ``kpj:<start year>`` series, one block of serials
reserved per year), the first month's wage report and a ``started`` event, as
``pu_worker_register`` writes them one at a time, with ``source = bulk_upload``, the employer's
branch office and the channel ``employer`` (``branch`` when a branch officer accepts). One audit
event records the import, not one per row.

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
from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.db import IntegrityError, OperationalError, transaction
from django.utils import timezone

from jamsos.access.audit import audit_record
from jamsos.access.models import AuditAction, Role
from jamsos.access.scope import Scope
from jamsos.core.masking import mask_nik
from jamsos.legal.types import Segment
from jamsos.membership.checks import search_name_of
from jamsos.membership.identifiers import kpj_make
from jamsos.membership.models import (
    Channel,
    EventKind,
    Membership,
    MembershipEvent,
    Person,
    RecordSource,
    Status,
    WageReport,
    WageSource,
)
from jamsos.membership.services.sequences import serials_reserve
from jamsos.uploads.errors import NothingValid, UploadError, UploadNotCommittable
from jamsos.uploads.messages import STATUS_NAMES
from jamsos.uploads.models import RowStatus, UploadStatus, WorkerUpload, WorkerUploadRow
from jamsos.uploads.policy import UPLOADS
from jamsos.uploads.selectors import upload_get
from jamsos.uploads.services import _write
from jamsos.uploads.services.uploads import Progress
from jamsos.uploads.validation import reason

ATTEMPTS = 3

_PERSON_FIELDS = (
    "nik", "name", "search_name", "birth_date", "sex", "phone", "domicile_id", "source",
    "created_at", "updated_at",
)  # fmt: skip
_MEMBERSHIP_FIELDS = (
    "person_id", "segment", "kpj", "employer_id", "declared_income_idr", "ecosystem", "channel",
    "sponsor_name", "sponsor_kind", "sponsor_ref", "project_id", "placement_id", "programs",
    "start_date", "end_date", "end_reason", "status", "source", "created_at", "updated_at",
    "branch_office_id", "partner_ref",
)  # fmt: skip
_WAGE_FIELDS = ("membership_id", "period", "wage_idr", "reported_at", "source")
_EVENT_FIELDS = ("membership_id", "kind", "data", "at", "actor_id")
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
    register the person again from the row's own, validated, data)."""
    refused: dict[int, dict[str, Any]] = {}
    gone: set[int] = set()
    people = {
        nik: (pk, name)
        for pk, nik, name in _write.rows_where_in(
            Person, ("id", "nik", "name"), "nik", [r.nik for r in rows]
        )
    }
    active = dict(
        Membership.objects.filter(
            employer_id=upload.employer_id, segment=Segment.PU.value, status=Status.ACTIVE
        ).values_list("person_id", "kpj")
    )
    for row in rows:
        found = people.get(row.nik)
        if row.person_pk is None:
            if found is not None:
                refused[row.pk] = reason(
                    "uploads.registered_meanwhile", "nik", nik=mask_nik(row.nik), name=found[1]
                )
        elif found is None:
            gone.add(row.pk)
        elif found[0] in active:
            refused[row.pk] = reason(
                "uploads.active_meanwhile", "nik", name=found[1], kpj=active[found[0]]
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
    """Write the rows; returns the KPJ given to each row (by the row's id) and the first serial
    of each year's block."""
    if not rows:
        return {}, {}
    employer = upload.employer
    stamp = _write.timestamp_text(now)
    total = len(rows)
    # People first (as person_register does before the membership).
    new = [r for r in rows if r.person_pk is None or r.pk in gone]
    person_ids = _write.insert_with_ids(
        Person,
        _PERSON_FIELDS,
        (
            (
                r.nik,
                r.name,
                search_name_of(r.name),
                r.birth_date.isoformat(),
                r.sex,
                r.phone or None,
                r.village_pk,
                RecordSource.BULK_UPLOAD.value,
                stamp,
                stamp,
            )
            for r in new
        ),
        key="nik",
    )
    _write.analyze_if_grown(Person, len(new))
    if progress:
        progress("commit", len(new), total * 4)
    # Then the KPJ serials: one block per start year, in file order.
    by_year: dict[int, list[Any]] = defaultdict(list)
    for row in rows:
        by_year[row.start_date.year].append(row)
    kpjs: dict[int, str] = {}
    blocks: dict[str, int] = {}
    for year in sorted(by_year):
        serials = serials_reserve(name=f"kpj:{year}", count=len(by_year[year]))
        blocks[str(year)] = serials[0]
        for row, serial in zip(by_year[year], serials, strict=True):
            kpjs[row.pk] = kpj_make(year=year, serial=serial)
    channel = Channel.BRANCH if scope.role == Role.BRANCH_OFFICER else Channel.EMPLOYER
    membership_ids = _write.insert_with_ids(
        Membership,
        _MEMBERSHIP_FIELDS,
        (
            (
                person_ids.get(row.nik)
                if row.person_pk is None or row.pk in gone
                else row.person_pk,
                Segment.PU.value,
                kpjs[row.pk],
                employer.pk,
                None,
                "",
                channel.value,
                None,
                None,
                None,
                None,
                None,
                row.programs,
                row.start_date.isoformat(),
                None,
                "",
                Status.ACTIVE.value,
                RecordSource.BULK_UPLOAD.value,
                stamp,
                stamp,
                employer.branch_office_id,
                None,
            )
            for row in rows
        ),
        key="kpj",
    )
    _write.analyze_if_grown(Membership, total)
    if progress:
        progress("commit", total, total * 4)
    # The event's data as pu_worker_register writes it, plus the upload; every value is a
    # number or a code without quotes, so the JSON is written directly (faster than dumps).
    data = (
        '{"segment":"PU","programs":"%s","employer_npp":"' + employer.npp + '","wage_idr":%d,'
        '"upload_id":' + str(upload.pk) + "}"
    )
    wage_source = WageSource.BULK_UPLOAD.value
    started = EventKind.STARTED.value
    _write.insert(
        WageReport,
        _WAGE_FIELDS,
        (
            (
                membership_ids[kpjs[row.pk]],
                f"{row.start_date.year:04d}-{row.start_date.month:02d}",
                row.wage_idr,
                stamp,
                wage_source,
            )
            for row in rows
        ),
    )
    if progress:
        progress("commit", total, total * 4)
    _write.insert(
        MembershipEvent,
        _EVENT_FIELDS,
        (
            (
                membership_ids[kpjs[row.pk]],
                started,
                data % (row.programs, row.wage_idr),
                stamp,
                scope.user_id,
            )
            for row in rows
        ),
    )
    if progress:
        progress("commit", total, total * 4)
    return kpjs, blocks


def _refuse_rows(refused: dict[int, dict[str, Any]]) -> None:
    """Rows refused by the re-check get that reason (a few rows, in batches)."""
    if refused:
        changed = [
            WorkerUploadRow(pk=pk, status=RowStatus.REJECTED, reasons=[item])
            for pk, item in refused.items()
        ]
        WorkerUploadRow.objects.bulk_update(changed, ["status", "reasons"], batch_size=1000)
