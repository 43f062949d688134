"""The monthly billing run: amounts equal the per-person path, who pays, re-runs, crash safety."""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import date, timedelta

import pytest
from django.utils import timezone

from jamsos.billing.errors import BadPeriod, PeriodOutOfLaw, RunInProgress
from jamsos.billing.identifiers import virtual_account_for
from jamsos.billing.models import (
    Account,
    BillingRun,
    Invoice,
    InvoiceItem,
    InvoiceKind,
    InvoiceLine,
    JournalEntry,
    JournalKind,
    Payer,
    PayerKind,
    PenaltyCharge,
    Posting,
    RunReject,
    RunStatus,
    Sponsorship,
)
from jamsos.billing.services import run as run_module
from jamsos.billing.services.ledger import ledger_check
from jamsos.billing.services.payers import virtual_accounts
from jamsos.billing.services.payments import payment_post
from jamsos.billing.services.run import billing_run
from jamsos.billing.tests.conftest import payer_make, wage_report
from jamsos.legal import (
    ContributionInput,
    EmployerSize,
    Industry,
    Period,
    Segment,
    contribution,
    due_date,
)
from jamsos.membership.models import Membership, WageReport
from jamsos.membership.services import pu_worker_register
from jamsos.membership.tests.factories import person_create

pytestmark = pytest.mark.django_db

AS_OF = date(2025, 4, 1)
MARCH = Period(2025, 3)


def bill(period: str = "2025-03", as_of: date = AS_OF) -> BillingRun:
    return billing_run(period, as_of=as_of)


def expected(membership: Membership, **extra: object) -> dict[str, int]:
    """The per-person path's amounts for March 2025, in the line's wide columns."""
    employer = membership.employer
    if membership.segment == "PU":
        data = ContributionInput(
            segment=Segment.PU,
            period=MARCH,
            wage_idr=extra["wage"],  # type: ignore[arg-type]
            risk_class=employer.risk_class,
            employer_size=EmployerSize(employer.size),
            programs=frozenset(p for p in membership.program_set if p.value in ("JHT", "JP")),
            industry=Industry(employer.industry),
            worker_count=extra.get("workers"),  # type: ignore[arg-type]
        )
    else:
        data = ContributionInput(
            segment=Segment.BPU,
            period=MARCH,
            income_idr=membership.declared_income_idr,
            programs=frozenset(p for p in membership.program_set if p.value == "JHT"),
        )
    slots = contribution(data).amounts_by_slot()
    get = slots.get
    return {
        "jkk_idr": get("jkk_employer", 0) + get("jkk_participant", 0),
        "jkm_idr": get("jkm_employer", 0) + get("jkm_participant", 0),
        "jht_employer_idr": get("jht_employer", 0),
        "jht_worker_idr": get("jht_worker", 0) + get("jht_participant", 0),
        "jp_employer_idr": get("jp_employer", 0),
        "jp_worker_idr": get("jp_worker", 0),
        "jkp_government_idr": get("jkp_government", 0),
    }


def line_of(membership: Membership) -> InvoiceLine:
    return InvoiceLine.objects.select_related("invoice__payer").get(
        membership=membership, period="2025-03"
    )


def amounts(line: InvoiceLine) -> dict[str, int]:
    keys = (
        "jkk_idr",
        "jkm_idr",
        "jht_employer_idr",
        "jht_worker_idr",
        "jp_employer_idr",
        "jp_worker_idr",
        "jkp_government_idr",
    )
    return {k: getattr(line, k) for k in keys}


def snapshot() -> list[tuple]:
    """What the month billed, independent of ids and numbers."""
    return sorted(
        InvoiceLine.objects.filter(period="2025-03").values_list(
            "invoice__payer_id",
            "invoice__kind",
            "membership_id",
            "project_id",
            "total_idr",
            "jkk_idr",
            "jht_worker_idr",
        )
    )


# -- amounts and payers -------------------------------------------------------------------------


def test_pu_lines_equal_the_per_person_path(wages):
    run = bill()
    assert run.status == RunStatus.FINISHED
    for membership, wage in ((wages.worker_a, 5_000_000), (wages.worker_b, 12_000_000)):
        membership.refresh_from_db()
        line = line_of(membership)
        assert line.base_idr == wage
        assert amounts(line) == expected(membership, wage=wage, workers=2)
        assert line.total_idr == sum(
            v for k, v in amounts(line).items() if k != "jkp_government_idr"
        )
        assert line.invoice.payer.employer_id == wages.employer.pk
        assert line.person_id_copy == membership.person_id
    # JP is capped for worker B: his JP is below 3 % of his wage.
    assert line_of(wages.worker_b).jp_employer_idr < 12_000_000 * 2 // 100


def test_bpu_and_sponsored_lines_equal_the_per_person_path_and_go_to_their_payers(wages):
    bill()
    own = line_of(wages.bpu)
    assert amounts(own) == expected(wages.bpu)
    assert own.jht_worker_idr > 0  # BPU chose JHT
    assert own.invoice.payer.kind == PayerKind.PARTICIPANT
    assert own.invoice.payer.person_id == wages.bpu_person.pk
    sponsored = line_of(wages.sponsored)
    assert amounts(sponsored) == expected(wages.sponsored)
    payer = sponsored.invoice.payer
    assert payer.kind == PayerKind.SPONSOR
    assert payer.sponsor_ref == "APBD-3204"
    assert payer.name == "Pemerintah Kabupaten Bandung"
    assert payer.branch_office_id == wages.sponsored.branch_office_id


def test_invoices_items_due_dates_and_numbers(wages):
    run = bill()
    employer_invoice = Invoice.objects.get(payer__employer=wages.employer, period="2025-03")
    assert employer_invoice.kind == InvoiceKind.REGULAR
    assert employer_invoice.due_date == due_date(Segment.PU, MARCH)
    assert employer_invoice.issued_on == AS_OF
    assert employer_invoice.run_id == run.pk
    assert employer_invoice.participants == 2
    assert employer_invoice.number == f"202503{employer_invoice.pk:010d}"
    items = {i.program: i for i in employer_invoice.items.all()}
    assert [items[p].rank for p in ("JKK", "JKM", "JHT", "JP")] == [1, 2, 3, 4]
    lines = list(employer_invoice.lines.all())
    assert items["JHT"].amount_idr == sum(x.jht_employer_idr + x.jht_worker_idr for x in lines)
    assert items["JP"].amount_idr == sum(x.jp_employer_idr + x.jp_worker_idr for x in lines)
    assert employer_invoice.contribution_idr == sum(x.total_idr for x in lines)
    assert employer_invoice.total_idr == employer_invoice.contribution_idr
    participant = Invoice.objects.get(payer__person=wages.bpu_person)
    assert participant.due_date == due_date(Segment.BPU, MARCH)
    assert run.counts["invoices"] == 3
    assert run.counts["lines"] == 4
    assert run.totals["grand_total"] == sum(
        Invoice.objects.filter(period="2025-03").values_list("total_idr", flat=True)
    )


def test_payers_get_a_valid_virtual_account_from_their_id(wages):
    bill()
    payers = list(Payer.objects.all())
    assert len(payers) == 3
    for payer in payers:
        assert payer.virtual_account == virtual_account_for(payer.kind, payer.pk)
    employer = Payer.objects.get(employer=wages.employer)
    assert employer.name == wages.employer.legal_name
    assert employer.branch_office_id == wages.employer.branch_office_id


def test_vectorised_virtual_accounts_equal_the_reference():
    import polars as pl

    numbers = [1, 7, 42, 99_999, 123_456_789, 10**12 - 1]
    frame = pl.DataFrame(
        {"kind": ["employer", "participant", "sponsor"] * 2, "n": numbers}
    ).with_columns(va=virtual_accounts(pl.col("kind"), pl.col("n")))
    for kind, number, va in frame.iter_rows():
        assert va == virtual_account_for(kind, number)


def test_existing_payer_is_reused(wages):
    payer = payer_make(employer=wages.employer)
    run = bill()
    assert Invoice.objects.get(payer__employer=wages.employer).payer_id == payer.pk
    assert run.counts["payers_new"] == 2


def test_wage_is_carried_forward_and_missing_wage_is_rejected(world):
    # Worker A reported only March: April carries it forward. Worker B: no report at all.
    WageReport.objects.filter(membership=world.worker_b).delete()
    run = bill("2025-04", as_of=date(2025, 5, 1))
    line = InvoiceLine.objects.get(membership=world.worker_a, period="2025-04")
    assert line.base_idr == 5_000_000
    assert not InvoiceLine.objects.filter(membership=world.worker_b).exists()
    reject = RunReject.objects.get(run=run)
    assert (reject.membership_id, reject.field, reject.code) == (
        world.worker_b.pk,
        "wage",
        "required",
    )
    assert run.counts["rejected"] == 1
    assert run.counts["rejected_by_reason"] == {"wage:required": 1}


def test_a_wage_report_of_the_month_wins_over_an_earlier_one(world):
    wage_report(world.worker_a, "2025-04", 9_000_000)
    bill()
    assert line_of(world.worker_a).base_idr == 5_000_000  # a later report does not reach back
    bill("2025-04", as_of=date(2025, 5, 1))
    april = InvoiceLine.objects.get(membership=world.worker_a, period="2025-04")
    assert april.base_idr == 9_000_000


def test_memberships_outside_the_month_are_not_billed(wages):
    run = bill("2025-02", as_of=date(2025, 3, 1))  # every membership starts 1 March
    assert run.counts["lines"] == 0
    assert not InvoiceLine.objects.exists()


def test_a_sponsorship_bounds_the_months_the_sponsor_pays(wages):
    sponsor = payer_make(sponsor_ref="APBD-3204")
    term = Sponsorship.objects.create(
        payer=sponsor, reference="SK 1/2025", first_period="2025-04", last_period="2025-12"
    )
    term.memberships.add(wages.sponsored)
    bill()  # March is outside the term: the worker pays herself
    assert line_of(wages.sponsored).invoice.payer.kind == PayerKind.PARTICIPANT
    term.first_period = "2025-01"
    term.save()
    Invoice.objects.all().delete()  # start again from nothing (no payments yet)
    bill()
    assert line_of(wages.sponsored).invoice.payer_id == sponsor.pk


def test_bad_periods_are_refused():
    with pytest.raises(BadPeriod):
        billing_run("2025-3")
    with pytest.raises(PeriodOutOfLaw):
        billing_run("2014-12")
    assert not BillingRun.objects.exists()


# -- re-runs ------------------------------------------------------------------------------------


def test_a_second_run_changes_nothing_but_the_drafts(wages):
    first = bill()
    before = snapshot()
    totals = Invoice.objects.filter(period="2025-03").values_list("total_idr", flat=True)
    before_totals = sorted(totals)
    second = bill()
    assert snapshot() == before
    assert sorted(totals) == before_totals
    assert second.totals == first.totals
    assert second.counts["replaced_invoices"] == 3
    assert second.counts["invoices"] == 3
    assert Invoice.objects.filter(period="2025-03").count() == 3
    replacement = JournalEntry.objects.get(kind=JournalKind.REPLACEMENT)
    reversed_ = Posting.objects.filter(entry=replacement, account=Account.CONTRIBUTION_RECEIVABLE)
    assert sum(p.credit_idr for p in reversed_) == first.totals["contributions"]
    assert ledger_check().ok
    assert Payer.objects.count() == 3


def test_a_paid_invoice_is_kept_and_a_late_membership_goes_on_a_correction(wages):
    bill()
    invoice = Invoice.objects.get(payer__employer=wages.employer)
    payment_post(
        virtual_account=invoice.payer.virtual_account,
        amount_idr=1_000,
        bank_ref="BNI-1",
        paid_on=date(2025, 4, 2),
        channel="cli",
    )
    late = pu_worker_register(
        employer=wages.employer,
        person=person_create(domicile=wages.regions.cileunyi_kulon),
        wage_idr=7_000_000,
        start_date=date(2025, 3, 10),
        today=date(2025, 4, 5),
    )
    run = bill(as_of=date(2025, 4, 6))
    invoice.refresh_from_db()
    assert invoice.lines.count() == 2  # kept as it was
    correction = Invoice.objects.get(payer=invoice.payer, kind=InvoiceKind.CORRECTION)
    assert [line.membership_id for line in correction.lines.all()] == [late.pk]
    assert correction.period == "2025-03"
    assert run.counts["kept_invoices"] == 1
    assert run.counts["replaced_invoices"] == 2  # the two participant/sponsor drafts
    assert run.counts["already_billed"] == 2
    assert InvoiceLine.objects.filter(membership=wages.worker_a).count() == 1
    # Running again keeps the paid one and replaces only the unpaid correction.
    again = bill(as_of=date(2025, 4, 6))
    assert again.counts["correction_invoices"] == 1
    assert Invoice.objects.filter(payer=invoice.payer, period="2025-03").count() == 2
    assert ledger_check().ok


def test_unbilled_penalties_go_on_the_next_invoice_as_one_item(wages, monkeypatch):
    bill()
    march = Invoice.objects.get(payer__employer=wages.employer)
    # Not paid by 15 April: the April run (as of 1 May) carries the penalty.
    run = bill("2025-04", as_of=date(2025, 5, 1))
    charges = list(PenaltyCharge.objects.filter(payer=march.payer))
    assert charges, "penalties_accrue charged the overdue March items"
    april = Invoice.objects.get(payer=march.payer, period="2025-04")
    penalty = april.items.get(kind="penalty")
    assert (penalty.segment, penalty.program, penalty.rank) == ("PU", "", 9)
    assert penalty.due_date == april.due_date
    assert penalty.amount_idr == sum(c.amount_idr for c in charges) == april.penalty_idr
    assert all(c.billed_on_id == penalty.pk for c in charges)
    assert run.totals["penalties"] == penalty.amount_idr
    # A re-run un-bills them with the draft and bills them again, once.
    bill("2025-04", as_of=date(2025, 5, 1))
    april = Invoice.objects.get(payer=march.payer, period="2025-04")
    assert april.penalty_idr == penalty.amount_idr
    assert PenaltyCharge.objects.filter(billed_on__invoice=april).count() == len(charges)
    assert ledger_check().ok


def test_a_payer_with_penalties_and_no_lines_gets_a_penalty_only_invoice(wages, monkeypatch):
    bill()
    employer_payer = Payer.objects.get(employer=wages.employer)
    Membership.objects.filter(employer=wages.employer).update(
        status="ended", end_date=date(2025, 3, 31), end_reason="resignation"
    )
    run = bill("2025-04", as_of=date(2025, 5, 1))
    april = Invoice.objects.get(payer=employer_payer, period="2025-04")
    assert april.contribution_idr == 0
    assert april.penalty_idr > 0
    assert [i.kind for i in april.items.all()] == ["penalty"]
    assert run.counts["penalty_only_invoices"] == 1


def test_credit_is_applied_through_the_payments_service(wages, monkeypatch):
    payer = payer_make(employer=wages.employer)
    Payer.objects.filter(pk=payer.pk).update(credit_idr=500)
    calls: list[tuple[list[int], date]] = []

    def fake(payer_ids, on):
        calls.append((list(payer_ids), on))
        return 500

    monkeypatch.setattr("jamsos.billing.services.payments.credits_apply", fake)
    run = bill()
    assert calls == [([payer.pk], AS_OF)]
    assert run.counts["credit_applied_idr"] == 500


# -- ledger -------------------------------------------------------------------------------------


def test_the_run_posts_one_balanced_billing_entry(wages):
    run = bill()
    entry = JournalEntry.objects.get(kind=JournalKind.BILLING, run=run)
    postings = list(entry.postings.all())
    debits = [p for p in postings if p.account == Account.CONTRIBUTION_RECEIVABLE]
    assert len(debits) == 3
    assert {p.payer_id for p in debits} == set(Payer.objects.values_list("id", flat=True))
    income = [p for p in postings if p.account == Account.CONTRIBUTION_INCOME]
    assert len(income) == 1
    assert sum(p.debit_idr for p in debits) == income[0].credit_idr == run.totals["contributions"]
    assert ledger_check().ok


# -- the job ------------------------------------------------------------------------------------


def dead_pid() -> int:
    process = subprocess.Popen([sys.executable, "-c", "pass"])
    process.wait()
    return process.pid


def running(**fields: object) -> BillingRun:
    now = timezone.now()
    values = {
        "period": "2025-03",
        "as_of": AS_OF,
        "status": RunStatus.RUNNING,
        "started_at": now,
        "heartbeat_at": now,
        "host": __import__("socket").gethostname(),
        "pid": os.getpid(),
    }
    values.update(fields)
    return BillingRun.objects.create(**values)


def test_a_live_running_run_refuses_another(wages):
    live = running()
    with pytest.raises(RunInProgress) as refused:
        bill()
    assert refused.value.code == "billing.run_in_progress"
    assert "sedang berjalan" in refused.value.message_in("id")
    live.refresh_from_db()
    assert live.status == RunStatus.RUNNING
    assert not Invoice.objects.exists()


def test_a_run_whose_process_died_is_marked_abandoned(wages):
    dead = running(pid=dead_pid())
    run = bill()
    dead.refresh_from_db()
    assert dead.status == RunStatus.ABANDONED
    assert run.status == RunStatus.FINISHED


def test_a_silent_run_on_another_host_is_marked_abandoned(wages):
    silent = running(host="elsewhere", heartbeat_at=timezone.now() - timedelta(minutes=11))
    bill()
    silent.refresh_from_db()
    assert silent.status == RunStatus.ABANDONED


def test_a_recent_run_on_another_host_refuses(wages):
    running(host="elsewhere", pid=1, heartbeat_at=timezone.now() - timedelta(minutes=2))
    with pytest.raises(RunInProgress):
        bill()


def test_a_failure_half_way_leaves_only_the_failed_run_record(wages, monkeypatch):
    def boom(self, lines):
        raise RuntimeError("disk full")

    monkeypatch.setattr(run_module._Month, "_lines", boom)
    with pytest.raises(RuntimeError, match="disk full"):
        bill()
    failed = BillingRun.objects.get()
    assert failed.status == RunStatus.FAILED
    assert "disk full" in failed.error
    assert not Invoice.objects.exists()
    assert not InvoiceItem.objects.exists()
    assert not Payer.objects.exists()
    assert not JournalEntry.objects.exists()
    # The next run is not blocked by it.
    monkeypatch.undo()
    assert bill().status == RunStatus.FINISHED


def test_a_failure_in_a_re_run_keeps_the_first_run_intact(wages, monkeypatch):
    bill()
    before = snapshot()
    monkeypatch.setattr(run_module._Month, "_ledger", lambda self, invoices: 1 / 0)
    with pytest.raises(ZeroDivisionError):
        bill()
    assert snapshot() == before
    assert ledger_check().ok


def test_progress_is_reported_by_stage(wages):
    seen: list[str] = []
    billing_run("2025-03", as_of=AS_OF, progress=lambda stage, done, total: seen.append(stage))
    for stage in ("penalties", "replace", "read", "compute", "payers", "lines", "ledger"):
        assert stage in seen
