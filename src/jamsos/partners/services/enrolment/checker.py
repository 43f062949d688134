"""The checker of a batch (maker-checker): who may approve or reject it, and the batch locked
while it is decided."""

from __future__ import annotations

from jamsos.access.models import Role
from jamsos.access.scope import Scope
from jamsos.partners.errors import BatchNotFound
from jamsos.partners.models import BatchStatus, EnrolmentBatch
from jamsos.partners.policy import PARTNERS
from jamsos.partners.services.enrolment.columns import BATCH_STATUS_TEXT
from jamsos.partners.services.enrolment.errors import (
    AccountRequired,
    NotChecker,
    NotPending,
    SameAsUploader,
)


def lock(pk: int) -> EnrolmentBatch:
    """The batch, locked until the end of the transaction."""
    batch = (
        EnrolmentBatch.objects.select_for_update(of=("self",))
        .select_related("partner", "agreement", "branch_office")
        .filter(pk=pk)
        .first()
    )
    if batch is None:
        raise BatchNotFound(id=pk)
    return batch


def require_checker(scope: Scope, batch: EnrolmentBatch) -> None:
    """A branch officer of the batch's office (or an administrator), never the uploader."""
    PARTNERS.require(scope, "enrolment.check")
    if scope.user_id is None:
        raise AccountRequired()
    if scope.role == Role.BRANCH_OFFICER and scope.branch_office_id != batch.branch_office_id:
        raise NotChecker(id=batch.pk, office=batch.branch_office.name)
    if scope.user_id == batch.uploaded_by_id:
        raise SameAsUploader(id=batch.pk)


def require_pending(batch: EnrolmentBatch) -> None:
    """Only a checked batch waiting for approval is decided."""
    if batch.status != BatchStatus.VALIDATED:
        idn, en = BATCH_STATUS_TEXT[batch.status]
        raise NotPending(id=batch.pk, status=idn, status_en=en)
