"""Paying an approved claim to the claimant's bank account, once (docs/claims.md "Payment").

The idempotency key makes a repeated call harmless: the same key for the same claim answers
the payment made before; for another claim it is refused. The money is posted by billing's
ledger service (:func:`jamsos.billing.services.benefits.benefit_post`): the program's benefit
account against cash, and for JHT a debit of the member's JHT account. A recurring part becomes
:class:`Benefit` rows the monthly payroll pays: a JP pension (no end), STMB (monthly while the
incapacity lasts, 100 % then 50 % as the engine's lines give) and a child's scholarship (once a
school year, one row per school level left on the child's path).
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
    EndReason,
)
from jamsos.claims.policy import CLAIMS
from jamsos.claims.rules import BANKS, add_months
from jamsos.claims.selectors import claims_visible
from jamsos.claims.services.payroll import SCHOOL_YEAR_MONTH
from jamsos.claims.services.workflow import ACTIONS, STATUS_WORDS, _move, claim_for_update
from jamsos.core.clock import today_in_jakarta
from jamsos.core.formatting import format_money
from jamsos.core.masking import mask_nik
from jamsos.legal import parameters
from jamsos.legal.benefits import SCHOOL_LEVELS, scholarship_entitlement

#: The engine's parameter of the scholarship by school level (PP 82/2019).
P_SCHOLARSHIP_LEVELS = "benefits.scholarship.levels"


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


def stmb_lines(trace: dict[str, Any]) -> list[dict[str, Any]]:
    """The JKK wage replacement (STMB) lines: paid month by month while incapacity lasts."""
    return [
        line
        for line in trace.get("lines", [])
        if line.get("benefit") == "wage_replacement"
        and int(line.get("per_month_idr") or 0) > 0
        and int(line.get("months") or 0) > 0
    ]


def scholarship_lines(trace: dict[str, Any]) -> list[dict[str, Any]]:
    """The scholarship lines by school level (PP 82/2019): paid once a school year. The flat
    scholarship before 2 Dec 2019 (no level) stays a lump sum."""
    return [
        line
        for line in trace.get("lines", [])
        if line.get("benefit") == "scholarship" and line.get("detail") in SCHOOL_LEVELS
    ]


def scheduled_lines(trace: dict[str, Any]) -> list[dict[str, Any]]:
    """Every line the payroll pays rather than the claim's payment."""
    return recurring_lines(trace) + stmb_lines(trace) + scholarship_lines(trace)


def lump_sum_of(claim: Claim) -> int:
    """What is paid at once: the total less the part paid by the payroll."""
    scheduled = scheduled_lines(claim.trace)
    if not scheduled:
        return claim.amount_idr
    return sum(
        int(line.get("amount_idr") or 0)
        for line in claim.trace.get("lines", [])
        if line not in scheduled
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


def _first_school_year(start: date) -> date:
    """The first school year (from July) beginning on or after ``start``."""
    year = start.year if start.month <= SCHOOL_YEAR_MONTH else start.year + 1
    return date(year, SCHOOL_YEAR_MONTH, 1)


def _stmb(claim: Claim, start: date, paid_on: date) -> list[Benefit]:
    """One row per rate of the engine's STMB lines, one after the other: 12 months at 100 %
    from the month after the accident, then the rest at 50 % (benefits.jkk.temporary_disability);
    each ends when its months run out, or earlier when the officer records the recovery."""
    rows, begins = [], start
    for line in stmb_lines(claim.trace):
        ends = add_months(begins, int(line["months"]))
        rows.append(
            Benefit(
                claim=claim,
                kind=BenefitKind.STMB,
                program=claim.program,
                beneficiary_name=claim.claimant_name,
                relationship=claim.relationship,
                amount_idr=int(line["per_month_idr"]),
                starts_on=begins,
                ends_on=ends,
                end_reason=EndReason.COMPLETED,
                indexed_year=paid_on.year,
                school_level=str(line.get("detail") or "")[:12],
                bank_code=claim.bank_code,
                account_number=claim.account_number,
            )
        )
        begins = ends
    return rows


def school_stages(level: str, on: date) -> list[tuple[str, int, int]]:
    """(stage, per year, years) for each school level left on a child's path from ``level``,
    from the engine's levels parameter; their sum is the engine's
    :func:`~jamsos.legal.benefits.scholarship_entitlement`."""
    levels = parameters().get(P_SCHOLARSHIP_LEVELS, on).value
    path = [
        ("TK/SD", levels["tk_sd_per_year"], levels["tk_sd_years"]),
        ("SMP", levels["smp_per_year"], levels["smp_years"]),
        ("SMA", levels["sma_per_year"], levels["sma_years"]),
        ("PT", levels["pt_per_year"], levels["pt_years"]),
    ]
    stages = path[{"TK": 0, "SD": 0, "SMP": 1, "SMA": 2, "PT": 3}[level] :]
    assert sum(p * y for _, p, y in stages) == scholarship_entitlement(level, on)
    return stages


def _scholarships(claim: Claim, start: date, paid_on: date) -> list[Benefit]:
    """A child's scholarship, one row per school level ahead, paid each July from the first
    school year after the event (2 children at most: the engine gives no more lines)."""
    on = claim.event_date
    first = _first_school_year(start)
    rows = []
    for child, line in enumerate(scholarship_lines(claim.trace), start=1):
        begins = first
        for stage, per_year, years in school_stages(str(line["detail"]), on):
            ends = date(begins.year + years, SCHOOL_YEAR_MONTH, 1)
            rows.append(
                Benefit(
                    claim=claim,
                    kind=BenefitKind.SCHOLARSHIP,
                    program=claim.program,
                    beneficiary_name=f"{claim.claimant_name} (anak {child})"[:120],
                    relationship="child",
                    amount_idr=per_year,
                    starts_on=begins,
                    ends_on=ends,
                    end_reason=EndReason.COMPLETED,
                    indexed_year=paid_on.year,
                    school_level=stage,
                    bank_code=claim.bank_code,
                    account_number=claim.account_number,
                )
            )
            begins = ends
    return rows


def _benefits(claim: Claim, paid_on: date) -> list[Benefit]:
    start = date(claim.event_date.year, claim.event_date.month, 1)
    start = add_months(start, 1)
    rows = _stmb(claim, start, paid_on) + _scholarships(claim, start, paid_on)
    created = Benefit.objects.bulk_create(rows) if rows else []
    return created + [
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
            # The note is kept as written, in the house's language (Bahasa Indonesia).
            note = f"{format_money(amount, 'id')} ({len(benefits)} manfaat berkala)"
            _move(by, claim, ClaimStatus.PAID, note=note)
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
