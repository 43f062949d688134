"""Recurring benefits: a JP survivor pension from a paid claim, the monthly payroll (set-based,
once a month), its ledger entry, a child's benefit ending at 23, the yearly indexation."""

from __future__ import annotations

from datetime import date

import pytest

from jamsos.billing.models import JournalEntry
from jamsos.billing.services.ledger import ledger_check
from jamsos.claims import errors
from jamsos.claims.models import Benefit, BenefitKind, BenefitPayment, ClaimStatus, EndReason
from jamsos.claims.services.documents import document_add
from jamsos.claims.services.intake import ClaimInput, claim_submit
from jamsos.claims.services.payment import claim_pay
from jamsos.claims.services.payroll import benefit_end, indexation_for, payroll_run
from jamsos.claims.services.workflow import claim_approve, claim_verify
from jamsos.claims.tests.conftest import PDF, TODAY

pytestmark = pytest.mark.django_db


def _pension(cw):
    claim = claim_submit(
        cw.scope("officer"),
        ClaimInput(
            nik=cw.person.nik,
            program="JP",
            case="death",
            event_date=date(2026, 10, 5),
            relationship="spouse",
            claimant_name="Bambang Rahayu",
            bank_code="008",
            account_number="1234567890123",
            account_name="Bambang Rahayu",
        ),
        today=TODAY,
    )
    for kind in ("ktp", "bank_book", "kk", "death_certificate", "heir_statement"):
        document_add(cw.scope("officer"), claim.number, kind=kind, name="d.pdf", content=PDF)
    claim_verify(cw.scope("officer"), claim.number)
    claim_approve(cw.scope("officer"), claim.number)
    return claim_pay(cw.scope("officer"), claim.number, idempotency_key=f"jp-{claim.pk}")


def test_a_jp_survivor_pension_is_paid_by_the_monthly_payroll_once(cw):
    paid = _pension(cw)
    assert paid.claim.status == ClaimStatus.PAID
    assert paid.lump_sum_idr == 0
    [benefit] = paid.monthly
    assert benefit.kind == BenefitKind.PENSION
    assert benefit.amount_idr > 0
    assert benefit.starts_on == date(2026, 11, 1)
    run = payroll_run("2026-12", paid_on=date(2026, 12, 1))
    assert run.counts["paid"] == 1
    payment = BenefitPayment.objects.get(run=run)
    assert payment.amount_idr == benefit.amount_idr
    assert payment.program == "JP"
    entry = JournalEntry.objects.get(kind="benefit", memo="payroll 2026-12")
    assert {(p.account, p.debit_idr, p.credit_idr) for p in entry.postings.all()} == {
        ("5400", benefit.amount_idr, 0),
        ("1000", 0, benefit.amount_idr),
    }
    with pytest.raises(errors.PayrollDone):
        payroll_run("2026-12")
    assert ledger_check().ok
    # The widow remarries: nothing is paid from then on.
    benefit_end(None, benefit.pk, reason=EndReason.REMARRIAGE, on=date(2026, 12, 20))
    assert payroll_run("2027-01").counts["paid"] == 0


def test_a_childs_benefit_stops_at_23_and_pensions_are_indexed_in_march(cw):
    paid = _pension(cw)
    [spouse] = paid.monthly
    child = Benefit.objects.create(
        claim=paid.claim,
        kind=BenefitKind.PENSION,
        program="JP",
        beneficiary_name="Anak",
        relationship="child",
        beneficiary_birth_date=date(2004, 1, 15),
        age_limit_on=date(2027, 1, 15),
        amount_idr=500_000,
        starts_on=date(2026, 11, 1),
        indexed_year=2026,
    )
    Benefit.objects.filter(pk=spouse.pk).update(indexed_year=2025, amount_idr=1_000_000)
    index = indexation_for(2026)
    assert index is not None
    assert index.minimum_idr == 411_400
    assert index.factor_ppm == (411_400 * 1_000_000 + 399_700 // 2) // 399_700
    run = payroll_run("2026-03")
    assert run.counts["indexed"] == 1
    spouse.refresh_from_db()
    assert spouse.indexed_year == 2026
    assert spouse.amount_idr == (1_000_000 * index.factor_ppm + 500_000) // 1_000_000
    run = payroll_run("2027-02")
    child.refresh_from_db()
    assert child.end_reason == EndReason.AGE_23
    assert child.ends_on == date(2027, 1, 15)
    assert not BenefitPayment.objects.filter(run=run, benefit=child).exists()
    assert BenefitPayment.objects.filter(run=run, benefit=spouse).exists()


def test_a_bad_period_is_refused(cw):
    with pytest.raises(errors.BadPeriod):
        payroll_run("2026-13")
    with pytest.raises(errors.NotPermitted):
        payroll_run("2026-12", by=cw.scope("officer"))
