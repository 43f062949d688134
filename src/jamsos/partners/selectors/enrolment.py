"""Scoped reads of enrolment batches (docs/partners/enrolment.md).

- administrator: every batch;
- branch officer: the batches of their office (``EnrolmentBatch.branch_office``, the office of
  the batch's agreement);
- partner user: the batches of their partner;
- analyst: counts only (:func:`batch_counts`), never rows;
- employer users, workers, users without a role: nothing (403).
"""

from __future__ import annotations

from typing import Any

from django.db.models import Count, QuerySet

from jamsos.access.models import Role
from jamsos.access.scope import Scope
from jamsos.partners.models import BatchStatus, EnrolmentBatch, EnrolmentRow
from jamsos.partners.policy import PARTNERS


def batches_visible(scope: Scope) -> QuerySet[EnrolmentBatch]:
    PARTNERS.require(scope, "enrolment.view")
    query = EnrolmentBatch.objects.select_related(
        "partner", "agreement", "branch_office", "uploaded_by", "decided_by"
    )
    if scope.role == Role.ADMIN:
        return query
    if scope.role == Role.BRANCH_OFFICER:
        return query.filter(branch_office_id=scope.branch_office_id)
    return query.filter(partner__code=scope.partner_ref)


def batch_get(scope: Scope, pk: int | str) -> EnrolmentBatch:
    """The batch, or ``BatchNotFound`` (404) when it does not exist or is outside the scope."""
    from jamsos.partners.errors import BatchNotFound

    try:
        key = int(pk)
    except (TypeError, ValueError):
        raise BatchNotFound(id=pk) from None
    batch = batches_visible(scope).filter(pk=key).first()
    if batch is None:
        raise BatchNotFound(id=pk)
    return batch


def batch_list(
    scope: Scope, *, status: str = "", partner_code: str = "", limit: int = 200
) -> list[EnrolmentBatch]:
    query = batches_visible(scope)
    if status:
        query = query.filter(status=status)
    if partner_code:
        query = query.filter(partner__code=partner_code)
    return list(query.order_by("-uploaded_at", "-id")[:limit])


def batches_pending(scope: Scope) -> list[EnrolmentBatch]:
    """Batches waiting for approval that this user may decide (not their own uploads)."""
    query = batches_visible(scope).filter(status=BatchStatus.VALIDATED)
    if scope.user_id is not None:
        query = query.exclude(uploaded_by_id=scope.user_id)
    return list(query.order_by("uploaded_at", "id"))


def batch_rows(
    batch: EnrolmentBatch, *, status: str = "", offset: int = 0, limit: int = 500
) -> list[EnrolmentRow]:
    query = EnrolmentRow.objects.filter(batch=batch)
    if status:
        query = query.filter(status=status)
    return list(query.order_by("row_number")[offset : offset + limit])


def batch_counts(scope: Scope) -> dict[str, Any]:
    """Batches and rows by status over the scope (for the analyst as well: no names)."""
    PARTNERS.require(scope, "enrolment.counts")
    query = (
        EnrolmentBatch.objects.all()
        if scope.role in {Role.ADMIN, Role.ANALYST}
        else batches_visible(scope)
    )
    by_status = dict(query.values_list("status").annotate(n=Count("id")).values_list("status", "n"))
    return {"batches": by_status}
