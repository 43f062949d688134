"""Refusals of employer self-registration (codes ``employer_signup.*``)."""

from __future__ import annotations

from typing import ClassVar

from jamsos.core.errors import ApplicationError

FIELD_LABELS: dict[str, dict[str, str]] = {
    "legal_name": {"id": "Nama badan usaha", "en": "Legal name"},
    "npwp": {"id": "NPWP", "en": "NPWP"},
    "address_village": {"id": "Desa/kelurahan alamat", "en": "Address village"},
    "sector": {"id": "Sektor (KBLI)", "en": "Sector (KBLI)"},
    "risk_class": {"id": "Kelas risiko JKK", "en": "JKK risk class"},
    "size": {"id": "Skala usaha", "en": "Size"},
    "contact_name": {"id": "Nama narahubung", "en": "Contact name"},
    "contact_email": {"id": "Surel narahubung", "en": "Contact e-mail"},
    "contact_phone": {"id": "Nomor HP narahubung", "en": "Contact phone"},
    "pic_nik": {"id": "NIK penanggung jawab", "en": "NIK of the person in charge"},
    "application": {"id": "Permohonan", "en": "Application"},
    "reason": {"id": "Alasan", "en": "Reason"},
}


class SignupError(ApplicationError):
    code: ClassVar[str] = "employer_signup.error"
    labels: ClassVar[dict[str, dict[str, str]]] = FIELD_LABELS


class FieldInvalid(SignupError):
    code = "employer_signup.invalid"
    text = {
        "id": "{label} tidak sah.",
        "en": "{label} is not valid.",
    }


class NoOfficeForAddress(SignupError):
    code = "employer_signup.no_office"
    default_field = "address_village"
    text = {
        "id": "{label}: belum ada kantor cabang yang melayani wilayah ini.",
        "en": "{label}: no branch office serves this area yet.",
    }


class ApplicationNotFound(SignupError):
    code = "employer_signup.not_found"
    http_status = 404
    default_field = "application"
    text = {
        "id": "{label} {value} tidak ditemukan.",
        "en": "{label} {value} was not found.",
    }


class AlreadyDecided(SignupError):
    code = "employer_signup.already_decided"
    http_status = 409
    default_field = "application"
    text = {
        "id": "{label} {value} sudah diputuskan.",
        "en": "{label} {value} has already been decided.",
    }


class ReasonRequired(SignupError):
    code = "employer_signup.reason_required"
    default_field = "reason"
    text = {
        "id": "{label} penolakan wajib diisi.",
        "en": "A {label} for the rejection is required.",
    }


class NpwpRegistered(SignupError):
    code = "employer_signup.npwp_registered"
    http_status = 409
    default_field = "npwp"
    text = {
        "id": "{label} ini sudah terdaftar sebagai pemberi kerja {npp}: tolak permohonan ini.",
        "en": "This {label} is already registered as employer {npp}: reject this application.",
    }
