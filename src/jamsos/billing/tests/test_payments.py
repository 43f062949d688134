"""Posting payments: validation, idempotency, allocation order, credit, settlement, JHT."""

from __future__ import annotations

from datetime import date

import pytest

from jamsos.access.models import AuditEvent
from jamsos.access.scope import Scope
from jamsos.billing.errors import (
    AmountNotPositive,
    BankRefConflict,
    CurrencyNotIdr,
    PaidInFuture,
    RequiredField,
    VirtualAccountInvalid,
    VirtualAccountUnknown,
)
from jamsos.billing.identifiers import virtual_account_for
from jamsos.billing.models import (
    Account,
    Allocation,
    Invoice,
    InvoiceItem,
    InvoiceLine,
    InvoiceStatus,
    JhtEntry,
    JournalEntry,
    JournalKind,
    Payer,
    Payment,
)
from jamsos.billing.services.ledger import ledger_check, payer_balances
from jamsos.billing.services.payments import amount_parse, credits_apply, payment_post
from jamsos.billing.services.settlement import invoices_settle
from jamsos.billing.tests.conftest import invoice_make, payer_make
from jamsos.billing.tests.test_ledger_helpers import billed

pytestmark = pytest.mark.django_db

DUE = date(2025, 4, 15)


def pay(payer: Payer, amount: int, ref: str, on: date = date(2025, 4, 10), **kw) -> object:
    return payment_post(
        virtual_account=payer.virtual_account,
        amount_idr=amount,
        bank_ref=ref,
        paid_on=on,
        channel=kw.pop("channel", "api"),
        **kw,
    )


@pytest.fixture
def employer_invoice(world):
    """March 2025 for the two PU workers: items by program, lines per worker."""
    payer = payer_make(employer=world.employer)
    invoice = invoice_make(
        payer,
        "2025-03",
        due_date=DUE,
        items=[("PU", "JKK", 40_000), ("PU", "JKM", 30_000), ("PU", "JHT", 500_000)],
        lines=[
            (world.worker_a, {"jkk_idr": 10_000, "jkm_idr": 10_000, "jht_employer_idr": 100_000,
                              "jht_worker_idr": 50_000, "base_idr": 5_000_000}),
            (world.worker_b, {"jkk_idr": 30_000, "jkm_idr": 20_000, "jht_employer_idr": 250_000,
                              "jht_worker_idr": 100_000, "base_idr": 12_000_000}),
        ],
    )  # fmt: skip
    billed(invoice)
    return payer, invoice


# -- bad input ---------------------------------------------------------------------------------


@pytest.mark.parametrize("amount", [0, -1, -500_000, 1.5, 1000.0, True, "1000", None])
def test_amount_must_be_a_positive_whole_number(employer_invoice, amount):
    payer, _ = employer_invoice
    with pytest.raises(AmountNotPositive) as caught:
        pay(payer, amount, "R-1")
    assert caught.value.field == "amount"
    assert Payment.objects.count() == 0


def test_bad_virtual_accounts_are_refused(employer_invoice):
    payer, _ = employer_invoice
    va = payer.virtual_account
    broken = va[:-1] + str((int(va[-1]) + 1) % 10)
    for bad in (broken, "12345", "99" + va[2:], "abc"):
        with pytest.raises(VirtualAccountInvalid):
            payment_post(
                virtual_account=bad, amount_idr=1, bank_ref="R", paid_on=DUE, channel="api"
            )
    unknown = virtual_account_for("employer", 777_777_777)
    with pytest.raises(VirtualAccountUnknown) as caught:
        payment_post(
            virtual_account=unknown, amount_idr=1, bank_ref="R", paid_on=DUE, channel="api"
        )
    assert caught.value.code == "billing.virtual_account_unknown"
    assert caught.value.http_status == 404
    assert Payment.objects.count() == 0


def test_currency_date_and_reference_are_checked(employer_invoice):
    payer, _ = employer_invoice
    with pytest.raises(CurrencyNotIdr):
        pay(payer, 1000, "R-1", currency="USD")
    with pytest.raises(PaidInFuture):
        pay(payer, 1000, "R-1", on=date(2999, 1, 1))
    with pytest.raises(RequiredField) as caught:
        pay(payer, 1000, "   ")
    assert caught.value.field == "bank_ref"
    assert pay(payer, 1000, "R-1", currency=" idr ").created
    assert caught.value.message_in("en") == "Bank reference is required."
    assert caught.value.message_in("id") == "Referensi bank wajib diisi."


def test_amount_parse():
    assert amount_parse("1.250.000") == 1_250_000
    assert amount_parse("1,250,000.00") == 1_250_000
    assert amount_parse("570000") == 570_000
    for bad in ("", "0", "-5", "12.5", "1.25", "1e6", "abc", "1.2500.000"):
        with pytest.raises(AmountNotPositive):
            amount_parse(bad)


# -- idempotency -------------------------------------------------------------------------------


def test_same_reference_same_content_is_one_payment(employer_invoice):
    payer, _ = employer_invoice
    first = pay(payer, 100_000, "BCA-1")
    again = pay(payer, 100_000, "BCA-1")
    assert first.created
    assert again.already_posted
    assert again.payment.pk == first.payment.pk
    assert [a.amount_idr for a in again.allocations] == [40_000, 30_000, 30_000]
    assert Payment.objects.count() == 1
    assert Allocation.objects.count() == 3


def test_same_reference_different_content_conflicts(employer_invoice):
    payer, _ = employer_invoice
    pay(payer, 100_000, "BCA-1")
    for kw in ({"amount": 100_001}, {"on": date(2025, 4, 11)}):
        with pytest.raises(BankRefConflict) as caught:
            pay(payer, kw.get("amount", 100_000), "BCA-1", on=kw.get("on", date(2025, 4, 10)))
        assert caught.value.http_status == 409
    other = payer_make(sponsor_ref="CSR-1")
    with pytest.raises(BankRefConflict):
        pay(other, 100_000, "BCA-1")
    assert Payment.objects.count() == 1


# -- allocation --------------------------------------------------------------------------------


def test_partial_payment_by_rank_leaves_the_rest_open(employer_invoice):
    payer, invoice = employer_invoice
    result = pay(payer, 100_000, "R-1", by=Scope.operator("kasir"))
    items = {i.program: i for i in InvoiceItem.objects.filter(invoice=invoice)}
    assert (items["JKK"].paid_idr, items["JKM"].paid_idr, items["JHT"].paid_idr) == (
        40_000,
        30_000,
        30_000,
    )
    invoice.refresh_from_db()
    assert (invoice.status, invoice.paid_idr) == (InvoiceStatus.PARTIAL, 100_000)
    assert not InvoiceLine.objects.filter(paid_on__isnull=False).exists()
    assert not JhtEntry.objects.exists()
    assert result.payment.to_credit_idr == 0
    event = AuditEvent.objects.get(target_type="billing.payment")
    assert (event.actor_name, event.detail["amount_idr"]) == ("kasir", 100_000)
    assert ledger_check().ok


def test_oldest_due_first_across_invoices(world):
    payer = payer_make(employer=world.employer)
    newer = invoice_make(payer, "2025-04", due_date=date(2025, 5, 15), items=[("PU", "JKK", 50)])
    older = invoice_make(payer, "2025-03", due_date=DUE, items=[("PU", "JHT", 70)])
    billed(newer), billed(older)
    pay(payer, 100, "R-1", on=date(2025, 4, 1))
    older.refresh_from_db(), newer.refresh_from_db()
    assert (older.paid_idr, older.status) == (70, InvoiceStatus.PAID)
    assert (newer.paid_idr, newer.status) == (30, InvoiceStatus.PARTIAL)
    assert older.paid_on == date(2025, 4, 1)


def test_full_payment_marks_lines_active_and_credits_jht_once(world, employer_invoice):
    payer, invoice = employer_invoice
    result = pay(payer, 600_000, "R-1")
    assert (result.payment.allocated_idr, result.payment.to_credit_idr) == (570_000, 30_000)
    invoice.refresh_from_db()
    assert (invoice.status, invoice.paid_on) == (InvoiceStatus.PAID, date(2025, 4, 10))
    assert set(InvoiceLine.objects.values_list("paid_on", flat=True)) == {date(2025, 4, 10)}
    jht = {e.person_id: e.amount_idr for e in JhtEntry.objects.all()}
    assert jht == {world.worker_a.person_id: 150_000, world.worker_b.person_id: 350_000}
    invoices_settle([invoice.id], date(2025, 5, 1))
    assert JhtEntry.objects.count() == 2
    assert set(InvoiceLine.objects.values_list("paid_on", flat=True)) == {date(2025, 4, 10)}
    payer.refresh_from_db()
    assert payer.credit_idr == 30_000
    assert payer_balances([payer.id])[(payer.id, Account.PAYER_CREDIT)] == -30_000
    check = ledger_check()
    assert check.ok, check.problems


def test_lines_of_a_segment_are_active_only_when_its_items_are_paid(world):
    payer = payer_make(employer=world.employer)
    invoice = invoice_make(
        payer,
        "2025-03",
        due_date=DUE,
        items=[("PU", "JKK", 100), ("BPU", "JKK", 50)],
        lines=[
            (world.worker_a, {"jkk_idr": 100, "base_idr": 1}),
            (world.bpu, {"jkk_idr": 50, "base_idr": 1}),
        ],
    )
    billed(invoice)
    pay(payer, 100, "R-1")
    paid = dict(InvoiceLine.objects.values_list("segment", "paid_on"))
    assert paid == {"PU": date(2025, 4, 10), "BPU": None}


def test_overpayment_becomes_credit_and_pays_the_next_invoice(world, employer_invoice):
    payer, _ = employer_invoice
    pay(payer, 670_000, "R-1")
    payer.refresh_from_db()
    assert payer.credit_idr == 100_000
    april = invoice_make(payer, "2025-04", due_date=date(2025, 5, 15), items=[("PU", "JKK", 60)])
    billed(april)
    assert credits_apply([payer.id], date(2025, 5, 1)) == 60
    payer.refresh_from_db()
    april.refresh_from_db()
    assert (payer.credit_idr, april.status) == (99_940, InvoiceStatus.PAID)
    allocation = Allocation.objects.get(item__invoice=april)
    assert allocation.from_credit
    assert allocation.payment is None
    assert JournalEntry.objects.filter(kind=JournalKind.CREDIT_USE).count() == 1
    assert credits_apply([payer.id], date(2025, 5, 1)) == 0
    assert credits_apply([], date(2025, 5, 1)) == 0
    check = ledger_check()
    assert check.ok, check.problems


def test_payment_with_nothing_due_is_all_credit(world):
    payer = payer_make(person=world.bpu_person)
    result = pay(payer, 5_000, "R-9")
    assert (result.payment.allocated_idr, result.payment.to_credit_idr) == (0, 5_000)
    assert result.allocations == []
    assert ledger_check().ok


def test_payment_is_all_or_nothing(employer_invoice, monkeypatch):
    payer, invoice = employer_invoice
    from jamsos.billing.services import payments

    def boom(*args, **kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(payments, "invoices_settle", boom)
    with pytest.raises(RuntimeError):
        pay(payer, 100_000, "R-1")
    assert Payment.objects.count() == Allocation.objects.count() == 0
    assert not JournalEntry.objects.filter(kind=JournalKind.PAYMENT).exists()
    assert Invoice.objects.get(pk=invoice.pk).paid_idr == 0
    assert sum(InvoiceItem.objects.values_list("paid_idr", flat=True)) == 0
