"""Fixed-term memberships end by themselves (docs/partners/enrolment.md, "The term rule"); the
membership records are written here, by their owner, whoever enrolled them for a term.

A membership with ``term_until`` (ad hoc election workers, enrolled by a partner for a term) is
covered up to and including that day. :func:`terms_end` ends, on a given day, every open
membership whose term is over (``term_until < on``): ``end_date = term_until`` (the start date
when the term ended before the membership started), ``end_reason = term_ended``, an ``ended``
event per membership and one audit record for the run. Set-based (one read, one bulk insert of
events, one update) and idempotent: a second run on the same day finds nothing left to end.

Run it daily: ``jamsos enrolment end-terms [--on DATE]``. The billing run reads the end date,
so an ended membership is never billed after its term.
"""

from __future__ import annotations

from datetime import date, datetime

from django.db import transaction
from django.db.models import F, Q
from django.db.models.functions import Greatest
from django.utils import timezone

from jamsos.access.audit import audit_record
from jamsos.access.models import AuditAction
from jamsos.access.scope import Scope
from jamsos.core.clock import today_in_jakarta
from jamsos.membership.models import EndReason, EventKind, Membership, MembershipEvent, Status

BATCH = 5_000


def _over(on: date) -> Q:
    return Q(status=Status.ACTIVE, term_until__isnull=False, term_until__lt=on)


@transaction.atomic
def terms_end(
    on: date | None = None, *, by: Scope | None = None, now: datetime | None = None
) -> int:
    """End every open membership whose term ended before ``on`` (today in Jakarta by
    default); returns how many were ended."""
    on = on or today_in_jakarta()
    at = now or timezone.now()
    rows = list(
        Membership.objects.select_for_update()
        .filter(_over(on))
        .annotate(ends=Greatest(F("term_until"), F("start_date")))
        .values_list("pk", "ends")
        .order_by("pk")
    )
    if not rows:
        return 0
    actor = by.user_id if by is not None else None
    reason = EndReason.TERM_ENDED.value
    MembershipEvent.objects.bulk_create(
        (
            MembershipEvent(
                membership_id=pk,
                kind=EventKind.ENDED,
                data={"end_date": _iso(ends), "reason": reason, "by": "term"},
                at=at,
                actor_id=actor,
            )
            for pk, ends in rows
        ),
        batch_size=BATCH,
    )
    ended = Membership.objects.filter(_over(on)).update(
        status=Status.ENDED,
        end_date=Greatest(F("term_until"), F("start_date")),
        end_reason=reason,
        updated_at=at,
    )
    audit_record(
        by,
        AuditAction.END,
        target_type="membership.membership",
        target_id="term_ended",
        label=f"Fixed terms ended before {on.isoformat()}",
        detail={"on": on.isoformat(), "ended": ended},
    )
    return int(ended)


def _iso(value: date | str) -> str:
    return value.isoformat() if isinstance(value, date) else str(value)[:10]
