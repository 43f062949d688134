"""Bank statement files: every line checked first; a bad file posts nothing."""

from __future__ import annotations

from datetime import date

import pytest

from jamsos.billing.errors import StatementHasErrors, StatementMalformed
from jamsos.billing.identifiers import virtual_account_for
from jamsos.billing.models import JournalEntry, Payment, PaymentChannel, StatementFile
from jamsos.billing.services.ledger import ledger_check
from jamsos.billing.services.payments import payment_post
from jamsos.billing.services.statements import statement_post
from jamsos.billing.tests.conftest import invoice_make, payer_make
from jamsos.billing.tests.test_ledger_helpers import billed

pytestmark = pytest.mark.django_db

DUE = date(2025, 4, 15)
HEADER = "bank_ref,virtual_account,amount,currency,paid_on,payer_name,description"


@pytest.fixture
def payers(world):
    employer = payer_make(employer=world.employer)
    person = payer_make(person=world.bpu_person)
    billed(
        invoice_make(employer, "2025-03", due_date=date(2025, 4, 15), items=[("PU", "JKK", 900)])
    )
    billed(invoice_make(person, "2025-03", due_date=date(2025, 3, 15), items=[("BPU", "JHT", 300)]))
    return employer, person


def csv_of(*lines: str, header: str = HEADER) -> bytes:
    return ("\n".join([header, *lines]) + "\n").encode()


def test_good_file_posts_in_date_order_and_is_idempotent(payers):
    employer, person = payers
    content = csv_of(
        f"B-2,{employer.virtual_account},500,IDR,2025-04-12,PT Maju,Iuran Maret",
        f"B-1,{employer.virtual_account},400,IDR,2025-04-10,PT Maju,",
        f"B-3,{person.virtual_account},300,idr,2025-03-14,Ani,",
    )
    result = statement_post(content, name="bca-2025-04.csv")
    assert (result.posted, result.already_posted, result.amount_idr) == (3, 0, 1200)
    payments = list(Payment.objects.order_by("id").values_list("bank_ref", "channel", "note"))
    assert payments == [
        ("B-3", PaymentChannel.STATEMENT, ""),
        ("B-1", PaymentChannel.STATEMENT, ""),
        ("B-2", PaymentChannel.STATEMENT, "Iuran Maret"),
    ]
    statement = StatementFile.objects.get()
    assert (statement.lines, statement.posted, statement.amount_idr) == (3, 3, 1200)
    assert set(Payment.objects.values_list("statement_id", flat=True)) == {statement.id}
    again = statement_post(content, name="again.csv")
    assert again.repeated
    assert again.statement.pk == statement.pk
    assert Payment.objects.count() == 3
    assert ledger_check().ok


def test_semicolon_bom_and_overlap_with_earlier_postings(payers):
    employer, person = payers
    payment_post(
        virtual_account=employer.virtual_account,
        amount_idr=400,
        bank_ref="B-1",
        paid_on=date(2025, 4, 10),
        channel="api",
    )
    content = "\ufeff" + "\n".join(
        [
            "paid_on;amount;virtual_account;bank_ref;currency;extra",
            f"2025-04-10;400;{employer.virtual_account};B-1;IDR;x",
            f"2025-04-11;1.250,00;{person.virtual_account};B-9;IDR;y",
        ]
    )
    result = statement_post(content.encode(), name="mandiri.csv")
    assert (result.posted, result.already_posted) == (1, 1)
    assert Payment.objects.get(bank_ref="B-9").amount_idr == 1250
    assert Payment.objects.get(bank_ref="B-1").channel == "api"


def test_dry_run_writes_nothing(payers):
    employer, _ = payers
    result = statement_post(
        csv_of(f"B-1,{employer.virtual_account},400,IDR,2025-04-10,,"), name="x", dry_run=True
    )
    assert (result.posted, result.dry_run, result.statement) == (1, True, None)
    assert not Payment.objects.exists()
    assert not StatementFile.objects.exists()


def test_every_bad_line_is_reported_and_nothing_is_posted(payers):
    employer, person = payers
    va = employer.virtual_account
    broken = va[:-1] + str((int(va[-1]) + 1) % 10)
    unknown = virtual_account_for("sponsor", 123_456)
    payment_post(
        virtual_account=va, amount_idr=10, bank_ref="OLD", paid_on=date(2025, 4, 1), channel="api"
    )
    before = JournalEntry.objects.count()
    content = csv_of(
        f"G-1,{person.virtual_account},300,IDR,2025-04-10,,",  # 2: good
        f"X-1,{broken},100,IDR,2025-04-10,,",  # 3: check digit
        f"X-2,{unknown},100,IDR,2025-04-10,,",  # 4: no payer
        f"X-3,{va},0,IDR,2025-04-10,,",  # 5: zero
        f"X-4,{va},-5,IDR,2025-04-10,,",  # 6: negative
        f"X-5,{va},12.5,IDR,2025-04-10,,",  # 7: not whole
        f"X-6,{va},100,USD,2025-04-10,,",  # 8: currency
        f"X-7,{va},100,IDR,10/04/2025,,",  # 9: date format
        f"DUP,{va},100,IDR,2025-04-10,,",  # 10: duplicate in file
        f"DUP,{va},100,IDR,2025-04-10,,",  # 11: duplicate in file
        f"OLD,{va},11,IDR,2025-04-01,,",  # 12: reference used for another amount
        f",{va},100,IDR,2025-04-10,,",  # 13: no reference
        f"X-8,{va},100,IDR,2999-01-01,,",  # 14: future
    )
    with pytest.raises(StatementHasErrors) as caught:
        statement_post(content, name="bad.csv")
    found = {(e.line, e.field, e.code) for e in caught.value.lines}
    assert found == {
        (3, "virtual_account", "billing.virtual_account_invalid"),
        (4, "virtual_account", "billing.virtual_account_unknown"),
        (5, "amount", "billing.amount_not_positive"),
        (6, "amount", "billing.amount_not_positive"),
        (7, "amount", "billing.amount_not_positive"),
        (8, "currency", "billing.currency_not_idr"),
        (9, "paid_on", "billing.bad_date"),
        (10, "bank_ref", "billing.duplicate_line"),
        (11, "bank_ref", "billing.duplicate_line"),
        (12, "bank_ref", "billing.bank_ref_conflict"),
        (13, "bank_ref", "billing.required"),
        (14, "paid_on", "billing.paid_in_future"),
    }
    assert caught.value.message_in("en").startswith("The bank statement file has 12 bad lines")
    dup = next(e for e in caught.value.lines if e.line == 10)
    assert "lines 10, 11" in dup.message_en
    assert "baris 10, 11" in dup.message_id
    assert caught.value.extra["lines"][0]["line"] == 3
    assert list(Payment.objects.values_list("bank_ref", flat=True)) == ["OLD"]
    assert JournalEntry.objects.count() == before
    assert not StatementFile.objects.exists()


@pytest.mark.parametrize(
    "content",
    [
        b"",
        b"\xff\xfe not utf-8",
        b"bank_ref,amount\nA,1\n",
        HEADER.encode() + b"\n",
        HEADER.encode() + b"\nA,1,2\n",
        b'bank_ref,virtual_account,amount,currency,paid_on\n"A,1,2,3,4\n',
    ],
)
def test_malformed_files(payers, content):
    with pytest.raises(StatementMalformed) as caught:
        statement_post(content, name="bad.csv")
    assert caught.value.field == "file"
    assert not Payment.objects.exists()
    assert not StatementFile.objects.exists()
