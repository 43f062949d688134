"""Receiving a file of workers: check it whole, then every row, and keep the verdicts.

Nothing is written to the registry here: the upload and its rows are kept (status
``validated``) until someone whose scope covers the employer accepts the valid rows
(:func:`jamsos.uploads.services.commit.upload_commit`) or discards the upload.
"""

from __future__ import annotations

import hashlib
import time
from collections.abc import Callable, Iterator
from datetime import date, datetime, timedelta
from pathlib import PurePath

from django.db import transaction
from django.utils import timezone

from jamsos.access.scope import Scope
from jamsos.core import bulkwrite
from jamsos.core.clock import today_in_jakarta
from jamsos.membership.selectors import employer_get_by_npp
from jamsos.uploads.errors import UploadNotCommittable
from jamsos.uploads.messages import STATUS_NAMES
from jamsos.uploads.models import RowStatus, UploadStatus, WorkerUpload, WorkerUploadRow
from jamsos.uploads.parsing import parse_upload
from jamsos.uploads.policy import UPLOADS
from jamsos.uploads.selectors import upload_get
from jamsos.uploads.validation import RowResult, validate_rows

#: ``progress(stage, advance, total)``: ``stage`` is parse, validate, store or commit.
Progress = Callable[[str, int, int], None]

_ROW_FIELDS = (
    "upload_id", "line", "status", "raw", "reasons", "notes", "nik", "name", "birth_date", "sex",
    "phone", "village_pk", "wage_idr", "start_date", "programs", "person_pk",
)  # fmt: skip


def clean_file_name(name: str | None) -> str:
    """The file's own name (no folders), at most 255 characters."""
    text = PurePath(str(name or "").replace("\\", "/")).name.strip()
    return (text or "unggahan")[:255]


def upload_validate(
    *,
    scope: Scope,
    employer_npp: str,
    file_name: str,
    content: bytes,
    today: date | None = None,
    progress: Progress | None = None,
) -> WorkerUpload:
    """Check a file of PU workers for the employer ``employer_npp`` and keep the verdicts.

    Refuses the whole file (nothing kept) when it is not XLSX/CSV, empty, too large, lacks a
    required column or holds more rows than the cap; otherwise every row is checked and kept
    with its reasons. An employer outside the caller's scope is "not found".
    """
    UPLOADS.require(scope, "upload.check")
    employer = employer_get_by_npp(scope, npp=employer_npp)
    file_name = clean_file_name(file_name)
    today = today or today_in_jakarta()
    timings: dict[str, float] = {}
    started = time.perf_counter()
    parsed = parse_upload(content, file_name=file_name)
    timings["parse"] = round(time.perf_counter() - started, 3)
    total = len(parsed.rows)
    if progress:
        progress("parse", total, total)
    step = time.perf_counter()
    results = validate_rows(
        parsed.rows,
        employer=employer,
        today=today,
        progress=(lambda n: progress("validate", n, total)) if progress else None,
    )
    timings["validate"] = round(time.perf_counter() - step, 3)
    step = time.perf_counter()
    valid = sum(1 for r in results if r.ok)
    with transaction.atomic():
        upload = WorkerUpload.objects.create(
            employer=employer,
            uploaded_by_id=scope.user_id,
            actor_name=(scope.actor_name or "system")[:150],
            role=scope.role.value if scope.role else "",
            file_name=file_name,
            file_format=parsed.file_format,
            file_size=len(content),
            file_sha256=hashlib.sha256(content).hexdigest(),
            content=content,
            columns=parsed.columns,
            ignored_columns=parsed.ignored,
            delimiter=parsed.delimiter,
            status=UploadStatus.VALIDATED,
            total_rows=total,
            valid_rows=valid,
            rejected_rows=total - valid,
            existing_people=sum(1 for r in results if r.ok and r.person_pk is not None),
        )
        _store_rows(upload, results, progress=progress)
        timings["store"] = round(time.perf_counter() - step, 3)
        WorkerUpload.objects.filter(pk=upload.pk).update(timings=timings)
    upload.timings = timings
    return upload


def _store_rows(
    upload: WorkerUpload, results: list[RowResult], *, progress: Progress | None
) -> None:
    json_text = bulkwrite.json_text
    total = len(results)

    def rows() -> Iterator[tuple[object, ...]]:
        for count, r in enumerate(results, start=1):
            yield (
                upload.pk,
                r.line,
                RowStatus.VALID.value if r.ok else RowStatus.REJECTED.value,
                json_text(r.raw),
                json_text(r.reasons) if r.reasons else "[]",
                json_text(r.notes) if r.notes else "[]",
                r.nik,
                r.name,
                r.birth_date.isoformat() if r.birth_date else None,
                r.sex,
                r.phone or "",
                r.village_pk,
                r.wage_idr,
                r.start_date.isoformat() if r.start_date else None,
                r.programs,
                r.person_pk,
            )
            if progress and count % bulkwrite.BATCH == 0:
                progress("store", bulkwrite.BATCH, total)

    bulkwrite.insert(WorkerUploadRow, _ROW_FIELDS, rows())
    if progress and total % bulkwrite.BATCH:
        progress("store", total % bulkwrite.BATCH, total)


@transaction.atomic
def upload_discard(
    *, scope: Scope, upload_id: int | str, now: datetime | None = None
) -> WorkerUpload:
    """Drop a validated upload: nothing of it is written; it stays listed as discarded until
    purged."""
    UPLOADS.require(scope, "upload.check")
    upload = upload_get(scope, pk=upload_id)
    locked = WorkerUpload.objects.select_for_update().defer("content").get(pk=upload.pk)
    if locked.status != UploadStatus.VALIDATED:
        raise UploadNotCommittable(id=locked.pk, status=STATUS_NAMES[locked.status])
    locked.status = UploadStatus.DISCARDED
    locked.closed_at = now or timezone.now()
    locked.save(update_fields=["status", "closed_at"])
    return locked


def uploads_purge(*, days: int, now: datetime | None = None) -> int:
    """Delete uploads (the files and their rows) created more than ``days`` days ago, whatever
    their status: they hold personal data. What was committed stays in the registry. Returns
    the number of uploads deleted."""
    if days < 0:
        raise ValueError("days must not be negative")
    cutoff = (now or timezone.now()) - timedelta(days=days)
    with transaction.atomic():
        rows = WorkerUploadRow.objects.filter(upload__created_at__lt=cutoff)
        rows._raw_delete(rows.db)
        # Nothing else points at an upload: one DELETE, without loading the stored files.
        uploads = WorkerUpload.objects.filter(created_at__lt=cutoff)
        return int(uploads._raw_delete(uploads.db))
