"""Late-payment penalties, computed by hand: every rupiah paid late bears rate x months once."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from jamsos.billing.models import InvoiceItem, JournalKind, Posting
from jamsos.billing.services.ledger import ledger_check
from jamsos.billing.services.payments import payment_post
from jamsos.billing.services.penalties import penalties_accrue
from jamsos.billing.tests.conftest import invoice_make, payer_make
from jamsos.billing.tests.test_ledger_helpers import billed
from jamsos.legal import Period, Segment, due_date, late_penalty

pytestmark = pytest.mark.django_db

DUE = date(2025, 4, 15)  # 2025-03's PU due date


def pay(payer, amount: int, ref: str, on: date):
    return payment_post(
        virtual_account=payer.virtual_account,
        amount_idr=amount,
        bank_ref=ref,
        paid_on=on,
        channel="cli",
    )


@pytest.fixture
def late(world):
    """A PU JHT item of Rp 1,000,000 for March 2025, due 15 April 2025."""
    payer = payer_make(employer=world.employer)
    invoice = invoice_make(payer, "2025-03", due_date=DUE, items=[("PU", "JHT", 1_000_000)])
    billed(invoice)
    return payer, invoice.items.get()


def charges(payer) -> list[tuple[int, int, int]]:
    return [(c.base_idr, c.months, c.amount_idr) for c in payer.penalties.order_by("id")]


def test_due_date_is_what_the_law_says():
    assert due_date(Segment.PU, Period(2025, 3)) == DUE


def test_paid_in_full_in_the_second_started_month(late):
    payer, item = late
    result = pay(payer, 1_000_000, "R-1", date(2025, 5, 20))
    assert charges(payer) == [(1_000_000, 2, 40_000)]
    assert sum(c.amount_idr for c in result.penalties) == 40_000
    assert late_penalty(Segment.PU, Period(2025, 3), 1_000_000, date(2025, 5, 20)).amount_idr == (
        40_000
    )
    item.refresh_from_db()
    assert item.penalty_months == 0  # nothing left open: the counter is about the open rest
    check = ledger_check()
    assert check.ok, check.problems
    assert check.balances["4200"] == -40_000


def test_on_time_and_on_the_due_date_bear_nothing(late):
    payer, _ = late
    pay(payer, 500_000, "R-1", date(2025, 4, 1))
    pay(payer, 500_000, "R-2", DUE)
    assert charges(payer) == []


def test_run_accrual_then_partial_payments_add_up_to_rate_times_months(late):
    payer, item = late
    assert penalties_accrue(on=date(2025, 5, 1)) == 1  # 1 started month on 1,000,000
    item.refresh_from_db()
    assert item.penalty_months == 1
    pay(payer, 400_000, "R-1", date(2025, 5, 20))  # 2nd month on the 400,000 paid
    assert penalties_accrue(on=date(2025, 6, 1)) == 1  # 2nd month on the 600,000 still open
    assert penalties_accrue(on=date(2025, 6, 1)) == 0  # never twice
    pay(payer, 600_000, "R-2", date(2025, 6, 10))  # still 2 months late: nothing more
    assert charges(payer) == [(1_000_000, 1, 20_000), (400_000, 1, 8_000), (600_000, 1, 12_000)]
    # 400,000 x 2 x 2% + 600,000 x 2 x 2% = 16,000 + 24,000
    assert sum(c[2] for c in charges(payer)) == 40_000
    entries = Posting.objects.filter(entry__kind=JournalKind.PENALTY, account="1200")
    assert sum(entries.values_list("debit_idr", flat=True)) == 40_000
    assert ledger_check().ok


def test_a_payment_dated_before_a_run_that_charged_too_many_months_is_reversed(late):
    payer, _ = late
    penalties_accrue(on=date(2025, 5, 20))  # 2 months charged on 1,000,000
    pay(payer, 1_000_000, "R-1", date(2025, 5, 10))  # but it was paid 1 month late
    assert charges(payer) == [(1_000_000, 2, 40_000), (-1_000_000, 1, -20_000)]
    check = ledger_check()
    assert check.ok, check.problems
    assert check.balances["4200"] == -20_000


def test_pp_49_2020_month_at_half_a_percent(world):
    payer = payer_make(employer=world.employer)
    due = due_date(Segment.PU, Period(2020, 9))
    assert due == date(2020, 10, 30)  # PP 49/2020 Pasal 4: the 30th
    invoice = invoice_make(payer, "2020-09", due_date=due, items=[("PU", "JKK", 1_000_000)])
    billed(invoice)
    pay(payer, 1_000_000, "R-1", date(2020, 12, 15))  # Nov, Dec: 2 started months
    assert charges(payer) == [(1_000_000, 2, 10_000)]
    assert payer.penalties.get().rate == Decimal("0.005")
    assert "PP 49/2020" in payer.penalties.get().reference


def test_bpu_is_not_fined(world):
    payer = payer_make(person=world.bpu_person)
    invoice = invoice_make(
        payer, "2025-03", due_date=date(2025, 3, 15), items=[("BPU", "JHT", 20_000)]
    )
    billed(invoice)
    assert penalties_accrue(on=date(2025, 9, 1)) == 0
    pay(payer, 20_000, "R-1", date(2025, 9, 1))
    assert charges(payer) == []


def test_accrual_is_limited_to_the_payers_asked(world, late):
    payer, _ = late
    other = payer_make(sponsor_ref="APBD-1")
    billed(invoice_make(other, "2025-03", due_date=DUE, items=[("PU", "JKK", 500)]))
    assert penalties_accrue(on=date(2025, 5, 1), payer_ids=[other.id]) == 1
    assert penalties_accrue(on=date(2025, 5, 1), payer_ids=[]) == 0
    assert charges(payer) == []
    assert penalties_accrue(on=date(2025, 5, 1)) == 1
    assert charges(payer) == [(1_000_000, 1, 20_000)]
    assert charges(other) == [(500, 1, 10)]


def test_rounding_is_half_up_once_per_charge(world):
    payer = payer_make(employer=world.employer)
    billed(invoice_make(payer, "2025-03", due_date=DUE, items=[("PU", "JKK", 25)]))
    pay(payer, 25, "R-1", date(2025, 5, 1))  # 25 x 1 x 2% = 0.5 -> 1
    assert charges(payer) == [(25, 1, 1)]


def test_penalty_item_is_paid_after_contributions_and_not_fined(world, late):
    payer, _ = late
    penalties_accrue(on=date(2025, 5, 1))
    charge = payer.penalties.get()
    # what the next run does: carry the charge onto the April invoice as a penalty item
    april = invoice_make(payer, "2025-04", due_date=date(2025, 5, 15), items=[("PU", "JKK", 100)])
    billed(april)
    penalty = InvoiceItem.objects.create(
        invoice=april, kind="penalty", segment="PU", rank=9, due_date=april.due_date,
        amount_idr=charge.amount_idr,
    )  # fmt: skip
    april.penalty_idr = charge.amount_idr
    april.total_idr += charge.amount_idr
    april.save()
    charge.billed_on = penalty
    charge.save()
    assert ledger_check().ok
    pay(payer, 1_000_000 + 100 + 20_000, "R-1", date(2025, 5, 10))
    penalty.refresh_from_db()
    assert penalty.paid_idr == 20_000
    assert charges(payer) == [(1_000_000, 1, 20_000)]  # paid in month 1, already charged
    check = ledger_check()
    assert check.ok, check.problems


def test_many_payer_ids_are_taken_in_batches(late):
    payer, _ = late
    ids = [*range(10**9, 10**9 + 12_000), payer.id]
    assert penalties_accrue(on=date(2025, 5, 1), payer_ids=ids) == 1
    assert charges(payer) == [(1_000_000, 1, 20_000)]
