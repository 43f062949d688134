"""The messages partner work sends to officers and partner users (docs/notifications.md):
enrolment lists waiting for a branch officer's approval, and agreements ending within
90 days. Both are daily senders registered with the outbox from
:class:`~jamsos.partners.apps.PartnersConfig` (``jamsos notifications send-due``); each is
sent once per list or agreement and recipient.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date
from typing import Any

from django.contrib.auth import get_user_model

from jamsos.access.models import Role, UserAccess
from jamsos.access.scope import Scope
from jamsos.notifications.registry import DueSender, register
from jamsos.notifications.services import BulkItem, BulkResult, Recipient, notify_bulk
from jamsos.partners.models import BatchStatus, EnrolmentBatch
from jamsos.partners.selectors.partners import ENDING_SOON_DAYS, agreements_ending_soon


def _users(**access: Any) -> list[Any]:
    """Active user accounts whose access matches ``access`` (e.g. their branch office)."""
    user_ids = UserAccess.objects.filter(**access).values("user_id")
    return list(get_user_model().objects.filter(pk__in=user_ids, is_active=True).order_by("pk"))


def _officers(office_ids: set[int]) -> dict[int, list[Any]]:
    found: dict[int, list[Any]] = defaultdict(list)
    rows = UserAccess.objects.filter(
        role=Role.BRANCH_OFFICER, branch_office_id__in=office_ids, user__is_active=True
    ).select_related("user")
    for access in rows.order_by("user_id"):
        found[access.branch_office_id].append(access.user)  # type: ignore[index]
    return found


def enrolment_waiting_notices(today: date) -> BulkResult:
    """Tell the branch officers of each list that waits for approval (checked, not decided);
    once per list and officer."""
    batches = list(
        EnrolmentBatch.objects.filter(status=BatchStatus.VALIDATED)
        .select_related("partner", "branch_office")
        .order_by("uploaded_at", "pk")
    )
    officers = _officers({b.branch_office_id for b in batches})
    items = [
        BulkItem(
            recipient=Recipient.of_user(user, branch_office_id=batch.branch_office_id),
            context={
                "partner": batch.partner.name,
                "batch": batch.file_name or f"#{batch.pk}",
                "rows": int((batch.counts or {}).get("valid", 0)),
                "uploaded_on": batch.uploaded_at.date().isoformat(),
                "office": batch.branch_office.code,
            },
            idempotency_key=f"batch:{batch.pk}:user:{user.pk}",
        )
        for batch in batches
        for user in officers.get(batch.branch_office_id, [])
    ]
    return notify_bulk("partners.enrolment_waiting", items)


def agreement_ending_notices(today: date) -> BulkResult:
    """Tell the branch officers of each agreement ending within 90 days, and its partner's
    users; once per agreement and recipient."""
    rows = agreements_ending_soon(Scope.operator("notifications"), today=today)
    officers = _officers({row["agreement"].branch_office_id for row in rows})
    items = []
    for row in rows:
        agreement = row["agreement"]
        partner_users = _users(role=Role.PARTNER_USER, partner_ref=row["partner_code"])
        for user in [*officers.get(agreement.branch_office_id, []), *partner_users]:
            items.append(
                BulkItem(
                    recipient=Recipient.of_user(user, branch_office_id=agreement.branch_office_id),
                    context={
                        "number": row["number"],
                        "partner": row["partner_name"],
                        "ends_on": row["ends_on"].isoformat(),
                        "days": int(row["days_left"]),
                    },
                    idempotency_key=f"agreement:{agreement.pk}:{agreement.ends_on}:user:{user.pk}",
                )
            )
    return notify_bulk("partners.agreement_ending", items)


def register_senders() -> None:
    register(
        DueSender(
            name="partners.enrolment_waiting",
            label={
                "id": "Daftar pendaftaran menunggu persetujuan",
                "en": "Enrolment lists waiting for approval",
            },
            run=enrolment_waiting_notices,
        )
    )
    register(
        DueSender(
            name="partners.agreement_ending",
            label={
                "id": f"PKS berakhir dalam {ENDING_SOON_DAYS} hari",
                "en": f"Agreements ending within {ENDING_SOON_DAYS} days",
            },
            run=agreement_ending_notices,
        )
    )
