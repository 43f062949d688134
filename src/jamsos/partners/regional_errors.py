"""Refusals of the regional policy register (codes ``partners.regional_*``)."""

from __future__ import annotations

from jamsos.partners.errors import FIELD_LABELS, PartnersError

REGIONAL_LABELS: dict[str, dict[str, str]] = {
    **FIELD_LABELS,
    "instrument": {"id": "Regulasi/kebijakan daerah", "en": "Regional instrument"},
    "commitment": {"id": "Komitmen tindak lanjut", "en": "Follow-up commitment"},
    "title": {"id": "Judul", "en": "Title"},
    "issuer": {"id": "Penerbit", "en": "Issuer"},
    "status": {"id": "Status", "en": "Status"},
    "in_force_until": {"id": "Berlaku sampai", "en": "In force until"},
    "what": {"id": "Komitmen", "en": "Commitment"},
    "who": {"id": "Pihak", "en": "Who"},
    "made_at": {"id": "Dibuat pada acara", "en": "Made at"},
    "done_on": {"id": "Tanggal selesai", "en": "Done on"},
    "budget": {"id": "Anggaran", "en": "Budget"},
}


class RegionalError(PartnersError):
    labels = REGIONAL_LABELS


class InstrumentNotFound(RegionalError):
    code = "partners.regional_instrument_not_found"
    default_field = "instrument"
    http_status = 404
    text = {"id": "{label} {id} tidak ditemukan.", "en": "{label} {id} was not found."}


class CommitmentNotFound(RegionalError):
    code = "partners.regional_commitment_not_found"
    default_field = "commitment"
    http_status = 404
    text = {"id": "{label} {id} tidak ditemukan.", "en": "{label} {id} was not found."}


class RegionOutsideArea(RegionalError):
    code = "partners.regional_region_outside"
    default_field = "region"
    http_status = 403
    text = {
        "id": "{label} {code} di luar wilayah kerja Anda.",
        "en": "{label} {code} is outside your area.",
    }


class UnknownRegion(RegionalError):
    code = "partners.regional_unknown_region"
    default_field = "region"
    text = {
        "id": "{label} {code} tidak ada dalam daftar wilayah.",
        "en": "{label} {code} is not in the region list.",
    }


class BadRegionalValue(RegionalError):
    code = "partners.regional_bad_value"
    text = {
        "id": "{label}: “{value}” tidak dapat diterima ({reason_id}).",
        "en": "{label}: “{value}” is not accepted ({reason_en}).",
    }


class AlreadyDone(RegionalError):
    code = "partners.regional_already_done"
    default_field = "commitment"
    text = {
        "id": "{label} ini sudah selesai pada {done_on}.",
        "en": "This {label} was already done on {done_on}.",
    }
