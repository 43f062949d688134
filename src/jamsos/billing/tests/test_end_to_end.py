"""March and April 2025, end to end, against figures computed by hand from rules.md.

An employer (large, JKK risk class 1) with two PU workers (Rp 5,000,000 and Rp 12,000,000), a BPU
worker paying for herself (Rp 1,000,000 declared income, with JHT) and a BPU worker sponsored by
the regency budget. March is billed, the employer pays part on time, April is billed with the
penalty on what was left, the employer pays March's rest late; then penalties, arrears, active
months and JHT balances are checked figure by figure.

Hand computation (rules.md sections 2 and 3; JP wage cap Rp 10,547,400 from March 2025):

  worker A, wage 5,000,000: JKK 0.24% 12,000; JKM 0.30% 15,000; JHT 3.7% 185,000 + 2% 100,000;
                            JP 2% 100,000 + 1% 50,000                        total   462,000
  worker B, wage 12,000,000: JKK 28,800; JKM 36,000; JHT 444,000 + 240,000;
                             JP on the cap 10,547,400: 210,948 + 105,474     total 1,065,222
  employer's month: JKK 40,800; JKM 51,000; JHT 969,000; JP 466,422          total 1,527,222
  BPU with JHT at Rp 1,000,000: JKK 1% 10,000; JKM 6,800; JHT 2% 20,000      total    36,800
  sponsored BPU without JHT: 16,800.
  Due dates: PU March 15 April 2025, April 15 May 2025; BPU March 17 March 2025 (15th a Saturday).
"""

from __future__ import annotations

from datetime import date

import pytest

from jamsos.access.scope import Scope
from jamsos.billing.models import (
    Invoice,
    InvoiceKind,
    InvoiceLine,
    InvoiceStatus,
    ItemKind,
    PenaltyCharge,
)
from jamsos.billing.selectors import active_months, arrears_by_payer
from jamsos.billing.services.jht import jht_balance
from jamsos.billing.services.ledger import ledger_check
from jamsos.billing.services.payments import payment_post
from jamsos.billing.services.run import billing_run

ADMIN = Scope.operator("penguji")


def _invoice(payer_kind: str, period: str, **filters) -> Invoice:
    return Invoice.objects.get(
        payer__kind=payer_kind, period=period, kind=InvoiceKind.REGULAR, **filters
    )


def _items(invoice: Invoice) -> dict[str, tuple[int, int]]:
    return {
        (item.program or "DENDA"): (item.amount_idr, item.paid_idr)
        for item in invoice.items.order_by("rank")
    }


def _pay(payer_va: str, amount: int, ref: str, on: date):
    return payment_post(
        virtual_account=payer_va,
        amount_idr=amount,
        bank_ref=ref,
        paid_on=on,
        channel="api",
        by=ADMIN,
    )


@pytest.mark.django_db
def test_march_and_april_2025_match_the_hand_computed_figures(world):
    # -- March, issued 1 April ---------------------------------------------------------------
    march = billing_run("2025-03", as_of=date(2025, 4, 1), by=ADMIN)
    assert march.status == "finished"
    employer_march = _invoice("employer", "2025-03", payer__employer=world.employer)
    assert employer_march.due_date == date(2025, 4, 15)
    assert employer_march.contribution_idr == 1_527_222
    assert employer_march.penalty_idr == 0
    assert _items(employer_march) == {
        "JKK": (40_800, 0),
        "JKM": (51_000, 0),
        "JHT": (969_000, 0),
        "JP": (466_422, 0),
    }
    lines = {
        line.membership_id: line.total_idr
        for line in InvoiceLine.objects.filter(invoice=employer_march)
    }
    assert lines == {world.worker_a.pk: 462_000, world.worker_b.pk: 1_065_222}
    bpu_march = _invoice("participant", "2025-03", payer__person=world.bpu_person)
    assert (bpu_march.total_idr, bpu_march.due_date) == (36_800, date(2025, 3, 17))
    sponsor_march = _invoice("sponsor", "2025-03", payer__sponsor_ref="APBD-3204")
    assert sponsor_march.total_idr == 16_800

    # The employer pays Rp 1,000,000 on time: JKK, JKM, then JHT in part (rank order).
    employer_va = employer_march.payer.virtual_account
    first = _pay(employer_va, 1_000_000, "BNI-0410-001", date(2025, 4, 10))
    assert first.created
    assert not first.penalties
    employer_march.refresh_from_db()
    assert employer_march.status == InvoiceStatus.PARTIAL
    assert _items(employer_march) == {
        "JKK": (40_800, 40_800),
        "JKM": (51_000, 51_000),
        "JHT": (969_000, 908_200),
        "JP": (466_422, 0),
    }
    # The BPU worker pays her March in full (late, but BPU are not fined).
    _pay(bpu_march.payer.virtual_account, 36_800, "BRI-0405-777", date(2025, 4, 5))
    # The same bank reference again is the same payment, not a second one.
    assert _pay(employer_va, 1_000_000, "BNI-0410-001", date(2025, 4, 10)).already_posted

    # -- April, issued 1 May: one started month of delay on March's unpaid Rp 527,222 ---------
    billing_run("2025-04", as_of=date(2025, 5, 1), by=ADMIN)
    employer_april = _invoice("employer", "2025-04", payer__employer=world.employer)
    # JHT 60,800 x 2% = 1,216; JP 466,422 x 2% = 9,328.44 -> 9,328; together 10,544.
    assert employer_april.contribution_idr == 1_527_222
    assert employer_april.penalty_idr == 10_544
    assert employer_april.total_idr == 1_537_766
    assert employer_april.due_date == date(2025, 5, 15)
    assert employer_april.items.get(kind=ItemKind.PENALTY).amount_idr == 10_544
    # The BPU worker is never fined; her April is a plain 36,800.
    assert _invoice("participant", "2025-04", payer__person=world.bpu_person).total_idr == 36_800

    # The employer pays March's rest on 20 May: two started months late (15 Apr -> 20 May), one
    # already charged, so one more month on the amounts paid: 1,216 + 9,328 = 10,544, carried
    # to the next invoice. In all, March's late rupiah bore 21,088 (2 x 10,544).
    late = _pay(employer_va, 527_222, "BNI-0520-002", date(2025, 5, 20))
    assert sum(charge.amount_idr for charge in late.penalties) == 10_544
    employer_march.refresh_from_db()
    assert employer_march.status == InvoiceStatus.PAID
    assert employer_march.paid_on == date(2025, 5, 20)
    fined = PenaltyCharge.objects.filter(source_item__invoice=employer_march)
    assert sum(charge.amount_idr for charge in fined) == 21_088

    # -- What the registry now knows ----------------------------------------------------------
    assert active_months(world.worker_a) == ["2025-03"]
    assert active_months(world.worker_b) == ["2025-03"]
    assert active_months(world.bpu) == ["2025-03"]
    assert active_months(world.sponsored) == []  # the regency has paid nothing yet
    assert jht_balance(world.worker_a.person_id) == 285_000  # 3.7% + 2% of 5,000,000
    assert jht_balance(world.worker_b.person_id) == 684_000  # 5.7% of 12,000,000
    assert jht_balance(world.bpu_person) == 20_000  # 2% of 1,000,000

    # Arrears on 20 June: April's Rp 1,537,766 (due 15 May, 36 days) in 31-60; the penalty
    # accrued on 20 May, not yet invoiced, aged from March's due date (66 days) in 61-90.
    employer_payer = employer_march.payer
    rows = {row.payer_id: row for row in arrears_by_payer(ADMIN, as_of=date(2025, 6, 20))}
    row = rows[employer_payer.pk]
    assert row.buckets == [0, 1_537_766, 10_544, 0]
    assert row.total_idr == 1_548_310

    check = ledger_check()
    assert check.ok, check.problems
