"""The decision letter (surat keputusan) of a claim as a PDF (fpdf2, as billing's documents):
the claim, the decision, each amount with the regulation it rests on, the bank account."""

from __future__ import annotations

from fpdf import FPDF

from jamsos.billing.services.documents import amount_in_words, latin1
from jamsos.claims.models import Claim, ClaimStatus
from jamsos.claims.rules import BANKS, CASE_NAMES
from jamsos.core.formatting import format_money, language_of
from jamsos.core.masking import mask_nik

TEXT: dict[str, dict[str, str]] = {
    "title": {"id": "SURAT KEPUTUSAN KLAIM MANFAAT", "en": "BENEFIT CLAIM DECISION"},
    "number": {"id": "Nomor klaim", "en": "Claim number"},
    "person": {"id": "Peserta", "en": "Insured person"},
    "claimant": {"id": "Pemohon", "en": "Claimant"},
    "program": {"id": "Program", "en": "Program"},
    "case": {"id": "Jenis klaim", "en": "Case"},
    "event": {"id": "Tanggal kejadian", "en": "Event date"},
    "status": {"id": "Keputusan", "en": "Decision"},
    "pending": {"id": "Belum diputus", "en": "Not decided yet"},
    "approved": {"id": "DISETUJUI", "en": "APPROVED"},
    "rejected": {"id": "DITOLAK", "en": "REJECTED"},
    "reason": {"id": "Alasan", "en": "Reason"},
    "lines": {"id": "Rincian manfaat", "en": "Benefits"},
    "benefit": {"id": "Manfaat", "en": "Benefit"},
    "amount": {"id": "Jumlah", "en": "Amount"},
    "basis": {"id": "Dasar hukum", "en": "Legal basis"},
    "total": {"id": "Jumlah manfaat", "en": "Total benefit"},
    "words": {"id": "Terbilang", "en": "In words (Indonesian)"},
    "bank": {"id": "Dibayar ke rekening", "en": "Paid to account"},
    "decided_by": {"id": "Diputus oleh", "en": "Decided by"},
    "footer": {
        "id": "Dokumen ini dibuat oleh Jamsos; rincian perhitungan tersimpan pada klaim.",
        "en": "Made by Jamsos; the computation's trace is kept on the claim.",
    },
}


def decision_letter_pdf(claim: Claim, language: str = "id") -> bytes:
    lang = language_of(language)

    def t(key: str) -> str:
        return TEXT[key][lang]

    pdf = FPDF(orientation="P", unit="mm", format="A4")
    pdf.set_margins(14, 14, 14)
    pdf.set_creator("Jamsos")
    pdf.set_title(t("title"))
    pdf.add_page()
    pdf.set_font("helvetica", style="B", size=14)
    pdf.cell(0, 9, latin1(t("title")), new_x="LMARGIN", new_y="NEXT")

    def fact(name: str, value: object) -> None:
        pdf.set_font("helvetica", size=9)
        pdf.cell(50, 6, latin1(name))
        pdf.set_font("helvetica", style="B", size=9)
        pdf.multi_cell(0, 6, latin1(value), new_x="LMARGIN", new_y="NEXT")

    if claim.status in {ClaimStatus.APPROVED, ClaimStatus.PAID}:
        decision = t("approved")
    elif claim.status == ClaimStatus.REJECTED:
        decision = t("rejected")
    else:
        decision = t("pending")
    fact(t("number"), claim.number)
    fact(t("person"), f"{claim.person.name} ({mask_nik(claim.person.nik)})")
    fact(t("claimant"), claim.claimant_name)
    fact(t("program"), claim.program)
    fact(t("case"), CASE_NAMES.get(claim.case, {}).get(lang, claim.case))
    fact(t("event"), claim.event_date.strftime("%d-%m-%Y"))
    fact(t("status"), decision)
    if claim.status == ClaimStatus.REJECTED:
        fact(t("reason"), claim.reject_reason)
    else:
        pdf.ln(2)
        pdf.set_font("helvetica", style="B", size=10)
        pdf.cell(0, 7, latin1(t("lines")), new_x="LMARGIN", new_y="NEXT")
        for line in claim.trace.get("lines", []):
            pdf.set_font("helvetica", size=8.5)
            amount = int(line.get("amount_idr") or 0)
            per_month = int(line.get("per_month_idr") or 0)
            text = format_money(amount, lang) if amount else ""
            if per_month:
                text = f"{text} ({format_money(per_month, lang)}/bln)".strip()
            pdf.cell(70, 6, latin1(line.get("benefit", "")), border="B")
            pdf.cell(45, 6, latin1(text), border="B", align="R")
            pdf.multi_cell(
                0, 6, latin1(line.get("reference", "")), border="B", new_x="LMARGIN", new_y="NEXT"
            )
        pdf.ln(2)
        fact(t("total"), format_money(claim.amount_idr, lang))
        fact(t("words"), amount_in_words(claim.amount_idr))
        if claim.account_number:
            bank = BANKS.get(claim.bank_code, ("", ()))[0]
            fact(t("bank"), f"{bank} ****{claim.account_number[-4:]} a.n. {claim.account_name}")
    names = ", ".join(n for n in (claim.approved_by, claim.second_approved_by) if n)
    if names:
        fact(t("decided_by"), names)
    pdf.set_y(-20)
    pdf.set_font("helvetica", style="I", size=7)
    pdf.cell(0, 5, latin1(t("footer")))
    return bytes(pdf.output())
