"""Working an arrears case: log a contact, record a promise to pay, assign the case.

The only writer of :class:`~jamsos.billing.models.ArrearsCase`,
:class:`~jamsos.billing.models.CaseContact` and :class:`~jamsos.billing.models.PaymentPromise`
(docs/billing/cases.md). Each function takes the caller's scope, refuses what BILLING does not
allow, finds the payer within the scope (a payer outside it is not found), checks every field
before writing anything, and writes one row and its audit event in one transaction.
"""

from __future__ import annotations

from datetime import date, timedelta

from django.db import transaction
from django.utils import timezone

from jamsos.access.audit import audit_record
from jamsos.access.models import AuditAction, Role, UserAccess
from jamsos.access.scope import Scope
from jamsos.billing.bounds import AMOUNT_MAX_IDR, AMOUNT_MIN_IDR, PROGRAMS_START, rupiah_text
from jamsos.billing.errors import (
    AmountNotPositive,
    AmountOutOfRange,
    BadChoice,
    CaseDateOutOfRange,
    CaseOfficerNotOfOffice,
    CaseTextTooLong,
    PayerNotFound,
)
from jamsos.billing.models import (
    ArrearsCase,
    CaseContact,
    ContactChannel,
    ContactOutcome,
    Payer,
    PaymentPromise,
)
from jamsos.billing.policy import BILLING
from jamsos.billing.selectors import payers_visible
from jamsos.core.clock import today_in_jakarta

NOTE_MAX = 500
#: A promise may be dated up to this many days ahead.
PROMISE_DAYS_AHEAD = 366


def _payer(scope: Scope, payer_id: int) -> Payer:
    payer = payers_visible(scope).filter(pk=payer_id).first()
    if payer is None:
        raise PayerNotFound()
    return payer


def _note(text: str) -> str:
    text = (text or "").strip()
    if len(text) > NOTE_MAX:
        raise CaseTextTooLong(field="note", max=NOTE_MAX)
    return text


def _date_within(field: str, value: date, first: date, last: date) -> date:
    if not first <= value <= last:
        raise CaseDateOutOfRange(
            field=field, value=value.isoformat(), first=first.isoformat(), last=last.isoformat()
        )
    return value


def case_contact_log(
    scope: Scope,
    *,
    payer_id: int,
    contacted_on: date,
    channel: str,
    outcome: str,
    note: str = "",
) -> CaseContact:
    """Log a call, message, visit or letter to a payer in the scope (not in the future)."""
    BILLING.require(scope, "case.work")
    payer = _payer(scope, payer_id)
    if channel not in ContactChannel.values:
        raise BadChoice(field="channel", value=str(channel)[:20])
    if outcome not in ContactOutcome.values:
        raise BadChoice(field="outcome", value=str(outcome)[:20])
    _date_within("contacted_on", contacted_on, PROGRAMS_START, today_in_jakarta())
    text = _note(note)
    with transaction.atomic():
        contact = CaseContact.objects.create(
            payer=payer,
            contacted_on=contacted_on,
            channel=channel,
            outcome=outcome,
            note=text,
            recorded_by_id=scope.user_id,
            recorded_at=timezone.now(),
        )
        audit_record(
            scope,
            AuditAction.CREATE,
            contact,
            label=f"contact {payer.virtual_account}",
            detail={"payer": payer.pk, "channel": channel, "outcome": outcome},
        )
    return contact


def promise_record(
    scope: Scope,
    *,
    payer_id: int,
    due_on: date,
    amount_idr: int,
    note: str = "",
    promised_on: date | None = None,
) -> PaymentPromise:
    """Record a payer's promise to pay ``amount_idr`` by ``due_on`` (today to a year ahead)."""
    BILLING.require(scope, "case.work")
    payer = _payer(scope, payer_id)
    today = today_in_jakarta()
    made = _date_within("contacted_on", promised_on or today, PROGRAMS_START, today)
    _date_within("due_on", due_on, made, today + timedelta(days=PROMISE_DAYS_AHEAD))
    if amount_idr < AMOUNT_MIN_IDR:
        raise AmountNotPositive(value=amount_idr)
    if amount_idr > AMOUNT_MAX_IDR:
        raise AmountOutOfRange(
            value=amount_idr, min=rupiah_text(AMOUNT_MIN_IDR), max=rupiah_text(AMOUNT_MAX_IDR)
        )
    text = _note(note)
    with transaction.atomic():
        promise = PaymentPromise.objects.create(
            payer=payer,
            promised_on=made,
            due_on=due_on,
            amount_idr=amount_idr,
            note=text,
            recorded_by_id=scope.user_id,
            recorded_at=timezone.now(),
        )
        audit_record(
            scope,
            AuditAction.CREATE,
            promise,
            label=f"promise {payer.virtual_account}",
            detail={"payer": payer.pk, "due_on": due_on.isoformat(), "amount_idr": amount_idr},
        )
    return promise


def officers_of_office(office_id: int | None) -> list[int]:
    """The user ids of the branch officers of an office."""
    if office_id is None:
        return []
    return list(
        UserAccess.objects.filter(
            role=Role.BRANCH_OFFICER, branch_office_id=office_id, user__is_active=True
        ).values_list("user_id", flat=True)
    )


def case_assign(scope: Scope, *, payer_id: int, officer_id: int) -> ArrearsCase:
    """Assign a payer's case to a branch officer of the payer's own office (re-assigning a
    case moves it; the audit event keeps who had it)."""
    BILLING.require(scope, "case.assign")
    with transaction.atomic():
        payer = _payer(scope, payer_id)
        if officer_id not in officers_of_office(payer.branch_office_id):
            raise CaseOfficerNotOfOffice(value=officer_id)
        case = ArrearsCase.objects.select_for_update().filter(payer=payer).first()
        before = case.assigned_to_id if case else None
        if case is None:
            case = ArrearsCase(payer=payer)
        case.assigned_to_id = officer_id
        case.assigned_by_id = scope.user_id
        case.assigned_at = timezone.now()
        case.save()
        audit_record(
            scope,
            AuditAction.UPDATE,
            case,
            label=f"case {payer.virtual_account}",
            changes={"assigned_to": [before, officer_id]},
        )
    return case
