"""The workers' own API (``/api/v1/workers``): one-time codes and passwords, signing in, and
what to pay (docs/workers.md).

Open to everyone, with proof of identity (NIK, birth date, KPJ or partner reference): asking
for a code, setting the password with it, signing in, and the payment details of one's own
BPU membership. Signed in as a worker: one's card and payment details.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from django.contrib.auth import login
from django.http import HttpRequest
from ninja import Field, Router, Schema, Status

from jamsos.access.limits import client_address
from jamsos.access.models import Role
from jamsos.access.policy import refuse
from jamsos.api.auth import OPTIONAL_SECURITY, SIGNED_IN, SIGNED_IN_OR_ANONYMOUS, caller_scope
from jamsos.api.errors import ErrorOut
from jamsos.core.masking import mask_nik
from jamsos.membership.models import Person
from jamsos.selfservice.limits import attempt_allowed
from jamsos.selfservice.payment import PaymentDetails, bpu_membership_of, payment_details, qr_svg
from jamsos.selfservice.services import (
    code_request,
    identity_check,
    password_set_with_code,
    worker_sign_in,
)

router = Router(tags=["workers"])

ERRORS: dict[int, Any] = {
    400: ErrorOut,
    401: ErrorOut,
    403: ErrorOut,
    404: ErrorOut,
    409: ErrorOut,
    410: ErrorOut,
    429: ErrorOut,
}


class IdentityIn(Schema):
    nik: str = Field(..., description="16 digits")
    birth_date: date
    kpj: str = Field(..., description="The KPJ, or the reference of the registering partner")


class CodeRequestIn(IdentityIn):
    purpose: str = Field("signup", pattern="^(signup|recovery)$")
    channel: str = Field("phone", pattern="^(phone|email)$")


class CodeSentOut(Schema):
    ticket: str
    channel: str
    sent_to: str = Field(..., description="The address, masked")
    expires_at: datetime
    purpose: str


class PasswordIn(Schema):
    ticket: str
    code: str = Field(..., description="The 6 digits received")
    password: str


class AccountOut(Schema):
    username: str


class SignInIn(Schema):
    identifier: str = Field(..., description="NIK or KPJ")
    password: str


class PaymentIn(IdentityIn):
    months: int = Field(1, description="Months to pay from the first unpaid one")


class DueOut(Schema):
    period: str
    due_date: date
    amount_idr: int


class PaymentOut(Schema):
    kpj: str
    nik: str = Field(..., description="Masked")
    protected_until: date | None
    virtual_account: str
    monthly_idr: int
    months: int
    months_offered: int
    amount_idr: int
    due: list[DueOut]
    qr_text: str = Field(..., description="The payment details the QR code holds")
    qr_svg: str


def _payment_out(details: PaymentDetails) -> dict[str, Any]:
    m = details.membership
    return {
        "kpj": m.kpj,
        "nik": mask_nik(m.person.nik),
        "protected_until": details.protected_until,
        "virtual_account": details.virtual_account,
        "monthly_idr": details.monthly_idr,
        "months": details.months,
        "months_offered": details.months_offered,
        "amount_idr": details.amount_idr,
        "due": [
            {"period": d.period, "due_date": d.due_date, "amount_idr": d.amount_idr}
            for d in details.due
        ],
        "qr_text": details.qr_text,
        "qr_svg": qr_svg(details.qr_text),
    }


def _address(request: HttpRequest) -> str:
    return client_address(request)


@router.post(
    "/account/code",
    auth=SIGNED_IN_OR_ANONYMOUS,
    openapi_extra=OPTIONAL_SECURITY,
    response={202: CodeSentOut, **ERRORS},
    summary="Ask for a one-time code to create the account or set a new password",
    url_name="workers-code",
)
def account_code(request: HttpRequest, payload: CodeRequestIn) -> Status[dict[str, Any]]:
    """NIK, birth date and KPJ (or partner reference) must name one record (400
    `selfservice.identity_not_matched` otherwise, naming no field). A 6-digit code valid for 10
    minutes goes to the phone (SMS, WhatsApp) or e-mail on record; a newer code replaces it.
    409 `selfservice.account_exists` for a sign-up when a password is set already,
    409 `selfservice.no_contact_on_record`; 429 after too many tries per address or NIK."""
    sent = code_request(
        purpose=payload.purpose,
        nik=payload.nik,
        birth_date=payload.birth_date,
        kpj=payload.kpj,
        channel=payload.channel,
        address=_address(request),
    )
    return Status(202, sent.__dict__)


@router.post(
    "/account/password",
    auth=SIGNED_IN_OR_ANONYMOUS,
    openapi_extra=OPTIONAL_SECURITY,
    response={200: AccountOut, **ERRORS},
    summary="Set the password with the one-time code",
    url_name="workers-password",
)
def account_password(request: HttpRequest, payload: PasswordIn) -> dict[str, Any]:
    """400 `selfservice.code_wrong` (tries left in the message), 410 `selfservice.code_expired`
    (expired, used, replaced or tried 5 times), 400 `selfservice.password_rejected` (the site's
    password rules; the code stays valid)."""
    user = password_set_with_code(
        ticket=payload.ticket, code=payload.code, password=payload.password
    )
    return {"username": user.get_username()}


@router.post(
    "/session",
    auth=SIGNED_IN_OR_ANONYMOUS,
    openapi_extra=OPTIONAL_SECURITY,
    response={200: AccountOut, **ERRORS},
    summary="Sign in as a worker with NIK or KPJ and password (a session cookie)",
    url_name="workers-sign-in",
)
def session_open(request: HttpRequest, payload: SignInIn) -> dict[str, Any]:
    """401 `selfservice.sign_in_failed`; repeated failures lock the account name and address
    out as on the site."""
    user = worker_sign_in(request, identifier=payload.identifier, password=payload.password)
    login(request, user)
    return {"username": user.get_username()}


@router.post(
    "/payment",
    auth=SIGNED_IN_OR_ANONYMOUS,
    openapi_extra=OPTIONAL_SECURITY,
    response={200: PaymentOut, **ERRORS},
    summary="What to pay for one's own BPU membership, with proof of identity",
    url_name="workers-payment",
)
def payment_by_identity(request: HttpRequest, payload: PaymentIn) -> dict[str, Any]:
    """Right after registering, or any time: the virtual account (issued at once), the monthly
    amount, the invoices of `months` months from the first unpaid one (1 to 12, never past the
    months whose legal parameters are known: 400 `billing.advance_months_out_of_range`,
    `billing.advance_past_parameters`), their due dates, and the QR code."""
    attempt_allowed("code.address", _address(request))
    attempt_allowed("code.nik", payload.nik)
    person = identity_check(nik=payload.nik, birth_date=payload.birth_date, kpj=payload.kpj)
    membership = bpu_membership_of(person)
    return _payment_out(payment_details(membership, months=payload.months))


@router.get(
    "/me/payment",
    auth=SIGNED_IN,
    response={200: PaymentOut, **ERRORS},
    summary="The signed-in worker's card status and what to pay",
    url_name="workers-me-payment",
)
def my_payment(request: HttpRequest, months: int = 1) -> dict[str, Any]:
    """As `POST /workers/payment`, for the signed-in worker (403 for other roles)."""
    scope = caller_scope(request)
    if scope.role != Role.WORKER or not scope.person_id:
        raise refuse(scope, {"id": "melihat kartu peserta", "en": "see a participant's card"})
    person = Person.objects.get(pk=scope.person_id)
    membership = bpu_membership_of(person)
    return _payment_out(payment_details(membership, months=months, by=scope))
