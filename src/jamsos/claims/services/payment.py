"""Paying an approved claim to the claimant's bank account, once (docs/claims.md "Payment").

The idempotency key makes a repeated call harmless: the same key for the same claim answers
the payment made before; for another claim it is refused. The money is posted by billing's
ledger service (:func:`jamsos.billing.services.benefits.benefit_post`): the program's benefit
account against cash, and for JHT a debit of the member's JHT account. A recurring part (a JP
pension) becomes a :class:`Benefit` the monthly payroll pays.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone

from jamsos.access.audit import audit_record
from jamsos.access.models import AuditAction
from jamsos.access.scope import Scope
from jamsos.billing.services.benefits import benefit_post
from jamsos.claims.errors import BadTransition, IdempotencyConflict, NoBankAccount, Required
from jamsos.claims.models import (
    Benefit,
    BenefitKind,
    BenefitPayment,
    Claim,
    ClaimStatus,
)
from jamsos.claims.policy import CLAIMS
from jamsos.claims.rules import BANKS, add_months
from jamsos.claims.selectors import claims_visible
from jamsos.claims.services.workflow import ACTIONS, STATUS_WORDS, _move, claim_for_update
from jamsos.core.clock import today_in_jakarta
from jamsos.core.masking import mask_nik


@dataclass(frozen=True)
class PayResult:
    claim: Claim
    lump_sum_idr: int
    monthly: list[Benefit]
    created: bool


def recurring_lines(trace: dict[str, Any]) -> list[dict[str, Any]]:
    """The lines of the engine's answer paid each month with no end given (a pension)."""
    return [
        line
        for line in trace.get("lines", [])
        if int(line.get("per_month_idr") or 0) > 0 and not line.get("months")
    ]


def lump_sum_of(claim: Claim) -> int:
    """What is paid at once: the total less the monthly part paid by the payroll."""
    monthly = recurring_lines(claim.trace)
    if not monthly:
        return claim.amount_idr
    return sum(
        int(line.get("amount_idr") or 0)
        for line in claim.trace.get("lines", [])
        if line not in monthly
    )


def _done(claim: Claim) -> PayResult:
    lump = sum(p.amount_idr for p in claim.payments.filter(benefit__isnull=True))
    return PayResult(claim, lump, list(claim.benefits.all()), False)


def _existing(key: str, claim: Claim) -> PayResult | None:
    found = Claim.objects.filter(pay_key=key).first()
    if found is None:
        return None
    if found.pk != claim.pk:
        raise IdempotencyConflict(value=key, number=found.number)
    return _done(found)


def _benefits(claim: Claim, paid_on: date) -> list[Benefit]:
    start = date(claim.event_date.year, claim.event_date.month, 1)
    start = add_months(start, 1)
    return [
        Benefit.objects.create(
            claim=claim,
            kind=BenefitKind.PENSION,
            program=claim.program,
            beneficiary_name=claim.claimant_name,
            relationship=claim.relationship,
            beneficiary_birth_date=None,
            amount_idr=int(line["per_month_idr"]),
            starts_on=start,
            indexed_year=paid_on.year,
            bank_code=claim.bank_code,
            account_number=claim.account_number,
        )
        for line in recurring_lines(claim.trace)
    ]


def claim_pay(
    by: Scope | None,
    pk: int | str,
    *,
    idempotency_key: str,
    paid_on: date | None = None,
    now: datetime | None = None,
) -> PayResult:
    """Pay an approved claim once; the same key again answers the same payment."""
    CLAIMS.require(by, "claim.pay")
    key = (idempotency_key or "").strip()[:80]
    if not key:
        raise Required(field="idempotency_key")
    try:
        with transaction.atomic():
            claim = claim_for_update(by, pk)
            found = _existing(key, claim)
            if found is not None:
                return found
            if claim.status != ClaimStatus.APPROVED:
                raise BadTransition(
                    status=STATUS_WORDS[ClaimStatus(claim.status)], action=ACTIONS["pay"]
                )
            if not claim.account_number:
                raise NoBankAccount()
            paid_on = paid_on or today_in_jakarta()
            amount = lump_sum_of(claim)
            memo = f"{claim.number} {claim.program} {claim.case}"
            if amount > 0:
                benefit_post(
                    {claim.program: amount},
                    paid_on,
                    memo=memo,
                    jht_person_id=claim.person_id if claim.program == "JHT" else None,
                    jht_reference=memo,
                )
                BenefitPayment.objects.create(
                    claim=claim,
                    program=claim.program,
                    amount_idr=amount,
                    paid_on=paid_on,
                    bank_code=claim.bank_code,
                    account_number=claim.account_number,
                )
            benefits = _benefits(claim, paid_on)
            claim.paid_at = now or timezone.now()
            claim.pay_key = key
            _move(by, claim, ClaimStatus.PAID, note=f"Rp {amount} ({len(benefits)} monthly)")
            audit_record(
                by,
                AuditAction.UPDATE,
                claim,
                label=f"{claim.number} {mask_nik(claim.person.nik)}",
                detail={"paid_idr": amount, "key": key},
            )
            return PayResult(claim, amount, benefits, True)
    except IntegrityError:
        # The same key raced in from another request: answer what it wrote.
        raced = Claim.objects.filter(pay_key=key).first()
        if raced is None:
            raise
        if str(raced.pk) != str(pk) and raced.number != str(pk):
            raise IdempotencyConflict(value=key, number=raced.number) from None
        return _done(raced)


#: The bank transfer file's columns (docs/claims.md "Transfer file").
TRANSFER_COLUMNS = (
    "claim_number",
    "bank_code",
    "bank_name",
    "account_number",
    "account_name",
    "amount_idr",
    "program",
    "case",
    "reference",
)


def transfer_rows(by: Scope, *, on: date | None = None) -> Iterator[Sequence[object]]:
    """One row per approved claim waiting to be paid (lump sums), for the bank's bulk transfer."""
    CLAIMS.require(by, "claim.pay")
    rows = claims_visible(by).filter(status=ClaimStatus.APPROVED).exclude(account_number="")
    for claim in rows.order_by("bank_code", "id"):
        amount = lump_sum_of(claim)
        if amount <= 0:
            continue
        yield (
            claim.number,
            claim.bank_code,
            BANKS.get(claim.bank_code, ("", ()))[0],
            claim.account_number,
            claim.account_name,
            amount,
            claim.program,
            claim.case,
            f"JAMSOS {claim.number}",
        )
