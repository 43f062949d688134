"""Enrolling the valid rows of an approved list, set-based, through the membership's bulk
registration (:func:`jamsos.membership.services.register_many`): the same checks and rows as
``bpu_self_register`` (election and sponsored lists) and ``pu_worker_register`` (association
lists), the channel ``partner`` and the partner's code. The verdicts of the list's rows go back
in one statement (:func:`jamsos.core.bulkwrite.update_rows`).
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from django.db import models

from jamsos.access.scope import Scope
from jamsos.core import bulkwrite
from jamsos.legal.types import Segment
from jamsos.membership.errors import MembershipError
from jamsos.membership.models import Channel, RecordSource
from jamsos.membership.services import (
    BpuTerms,
    Registered,
    RegistrationRequest,
    register_many,
)

#: One row to enrol (an existing person or a new one's data, and the membership's terms).
Item = RegistrationRequest
#: What an enrolled row got: its person, membership and KPJ.
Enrolled = Registered

_ROW_UPDATE = ("status", "data", "reason", "reason_code", "person_id", "membership_id")


def enrol(
    items: list[Item],
    *,
    segment: Segment,
    bpu: BpuTerms | None = None,
    partner_ref: str | None = None,
    channel: str = Channel.PARTNER,
    by: Scope | None,
    today: date,
    now: datetime | None,
) -> list[Enrolled | MembershipError]:
    """Enrol ``items`` (all PU or all BPU); returns, in order, what each got: its membership,
    or the error the registration service would have raised for it."""
    return register_many(
        items,
        segment=segment,
        bpu=bpu,
        partner_ref=partner_ref,
        channel=channel,
        source=RecordSource.SERVICE,
        by=by,
        today=today,
        now=now,
    )


def rows_update(model: type[models.Model], rows: list[Any]) -> None:
    """Write back the verdict of each list row (``_ROW_UPDATE``) in one statement."""
    bulkwrite.update_rows(
        model,
        _ROW_UPDATE,
        (
            (
                r.pk,
                r.status,
                bulkwrite.json_text(r.data),
                r.reason,
                r.reason_code,
                r.person_id,
                r.membership_id,
            )
            for r in rows
        ),
    )


__all__ = ["BpuTerms", "Enrolled", "Item", "enrol", "rows_update"]
