"""A bank statement posted set-based (:func:`payments_post_many`) writes what posting its lines
one by one (:func:`payment_post` per line) writes: the same payments, allocations, items,
invoices and lines settled, penalty charges, journal entries and postings, JHT entries, payer
credit and audit records. The file is posted both ways from the same state (the first undone)
and everything it wrote is compared, payments named by their bank reference."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from django.db import IntegrityError, transaction
from django.db.models import F

from jamsos.access.models import AuditEvent
from jamsos.billing.models import (
    Allocation,
    Invoice,
    InvoiceItem,
    InvoiceLine,
    JhtEntry,
    JournalEntry,
    Payer,
    Payment,
    PenaltyCharge,
    Posting,
)
from jamsos.billing.services import statements
from jamsos.billing.services.ledger import ledger_check
from jamsos.billing.services.statements import statement_post
from jamsos.billing.tests.conftest import invoice_make, payer_make
from jamsos.billing.tests.test_ledger_helpers import billed

pytestmark = pytest.mark.django_db

HEADER = "bank_ref,virtual_account,amount,currency,paid_on,payer_name,description"


class _Undo(Exception):
    pass


def _snapshot() -> dict[str, Any]:
    refs = dict(Payment.objects.values_list("pk", "bank_ref"))
    entries = {
        e.pk: (e.kind, e.booked_on, e.memo, refs.get(e.payment_id), e.run_id)
        for e in JournalEntry.objects.all()
    }
    postings: dict[int, list[tuple[Any, ...]]] = {}
    for p in Posting.objects.all():
        postings.setdefault(p.entry_id, []).append(
            (p.account, p.payer_id, p.debit_idr, p.credit_idr)
        )
    return {
        "payments": sorted(
            Payment.objects.values_list(
                "bank_ref",
                "payer_id",
                "virtual_account",
                "amount_idr",
                "paid_on",
                "channel",
                "statement_id",
                "allocated_idr",
                "to_credit_idr",
                "note",
            )
        ),
        "allocations": sorted(
            (refs.get(a.payment_id), a.item_id, a.amount_idr, a.applied_on, a.from_credit)
            for a in Allocation.objects.all()
        ),
        "items": sorted(InvoiceItem.objects.values_list("pk", "paid_idr", "amount_idr")),
        "invoices": sorted(Invoice.objects.values_list("pk", "status", "paid_idr", "paid_on")),
        "lines": sorted(InvoiceLine.objects.values_list("pk", "paid_on")),
        "charges": sorted(
            PenaltyCharge.objects.values_list(
                "payer_id",
                "source_item_id",
                "base_idr",
                "months",
                "rate",
                "amount_idr",
                "accrued_on",
                "reference",
            )
        ),
        "entries": sorted(
            (entries[pk], sorted(rows)) for pk, rows in postings.items() if pk in entries
        ),
        "jht": sorted(
            JhtEntry.objects.values_list(
                "person_id", "kind", "period", "line_id", "amount_idr", "booked_on", "reference"
            )
        ),
        "credit": sorted(Payer.objects.values_list("pk", "credit_idr")),
        "audit": sorted(
            (
                e.action,
                e.target_type,
                refs.get(int(e.target_id)),
                e.target_label,
                sorted(e.detail.items()),
            )
            for e in AuditEvent.objects.filter(target_type="billing.payment")
        ),
    }


def _posted(content: bytes, how: str, monkeypatch) -> tuple[dict[str, Any], Any]:
    monkeypatch.setattr(statements, "POSTING", how)
    result = statement_post(content, name=f"{how}.csv")
    assert ledger_check().ok
    snapshot = _snapshot()
    snapshot["result"] = (result.posted, result.already_posted, result.amount_idr)
    return snapshot, result


def test_bulk_posting_writes_what_posting_line_by_line_writes(world, monkeypatch):
    # given: an employer with three months billed (two overdue: penalties when paid late), a
    # worker who pays herself, and a sponsor; lines paying in part, in full, too much, late
    employer = payer_make(employer=world.employer)
    person = payer_make(person=world.bpu_person)
    sponsor = payer_make(sponsor_ref="APBD-3204")
    line_amounts = {"jkk_idr": 12_000, "jht_employer_idr": 185_000, "base_idr": 5_000_000}
    for period, due in (
        ("2025-01", date(2025, 2, 15)),
        ("2025-02", date(2025, 3, 15)),
        ("2025-03", date(2025, 4, 15)),
    ):
        billed(
            invoice_make(
                employer,
                period,
                due_date=due,
                items=[("PU", "JKK", 12_000), ("PU", "JHT", 185_000), ("PU", "JP", 150_000)],
                lines=[(world.worker_a, line_amounts)],
            )
        )
    billed(
        invoice_make(
            person,
            "2025-03",
            due_date=date(2025, 3, 15),
            items=[("BPU", "JHT", 20_000)],
            lines=[(world.bpu, {"jht_worker_idr": 20_000, "base_idr": 1_000_000})],
        )
    )
    billed(
        invoice_make(sponsor, "2025-03", due_date=date(2025, 4, 15), items=[("BPU", "", 16_800)])
    )
    va_e, va_p, va_s = employer.virtual_account, person.virtual_account, sponsor.virtual_account
    content = (
        "\n".join(
            [
                HEADER,
                f"E-3,{va_e},400000,IDR,2025-05-20,PT Maju,sisa",
                f"E-1,{va_e},200000,IDR,2025-04-02,PT Maju,sebagian",
                f"P-1,{va_p},50000,IDR,2025-03-10,Ani,lebih",
                f"E-2,{va_e},300000,IDR,2025-04-30,PT Maju,",
                f"S-1,{va_s},16800,IDR,2025-04-15,APBD,",
                f"E-4,{va_e},1000,IDR,2025-05-20,PT Maju,sama hari",
            ]
        )
        + "\n"
    ).encode()
    # when: posted line by line, undone, then posted set-based
    try:
        with transaction.atomic():
            one_by_one, _ = _posted(content, "one_by_one", monkeypatch)
            raise _Undo
    except _Undo:
        pass
    assert not Payment.objects.exists()
    bulk, result = _posted(content, "bulk", monkeypatch)
    # then: the same rows, the file's record aside (its id differs)
    one_by_one["payments"] = [p[:6] + p[7:] for p in one_by_one["payments"]]
    bulk["payments"] = [p[:6] + p[7:] for p in bulk["payments"]]
    for key in one_by_one:
        assert bulk[key] == one_by_one[key], key
    assert bulk["result"] == (6, 0, 967_800)
    assert bulk["charges"], "the late lines were charged penalties"
    assert bulk["jht"], "the paid lines credited JHT"
    assert any(credit for _, credit in bulk["credit"]), "an overpayment was held as credit"
    assert set(Payment.objects.values_list("statement_id", flat=True)) == {result.statement.pk}


def test_a_reference_posted_meanwhile_falls_back_to_one_by_one(world, monkeypatch):
    # given: the bulk insert fails as when another process posted a reference since the check
    employer = payer_make(employer=world.employer)
    billed(
        invoice_make(employer, "2025-03", due_date=date(2025, 4, 15), items=[("PU", "JKK", 900)])
    )
    content = f"{HEADER}\nB-1,{employer.virtual_account},900,IDR,2025-04-10,PT,\n".encode()

    def clash(*args: Any, **kwargs: Any) -> int:
        raise IntegrityError("duplicate key value violates unique constraint")

    monkeypatch.setattr(statements, "payments_post_many", clash)
    # when
    result = statement_post(content, name="a.csv")
    # then: posted by the per-line path, once
    assert result.posted == 1
    assert Payment.objects.get().allocated_idr == 900
    assert ledger_check().ok


def _both_ways(content: bytes, monkeypatch) -> tuple[dict[str, Any], dict[str, Any]]:
    """The file posted line by line (then undone) and set-based, from the same state, with
    the rows each wrote; the file's record id aside."""
    try:
        with transaction.atomic():
            one_by_one, _ = _posted(content, "one_by_one", monkeypatch)
            raise _Undo
    except _Undo:
        pass
    bulk, _ = _posted(content, "bulk", monkeypatch)
    for snapshot in (one_by_one, bulk):
        snapshot["payments"] = [p[:6] + p[7:] for p in snapshot["payments"]]
    return one_by_one, bulk


def _penalty_item_carry(payer: Payer, invoice: Invoice) -> InvoiceItem:
    """What the next run does: the payer's unbilled charges carried onto ``invoice`` as a
    penalty item (ranked after its contributions)."""
    charges = PenaltyCharge.objects.filter(payer=payer, billed_on__isnull=True)
    amount = sum(c.amount_idr for c in charges)
    item = InvoiceItem.objects.create(
        invoice=invoice, kind="penalty", segment="PU", rank=9, due_date=invoice.due_date,
        amount_idr=amount,
    )  # fmt: skip
    invoice.penalty_idr = amount
    invoice.total_idr += amount
    invoice.save()
    charges.update(billed_on=item)
    return item


def test_bulk_posting_matches_line_by_line_across_rounds_penalties_and_segments(world, monkeypatch):
    # given: an employer with three PU months, one item paid before its due date, months of
    # delay charged by a run on 20 April and carried onto the April invoice as a penalty item;
    # a sponsor whose invoice has a PU and a BPU segment (each line is paid when its own
    # segment is); a payer with nothing due and credit already held
    from jamsos.billing.services.payments import payment_post
    from jamsos.billing.services.penalties import penalties_accrue

    employer = payer_make(employer=world.employer)
    sponsor = payer_make(sponsor_ref="APBD-9")
    holder = payer_make(sponsor_ref="APBD-10")
    pu_line = {"jkk_idr": 12_000, "jht_employer_idr": 185_000, "base_idr": 5_000_000}
    for period, due in (
        ("2025-01", date(2025, 2, 15)),
        ("2025-02", date(2025, 3, 15)),
        ("2025-03", date(2025, 4, 15)),
    ):
        billed(
            invoice_make(
                employer,
                period,
                due_date=due,
                items=[("PU", "JKK", 12_000), ("PU", "JHT", 185_000), ("PU", "JP", 150_000)],
                lines=[(world.worker_a, pu_line)],
            )
        )
    billed(
        invoice_make(
            sponsor,
            "2025-03",
            due_date=date(2025, 4, 15),
            items=[("PU", "JKK", 12_000), ("BPU", "JHT", 20_000), ("PU", "JHT", 185_000)],
            lines=[
                (world.worker_a, pu_line),
                (world.bpu, {"jht_worker_idr": 20_000, "base_idr": 1_000_000}),
            ],
        )
    )
    va_e, va_s, va_h = employer.virtual_account, sponsor.virtual_account, holder.virtual_account
    for ref, va, amount, on in (("PRE-1", va_e, 12_000, date(2025, 2, 10)),
                                ("PRE-2", va_h, 5_000, date(2025, 3, 1))):  # fmt: skip
        payment_post(virtual_account=va, amount_idr=amount, bank_ref=ref, paid_on=on,
                     channel="api")  # fmt: skip
    penalties_accrue(on=date(2025, 4, 20))
    april = invoice_make(
        employer, "2025-04", due_date=date(2025, 5, 15), items=[("PU", "JKK", 100)]
    )
    billed(april)
    penalty_item = _penalty_item_carry(employer, april)
    assert ledger_check().ok
    small = [f"S-{n},{va_s},1000,IDR,2025-04-0{n},APBD,kecil" for n in range(3, 9)]
    content = (
        "\n".join(
            [
                HEADER,
                # before the run's date: fewer months than it charged (reversals)
                f"E-1,{va_e},200000,IDR,2025-04-10,PT Maju,",
                # as many months as charged: no charge; pays January to March in part
                f"E-2,{va_e},500000,IDR,2025-04-25,PT Maju,",
                # a month more on March, April late, the penalty item, the rest held as credit
                f"E-3,{va_e},1000000,IDR,2025-05-20,PT Maju,",
                f"E-4,{va_e},1000,IDR,2025-05-20,PT Maju,",
                f"S-1,{va_s},30000,IDR,2025-04-01,APBD,",
                f"S-2,{va_s},1000,IDR,2025-04-02,APBD,",
                *small,
                f"S-9,{va_s},200000,IDR,2025-04-20,APBD,",
                f"H-1,{va_h},7000,IDR,2025-04-11,APBD,",
            ]
        )
        + "\n"
    ).encode()
    # when
    one_by_one, bulk = _both_ways(content, monkeypatch)
    # then: the same rows
    for key in one_by_one:
        assert bulk[key] == one_by_one[key], key
    assert bulk["result"][0] == 14
    assert any(c[5] < 0 for c in bulk["charges"]), "the early lines reversed months charged"
    penalty_item.refresh_from_db()
    assert penalty_item.paid_idr == penalty_item.amount_idr
    paid_on = dict(
        InvoiceLine.objects.filter(invoice__payer=sponsor).values_list("segment", "paid_on")
    )
    assert paid_on == {"BPU": date(2025, 4, 3), "PU": date(2025, 4, 20)}
    assert Payer.objects.get(pk=holder.pk).credit_idr == 12_000
    assert Payer.objects.get(pk=employer.pk).credit_idr > 0


def test_bulk_posting_tells_participants_what_posting_one_by_one_tells(
    world, monkeypatch, django_capture_on_commit_callbacks
):
    # given: a participant paying for herself twice lately and once long ago, and a sponsor
    from jamsos.billing.services.notices import _payment_received
    from jamsos.core.clock import today_in_jakarta
    from jamsos.notifications.models import Message

    person = payer_make(person=world.bpu_person)
    sponsor = payer_make(sponsor_ref="APBD-11")
    today = today_in_jakarta()
    billed(invoice_make(person, "2025-03", due_date=today, items=[("BPU", "JHT", 20_000)]))
    va_p, va_s = person.virtual_account, sponsor.virtual_account
    content = "\n".join(
        [
            HEADER,
            f"N-1,{va_p},15000,IDR,{today.isoformat()},Ani,",
            f"N-2,{va_p},15000,IDR,{today.isoformat()},Ani,",
            f"N-3,{va_p},1000,IDR,2025-03-01,Ani,lama",
            f"N-4,{va_s},5000,IDR,{today.isoformat()},APBD,",
        ]
    ).encode()
    fields = (
        "kind", "idempotency_key", "channel", "language", "address", "person_id",
        "branch_office_id", "subject", "body", "context", "status", "reason",
    )  # fmt: skip
    # when: posted set-based
    monkeypatch.setattr(statements, "POSTING", "bulk")
    with django_capture_on_commit_callbacks(execute=True):
        statement_post(content, name="n.csv")
    bulk = sorted(Message.objects.values_list(*fields))
    # then: the messages one message per recent payment of the participant, as one by one
    Message.objects.all().delete()
    with django_capture_on_commit_callbacks(execute=True):
        for pk in Payment.objects.values_list("pk", flat=True):
            if Payment.objects.get(pk=pk).paid_on == today:
                _payment_received(pk)
    one_by_one = sorted(Message.objects.values_list(*fields))
    assert len(bulk) == 2
    assert bulk == one_by_one


def test_settling_many_invoices_in_one_pass_writes_what_the_batches_write(world, monkeypatch):
    # given: invoices paid in full, in part and not at all, with PU and BPU lines (JHT)
    from jamsos.billing.services import settlement

    employer = payer_make(employer=world.employer)
    person = payer_make(person=world.bpu_person)
    pu_line = {"jkk_idr": 12_000, "jht_employer_idr": 185_000, "base_idr": 5_000_000}
    invoices = [
        invoice_make(
            employer,
            period,
            due_date=date(2025, 4, 15),
            items=[("PU", "JKK", 12_000), ("PU", "JHT", 185_000)],
            lines=[(world.worker_a, pu_line)],
        )
        for period in ("2025-01", "2025-02", "2025-03")
    ]
    invoices.append(
        invoice_make(
            person,
            "2025-03",
            due_date=date(2025, 4, 15),
            items=[("BPU", "JHT", 20_000)],
            lines=[(world.bpu, {"jht_worker_idr": 20_000, "base_idr": 1_000_000})],
        )
    )
    InvoiceItem.objects.filter(invoice__in=invoices[::2]).update(paid_idr=F("amount_idr"))
    InvoiceItem.objects.filter(invoice=invoices[1], program="JKK").update(paid_idr=5_000)
    ids = [i.pk for i in invoices]

    def settled(batch: int) -> tuple[list[Any], ...]:
        monkeypatch.setattr(settlement, "_BATCH", batch)
        settlement.invoices_settle(ids, date(2025, 5, 2))
        return (
            sorted(Invoice.objects.values_list("pk", "status", "paid_idr", "paid_on")),
            sorted(InvoiceLine.objects.values_list("pk", "paid_on")),
            sorted(
                JhtEntry.objects.values_list(
                    "person_id", "kind", "period", "line_id", "amount_idr", "booked_on"
                )
            ),
        )

    # when: settled by the batch statements (then undone), and in one pass
    try:
        with transaction.atomic():
            batches = settled(2000)
            raise _Undo
    except _Undo:
        pass
    one_pass = settled(1)
    # then
    assert one_pass == batches
    assert len(one_pass[2]) == 2  # two invoices paid in full: JHT credited for their lines
