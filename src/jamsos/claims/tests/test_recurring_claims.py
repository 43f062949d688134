"""Recurring benefits created by claims: STMB paid monthly while the incapacity lasts (100 % for
12 months, then 50 %), stopped when the officer records the recovery; a death claim's
scholarships paid once a school year per child (2 at most), set-based."""

from __future__ import annotations

from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from jamsos.billing.models import JournalEntry
from jamsos.billing.services.ledger import ledger_check
from jamsos.claims import errors
from jamsos.claims.models import Benefit, BenefitKind, BenefitPayment, ClaimStatus, EndReason
from jamsos.claims.rules import DOCUMENTS, add_months
from jamsos.claims.services.documents import document_add
from jamsos.claims.services.intake import ClaimInput, claim_submit
from jamsos.claims.services.payment import claim_pay, lump_sum_of, transfer_rows
from jamsos.claims.services.payroll import payroll_run, stmb_end
from jamsos.claims.services.workflow import claim_approve, claim_verify
from jamsos.claims.tests.conftest import PDF, TODAY
from jamsos.legal.benefits import scholarship_entitlement

pytestmark = pytest.mark.django_db

WAGE = 4_000_000  # the young worker's wage (conftest)


def _decided(cw, data: ClaimInput):
    claim = claim_submit(cw.scope("officer"), data, today=TODAY)
    for kind in DOCUMENTS[(claim.program, claim.case)]:
        document_add(cw.scope("officer"), claim.number, kind=kind, name="d.pdf", content=PDF)
    claim_verify(cw.scope("officer"), claim.number)
    claim = claim_approve(cw.scope("officer"), claim.number)
    if claim.status != ClaimStatus.APPROVED:
        claim = claim_approve(cw.scope("officer2"), claim.number)
    assert claim.status == ClaimStatus.APPROVED
    return claim


def _stmb(cw, months: int):
    return _decided(
        cw,
        ClaimInput(
            nik=cw.young.person.nik,
            program="JKK",
            case="temporary_disability",
            event_date=date(2026, 10, 5),
            months_unable=months,
            claimant_name="Agus Pratama",
            bank_code="009",
            account_number="0123456789",
            account_name="Agus Pratama",
        ),
    )


def _months(first: date, count: int) -> list[str]:
    return [f"{add_months(first, i):%Y-%m}" for i in range(count)]


def test_an_stmb_claim_of_18_months_is_paid_month_by_month_12_in_full_then_6_at_half(cw):
    claim = _stmb(cw, 18)
    # The decision shows the whole entitlement; nothing is paid at once.
    assert claim.amount_idr == 12 * WAGE + 6 * WAGE // 2
    assert lump_sum_of(claim) == 0
    assert [row[0] for row in transfer_rows(cw.scope("officer"))] == []
    paid = claim_pay(cw.scope("officer"), claim.number, idempotency_key="stmb-18")
    assert paid.lump_sum_idr == 0
    assert paid.claim.status == ClaimStatus.PAID
    rows = sorted(paid.monthly, key=lambda b: b.starts_on)
    assert [(b.kind, b.amount_idr, b.starts_on, b.ends_on) for b in rows] == [
        (BenefitKind.STMB, WAGE, date(2026, 11, 1), date(2027, 11, 1)),
        (BenefitKind.STMB, WAGE // 2, date(2027, 11, 1), date(2028, 5, 1)),
    ]
    for period in _months(date(2026, 11, 1), 20):  # two months beyond the end
        payroll_run(period, paid_on=date.fromisoformat(f"{period}-01"))
    payments = BenefitPayment.objects.filter(claim=claim).order_by("period")
    assert [p.period for p in payments] == _months(date(2026, 11, 1), 18)
    assert [p.amount_idr for p in payments] == [WAGE] * 12 + [WAGE // 2] * 6
    assert sum(p.amount_idr for p in payments) == claim.amount_idr
    # Posted to the ledger through billing's benefit posting, as the payroll does.
    booked = JournalEntry.objects.filter(kind="benefit", memo__startswith="payroll ")
    assert booked.count() == 18
    assert ledger_check().ok


def test_recording_the_end_of_incapacity_stops_stmb(cw):
    claim = _stmb(cw, 18)
    claim_pay(cw.scope("officer"), claim.number, idempotency_key="stmb-stop")
    for period in _months(date(2026, 11, 1), 3):
        payroll_run(period, paid_on=date.fromisoformat(f"{period}-01"))
    stmb_end(cw.scope("officer"), claim.number, on=date(2027, 1, 20))
    ended = Benefit.objects.filter(claim=claim).order_by("starts_on")
    assert [(b.ends_on, b.end_reason) for b in ended] == [
        (date(2027, 1, 20), EndReason.RECOVERED),
        (date(2027, 11, 1), EndReason.RECOVERED),  # the 50 % months never begin
    ]
    for period in _months(date(2027, 2, 1), 18):
        payroll_run(period, paid_on=date.fromisoformat(f"{period}-01"))
    payments = BenefitPayment.objects.filter(claim=claim)
    assert sorted(p.period for p in payments) == ["2026-11", "2026-12", "2027-01"]
    with pytest.raises(errors.BadTransition):
        stmb_end(cw.scope("officer"), claim.number, on=date(2027, 3, 1))


def _death_with_children(cw, children):
    return _decided(
        cw,
        ClaimInput(
            nik=cw.person.nik,
            program="JKM",
            case="death",
            event_date=date(2026, 10, 5),
            relationship="spouse",
            claimant_name="Bambang Rahayu",
            children=children,
            bank_code="008",
            account_number="1234567890123",
            account_name="Bambang Rahayu",
        ),
    )


def test_a_death_claims_scholarships_are_paid_once_each_school_year_for_two_children(cw):
    claim = _death_with_children(cw, ["SMA", "PT", "SD"])
    lines = [line for line in claim.trace["lines"] if line["benefit"] == "scholarship"]
    assert [line["detail"] for line in lines] == ["SMA", "PT"]  # 2 children at most
    whole = scholarship_entitlement("SMA", claim.event_date) + scholarship_entitlement(
        "PT", claim.event_date
    )
    assert lump_sum_of(claim) == claim.amount_idr - whole
    paid = claim_pay(cw.scope("officer"), claim.number, idempotency_key="jkm-kids")
    assert paid.lump_sum_idr == claim.amount_idr - whole
    rows = Benefit.objects.filter(claim=claim, kind=BenefitKind.SCHOLARSHIP)
    assert sum(b.amount_idr * (b.ends_on.year - b.starts_on.year) for b in rows) == whole
    # The SMA child: 3 years of SMA then 5 of university, from the school year after the death.
    first = rows.filter(beneficiary_name__endswith="(anak 1)").order_by("starts_on")
    assert [(b.school_level, b.amount_idr, b.starts_on, b.ends_on) for b in first] == [
        ("SMA", 3_000_000, date(2027, 7, 1), date(2030, 7, 1)),
        ("PT", 12_000_000, date(2030, 7, 1), date(2035, 7, 1)),
    ]
    for period in ("2027-06", "2027-07", "2027-08", "2028-07"):
        payroll_run(period, paid_on=date.fromisoformat(f"{period}-01"))
    payments = BenefitPayment.objects.filter(claim=claim, benefit__isnull=False)
    assert sorted((p.period, p.amount_idr) for p in payments) == [
        ("2027-07", 3_000_000),
        ("2027-07", 12_000_000),
        ("2028-07", 3_000_000),
        ("2028-07", 12_000_000),
    ]
    # A second July run of the same year pays nothing twice.
    with pytest.raises(errors.PayrollDone):
        payroll_run("2028-07", paid_on=date(2028, 7, 2))
    assert ledger_check().ok


def test_the_payroll_pays_stmb_and_scholarships_set_based(cw):
    """The same handful of statements for 3 recurring benefits as for 300."""
    claim = _death_with_children(cw, ["SD"])
    claim_pay(cw.scope("officer"), claim.number, idempotency_key="jkm-set")
    template = Benefit.objects.filter(claim=claim).first()

    def many(count: int, kind: str) -> None:
        Benefit.objects.bulk_create(
            Benefit(
                claim=claim,
                kind=kind,
                program="JKM",
                beneficiary_name=f"penerima {i}",
                amount_idr=100_000 + i,
                starts_on=date(2027, 7, 1),
                ends_on=date(2029, 7, 1),
                end_reason=EndReason.COMPLETED,
                indexed_year=2027,
                bank_code=template.bank_code,
                account_number=template.account_number,
            )
            for i in range(count)
        )

    many(2, BenefitKind.STMB)
    with CaptureQueriesContext(connection) as small:
        payroll_run("2027-07", paid_on=date(2027, 7, 1))
    many(300, BenefitKind.SCHOLARSHIP)
    many(300, BenefitKind.STMB)
    with CaptureQueriesContext(connection) as large:
        run = payroll_run("2028-07", paid_on=date(2028, 7, 1))
    assert run.counts["paid"] == 1 + 2 + 600
    assert len(large.captured_queries) <= len(small.captured_queries)


def test_the_officer_records_the_recovery_at_the_command_line(cw):
    from io import StringIO

    from django.core.management import call_command

    claim = _stmb(cw, 4)
    claim_pay(cw.scope("officer"), claim.number, idempotency_key="stmb-cli")
    out = StringIO()
    call_command("claims", "stmb-end", claim.number, "--on", "2026-12-10", stdout=out)
    assert "2026-12-10" in out.getvalue()
    assert not Benefit.objects.filter(claim=claim, ends_on__gt=date(2026, 12, 10)).exists()


def test_jkp_counts_the_months_paid_in_the_24_before_the_job_loss(cw, regions):
    """40 months paid long ago are not 12 in the last 24 (benefits.jkp.claim_conditions)."""
    from jamsos.claims.services.intake import assess
    from jamsos.claims.tests.conftest import paid_months
    from jamsos.membership.services import pu_worker_register
    from jamsos.membership.tests.factories import person_create

    old = pu_worker_register(
        employer=cw.employer,
        person=person_create(
            domicile=regions.cileunyi_kulon, birth_date=date(1980, 3, 3), name="Dedi Kurnia"
        ),
        wage_idr=5_000_000,
        start_date=date(2018, 1, 1),
        today=date(2018, 1, 2),
    )
    paid_months(old, date(2018, 1, 1), 40, 5_000_000)
    job_loss = ClaimInput(nik=old.person.nik, program="JKP", case="job_loss", event_date=TODAY)
    refused = assess(cw.scope("officer"), job_loss, today=TODAY)
    assert not refused.eligible
    assert refused.request["contribution_months"] == 0
    assert "jkp_contribution_months" in refused.result["reasons"]
    with pytest.raises(errors.NotEligible):
        claim_submit(cw.scope("officer"), job_loss, today=TODAY)
    found = assess(
        cw.scope("officer"),
        ClaimInput(nik=cw.young.person.nik, program="JKP", case="job_loss", event_date=TODAY),
        today=TODAY,
    )
    assert found.eligible
    assert found.request["contribution_months"] == found.facts.months_in_last_24 == 20
