# ruff: noqa: E501  (message texts are kept whole, one per line)
"""Refusals of the workers' own pages and API: sign-up, one-time codes, sign-in, paying."""

from __future__ import annotations

from typing import ClassVar

from jamsos.core.errors import ApplicationError

FIELD_LABELS: dict[str, dict[str, str]] = {
    "nik": {"id": "NIK", "en": "NIK"},
    "birth_date": {"id": "Tanggal lahir", "en": "Birth date"},
    "kpj": {"id": "KPJ atau nomor referensi mitra", "en": "KPJ or partner reference"},
    "code": {"id": "Kode", "en": "Code"},
    "ticket": {"id": "Permintaan kode", "en": "Code request"},
    "password": {"id": "Kata sandi", "en": "Password"},
    "identifier": {"id": "NIK atau KPJ", "en": "NIK or KPJ"},
    "months": {"id": "Jumlah bulan", "en": "Months"},
    "channel": {"id": "Kirim kode lewat", "en": "Send the code by"},
}


class SelfServiceError(ApplicationError):
    """Base of the workers' self-service refusals."""

    code: ClassVar[str] = "selfservice.error"
    labels = FIELD_LABELS


class IdentityNotMatched(SelfServiceError):
    """NIK, birth date and KPJ (or partner reference) name nobody together: which one is wrong
    is not said, so that the form cannot be used to find out someone's data."""

    code = "selfservice.identity_not_matched"
    text = {
        "id": "NIK, tanggal lahir dan KPJ (atau nomor referensi mitra) tidak cocok dengan data peserta. Periksa kartu identitas (KTP) dan kartu peserta Anda.",
        "en": "The NIK, birth date and KPJ (or partner reference) do not match a participant's record. Check your identity card (KTP) and your membership card.",
    }


class NoContactOnRecord(SelfServiceError):
    code = "selfservice.no_contact_on_record"
    http_status = 409
    default_field = "channel"
    text = {
        "id": "Tidak ada nomor telepon atau e-mail pada data Anda untuk menerima kode. Datangi kantor cabang atau mitra dengan KTP Anda untuk menambahkannya.",
        "en": "No phone number or e-mail is on your record to receive a code. Visit a branch office or a partner with your identity card (KTP) to add one.",
    }


class AccountExists(SelfServiceError):
    code = "selfservice.account_exists"
    http_status = 409
    text = {
        "id": "Anda sudah punya akun. Masuk dengan kata sandi Anda, atau pilih “Lupa kata sandi”.",
        "en": "You already have an account. Sign in with your password, or choose “Forgot password”.",
    }


class TooManyAttempts(SelfServiceError):
    code = "selfservice.too_many_attempts"
    http_status = 429
    text = {
        "id": "Terlalu banyak percobaan. Coba lagi setelah {minutes} menit.",
        "en": "Too many attempts. Try again in {minutes} minutes.",
    }


class CodeWrong(SelfServiceError):
    code = "selfservice.code_wrong"
    default_field = "code"
    text = {
        "id": "{label} salah. Sisa percobaan: {left}.",
        "en": "The {label} is wrong. Tries left: {left}.",
    }


class CodeExpired(SelfServiceError):
    """Expired, used, replaced by a newer one, or tried too often: ask for a new code."""

    code = "selfservice.code_expired"
    default_field = "code"
    http_status = 410
    text = {
        "id": "{label} tidak berlaku lagi (kedaluwarsa, sudah dipakai, atau terlalu sering salah). Minta kode baru.",
        "en": "The {label} is no longer valid (expired, used, or tried too often). Ask for a new code.",
    }


class PasswordRejected(SelfServiceError):
    code = "selfservice.password_rejected"
    default_field = "password"
    text = {
        "id": "{label} belum memenuhi syarat: {problems}",
        "en": "The {label} does not meet the rules: {problems}",
    }


class SignInFailed(SelfServiceError):
    code = "selfservice.sign_in_failed"
    default_field = "password"
    http_status = 401
    text = {
        "id": "NIK/KPJ atau kata sandi salah, atau akun belum dibuat. Belum punya kata sandi? Pilih “Buat akun”.",
        "en": "Wrong NIK/KPJ or password, or no account yet. No password yet? Choose “Create an account”.",
    }


class NoBpuMembership(SelfServiceError):
    code = "selfservice.no_bpu_membership"
    http_status = 404
    text = {
        "id": "Anda tidak punya kepesertaan BPU aktif yang iurannya Anda bayar sendiri.",
        "en": "You have no active BPU membership whose contributions you pay yourself.",
    }


class OpeningBalancesRefused(SelfServiceError):
    """A file of JHT opening balances with rows that cannot be read: nothing is written, and
    each row's problem is named (the first 20)."""

    code = "selfservice.opening_balances_refused"
    http_status = 400
    text = {
        "id": "Berkas {file_name} tidak diimpor, tidak ada yang ditulis. {count} baris bermasalah: {problems}",
        "en": "The file {file_name} was not imported; nothing was written. {count} rows have problems: {problems}",
    }
