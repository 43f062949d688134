# ruff: noqa: E501  (message texts are kept whole, one per line)
"""Refusals of the coverage pages, API, targets and published figures: a stable code, the field
at fault, a message in id/en (the pattern of :mod:`jamsos.billing.errors`).

They build on :class:`jamsos.core.errors.ApplicationError`; the API renders them in the
request's language.
"""

from __future__ import annotations

from typing import ClassVar

from jamsos.core.errors import (
    BAD_PERIOD,
    REQUIRED,
    ApplicationError,
    NotPermitted,  # noqa: F401  (raised by the coverage policy)
)

FIELD_LABELS: dict[str, dict[str, str]] = {
    "code": {"id": "Kode wilayah", "en": "Region code"},
    "region_code": {"id": "Kode wilayah", "en": "Region code"},
    "period": {"id": "Periode", "en": "Period"},
    "segment": {"id": "Segmen", "en": "Segment"},
    "ecosystem": {"id": "Ekosistem", "en": "Ecosystem"},
    "channel": {"id": "Kanal", "en": "Channel"},
    "level": {"id": "Tingkat", "en": "Level"},
    "by": {"id": "Urutan", "en": "Order"},
    "branch_office": {"id": "Kantor cabang", "en": "Branch office"},
    "baseline_period": {"id": "Periode awal", "en": "Baseline period"},
    "target_period": {"id": "Periode target", "en": "Target period"},
    "target_active": {"id": "Target peserta aktif", "en": "Target active participants"},
    "target": {"id": "Target", "en": "Target"},
    "file": {"id": "Berkas", "en": "File"},
    "period_from": {"id": "Periode awal", "en": "First period"},
    "period_to": {"id": "Periode akhir", "en": "Last period"},
}

MESSAGES: dict[str, dict[str, str]] = {
    "required": REQUIRED,
    "bad_period": BAD_PERIOD,
    "bad_choice": {
        "id": "{label} {value!r} tidak dikenal; pilihan: {choices}.",
        "en": "{label} {value!r} is not known; choose one of: {choices}.",
    },
    "region_not_found": {
        "id": "{label} {value!r} tidak ada di daftar wilayah yang berlaku.",
        "en": "{label} {value!r} is not in the current region list.",
    },
    "region_wrong_level": {
        "id": "{label} {value!r} bukan wilayah tingkat {expected}.",
        "en": "{label} {value!r} is not a region of level {expected}.",
    },
    "level_too_high": {
        "id": "{label} harus di bawah tingkat wilayah {value!r} (1 provinsi s.d. 4 desa/kelurahan).",
        "en": "{label} must be below the level of region {value!r} (1 province to 4 village).",
    },
    "no_figures": {
        "id": "Belum ada angka kepesertaan: jalankan `jamsos coverage build` dulu.",
        "en": "There are no coverage figures yet: run `jamsos coverage build` first.",
    },
    "outside_scope": {
        "id": "Wilayah {value} di luar wilayah kerja Anda.",
        "en": "Region {value} is outside your area.",
    },
    "office_not_found": {
        "id": "Tidak ada kantor cabang {value!r}.",
        "en": "No branch office {value!r}.",
    },
    "not_positive": {
        "id": "{label} harus bilangan bulat lebih dari nol (diterima: {value}).",
        "en": "{label} must be a whole number above zero (got: {value}).",
    },
    "target_before_baseline": {
        "id": "{label} {value} harus sesudah periode awal {baseline}.",
        "en": "{label} {value} must come after the baseline period {baseline}.",
    },
    "target_exists": {
        "id": "Sudah ada target untuk {where}, segmen {segment}, periode {value} (target nomor {other}).",
        "en": "A target already exists for {where}, segment {segment}, period {value} (target {other}).",
    },
    "target_not_found": {
        "id": "Target {value} tidak ditemukan.",
        "en": "Target {value} not found.",
    },
    "not_for_level": {
        "id": "{label} tidak dipakai untuk target tingkat {level}; kosongkan.",
        "en": "{label} is not used for a target of level {level}; leave it empty.",
    },
    "file_invalid": {
        "id": "Berkas {value} tidak dapat dibaca: {reason}.",
        "en": "File {value} cannot be read: {reason}.",
    },
}


class CoverageError(ApplicationError):
    """Base of the coverage refusals. ``reason`` keys :data:`MESSAGES`.

    A parameter given as ``{"id": ..., "en": ...}`` is rendered in the message's language.
    """

    code: ClassVar[str] = "coverage.error"
    labels = FIELD_LABELS
    messages = MESSAGES


class RequiredField(CoverageError):
    code = "coverage.required"
    reason = "required"


class BadPeriod(CoverageError):
    code = "coverage.bad_period"
    reason = "bad_period"
    default_field = "period"


class BadChoice(CoverageError):
    code = "coverage.bad_choice"
    reason = "bad_choice"


class RegionNotFound(CoverageError):
    code = "coverage.region_not_found"
    reason = "region_not_found"
    default_field = "code"
    http_status = 404


class RegionWrongLevel(CoverageError):
    code = "coverage.region_wrong_level"
    reason = "region_wrong_level"
    default_field = "region_code"


class LevelTooHigh(CoverageError):
    code = "coverage.level_too_high"
    reason = "level_too_high"
    default_field = "level"


class NoFigures(CoverageError):
    code = "coverage.no_figures"
    reason = "no_figures"
    http_status = 404


class OutsideScope(CoverageError):
    """A region below the regencies a branch officer or partner user may open (403)."""

    code = "coverage.outside_scope"
    reason = "outside_scope"
    default_field = "code"
    http_status = 403


class OfficeNotFound(CoverageError):
    code = "coverage.office_not_found"
    reason = "office_not_found"
    default_field = "branch_office"
    http_status = 404


class NotPositive(CoverageError):
    code = "coverage.not_positive"
    reason = "not_positive"
    default_field = "target_active"


class TargetBeforeBaseline(CoverageError):
    code = "coverage.target_before_baseline"
    reason = "target_before_baseline"
    default_field = "target_period"


class TargetExists(CoverageError):
    code = "coverage.target_exists"
    reason = "target_exists"
    default_field = "target_period"
    http_status = 409


class TargetNotFound(CoverageError):
    code = "coverage.target_not_found"
    reason = "target_not_found"
    default_field = "target"
    http_status = 404


class NotForLevel(CoverageError):
    code = "coverage.not_for_level"
    reason = "not_for_level"


class FileInvalid(CoverageError):
    code = "coverage.file_invalid"
    reason = "file_invalid"
    default_field = "file"
