"""The claim's way: submitted → verified → approved (a second officer from the threshold) →
paid, or rejected with a reason; each move a :class:`ClaimEvent` and an audit record
(docs/claims.md "Workflow").
"""

from __future__ import annotations

from datetime import datetime

from django.db import transaction
from django.utils import timezone

from jamsos.access.audit import audit_record
from jamsos.access.models import AuditAction
from jamsos.access.scope import Scope
from jamsos.claims.errors import (
    BadTransition,
    ClaimNotFound,
    DocumentsMissing,
    ReasonRequired,
    ReportDone,
    Required,
    SameApprover,
    SecondReportMissing,
)
from jamsos.claims.models import Claim, ClaimEvent, ClaimStatus
from jamsos.claims.policy import CLAIMS
from jamsos.claims.rules import DOCUMENT_NAMES, DOCUMENTS
from jamsos.claims.selectors import visible_filter
from jamsos.core.formatting import current_language
from jamsos.notifications.services.outbox import Recipient, notify_on_commit

#: The message kind sent to the member on each move (jamsos.notifications).
STATUS_MESSAGE = "claims.status_changed"

ACTIONS = {
    "verify": {"id": "diverifikasi", "en": "verified"},
    "approve": {"id": "disetujui", "en": "approved"},
    "reject": {"id": "ditolak", "en": "rejected"},
    "pay": {"id": "dibayar", "en": "paid"},
    "report": {"id": "dilengkapi laporan tahap II", "en": "given a stage II report"},
    "document": {"id": "diberi dokumen baru", "en": "given new documents"},
}
STATUS_WORDS = {
    ClaimStatus.SUBMITTED: {"id": "diajukan", "en": "submitted"},
    ClaimStatus.VERIFIED: {"id": "diverifikasi", "en": "verified"},
    ClaimStatus.APPROVED: {"id": "disetujui", "en": "approved"},
    ClaimStatus.PAID: {"id": "dibayar", "en": "paid"},
    ClaimStatus.REJECTED: {"id": "ditolak", "en": "rejected"},
}


def claim_for_update(by: Scope | None, pk: int | str) -> Claim:
    """The claim, locked for the move, within the caller's scope (else "not found")."""
    query = Claim.objects.select_for_update()
    if by is not None:
        query = query.filter(visible_filter(by))
    claim = query.filter(pk=pk).first() if str(pk).isdigit() else None
    if claim is None:
        claim = query.filter(number=str(pk)).first()
    if claim is None:
        raise ClaimNotFound()
    return claim


def _move(
    by: Scope | None, claim: Claim, to: str, *, note: str = "", now: datetime | None = None
) -> None:
    now = now or timezone.now()
    before = claim.status
    claim.status = to
    claim.save()
    ClaimEvent.objects.create(
        claim=claim,
        at=now,
        status_from=before,
        status_to=to,
        actor_name=(by.actor_name if by else "") or "system",
        note=note[:2000],
    )
    audit_record(
        by,
        AuditAction.UPDATE,
        claim,
        label=claim.number,
        changes={"status": [before, to]},
        detail={"note": note[:200]} if note else None,
    )
    _tell_the_member(claim, to, note)


def _tell_the_member(claim: Claim, to: str, note: str) -> None:
    """Queue "your claim is now ..." for the member, once per claim and status, after commit.
    An heir's claim has no contact of the heir on file, so nothing is sent for it."""
    person = claim.person
    if claim.claimant_nik and claim.claimant_nik != person.nik:
        return
    words = dict(STATUS_WORDS[ClaimStatus(to)])
    notify_on_commit(
        STATUS_MESSAGE,
        recipient=Recipient(name=person.name, phone=person.phone or "", person_id=person.pk),
        context={
            "name": person.name,
            "program": claim.program,
            "claim": claim.number,
            "status": words,
            "note": note[:200] if to == ClaimStatus.REJECTED else "",
        },
        idempotency_key=f"{claim.number}:{to}",
    )


def _refuse(claim: Claim, action: str) -> BadTransition:
    return BadTransition(status=STATUS_WORDS[ClaimStatus(claim.status)], action=ACTIONS[action])


def missing_documents(claim: Claim) -> list[str]:
    need = DOCUMENTS.get((claim.program, claim.case), ())
    have = set(claim.documents.values_list("kind", flat=True))
    return [kind for kind in need if kind not in have]


@transaction.atomic
def claim_report_outcome(
    by: Scope | None, pk: int | str, *, text: str, now: datetime | None = None
) -> Claim:
    """The employer's stage II work-accident report: the medical outcome."""
    CLAIMS.require(by, "claim.report")
    claim = claim_for_update(by, pk)
    if claim.program != "JKK" or claim.is_final:
        raise _refuse(claim, "report")
    if claim.report2_at is not None:
        raise ReportDone(stage="II")
    if not text.strip():
        raise Required(field="report_text")
    now = now or timezone.now()
    claim.report2_at, claim.report2_text = now, text.strip()
    claim.save(update_fields=["report2_at", "report2_text"])
    ClaimEvent.objects.create(
        claim=claim,
        at=now,
        status_from=claim.status,
        status_to=claim.status,
        actor_name=(by.actor_name if by else "") or "system",
        note="stage II accident report",
    )
    audit_record(by, AuditAction.UPDATE, claim, label=claim.number, changes={"report2": ["", "in"]})
    return claim


@transaction.atomic
def claim_verify(
    by: Scope | None, pk: int | str, *, note: str = "", now: datetime | None = None
) -> Claim:
    """Documents complete (and, for a work accident, the stage II report in): verified."""
    CLAIMS.require(by, "claim.decide")
    claim = claim_for_update(by, pk)
    if claim.status != ClaimStatus.SUBMITTED:
        raise _refuse(claim, "verify")
    missing = missing_documents(claim)
    if missing:
        lang = current_language()
        raise DocumentsMissing(missing=", ".join(DOCUMENT_NAMES[k][lang] for k in missing))
    if claim.program == "JKK" and claim.channel == "employer" and claim.report2_at is None:
        raise SecondReportMissing()
    claim.verified_by = (by.actor_name if by else "") or "system"
    _move(by, claim, ClaimStatus.VERIFIED, note=note, now=now)
    return claim


@transaction.atomic
def claim_approve(
    by: Scope | None, pk: int | str, *, note: str = "", now: datetime | None = None
) -> Claim:
    """Approve a verified claim. From the threshold (``rules.second_approval_idr``) a claim needs
    two approvals by two officers: the first is recorded, the second moves it to approved."""
    CLAIMS.require(by, "claim.decide")
    claim = claim_for_update(by, pk)
    if claim.status != ClaimStatus.VERIFIED:
        raise _refuse(claim, "approve")
    name = (by.actor_name if by else "") or "system"
    now = now or timezone.now()
    if claim.needs_second_approval and not claim.approved_by:
        claim.approved_by = name
        claim.approved_by_id = by.user_id if by else None
        claim.save(update_fields=["approved_by", "approved_by_id"])
        ClaimEvent.objects.create(
            claim=claim,
            at=now,
            status_from=claim.status,
            status_to=claim.status,
            actor_name=name,
            note=("first approval; a second officer approves " + note).strip(),
        )
        audit_record(
            by, AuditAction.UPDATE, claim, label=claim.number, changes={"approved_by": ["", name]}
        )
        return claim
    if claim.needs_second_approval:
        same_user = by is not None and by.user_id is not None and by.user_id == claim.approved_by_id
        if same_user or name == claim.approved_by:
            raise SameApprover(name=claim.approved_by)
        claim.second_approved_by = name
    else:
        claim.approved_by = name
        claim.approved_by_id = by.user_id if by else None
    claim.decided_at = now
    _move(by, claim, ClaimStatus.APPROVED, note=note, now=now)
    return claim


@transaction.atomic
def claim_reject(
    by: Scope | None, pk: int | str, *, reason: str, now: datetime | None = None
) -> Claim:
    """Reject an open claim with a reason the claimant reads."""
    CLAIMS.require(by, "claim.decide")
    claim = claim_for_update(by, pk)
    if claim.status not in {ClaimStatus.SUBMITTED, ClaimStatus.VERIFIED}:
        raise _refuse(claim, "reject")
    if not (reason or "").strip():
        raise ReasonRequired()
    now = now or timezone.now()
    claim.reject_reason = reason.strip()[:2000]
    claim.decided_at = now
    _move(by, claim, ClaimStatus.REJECTED, note=claim.reject_reason, now=now)
    return claim
