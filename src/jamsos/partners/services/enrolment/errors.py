"""The refusals of bulk and sponsored enrolment, each with its message in Bahasa Indonesia and
English (the codes ``partners.batch_*`` the API answers with)."""

from __future__ import annotations

from jamsos.partners.errors import BatchNotFound, EnrolmentError, PartnersError  # noqa: F401 (public here too)


class BadKind(EnrolmentError):
    code = "partners.batch_bad_kind"
    default_field = "kind"
    text = {
        "id": "{label} '{value}' tidak dikenal. Pilihan: {choices}.",
        "en": "{label} '{value}' is unknown. Choices: {choices}.",
    }


class KeyRequired(EnrolmentError):
    code = "partners.idempotency_key_required"
    default_field = "idempotency_key"
    text = {
        "id": "{label} wajib diisi (1 sampai 80 karakter), misalnya nomor surat atau nama berkas "
        "dengan tanggal; unggahan ulang dengan kunci yang sama tidak mendaftarkan dua kali.",
        "en": "{label} is required (1 to 80 characters), e.g. a letter number or the file's "
        "name with a date; a retried upload with the same key never enrols twice.",
    }


class KeyReused(EnrolmentError):
    code = "partners.idempotency_key_reused"
    default_field = "idempotency_key"
    http_status = 409
    text = {
        "id": "{label} '{key}' sudah dipakai mitra ini untuk berkas lain (daftar nomor {id}, "
        "{file_name}). Unggah ulang berkas yang sama, atau pakai kunci baru untuk berkas baru.",
        "en": "{label} '{key}' was already used by this partner for another file (batch {id}, "
        "{file_name}). Upload the same file again, or use a new key for a new file.",
    }


class WrongColumns(EnrolmentError):
    code = "partners.batch_wrong_columns"
    default_field = "columns"
    text = {
        "id": "Kolom wajib tidak ada: {missing}. Kolom yang diharapkan untuk daftar {kind}: "
        "{expected} (wajib: {required}). Baris judul yang terbaca: {found}.",
        "en": "Required columns are missing: {missing}. Columns expected for a {kind_en} list: "
        "{expected} (required: {required}). Header read: {found}.",
    }


class TermRequired(EnrolmentError):
    code = "partners.batch_term_required"
    default_field = "period"
    text = {
        "id": "Daftar {kind} memerlukan masa kepesertaan: tanggal mulai dan tanggal akhir "
        "(tanggal akhir tidak sebelum tanggal mulai).",
        "en": "A {kind_en} list needs a term: a start and an end date (the end not before the "
        "start).",
    }


class TermOver(EnrolmentError):
    code = "partners.batch_term_over"
    default_field = "period"
    http_status = 409
    text = {
        "id": "Masa kepesertaan daftar ini berakhir {term_until}; tidak ada yang dapat "
        "didaftarkan lagi pada {on}.",
        "en": "This list's term ended on {term_until}; nobody can be enrolled on {on}.",
    }


class SponsorKindInvalid(EnrolmentError):
    code = "partners.batch_sponsor_kind"
    default_field = "partner"
    text = {
        "id": "Jenis penyandang dana '{value}' tidak dikenal untuk mitra {partner}. Pilihan: "
        "{choices}.",
        "en": "Sponsor kind '{value}' is unknown for partner {partner}. Choices: {choices}.",
    }


class SponsorNotOwn(EnrolmentError):
    """A list names as its sponsor (who is invoiced) only the uploading partner itself or one
    of its own agreements, never another partner or another partner's agreement."""

    code = "partners.batch_sponsor_not_own"
    default_field = "sponsor_ref"
    http_status = 403
    text = {
        "id": "{label} '{value}' bukan milik mitra {partner}: daftar hanya dapat menyebut mitra "
        "itu sendiri atau salah satu PKS-nya ({own}) sebagai penyandang dana yang ditagih.",
        "en": "{label} '{value}' does not belong to partner {partner}: a list may only name that "
        "partner itself or one of its own agreements ({own}) as the sponsor invoiced.",
    }


class NotAnAssociation(EnrolmentError):
    code = "partners.batch_not_association"
    default_field = "partner"
    text = {
        "id": "Mitra {partner} tidak terhubung ke asosiasi pengusaha; daftar pekerja perusahaan "
        "anggota asosiasi tidak dapat diunggah olehnya.",
        "en": "Partner {partner} is not linked to an employer association; it cannot upload a "
        "list of association members' workers.",
    }


class NoAgreement(EnrolmentError):
    code = "partners.batch_no_agreement"
    default_field = "agreement"
    text = {
        "id": "Mitra {partner} belum punya PKS{number}; pendaftaran massal dilakukan di bawah "
        "PKS yang berlaku.",
        "en": "Partner {partner} has no agreement{number}; bulk enrolment is done under an "
        "agreement in force.",
    }


class NotUploader(EnrolmentError):
    code = "partners.batch_not_uploader"
    default_field = "partner"
    http_status = 403
    text = {
        "id": "Anda tidak dapat mengunggah daftar untuk mitra {partner}: hanya pengguna mitra "
        "itu, petugas kantor cabangnya, atau administrator.",
        "en": "You cannot upload a list for partner {partner}: only that partner's users, its "
        "branch office's officers, or an administrator.",
    }


class AccountRequired(EnrolmentError):
    code = "partners.batch_account_required"
    default_field = ""
    http_status = 403
    text = {
        "id": "Pengunggah dan pemeriksa dicatat menurut akunnya: jalankan dengan --as NAMA_AKUN.",
        "en": "The uploader and the checker are recorded by account: run with --as USERNAME.",
    }


class NotPending(EnrolmentError):
    code = "partners.batch_not_pending"
    default_field = "batch"
    http_status = 409
    text = {
        "id": "Daftar nomor {id} berstatus {status}; hanya daftar yang sudah diperiksa dan "
        "menunggu persetujuan yang dapat disetujui atau ditolak.",
        "en": "Batch {id} is {status_en}; only a checked batch waiting for approval can be "
        "approved or rejected.",
    }


class SameAsUploader(EnrolmentError):
    code = "partners.batch_maker_checker"
    default_field = "batch"
    http_status = 403
    text = {
        "id": "Daftar nomor {id} diunggah oleh Anda sendiri; persetujuan harus oleh petugas "
        "lain (pembuat dan pemeriksa berbeda).",
        "en": "You uploaded batch {id} yourself; another officer must approve it (maker and "
        "checker differ).",
    }


class NotChecker(EnrolmentError):
    code = "partners.batch_outside_scope"
    default_field = "batch"
    http_status = 403
    text = {
        "id": "Daftar nomor {id} hanya dapat disetujui atau ditolak oleh petugas {office} "
        "(atau administrator).",
        "en": "Batch {id} can only be approved or rejected by an officer of {office} (or an "
        "administrator).",
    }


class NoteRequired(EnrolmentError):
    code = "partners.batch_note_required"
    default_field = "batch"
    text = {
        "id": "Tuliskan alasan penolakan; mitra membacanya.",
        "en": "Write the reason for the rejection; the partner reads it.",
    }


class NothingToEnrol(EnrolmentError):
    code = "partners.batch_nothing_valid"
    default_field = "batch"
    http_status = 409
    text = {
        "id": "Daftar nomor {id} tidak punya baris sah untuk didaftarkan; tolak daftar ini.",
        "en": "Batch {id} has no valid row to enrol; reject it instead.",
    }


class BadFormat(EnrolmentError):
    code = "partners.batch_bad_format"
    default_field = "file"
    text = {
        "id": "Format berkas hasil '{value}' tidak dikenal. Pilihan: xlsx, csv.",
        "en": "Unknown result file format '{value}'. Choices: xlsx, csv.",
    }
