"""Refusals of the partner work: each error states its message in Bahasa Indonesia and English
next to its code (``text`` on :class:`jamsos.core.errors.ApplicationError`). The areas define
their errors in their own modules on :class:`PartnersError`, with the field labels below."""

from __future__ import annotations

from typing import ClassVar

from jamsos.core.errors import ApplicationError

FIELD_LABELS: dict[str, dict[str, str]] = {
    "partner": {"id": "Mitra", "en": "Partner"},
    "agreement": {"id": "Perjanjian kerja sama", "en": "Agreement"},
    "number": {"id": "Nomor", "en": "Number"},
    "kind": {"id": "Jenis", "en": "Kind"},
    "region": {"id": "Wilayah", "en": "Region"},
    "village": {"id": "Desa/kelurahan", "en": "Village"},
    "nik": {"id": "NIK", "en": "NIK"},
    "name": {"id": "Nama", "en": "Name"},
    "phone": {"id": "Nomor HP", "en": "Phone"},
    "birth_date": {"id": "Tanggal lahir", "en": "Birth date"},
    "occupation": {"id": "Pekerjaan", "en": "Occupation"},
    "income": {"id": "Perkiraan penghasilan", "en": "Estimated income"},
    "ecosystem": {"id": "Ekosistem", "en": "Ecosystem"},
    "consent": {"id": "Persetujuan dihubungi", "en": "Consent to be contacted"},
    "campaign": {"id": "Kampanye pendataan", "en": "Listing campaign"},
    "cadre": {"id": "Kader", "en": "Cadre"},
    "file": {"id": "Berkas", "en": "File"},
    "columns": {"id": "Kolom", "en": "Columns"},
    "batch": {"id": "Daftar pendaftaran", "en": "Enrolment batch"},
    "idempotency_key": {"id": "Kunci idempotensi", "en": "Idempotency key"},
    "sponsor_ref": {"id": "Rujukan penyandang dana", "en": "Sponsor reference"},
    "starts_on": {"id": "Tanggal mulai", "en": "Start date"},
    "ends_on": {"id": "Tanggal berakhir", "en": "End date"},
    "held_on": {"id": "Tanggal acara", "en": "Event date"},
    "period": {"id": "Periode", "en": "Period"},
    "target": {"id": "Target", "en": "Target"},
    "segment": {"id": "Segmen", "en": "Segment"},
    "branch_office": {"id": "Kantor cabang", "en": "Branch office"},
}


class PartnersError(ApplicationError):
    """Base of the partner-work refusals (codes ``partners.*``)."""

    code: ClassVar[str] = "partners.error"
    labels: ClassVar[dict[str, dict[str, str]]] = FIELD_LABELS


# Refusals the selectors raise too, so that selectors and services need not import each other.


#: Labels of the fields only partners, agreements and events have.
CORE_LABELS: dict[str, dict[str, str]] = {
    **FIELD_LABELS,
    "code": {"id": "Kode", "en": "Code"},
    "title": {"id": "Judul", "en": "Title"},
    "branch_office": {"id": "Kantor cabang", "en": "Branch office"},
    "association": {"id": "Asosiasi", "en": "Association"},
    "email": {"id": "Surel", "en": "Email"},
    "budget": {"id": "Anggaran", "en": "Budget"},
    "sponsored_workers": {"id": "Jumlah pekerja yang dibiayai", "en": "Sponsored workers"},
    "signed_on": {"id": "Tanggal tanda tangan", "en": "Signing date"},
    "period_from": {"id": "Periode awal", "en": "First period"},
    "period_to": {"id": "Periode akhir", "en": "Last period"},
    "enrolments": {"id": "Target pendaftaran", "en": "Enrolment target"},
    "active": {"id": "Target peserta aktif", "en": "Active target"},
    "attendance": {"id": "Jumlah hadir", "en": "Attendance"},
    "registrations_on_site": {"id": "Pendaftaran di tempat", "en": "On-site registrations"},
    "event": {"id": "Acara", "en": "Event"},
    "status": {"id": "Status", "en": "Status"},
    "field": {"id": "Isian", "en": "Field"},
    "days": {"id": "Jumlah hari", "en": "Days"},
}


class CoreError(PartnersError):
    """Refusals of partners, agreements, ecosystems and events."""

    labels = CORE_LABELS


class PartnerNotFound(CoreError):
    code = "partners.partner_not_found"
    default_field = "partner"
    http_status = 404
    text = {
        "id": "{label} {code} tidak ditemukan.",
        "en": "{label} {code} was not found.",
    }


class AgreementNotFound(CoreError):
    code = "partners.agreement_not_found"
    default_field = "agreement"
    http_status = 404
    text = {
        "id": "{label} {number} tidak ditemukan.",
        "en": "{label} {number} was not found.",
    }


class EventNotFound(CoreError):
    code = "partners.event_not_found"
    default_field = "event"
    http_status = 404
    text = {"id": "{label} {event} tidak ditemukan.", "en": "{label} {event} was not found."}


class DaysOutOfRange(CoreError):
    """A look-ahead in days outside 0 to :data:`ENDING_SOON_DAYS_MAX` (a slip, not a question)."""

    code = "partners.days_out_of_range"
    default_field = "days"
    text = {
        "id": "{label} harus antara {minimum} dan {maximum} (diberikan {value}).",
        "en": "{label} must be between {minimum} and {maximum} (got {value}).",
    }


class EnrolmentError(PartnersError):
    code = "partners.enrolment"


class BatchNotFound(EnrolmentError):
    code = "partners.batch_not_found"
    default_field = "batch"
    http_status = 404
    text = {"id": "Tidak ada daftar pendaftaran nomor {id}.", "en": "No enrolment batch {id}."}
