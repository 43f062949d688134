"""Arrears cases through the API (mounted at /api/v1/billing; docs/billing/cases.md).

- ``GET /cases/mine``: the caller's assigned cases and their promises, counted.
- ``GET /cases/{payer_id}``: a payer's case: arrears, assignment, contacts, promises with state.
- ``POST /cases/{payer_id}/contacts``: log a call, message, visit or letter (201).
- ``POST /cases/{payer_id}/promises``: record a promise to pay (201).
- ``PUT /cases/{payer_id}/assignment``: assign the case to an officer of the payer's office.
- ``POST /cases/{payer_id}/phone``: a participant payer's full phone, with a reason (audited).

Interface only: the same selectors and services as the case page, the same policy actions
(BILLING's ``case.work``, ``case.assign``, ``case.reveal_phone``). A payer outside the caller's
scope is 404 like one that does not exist; refusals have the API's one error shape.
"""

from __future__ import annotations

from datetime import date
from typing import Any, Literal

from django.http import HttpRequest
from ninja import Router, Schema, Status

from jamsos.access.audit import audit_record
from jamsos.access.models import AuditAction
from jamsos.api.auth import SIGNED_IN, caller_scope
from jamsos.billing.models import PayerKind
from jamsos.billing.policy import BILLING
from jamsos.billing.selectors import arrears_case, my_cases
from jamsos.billing.services.cases import case_assign, case_contact_log, promise_record
from jamsos.core.clock import today_in_jakarta
from jamsos.core.masking import mask_phone

router = Router(tags=["billing"], auth=SIGNED_IN)


class ErrorShape(Schema):
    code: str
    message: str
    fields: dict[str, list[str]]


_ERRORS: dict[int, Any] = {400: ErrorShape, 403: ErrorShape, 404: ErrorShape}


class CaseCountsOut(Schema):
    assigned: int
    promises_open: int
    promises_broken: int
    promises_due_soon: int


class ContactIn(Schema):
    contacted_on: date
    channel: str
    outcome: str
    note: str = ""


class ContactOut(Schema):
    id: int
    contacted_on: date
    channel: str
    outcome: str
    note: str


class PromiseIn(Schema):
    due_on: date
    amount_idr: int
    note: str = ""


class PromiseOut(Schema):
    id: int
    promised_on: date
    due_on: date
    amount_idr: int
    paid_idr: int
    state: Literal["open", "kept", "broken"]
    note: str


class AssignIn(Schema):
    officer_id: int


class AssignOut(Schema):
    payer_id: int
    assigned_to: int


class RevealIn(Schema):
    reason: Literal["telepon", "kunjungan", "janji"]


class PhoneOut(Schema):
    payer_id: int
    phone: str
    masked: bool


class CaseOut(Schema):
    payer_id: int
    name: str
    kind: str
    virtual_account: str
    office: str
    phone: str
    arrears_idr: int
    oldest_due: date | None
    assigned_to: int | None
    contacts: list[ContactOut]
    promises: list[PromiseOut]


@router.get(
    "/cases/mine",
    response={200: CaseCountsOut, **_ERRORS},
    summary="My assigned arrears cases and their promises, counted",
    url_name="billing-cases-mine",
)
def cases_mine(request: HttpRequest) -> CaseCountsOut:
    scope = caller_scope(request)
    BILLING.require(scope, "case.work")
    counts = my_cases(scope, today=today_in_jakarta())
    return CaseCountsOut(**counts.__dict__)


@router.get(
    "/cases/{payer_id}",
    response={200: CaseOut, **_ERRORS},
    summary="A payer's arrears case (phone masked)",
    url_name="billing-case",
)
def case_read(request: HttpRequest, payer_id: int) -> CaseOut:
    view = arrears_case(caller_scope(request), payer_id=payer_id, as_of=today_in_jakarta())
    payer = view.payer
    phone = payer.person.phone if payer.kind == PayerKind.PARTICIPANT and payer.person_id else ""
    return CaseOut(
        payer_id=payer.pk,
        name=payer.name,
        kind=payer.kind,
        virtual_account=payer.virtual_account,
        office=payer.branch_office.code if payer.branch_office_id else "",
        phone=mask_phone(phone or ""),
        arrears_idr=view.arrears.total_idr if view.arrears else 0,
        oldest_due=view.arrears.oldest_due if view.arrears else None,
        assigned_to=view.case.assigned_to_id if view.case else None,
        contacts=[
            ContactOut(
                id=c.pk,
                contacted_on=c.contacted_on,
                channel=c.channel,
                outcome=c.outcome,
                note=c.note,
            )
            for c in view.contacts
        ],
        promises=[
            PromiseOut(
                id=p.pk,
                promised_on=p.promised_on,
                due_on=p.due_on,
                amount_idr=p.amount_idr,
                paid_idr=p.paid_idr,
                state=p.state,
                note=p.note,
            )
            for p in view.promises
        ],
    )


@router.post(
    "/cases/{payer_id}/contacts",
    response={201: ContactOut, **_ERRORS},
    summary="Log a call, message, visit or letter",
    url_name="billing-case-contact",
)
def case_contact(request: HttpRequest, payer_id: int, payload: ContactIn) -> Status[ContactOut]:
    contact = case_contact_log(caller_scope(request), payer_id=payer_id, **payload.dict())
    return Status(
        201,
        ContactOut(
            id=contact.pk,
            contacted_on=contact.contacted_on,
            channel=contact.channel,
            outcome=contact.outcome,
            note=contact.note,
        ),
    )


@router.post(
    "/cases/{payer_id}/promises",
    response={201: PromiseOut, **_ERRORS},
    summary="Record a promise to pay an amount by a date",
    url_name="billing-case-promise",
)
def case_promise(request: HttpRequest, payer_id: int, payload: PromiseIn) -> Status[PromiseOut]:
    promise = promise_record(caller_scope(request), payer_id=payer_id, **payload.dict())
    return Status(
        201,
        PromiseOut(
            id=promise.pk,
            promised_on=promise.promised_on,
            due_on=promise.due_on,
            amount_idr=promise.amount_idr,
            paid_idr=0,
            state="open",
            note=promise.note,
        ),
    )


@router.put(
    "/cases/{payer_id}/assignment",
    response={200: AssignOut, **_ERRORS},
    summary="Assign the case to an officer of the payer's office",
    url_name="billing-case-assign",
)
def case_assignment(request: HttpRequest, payer_id: int, payload: AssignIn) -> AssignOut:
    case = case_assign(caller_scope(request), payer_id=payer_id, officer_id=payload.officer_id)
    return AssignOut(payer_id=case.payer_id, assigned_to=payload.officer_id)


@router.post(
    "/cases/{payer_id}/phone",
    response={200: PhoneOut, **_ERRORS},
    summary="A participant payer's full phone number, with a reason (audited)",
    url_name="billing-case-phone",
)
def case_phone(request: HttpRequest, payer_id: int, payload: RevealIn) -> PhoneOut:
    scope = caller_scope(request)
    BILLING.require(scope, "case.reveal_phone")
    view = arrears_case(scope, payer_id=payer_id, as_of=today_in_jakarta())
    payer = view.payer
    if payer.kind != PayerKind.PARTICIPANT or not payer.person_id or not payer.person.phone:
        return PhoneOut(payer_id=payer.pk, phone="", masked=False)
    audit_record(
        scope,
        AuditAction.VIEW_FULL,
        payer.person,
        detail={
            "fields": ["phone"],
            "page": "api-arrears-case",
            "payer": payer.pk,
            "reason": payload.reason,
        },
    )
    return PhoneOut(payer_id=payer.pk, phone=payer.person.phone, masked=False)
