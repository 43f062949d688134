"""PDFs of invoices and JHT statements, and amounts in Indonesian words."""

from __future__ import annotations

import re
import zlib
from datetime import date

import pytest

from jamsos.billing.models import JhtEntry, JhtKind
from jamsos.billing.services.documents import (
    amount_in_words,
    invoice_pdf,
    jht_statement_pdf,
    latin1,
)
from jamsos.billing.services.jht import jht_statement
from jamsos.billing.tests.conftest import World, invoice_make, payer_make
from jamsos.core.masking import mask_nik

_STREAM = re.compile(rb"stream\r?\n(.*?)\r?\nendstream", re.S)


def pdf_text(content: bytes) -> str:
    """The text drawn in a PDF of core fonts: its content streams, inflated."""
    parts = []
    for raw in _STREAM.findall(content):
        try:
            parts.append(zlib.decompress(raw).decode("latin-1"))
        except zlib.error:
            parts.append(raw.decode("latin-1"))
    return "\n".join(parts)


@pytest.mark.parametrize(
    ("amount", "words"),
    [
        (0, "nol rupiah"),
        (1_000, "seribu rupiah"),
        (11, "sebelas rupiah"),
        (100, "seratus rupiah"),
        (111, "seratus sebelas rupiah"),
        (1_200_000, "satu juta dua ratus ribu rupiah"),
        (1_001_000, "satu juta seribu rupiah"),
        (101_000, "seratus satu ribu rupiah"),
        (2_500_000_000, "dua miliar lima ratus juta rupiah"),
    ],
)
def test_amount_in_words(amount: int, words: str) -> None:
    assert amount_in_words(amount) == words


def test_latin1_folds_what_core_fonts_cannot_show() -> None:
    assert latin1("Dewi Ṣari") == "Dewi Sari"
    assert latin1("José") == "José"
    assert latin1(None) == ""


def test_invoice_pdf_has_the_facts_lines_and_words(world: World) -> None:
    # given: an employer invoice of Rp 1,200,000 with both PU workers
    payer = payer_make(employer=world.employer)
    invoice = invoice_make(
        payer,
        "2025-03",
        due_date=date(2025, 4, 15),
        items=[("PU", "JKK", 200_000), ("PU", "JHT", 1_000_000)],
        lines=[
            (
                world.worker_a,
                {"base_idr": 5_000_000, "jkk_idr": 100_000, "jht_employer_idr": 500_000},
            ),
            (
                world.worker_b,
                {"base_idr": 12_000_000, "jkk_idr": 100_000, "jht_worker_idr": 500_000},
            ),
        ],
    )
    # when
    content = invoice_pdf(invoice)
    # then
    assert content.startswith(b"%PDF")
    text = pdf_text(content)
    assert "satu juta dua ratus ribu rupiah" in text
    assert payer.virtual_account in text
    assert world.worker_a.kpj in text
    assert mask_nik(world.worker_a.person.nik) in text
    assert world.worker_a.person.nik not in text
    assert "Maret 2025" in text
    assert "Rp1.200.000" in text
    english = pdf_text(invoice_pdf(invoice, language="en"))
    assert "CONTRIBUTION INVOICE" in english
    assert "Rp1,200,000" in english


def test_jht_statement_pdf(world: World) -> None:
    person = world.bpu_person
    JhtEntry.objects.create(
        person=person,
        kind=JhtKind.CONTRIBUTION,
        period="2025-03",
        amount_idr=1_000,
        booked_on=date(2025, 4, 2),
    )
    content = jht_statement_pdf(jht_statement(person, 2025))
    assert content.startswith(b"%PDF")
    text = pdf_text(content)
    assert "seribu rupiah" in text
    assert mask_nik(person.nik) in text
    assert "LAPORAN SALDO JHT" in text
