"""Printable documents: the invoice and the JHT statement as PDF (fpdf2, offline).

The PDFs use fpdf2's core Helvetica font, built into every PDF reader: nothing is fetched or
embedded, and a document is made offline in a few milliseconds. Core fonts cover Latin-1, so
names are folded to it (``Dewi Ayu Ṣ`` prints as ``Dewi Ayu S``). Labels follow the reader's
language (Bahasa Indonesia by default); the amount in words (*terbilang*) is always Bahasa
Indonesia, as on every Indonesian bill. NIKs are masked: a printed bill travels.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable
from datetime import date
from typing import Any

from fpdf import FPDF
from lokal import terbilang

from jamsos.billing.lines import ProgramColumn, program_columns
from jamsos.billing.models import Invoice, InvoiceLine, ItemKind, JhtKind, PenaltyCharge
from jamsos.billing.selectors import invoice_items, invoice_lines
from jamsos.billing.services.jht import JhtStatement
from jamsos.core.formatting import format_money, format_period, language_of
from jamsos.core.masking import mask_nik
from jamsos.legal.periods import Period

TEXT: dict[str, dict[str, str]] = {
    "invoice": {"id": "TAGIHAN IURAN", "en": "CONTRIBUTION INVOICE"},
    "number": {"id": "Nomor tagihan", "en": "Invoice number"},
    "payer": {"id": "Pembayar", "en": "Payer"},
    "va": {"id": "Nomor virtual account", "en": "Virtual account"},
    "period": {"id": "Periode", "en": "Period"},
    "issued": {"id": "Tanggal tagihan", "en": "Issued on"},
    "due": {"id": "Jatuh tempo", "en": "Due date"},
    "status": {"id": "Status", "en": "Status"},
    "items": {"id": "Rincian tagihan", "en": "What is due"},
    "kind": {"id": "Jenis", "en": "Kind"},
    "segment": {"id": "Segmen", "en": "Segment"},
    "program": {"id": "Program", "en": "Program"},
    "amount": {"id": "Jumlah", "en": "Amount"},
    "paid": {"id": "Dibayar", "en": "Paid"},
    "contribution": {"id": "Iuran", "en": "Contribution"},
    "penalty": {"id": "Denda", "en": "Penalty"},
    "penalties": {"id": "Denda keterlambatan", "en": "Late-payment penalties"},
    "months": {"id": "Bulan", "en": "Months"},
    "rate": {"id": "Tarif", "en": "Rate"},
    "base": {"id": "Dasar", "en": "Base"},
    "total": {"id": "Total tagihan", "en": "Total"},
    "outstanding": {"id": "Sisa tagihan", "en": "Outstanding"},
    "words": {"id": "Terbilang", "en": "In words (Indonesian)"},
    "lines": {"id": "Rincian per peserta", "en": "By participant"},
    "participants": {"id": "peserta", "en": "participants"},
    "name": {"id": "Nama", "en": "Name"},
    "jht_statement": {"id": "LAPORAN SALDO JHT", "en": "JHT ACCOUNT STATEMENT"},
    "person": {"id": "Peserta", "en": "Participant"},
    "year": {"id": "Tahun", "en": "Year"},
    "all_years": {"id": "Seluruh riwayat", "en": "Whole history"},
    "opening": {"id": "Saldo awal", "en": "Opening balance"},
    "closing": {"id": "Saldo akhir", "en": "Closing balance"},
    "booked": {"id": "Tanggal buku", "en": "Booked on"},
    "jht_contribution": {"id": "Iuran JHT", "en": "JHT contribution"},
    "jht_return": {"id": "Hasil pengembangan", "en": "Development return"},
    "jht_claim": {"id": "Pencairan klaim", "en": "Withdrawal (claim)"},
    "no_entries": {"id": "Tidak ada mutasi.", "en": "No entries."},
    "entries": {"id": "Mutasi", "en": "Entries"},
    "footer": {
        "id": "Dicetak oleh Jamsos. Simulasi menurut peraturan yang dikutip, bukan tagihan resmi.",
        "en": "Printed by Jamsos. A simulation under the cited regulations, not an official bill.",
    },
}

STATUS_TEXT = {
    "open": {"id": "Belum dibayar", "en": "Unpaid"},
    "partial": {"id": "Dibayar sebagian", "en": "Partly paid"},
    "paid": {"id": "Lunas", "en": "Paid"},
}

#: Width (mm) left for the lines' program columns on landscape A4, between the fixed columns.
PROGRAM_COLUMNS_MM = 104.0


def line_columns() -> list[tuple[ProgramColumn, float]]:
    """The lines' program columns (the slot registry's billed programs) with their widths."""
    columns = program_columns()
    width = PROGRAM_COLUMNS_MM / max(len(columns), 1)
    return [(column, width) for column in columns]


def amount_in_words(amount_idr: int) -> str:
    """Whole rupiah in Indonesian words: ``1200000`` -> ``satu juta dua ratus ribu rupiah``."""
    return str(terbilang(int(amount_idr), currency=True))


def latin1(text: Any) -> str:
    """``text`` with what Latin-1 (the core fonts) cannot show folded or dropped."""
    value = str(text if text is not None else "")
    try:
        value.encode("latin-1")
        return value
    except UnicodeEncodeError:
        folded = unicodedata.normalize("NFKD", value)
        return (
            "".join(c for c in folded if not unicodedata.combining(c))
            .encode("latin-1", "replace")
            .decode("latin-1")
        )


class _Document(FPDF):
    """A4 with the footer every page carries."""

    def __init__(self, language: str, orientation: str = "P") -> None:
        super().__init__(orientation=orientation, unit="mm", format="A4")
        self.language = language
        self.set_auto_page_break(auto=True, margin=15)
        self.set_margins(12, 12, 12)
        self.set_creator("Jamsos")

    def t(self, key: str) -> str:
        return TEXT[key][self.language]

    def footer(self) -> None:
        self.set_y(-12)
        self.set_font("helvetica", size=7)
        self.set_text_color(110)
        self.cell(0, 5, latin1(self.t("footer")), align="L")
        self.cell(0, 5, f"{self.page_no()}/{{nb}}", align="R")
        self.set_text_color(0)

    def row(self, cells: Iterable[tuple[float, Any, str]], *, bold: bool = False) -> None:
        self.set_font("helvetica", style="B" if bold else "", size=8.5)
        for width, text, align in cells:
            self.cell(width, 6, latin1(text), border="B", align=align)
        self.ln(6)

    def facts(self, pairs: Iterable[tuple[str, Any]]) -> None:
        for name, value in pairs:
            self.set_font("helvetica", size=9)
            self.cell(48, 6, latin1(name))
            self.set_font("helvetica", style="B", size=9)
            self.cell(0, 6, latin1(value), new_x="LMARGIN", new_y="NEXT")

    def heading(self, text: str) -> None:
        self.ln(3)
        self.set_font("helvetica", style="B", size=11)
        self.cell(0, 7, latin1(text), new_x="LMARGIN", new_y="NEXT")
        self.set_font("helvetica", size=8.5)

    def output_bytes(self) -> bytes:
        return bytes(self.output())


def _money(amount: int, language: str) -> str:
    return format_money(amount, language)


def _period(text: str, language: str) -> str:
    try:
        return format_period(Period.parse(text), language)
    except ValueError:
        return text


def _date(value: date | None) -> str:
    return value.strftime("%d-%m-%Y") if value else ""


def invoice_pdf(invoice: Invoice, *, language: str = "id") -> bytes:
    """The invoice as a PDF: payer, virtual account, period, due date, what is due (items and
    penalties), the total in figures and in words, then one row per participant with the amount
    of each program (KPJ, name, masked NIK). The invoice comes from a scoped selector."""
    lang = language_of(language)
    pdf = _Document(lang, orientation="L")
    pdf.set_title(f"{pdf.t('invoice')} {invoice.number}")
    pdf.add_page()
    pdf.set_font("helvetica", style="B", size=15)
    pdf.cell(0, 9, latin1(pdf.t("invoice")), new_x="LMARGIN", new_y="NEXT")
    payer = invoice.payer
    outstanding = invoice.total_idr - invoice.paid_idr
    pdf.facts(
        [
            (pdf.t("number"), invoice.number),
            (pdf.t("payer"), payer.name),
            (pdf.t("va"), payer.virtual_account),
            (pdf.t("period"), _period(invoice.period, lang)),
            (pdf.t("issued"), _date(invoice.issued_on)),
            (pdf.t("due"), _date(invoice.due_date)),
            (pdf.t("status"), STATUS_TEXT.get(invoice.status, {}).get(lang, invoice.status)),
        ]
    )
    pdf.heading(pdf.t("items"))
    widths = (40, 30, 40, 40, 50, 50)
    pdf.row(
        zip(
            widths,
            [pdf.t(k) for k in ("kind", "segment", "program", "due", "amount", "paid")],
            "LLLLRR",
            strict=True,
        ),
        bold=True,
    )
    for item in invoice_items(invoice):
        kind = pdf.t("penalty") if item.kind == ItemKind.PENALTY else pdf.t("contribution")
        values = [
            kind,
            item.segment,
            item.program,
            _date(item.due_date),
            _money(item.amount_idr, lang),
            _money(item.paid_idr, lang),
        ]
        pdf.row(zip(widths, values, "LLLLRR", strict=True))
    charges = list(
        PenaltyCharge.objects.filter(billed_on__invoice=invoice)
        .select_related("source_item__invoice")
        .order_by("id")
    )
    if charges:
        pdf.heading(pdf.t("penalties"))
        widths_p = (60, 50, 30, 30, 50)
        titles = [pdf.t("number"), pdf.t("base"), pdf.t("months"), pdf.t("rate"), pdf.t("amount")]
        pdf.row(zip(widths_p, titles, "LRRRR", strict=True), bold=True)
        for charge in charges:
            values = [
                charge.source_item.invoice.number,
                _money(charge.base_idr, lang),
                str(charge.months),
                f"{charge.rate * 100:.2f}%",
                _money(charge.amount_idr, lang),
            ]
            pdf.row(zip(widths_p, values, "LRRRR", strict=True))
    pdf.ln(2)
    pdf.facts(
        [
            (pdf.t("total"), _money(invoice.total_idr, lang)),
            (pdf.t("paid"), _money(invoice.paid_idr, lang)),
            (pdf.t("outstanding"), _money(outstanding, lang)),
        ]
    )
    pdf.set_font("helvetica", style="I", size=9)
    pdf.multi_cell(
        0,
        6,
        latin1(f"{pdf.t('words')}: {amount_in_words(invoice.total_idr)}"),
        new_x="LMARGIN",
        new_y="NEXT",
    )
    _invoice_lines(pdf, invoice, lang)
    return pdf.output_bytes()


def _invoice_lines(pdf: _Document, invoice: Invoice, lang: str) -> None:
    pdf.heading(f"{pdf.t('lines')} ({invoice.participants} {pdf.t('participants')})")
    # 273 mm of landscape A4 between the margins.
    columns = line_columns()
    widths = [24, 46, 30, 14, 26] + [w for _c, w in columns] + [28]
    titles = ["KPJ", pdf.t("name"), "NIK", pdf.t("segment"), pdf.t("base")]
    titles += [c.title for c, _w in columns] + [pdf.t("amount")]
    aligns = "LLLLR" + "R" * len(columns) + "R"
    pdf.row(zip(widths, titles, aligns, strict=True), bold=True)
    line: InvoiceLine
    for line in invoice_lines(invoice).iterator(chunk_size=2000):
        member = line.membership
        if member is not None:
            first = [member.kpj, member.person.name, mask_nik(member.person.nik)]
        else:
            first = ["", line.project.name if line.project is not None else "", ""]
        amounts = [_money(c.amount(line), lang) if c.amount(line) else "-" for c, _w in columns]
        values = [*first, line.segment, _money(line.base_idr, lang), *amounts]
        values.append(_money(line.total_idr, lang))
        pdf.row(zip(widths, values, aligns, strict=True))


def jht_statement_pdf(statement: JhtStatement, *, language: str = "id") -> bytes:
    """The JHT statement as a PDF: opening balance, each entry, closing balance (in words)."""
    lang = language_of(language)
    pdf = _Document(lang)
    pdf.set_title(pdf.t("jht_statement"))
    pdf.add_page()
    pdf.set_font("helvetica", style="B", size=15)
    pdf.cell(0, 9, latin1(pdf.t("jht_statement")), new_x="LMARGIN", new_y="NEXT")
    person = statement.person
    pdf.facts(
        [
            (pdf.t("person"), person.name),
            ("NIK", mask_nik(person.nik)),
            (pdf.t("year"), str(statement.year) if statement.year else pdf.t("all_years")),
            (pdf.t("opening"), _money(statement.opening_idr, lang)),
        ]
    )
    pdf.heading(pdf.t("entries"))
    widths = (40, 60, 40, 46)
    titles = [pdf.t("booked"), pdf.t("kind"), pdf.t("period"), pdf.t("amount")]
    pdf.row(zip(widths, titles, "LLLR", strict=True), bold=True)
    if not statement.entries:
        pdf.cell(0, 6, latin1(pdf.t("no_entries")), new_x="LMARGIN", new_y="NEXT")
    for entry in statement.entries:
        kind = pdf.t(
            {JhtKind.RETURN: "jht_return", JhtKind.CLAIM: "jht_claim"}.get(
                JhtKind(entry.kind), "jht_contribution"
            )
        )
        values = [
            _date(entry.booked_on),
            kind,
            _period(entry.period, lang),
            _money(entry.amount_idr, lang),
        ]
        pdf.row(zip(widths, values, "LLLR", strict=True))
    pdf.ln(2)
    pdf.facts([(pdf.t("closing"), _money(statement.closing_idr, lang))])
    pdf.set_font("helvetica", style="I", size=9)
    pdf.multi_cell(
        0,
        6,
        latin1(f"{pdf.t('words')}: {amount_in_words(statement.closing_idr)}"),
        new_x="LMARGIN",
        new_y="NEXT",
    )
    return pdf.output_bytes()
