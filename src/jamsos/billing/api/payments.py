"""Payments API (mounted at /api/v1/billing; docs/billing/payments.md "API").

- ``POST /payments`` (JSON): one payment; ``bank_ref`` is the idempotency key. 201 when posted,
  200 when the same payment was posted before, 409 when the reference was used for another.
- ``POST /statements`` (multipart ``file``, optional ``dry_run``): a bank statement file; 201
  when posted, 200 for a dry run or a file posted before, 400 with every bad line otherwise.
- ``GET /payments?virtual_account=...``: a payer's latest payments.

A branch officer reads and posts only for its office's payers: another office's virtual account
answers 404 as a virtual account of no payer does.

Signed-in administrators and branch officers only (BILLING's ``payment.post``); other roles get 403.
Refusals have the API's one error shape, in Bahasa Indonesia unless ``?lang=en``.
"""

from __future__ import annotations

import json
from datetime import date
from typing import Any

from django.db.models import Sum
from django.db.models.functions import Coalesce
from django.http import HttpRequest
from django.utils import translation
from ninja import File, Form, Router, Schema, Status
from ninja.files import UploadedFile

from jamsos.api.auth import SIGNED_IN, caller_scope
from jamsos.api.errors import error_response, request_language
from jamsos.billing.errors import BadDate, StatementHasErrors
from jamsos.billing.models import (
    Account,
    Allocation,
    JournalKind,
    Payment,
    PaymentChannel,
    Posting,
)
from jamsos.billing.selectors import payments_of_virtual_account
from jamsos.billing.services.payments import (
    PaymentResult,
    payment_post,
    require_payment_poster,
    virtual_account_check,
)
from jamsos.billing.services.statements import statement_post
from jamsos.uploads.parsing import read_capped

router = Router(tags=["billing"], auth=SIGNED_IN)


class ErrorShape(Schema):
    code: str
    message: str
    fields: dict[str, list[str]]


class LineErrorOut(Schema):
    line: int
    field: str
    code: str
    message: str


class StatementErrorShape(ErrorShape):
    lines: list[LineErrorOut]


_ERRORS: dict[int, Any] = {400: ErrorShape, 403: ErrorShape, 404: ErrorShape, 409: ErrorShape}


class PaymentIn(Schema):
    bank_ref: str
    virtual_account: str
    #: Whole rupiah; any other JSON value (1.5, "100", true) is refused with a reason.
    amount_idr: Any
    paid_on: str
    currency: str = "IDR"
    note: str = ""


class AllocationOut(Schema):
    invoice: str
    period: str
    kind: str
    program: str
    amount_idr: int
    from_credit: bool


class PaymentOut(Schema):
    bank_ref: str
    virtual_account: str
    amount_idr: int
    paid_on: date
    channel: str
    allocated_idr: int
    to_credit_idr: int
    already_posted: bool
    penalties_idr: int
    allocations: list[AllocationOut]


class StatementOut(Schema):
    name: str
    sha256: str
    lines: int
    posted: int
    already_posted: int
    amount_idr: int
    repeated: bool
    dry_run: bool


def _allocations(payment: Payment) -> list[AllocationOut]:
    rows = Allocation.objects.filter(payment=payment).select_related("item__invoice")
    return [
        AllocationOut(
            invoice=a.item.invoice.number,
            period=a.item.invoice.period,
            kind=a.item.kind,
            program=a.item.program,
            amount_idr=a.amount_idr,
            from_credit=a.from_credit,
        )
        for a in rows.order_by("id")
    ]


def _penalties_of(payment: Payment) -> int:
    """Penalties the payment's late rupiah were charged (its PENALTY journal entry, if any)."""
    sums = Posting.objects.filter(
        entry__payment=payment,
        entry__kind=JournalKind.PENALTY,
        account=Account.PENALTY_RECEIVABLE,
    ).aggregate(d=Coalesce(Sum("debit_idr"), 0), c=Coalesce(Sum("credit_idr"), 0))
    return sums["d"] - sums["c"]


def _payment_out(payment: Payment, result: PaymentResult | None = None) -> PaymentOut:
    return PaymentOut(
        bank_ref=payment.bank_ref,
        virtual_account=payment.virtual_account,
        amount_idr=payment.amount_idr,
        paid_on=payment.paid_on,
        channel=payment.channel,
        allocated_idr=payment.allocated_idr,
        to_credit_idr=payment.to_credit_idr,
        already_posted=bool(result and result.already_posted),
        penalties_idr=_penalties_of(payment),
        allocations=_allocations(payment),
    )


@router.post(
    "/payments",
    response={201: PaymentOut, 200: PaymentOut, **_ERRORS},
    summary="Post a payment received on a virtual account (idempotent by bank_ref)",
    url_name="billing-payment-post",
)
def payment_create(request: HttpRequest, payload: PaymentIn) -> Status[PaymentOut]:
    scope = caller_scope(request)
    with translation.override(request_language(request)):
        require_payment_poster(scope)
        try:
            paid_on = date.fromisoformat(payload.paid_on.strip())
        except ValueError:
            raise BadDate(field="paid_on", value=payload.paid_on) from None
        result = payment_post(
            virtual_account=payload.virtual_account,
            amount_idr=payload.amount_idr,
            bank_ref=payload.bank_ref,
            paid_on=paid_on,
            currency=payload.currency,
            channel=PaymentChannel.API,
            note=payload.note,
            by=scope,
        )
        return Status(200 if result.already_posted else 201, _payment_out(result.payment, result))


@router.post(
    "/statements",
    response={201: StatementOut, 200: StatementOut, **_ERRORS, 400: StatementErrorShape},
    summary="Post a bank statement file (CSV): every line or none",
    url_name="billing-statement-post",
)
def statement_create(
    request: HttpRequest, file: File[UploadedFile], dry_run: Form[bool] = False
) -> Any:
    scope = caller_scope(request)
    language = request_language(request)
    with translation.override(language):
        require_payment_poster(scope)
        name = file.name or "rekening-koran.csv"
        content = read_capped(file, file_name=name)
        try:
            result = statement_post(content, name=name, by=scope, dry_run=dry_run)
        except StatementHasErrors as exc:
            response = error_response(request, 400, exc.code, exc.message_in(language), exc.fields)
            body = json.loads(response.content)
            body["lines"] = [
                {
                    "line": e.line,
                    "field": e.field,
                    "code": e.code,
                    "message": e.message_en if language == "en" else e.message_id,
                }
                for e in exc.lines  # type: ignore[attr-defined]
            ]
            return Status(400, body)
        statement = result.statement
        out = StatementOut(
            name=statement.name if statement else name,
            sha256=statement.sha256 if statement else "",
            lines=len(result.lines) if result.lines else (statement.lines if statement else 0),
            posted=result.posted,
            already_posted=result.already_posted,
            amount_idr=result.amount_idr,
            repeated=result.repeated,
            dry_run=result.dry_run,
        )
        return Status(200 if result.repeated or result.dry_run else 201, out)


@router.get(
    "/payments",
    response={200: list[PaymentOut], **_ERRORS},
    summary="A payer's latest payments (by virtual account)",
    url_name="billing-payment-list",
)
def payment_list(request: HttpRequest, virtual_account: str, limit: int = 50) -> list[PaymentOut]:
    scope = caller_scope(request)
    with translation.override(request_language(request)):
        require_payment_poster(scope)
        va = virtual_account_check(virtual_account)
        payments = payments_of_virtual_account(scope, va, limit=limit)
        return [_payment_out(p) for p in payments]
