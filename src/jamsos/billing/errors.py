# ruff: noqa: E501  (message texts are kept whole, one per line)
"""Refusals of billing and payments: a stable code, the field at fault, a message in id/en.

Messages live here as id/en pairs so that a statement file's per-line report can word a reason
in either language without switching the active translation. Placeholders are ``str.format``
fields; ``{label}`` is the field's label in the same language.
"""

from __future__ import annotations

from typing import ClassVar

from jamsos.core.errors import BAD_PERIOD, REQUIRED, ApplicationError

FIELD_LABELS: dict[str, dict[str, str]] = {
    "period": {"id": "Periode", "en": "Period"},
    "as_of": {"id": "Tanggal tagihan", "en": "Invoice date"},
    "virtual_account": {"id": "Nomor virtual account", "en": "Virtual account"},
    "payer": {"id": "Pembayar", "en": "Payer"},
    "amount": {"id": "Jumlah", "en": "Amount"},
    "currency": {"id": "Mata uang", "en": "Currency"},
    "bank_ref": {"id": "Referensi bank", "en": "Bank reference"},
    "paid_on": {"id": "Tanggal bayar", "en": "Payment date"},
    "file": {"id": "Berkas", "en": "File"},
    "invoice": {"id": "Tagihan", "en": "Invoice"},
    "year": {"id": "Tahun", "en": "Year"},
    "kpj": {"id": "KPJ", "en": "KPJ"},
    "sponsor": {"id": "Penyandang dana", "en": "Sponsor"},
    "months": {"id": "Jumlah bulan", "en": "Months"},
    "contacted_on": {"id": "Tanggal kontak", "en": "Contact date"},
    "channel": {"id": "Cara kontak", "en": "Channel"},
    "outcome": {"id": "Hasil", "en": "Outcome"},
    "note": {"id": "Catatan", "en": "Note"},
    "due_on": {"id": "Tanggal janji bayar", "en": "Promised date"},
    "officer": {"id": "Petugas", "en": "Officer"},
    "reason": {"id": "Alasan", "en": "Reason"},
    "office": {"id": "Kantor", "en": "Office"},
    "payer_kind": {"id": "Jenis pembayar", "en": "Payer kind"},
    "village": {"id": "Kode desa", "en": "Village code"},
    "min_amount": {"id": "Jumlah terkecil", "en": "Smallest amount"},
    "max_amount": {"id": "Jumlah terbesar", "en": "Largest amount"},
    "age_band": {"id": "Umur", "en": "Age"},
}

MESSAGES: dict[str, dict[str, str]] = {
    "filter_not_number": {
        "id": "{label}: isi bilangan bulat rupiah (diterima: {value}).",
        "en": "{label}: enter a whole number of rupiah (got: {value}).",
    },
    "filter_bad_village": {
        "id": "{label}: kode Kemendagri seperti 32.04.01.2001 (diterima: {value}).",
        "en": "{label}: a Kemendagri code such as 32.04.01.2001 (got: {value}).",
    },
    "filter_range": {
        "id": "{label} tidak boleh lebih kecil dari jumlah terkecil.",
        "en": "{label} must not be smaller than the smallest amount.",
    },
    "bad_choice": {
        "id": "{label}: pilih salah satu dari daftar (diterima: {value}).",
        "en": "{label}: choose one from the list (got: {value}).",
    },
    "case_date_out_of_range": {
        "id": "{label} harus dari {first} sampai {last} (diterima: {value}).",
        "en": "{label} must be from {first} to {last} (got: {value}).",
    },
    "case_text_too_long": {
        "id": "{label} paling panjang {max} karakter.",
        "en": "{label} is at most {max} characters long.",
    },
    "case_officer_not_of_office": {
        "id": "{label}: petugas itu bukan petugas kantor cabang pembayar ini.",
        "en": "{label}: that officer is not an officer of this payer's branch office.",
    },
    "not_self_paying": {
        "id": "Kepesertaan {kpj} bukan peserta BPU yang membayar sendiri: iurannya ditagih kepada pembayarnya.",
        "en": "Membership {kpj} is not a BPU participant paying for themselves: its contributions are billed to its payer.",
    },
    "advance_months_out_of_range": {
        "id": "{label} harus 1 sampai {max} bulan (diterima: {value}).",
        "en": "{label} must be 1 to {max} months (got: {value}).",
    },
    "advance_past_parameters": {
        "id": "{label}: saat ini paling banyak {offered} bulan dapat dibayar di muka; bulan sesudah {last} belum dapat ditagih.",
        "en": "{label}: at most {offered} months can be paid ahead now; the months after {last} cannot be billed yet.",
    },
    "required": REQUIRED,
    "bad_period": BAD_PERIOD,
    "period_out_of_law": {
        "id": "{label} {value} di luar bulan yang diatur parameter hukum ({first} s.d. {last}).",
        "en": "{label} {value} is outside the months the legal parameters cover ({first} to {last}).",
    },
    "bad_date": {
        "id": "{label} harus tanggal TTTT-BB-HH (diterima: {value}).",
        "en": "{label} must be a date YYYY-MM-DD (got: {value}).",
    },
    "run_in_progress": {
        "id": "Penagihan periode {period} sedang berjalan (mulai {started}, proses {pid} di {host}).",
        "en": "The billing run for {period} is already running (started {started}, process {pid} on {host}).",
    },
    "period_not_billed": {
        "id": "Periode {period} belum ditagih: jalankan `jamsos billing run --period {period}` dulu.",
        "en": "Period {period} has not been billed yet: run `jamsos billing run --period {period}` first.",
    },
    "virtual_account_invalid": {
        "id": "{label} {value} tidak sah: harus 16 angka 0–9 diawali 88 dengan digit pemeriksa yang benar.",
        "en": "{label} {value} is not valid: it must be 16 digits 0–9 starting with 88, with a correct check digit.",
    },
    "virtual_account_unknown": {
        "id": "{label} {value} tidak terdaftar pada pembayar mana pun.",
        "en": "{label} {value} belongs to no payer.",
    },
    "payer_not_found": {
        "id": "Pembayar tidak ditemukan.",
        "en": "Payer not found.",
    },
    "invoice_not_found": {
        "id": "Tagihan tidak ditemukan.",
        "en": "Invoice not found.",
    },
    "amount_not_positive": {
        "id": "{label} harus bilangan bulat rupiah lebih dari nol (diterima: {value}).",
        "en": "{label} must be a whole number of rupiah above zero (got: {value}).",
    },
    "amount_out_of_range": {
        "id": "{label} harus dari {min} sampai {max} per pembayaran (diterima: {value}).",
        "en": "{label} must be from {min} to {max} per payment (got: {value}).",
    },
    "paid_too_early": {
        "id": "{label} {value} lebih awal dari {first}: tidak ada tagihan iuran sebelum tanggal itu.",
        "en": "{label} {value} is before {first}: no contribution is billed before that date.",
    },
    "date_out_of_range": {
        "id": "{label} harus dari {first} sampai {last} (diterima: {value}).",
        "en": "{label} must be from {first} to {last} (got: {value}).",
    },
    "year_out_of_range": {
        "id": "{label} laporan JHT harus dari {first} sampai {last} (diterima: {value}).",
        "en": "{label} of a JHT statement must be from {first} to {last} (got: {value}).",
    },
    "currency_not_idr": {
        "id": "{label} harus IDR; pembayaran dalam {value} tidak diterima.",
        "en": "{label} must be IDR; payments in {value} are not accepted.",
    },
    "bank_ref_conflict": {
        "id": "{label} {value} sudah dipakai untuk pembayaran lain (VA {other_va}, Rp {other_amount}).",
        "en": "{label} {value} was already used for a different payment (VA {other_va}, Rp {other_amount}).",
    },
    "bank_ref_taken": {
        "id": "{label} {value} sudah dipakai untuk pembayaran lain.",
        "en": "{label} {value} was already used for a different payment.",
    },
    "duplicate_line": {
        "id": "{label} {value} muncul lebih dari sekali dalam berkas (baris {lines}).",
        "en": "{label} {value} appears more than once in the file (lines {lines}).",
    },
    "statement_malformed": {
        "id": "Berkas rekening koran tidak dapat dibaca: {reason}.",
        "en": "The bank statement file cannot be read: {reason}.",
    },
    "statement_has_errors": {
        "id": "Berkas rekening koran memuat {count} baris bermasalah; tidak ada yang dibukukan.",
        "en": "The bank statement file has {count} bad lines; nothing was posted.",
    },
    "paid_in_future": {
        "id": "{label} {value} belum terjadi.",
        "en": "{label} {value} is in the future.",
    },
    "jht_return_unknown": {
        "id": "Hasil pengembangan JHT tahun {year} belum diketahui (parameter jht.development_return kosong untuk tahun itu).",
        "en": "The JHT development return for {year} is not known (parameter jht.development_return is empty for that year).",
    },
    "jht_return_done": {
        "id": "Hasil pengembangan JHT tahun {year} sudah dikreditkan.",
        "en": "The JHT development return for {year} has already been credited.",
    },
    "sponsorship_invalid": {
        "id": "Sponsor tidak sah: {reason}.",
        "en": "Invalid sponsorship: {reason}.",
    },
}


class BillingError(ApplicationError):
    """Base of the billing refusals. ``reason`` keys :data:`MESSAGES`."""

    code: ClassVar[str] = "billing.error"
    labels = FIELD_LABELS
    messages = MESSAGES


class RequiredField(BillingError):
    code = "billing.required"
    reason = "required"


class BadPeriod(BillingError):
    code = "billing.bad_period"
    reason = "bad_period"
    default_field = "period"


class PeriodOutOfLaw(BillingError):
    code = "billing.period_out_of_law"
    reason = "period_out_of_law"
    default_field = "period"


class BadDate(BillingError):
    code = "billing.bad_date"
    reason = "bad_date"


class RunInProgress(BillingError):
    code = "billing.run_in_progress"
    reason = "run_in_progress"
    default_field = "period"
    http_status = 409


class PeriodNotBilled(BillingError):
    code = "billing.period_not_billed"
    reason = "period_not_billed"
    default_field = "period"
    http_status = 409


class VirtualAccountInvalid(BillingError):
    code = "billing.virtual_account_invalid"
    reason = "virtual_account_invalid"
    default_field = "virtual_account"


class VirtualAccountUnknown(BillingError):
    code = "billing.virtual_account_unknown"
    reason = "virtual_account_unknown"
    default_field = "virtual_account"
    http_status = 404


class PayerNotFound(BillingError):
    code = "billing.payer_not_found"
    reason = "payer_not_found"
    default_field = "payer"
    http_status = 404


class InvoiceNotFound(BillingError):
    code = "billing.invoice_not_found"
    reason = "invoice_not_found"
    default_field = "invoice"
    http_status = 404


class AmountNotPositive(BillingError):
    code = "billing.amount_not_positive"
    reason = "amount_not_positive"
    default_field = "amount"


class AmountOutOfRange(BillingError):
    """An amount outside :data:`jamsos.billing.bounds.AMOUNT_MIN_IDR` to ``AMOUNT_MAX_IDR``."""

    code = "billing.amount_out_of_range"
    reason = "amount_out_of_range"
    default_field = "amount"


class CurrencyNotIdr(BillingError):
    code = "billing.currency_not_idr"
    reason = "currency_not_idr"
    default_field = "currency"


class BankRefConflict(BillingError):
    code = "billing.bank_ref_conflict"
    reason = "bank_ref_conflict"
    default_field = "bank_ref"
    http_status = 409


class BankRefTaken(BankRefConflict):
    """The same refusal when the other payment is outside the caller's scope: the reference is
    named (it is the caller's own), the other payment's virtual account and amount are not."""

    reason = "bank_ref_taken"


class DuplicateLine(BillingError):
    code = "billing.duplicate_line"
    reason = "duplicate_line"
    default_field = "bank_ref"


class StatementMalformed(BillingError):
    code = "billing.statement_malformed"
    reason = "statement_malformed"
    default_field = "file"


class StatementHasErrors(BillingError):
    """A statement with bad lines: nothing posted; ``lines`` holds each line's refusal."""

    code = "billing.statement_has_errors"
    reason = "statement_has_errors"
    default_field = "file"


class PaidInFuture(BillingError):
    code = "billing.paid_in_future"
    reason = "paid_in_future"
    default_field = "paid_on"


class PaidTooEarly(BillingError):
    """A payment dated before :data:`jamsos.billing.bounds.PAID_ON_FIRST`."""

    code = "billing.paid_too_early"
    reason = "paid_too_early"
    default_field = "paid_on"


class DateOutOfRange(BillingError):
    """A date to read "as of" outside the bounds of :mod:`jamsos.billing.bounds`."""

    code = "billing.date_out_of_range"
    reason = "date_out_of_range"
    default_field = "as_of"


class YearOutOfRange(BillingError):
    """A JHT statement year outside the bounds of :mod:`jamsos.billing.bounds`."""

    code = "billing.year_out_of_range"
    reason = "year_out_of_range"
    default_field = "year"


class JhtReturnUnknown(BillingError):
    code = "billing.jht_return_unknown"
    reason = "jht_return_unknown"
    default_field = "year"


class JhtReturnDone(BillingError):
    code = "billing.jht_return_done"
    reason = "jht_return_done"
    default_field = "year"
    http_status = 409


class SponsorshipInvalid(BillingError):
    code = "billing.sponsorship_invalid"
    reason = "sponsorship_invalid"
    default_field = "sponsor"


class NotSelfPaying(BillingError):
    """Issuing invoices at once is for BPU participants who pay for themselves."""

    code = "billing.not_self_paying"
    reason = "not_self_paying"
    default_field = "kpj"
    http_status = 409


class AdvanceMonthsOutOfRange(BillingError):
    """Months to pay ahead outside 1 .. ``bpu.advance_months``."""

    code = "billing.advance_months_out_of_range"
    reason = "advance_months_out_of_range"
    default_field = "months"


class AdvancePastParameters(BillingError):
    """Months to pay ahead that run past the last month the legal parameters cover."""

    code = "billing.advance_past_parameters"
    reason = "advance_past_parameters"
    default_field = "months"


class BadChoice(BillingError):
    code = "billing.bad_choice"
    reason = "bad_choice"


class FilterNotNumber(BillingError):
    code = "billing.filter_not_number"
    reason = "filter_not_number"


class FilterBadVillage(BillingError):
    code = "billing.filter_bad_village"
    reason = "filter_bad_village"
    default_field = "village"


class FilterRange(BillingError):
    code = "billing.filter_range"
    reason = "filter_range"
    default_field = "max_amount"


class CaseDateOutOfRange(BillingError):
    code = "billing.case_date_out_of_range"
    reason = "case_date_out_of_range"


class CaseTextTooLong(BillingError):
    code = "billing.case_text_too_long"
    reason = "case_text_too_long"
    default_field = "note"


class CaseOfficerNotOfOffice(BillingError):
    code = "billing.case_officer_not_of_office"
    reason = "case_officer_not_of_office"
    default_field = "officer"
