"""Rejecting a checked batch: nobody is enrolled, the valid rows are skipped with the note."""

from __future__ import annotations

from datetime import datetime

from django.db import transaction
from django.utils import timezone

from jamsos.access.audit import audit_record
from jamsos.access.models import AuditAction
from jamsos.access.scope import Scope
from jamsos.partners.models import BatchStatus, EnrolmentBatch, EnrolmentRow, RowStatus
from jamsos.partners.services.enrolment.checker import lock, require_checker, require_pending
from jamsos.partners.services.enrolment.errors import NoteRequired


def batch_reject(
    *, scope: Scope, batch_id: int, note: str, now: datetime | None = None
) -> EnrolmentBatch:
    """Reject a checked batch with a note (nobody is enrolled); the rows keep their verdicts."""
    from jamsos.partners.selectors.enrolment import batch_get

    batch_get(scope, batch_id)
    note = (note or "").strip()
    with transaction.atomic():
        batch = lock(batch_id)
        require_checker(scope, batch)
        require_pending(batch)
        if not note:
            raise NoteRequired()
        batch.status = BatchStatus.REJECTED
        batch.decided_by_id = scope.user_id
        batch.decided_at = now or timezone.now()
        batch.decision_note = note
        batch.save(update_fields=["status", "decided_by", "decided_at", "decision_note"])
        EnrolmentRow.objects.filter(batch=batch, status=RowStatus.VALID).update(
            status=RowStatus.SKIPPED, reason=f"daftar ditolak: {note}"[:300]
        )
        counts = dict(batch.counts)
        counts[RowStatus.SKIPPED.value] = counts.get(RowStatus.VALID.value, 0)
        counts[RowStatus.VALID.value] = 0
        batch.counts = counts
        batch.save(update_fields=["counts"])
        audit_record(
            scope,
            AuditAction.UPDATE,
            batch,
            label=f"{batch.partner.code} {batch.kind} {batch.idempotency_key}"[:200],
            changes={"status": [BatchStatus.VALIDATED.value, BatchStatus.REJECTED.value]},
            detail={"decision": "rejected", "note": note[:200]},
        )
    return batch
