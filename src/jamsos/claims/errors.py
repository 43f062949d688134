# ruff: noqa: E501  (message texts are kept whole, one per line)
"""Refusals of the claims desk: a stable code, the field at fault, a message in id/en."""

from __future__ import annotations

from jamsos.core.errors import REQUIRED, ApplicationError, NotPermitted

FIELD_LABELS: dict[str, dict[str, str]] = {
    "nik": {"id": "NIK", "en": "NIK"},
    "kpj": {"id": "KPJ", "en": "KPJ"},
    "program": {"id": "Program", "en": "Program"},
    "case": {"id": "Jenis klaim", "en": "Case"},
    "ground": {"id": "Alasan pencairan", "en": "Ground"},
    "event_date": {"id": "Tanggal kejadian", "en": "Event date"},
    "claimant_name": {"id": "Nama pemohon", "en": "Claimant's name"},
    "relationship": {"id": "Hubungan ahli waris", "en": "Heir's relationship"},
    "no_higher_heir": {"id": "Pernyataan ahli waris", "en": "Heirs' statement"},
    "accident_at": {"id": "Waktu kecelakaan", "en": "Time of the accident"},
    "report_text": {"id": "Uraian laporan", "en": "Report"},
    "disability_percent": {"id": "Persentase cacat", "en": "Disability percentage"},
    "months_unable": {"id": "Bulan tidak mampu bekerja", "en": "Months unable to work"},
    "file": {"id": "Berkas", "en": "File"},
    "kind": {"id": "Jenis dokumen", "en": "Document kind"},
    "bank_code": {"id": "Bank", "en": "Bank"},
    "account_number": {"id": "Nomor rekening", "en": "Account number"},
    "account_name": {"id": "Nama pemilik rekening", "en": "Account holder"},
    "reason": {"id": "Alasan penolakan", "en": "Reason"},
    "idempotency_key": {"id": "Kunci idempotensi", "en": "Idempotency key"},
    "status": {"id": "Status", "en": "Status"},
    "period": {"id": "Periode", "en": "Period"},
    "claim": {"id": "Klaim", "en": "Claim"},
    "paid_on": {"id": "Tanggal bayar", "en": "Payment date"},
}

MESSAGES: dict[str, dict[str, str]] = {
    "required": REQUIRED,
    "person_not_found": {"id": "Peserta tidak ditemukan.", "en": "Person not found."},
    "claim_not_found": {"id": "Klaim tidak ditemukan.", "en": "Claim not found."},
    "unknown_case": {
        "id": "{label} {value} tidak dikenal untuk program {program} (pilihan: {choices}).",
        "en": "{label} {value} is not a case of program {program} (choices: {choices}).",
    },
    "bad_date": {
        "id": "{label} harus tanggal TTTT-BB-HH (diterima: {value}).",
        "en": "{label} must be a date YYYY-MM-DD (got: {value}).",
    },
    "date_in_future": {
        "id": "{label} {value} belum terjadi (hari ini {today}).",
        "en": "{label} {value} is in the future (today is {today}).",
    },
    "before_program": {
        "id": "{label} {value} sebelum program {program} berlaku ({since}): tidak ada manfaat yang dapat diklaim.",
        "en": "{label} {value} is before program {program} began ({since}): there is no benefit to claim.",
    },
    "not_covered": {
        "id": "Peserta tidak terdaftar dalam program {program} pada {value}: tidak ada kepesertaan yang mencakupnya.",
        "en": "The person was not covered by program {program} on {value}: no membership includes it.",
    },
    "partial_jht_taken": {
        "id": "Pencairan sebagian JHT hanya sekali; klaim {number} sudah mengambilnya.",
        "en": "A partial JHT withdrawal is allowed once only; claim {number} already took it.",
    },
    "jkp_claims_used": {
        "id": "JKP paling banyak {max} kali; peserta sudah mengajukan {count} klaim.",
        "en": "JKP may be claimed at most {max} times; the person has {count} claims.",
    },
    "jkp_deadline_passed": {
        "id": "Batas waktu klaim JKP untuk PHK {value} adalah {deadline}; hari ini {today} sudah lewat.",
        "en": "The JKP claim deadline for a job loss on {value} was {deadline}; today ({today}) is after it.",
    },
    "waiting_period": {
        "id": "JHT karena berhenti bekerja dapat diklaim setelah masa tunggu {months} bulan, mulai {from_date}.",
        "en": "JHT after leaving work may be claimed after a {months}-month waiting period, from {from_date}.",
    },
    "claim_open": {
        "id": "Klaim {number} untuk program dan jenis yang sama masih diproses.",
        "en": "Claim {number} for the same program and case is still being handled.",
    },
    "already_paid": {
        "id": "Manfaat ini sudah dibayar melalui klaim {number}.",
        "en": "This benefit was already paid by claim {number}.",
    },
    "heir_unknown": {
        "id": "{label} {value} tidak dikenal (pilihan: {choices}).",
        "en": "{label} {value} is not known (choices: {choices}).",
    },
    "heir_only_after_death": {
        "id": "Ahli waris hanya dapat mengajukan klaim kematian (JKM, JKK atau JP karena meninggal).",
        "en": "An heir may only claim a death benefit (JKM, JKK or JP death).",
    },
    "heir_statement_needed": {
        "id": "{label} wajib: ahli waris urutan {rank} hanya dapat mengklaim bila tidak ada ahli waris urutan lebih awal.",
        "en": "{label} is required: an heir of rank {rank} may claim only when no heir of an earlier rank exists.",
    },
    "heir_earlier_rank": {
        "id": "Ahli waris urutan {rank} ({name}) sudah mengajukan klaim {number}; urutan {own} tidak dapat mengklaim.",
        "en": "An heir of rank {rank} ({name}) already filed claim {number}; rank {own} may not claim.",
    },
    "death_case_needs_heir": {
        "id": "Klaim karena meninggal diajukan oleh ahli waris, pemberi kerja atau petugas, bukan oleh peserta sendiri.",
        "en": "A death claim is filed by an heir, the employer or an officer, not by the person.",
    },
    "employer_jkk_only": {
        "id": "Pemberi kerja melaporkan kecelakaan kerja (JKK) saja.",
        "en": "An employer reports work accidents (JKK) only.",
    },
    "accident_after_report": {
        "id": "{label} {value} lebih lambat dari waktu laporan.",
        "en": "{label} {value} is after the time of the report.",
    },
    "report_done": {
        "id": "Laporan tahap {stage} klaim ini sudah ada.",
        "en": "The stage {stage} report of this claim is already in.",
    },
    "not_eligible": {
        "id": "Tidak memenuhi syarat: {reasons}",
        "en": "Not eligible: {reasons}",
    },
    "engine_refused": {
        "id": "Perhitungan manfaat tidak dapat dilakukan: {message}",
        "en": "The benefit cannot be computed: {message}",
    },
    "document_kind_unknown": {
        "id": "{label} {value} tidak dikenal (pilihan: {choices}).",
        "en": "{label} {value} is not known (choices: {choices}).",
    },
    "document_unreadable": {
        "id": "{label} {value} bukan PDF, JPEG atau PNG yang dapat dibaca.",
        "en": "{label} {value} is not a readable PDF, JPEG or PNG.",
    },
    "document_too_large": {
        "id": "{label} {value} berukuran {size} bita, lebih dari batas {max} bita.",
        "en": "{label} {value} is {size} bytes, over the limit of {max} bytes.",
    },
    "documents_missing": {
        "id": "Dokumen belum lengkap: {missing}.",
        "en": "Documents missing: {missing}.",
    },
    "second_report_missing": {
        "id": "Laporan kecelakaan tahap II (hasil pemeriksaan medis) belum ada.",
        "en": "The stage II accident report (the medical outcome) is not in yet.",
    },
    "bad_transition": {
        "id": "Klaim berstatus {status} tidak dapat {action}.",
        "en": "A claim in status {status} cannot be {action}.",
    },
    "same_approver": {
        "id": "Persetujuan kedua harus oleh petugas lain ({name} sudah menyetujui).",
        "en": "The second approval must be by another officer ({name} approved already).",
    },
    "bank_unknown": {
        "id": "{label} {value} tidak dikenal (pilihan: {choices}).",
        "en": "{label} {value} is not known (choices: {choices}).",
    },
    "account_number_invalid": {
        "id": "{label} {value} tidak sah untuk {bank}: harus {lengths} angka 0–9.",
        "en": "{label} {value} is not valid for {bank}: it must be {lengths} digits 0–9.",
    },
    "account_name_mismatch": {
        "id": "{label} {value} tidak sesuai dengan nama pemohon {name}.",
        "en": "{label} {value} does not match the claimant's name {name}.",
    },
    "no_bank_account": {
        "id": "Rekening bank pemohon belum diisi.",
        "en": "The claimant's bank account is not given.",
    },
    "idempotency_conflict": {
        "id": "{label} {value} sudah dipakai untuk pembayaran lain (klaim {number}).",
        "en": "{label} {value} was already used for another payment (claim {number}).",
    },
    "payroll_done": {
        "id": "Pembayaran manfaat berkala periode {period} sudah dijalankan.",
        "en": "The benefit payroll of {period} has already been run.",
    },
    "bad_period": {
        "id": "{label} harus berbentuk TTTT-BB, misalnya 2025-03 (diterima: {value}).",
        "en": "{label} must be YYYY-MM, for example 2025-03 (got: {value}).",
    },
    "reason_required": {
        "id": "{label} wajib diisi saat menolak klaim.",
        "en": "{label} is required to reject a claim.",
    },
    "value_out_of_range": {
        "id": "{label} harus dari {min} sampai {max} (diterima: {value}).",
        "en": "{label} must be from {min} to {max} (got: {value}).",
    },
}


class ClaimsError(ApplicationError):
    code = "claims.error"
    labels = FIELD_LABELS
    messages = MESSAGES


class Required(ClaimsError):
    code = "claims.required"
    reason = "required"


class PersonNotFound(ClaimsError):
    code = "claims.person_not_found"
    reason = "person_not_found"
    default_field = "nik"
    http_status = 404


class ClaimNotFound(ClaimsError):
    code = "claims.claim_not_found"
    reason = "claim_not_found"
    default_field = "claim"
    http_status = 404


class UnknownCase(ClaimsError):
    code = "claims.unknown_case"
    reason = "unknown_case"
    default_field = "case"


class BadDate(ClaimsError):
    code = "claims.bad_date"
    reason = "bad_date"
    default_field = "event_date"


class DateInFuture(ClaimsError):
    code = "claims.date_in_future"
    reason = "date_in_future"
    default_field = "event_date"


class BeforeProgram(ClaimsError):
    code = "claims.before_program"
    reason = "before_program"
    default_field = "event_date"


class NotCovered(ClaimsError):
    code = "claims.not_covered"
    reason = "not_covered"
    default_field = "nik"


class PartialJhtTaken(ClaimsError):
    code = "claims.partial_jht_taken"
    reason = "partial_jht_taken"
    default_field = "case"
    http_status = 409


class JkpClaimsUsed(ClaimsError):
    code = "claims.jkp_claims_used"
    reason = "jkp_claims_used"
    default_field = "program"
    http_status = 409


class JkpDeadlinePassed(ClaimsError):
    code = "claims.jkp_deadline_passed"
    reason = "jkp_deadline_passed"
    default_field = "event_date"


class WaitingPeriod(ClaimsError):
    code = "claims.waiting_period"
    reason = "waiting_period"
    default_field = "event_date"


class ClaimOpen(ClaimsError):
    code = "claims.claim_open"
    reason = "claim_open"
    default_field = "case"
    http_status = 409


class AlreadyPaid(ClaimsError):
    code = "claims.already_paid"
    reason = "already_paid"
    default_field = "case"
    http_status = 409


class HeirUnknown(ClaimsError):
    code = "claims.heir_unknown"
    reason = "heir_unknown"
    default_field = "relationship"


class HeirOnlyAfterDeath(ClaimsError):
    code = "claims.heir_only_after_death"
    reason = "heir_only_after_death"
    default_field = "case"


class HeirStatementNeeded(ClaimsError):
    code = "claims.heir_statement_needed"
    reason = "heir_statement_needed"
    default_field = "no_higher_heir"


class HeirEarlierRank(ClaimsError):
    code = "claims.heir_earlier_rank"
    reason = "heir_earlier_rank"
    default_field = "relationship"
    http_status = 409


class DeathCaseNeedsHeir(ClaimsError):
    code = "claims.death_case_needs_heir"
    reason = "death_case_needs_heir"
    default_field = "case"


class EmployerJkkOnly(ClaimsError):
    code = "claims.employer_jkk_only"
    reason = "employer_jkk_only"
    default_field = "program"


class AccidentAfterReport(ClaimsError):
    code = "claims.accident_after_report"
    reason = "accident_after_report"
    default_field = "accident_at"


class ReportDone(ClaimsError):
    code = "claims.report_done"
    reason = "report_done"
    default_field = "report_text"
    http_status = 409


class NotEligible(ClaimsError):
    code = "claims.not_eligible"
    reason = "not_eligible"


class EngineRefused(ClaimsError):
    """The legal engine refused the request (its own message, in the caller's language)."""

    code = "claims.engine_refused"
    reason = "engine_refused"


class DocumentKindUnknown(ClaimsError):
    code = "claims.document_kind_unknown"
    reason = "document_kind_unknown"
    default_field = "kind"


class DocumentUnreadable(ClaimsError):
    code = "claims.document_unreadable"
    reason = "document_unreadable"
    default_field = "file"


class DocumentTooLarge(ClaimsError):
    code = "claims.document_too_large"
    reason = "document_too_large"
    default_field = "file"
    http_status = 413


class DocumentsMissing(ClaimsError):
    code = "claims.documents_missing"
    reason = "documents_missing"


class SecondReportMissing(ClaimsError):
    code = "claims.second_report_missing"
    reason = "second_report_missing"


class BadTransition(ClaimsError):
    code = "claims.bad_transition"
    reason = "bad_transition"
    default_field = "status"
    http_status = 409


class SameApprover(ClaimsError):
    code = "claims.same_approver"
    reason = "same_approver"
    http_status = 409


class BankUnknown(ClaimsError):
    code = "claims.bank_unknown"
    reason = "bank_unknown"
    default_field = "bank_code"


class AccountNumberInvalid(ClaimsError):
    code = "claims.account_number_invalid"
    reason = "account_number_invalid"
    default_field = "account_number"


class AccountNameMismatch(ClaimsError):
    code = "claims.account_name_mismatch"
    reason = "account_name_mismatch"
    default_field = "account_name"


class NoBankAccount(ClaimsError):
    code = "claims.no_bank_account"
    reason = "no_bank_account"
    default_field = "account_number"


class IdempotencyConflict(ClaimsError):
    code = "claims.idempotency_conflict"
    reason = "idempotency_conflict"
    default_field = "idempotency_key"
    http_status = 409


class PayrollDone(ClaimsError):
    code = "claims.payroll_done"
    reason = "payroll_done"
    default_field = "period"
    http_status = 409


class BadPeriod(ClaimsError):
    code = "claims.bad_period"
    reason = "bad_period"
    default_field = "period"


class ReasonRequired(ClaimsError):
    code = "claims.reason_required"
    reason = "reason_required"
    default_field = "reason"


class ValueOutOfRange(ClaimsError):
    code = "claims.value_out_of_range"
    reason = "value_out_of_range"


__all__ = ["ClaimsError", "NotPermitted"]
