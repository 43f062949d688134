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
