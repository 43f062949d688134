"""Refusals of the registry's region and workforce services: a stable code, a message in id/en."""

from __future__ import annotations

from typing import Any, ClassVar

from jamsos.core.errors import ApplicationError

FIELD_LABELS: dict[str, dict[str, str]] = {
    "edition": {"id": "Edisi", "en": "Edition"},
}


class RegistryError(ApplicationError):
    """Base of the registry's refusals (codes ``registry.*``)."""

    code: ClassVar[str] = "registry.error"
    labels = FIELD_LABELS


class RegionNotFound(RegistryError):
    """No region with ``code`` (in ``edition`` when one is named)."""

    code = "registry.region_not_found"
    http_status = 404
    text = {
        "id": "Tidak ada wilayah dengan kode {code}{in_edition}.",
        "en": "No region with code {code}{in_edition}.",
    }
    in_edition: ClassVar[dict[str, str]] = {"id": " pada edisi {}", "en": " in edition {}"}

    def values(self, language: str) -> dict[str, Any]:
        edition = self.params.get("edition")
        named = self.in_edition[language].format(edition) if edition else ""
        return {**super().values(language), "in_edition": named}


class EditionNotFound(RegistryError):
    code = "registry.edition_not_found"
    http_status = 404
    text = {
        "id": "Tidak ada edisi wilayah bernama {name}.",
        "en": "No region edition named {name}.",
    }


class NoEditionLoaded(EditionNotFound):
    """:class:`EditionNotFound` when no edition is loaded at all."""

    text = {
        "id": "Belum ada edisi wilayah yang dimuat; jalankan `jamsos regions load`.",
        "en": "No region edition is loaded yet; run `jamsos regions load`.",
    }


class EditionNameInvalid(RegistryError):
    code = "registry.edition_name_invalid"
    default_field = "edition"
    text = {
        "id": "{name} bukan nama edisi yang sah: gunakan huruf kecil, angka, '-' dan '_' "
        "(misalnya kepmendagri-2026-100).",
        "en": "{name} is not a valid edition name: use lowercase letters, digits, '-' and '_' "
        "(e.g. kepmendagri-2026-100).",
    }


class ImportFileInvalid(RegistryError):
    """A file that cannot be read as the expected format at all (not a row-level problem)."""

    code = "registry.import_file_invalid"
    text = {
        "id": "{path} tidak dapat diimpor: {reason}",
        "en": "{path} cannot be imported: {reason}",
    }


class PopulationMissing(RegistryError):
    code = "registry.population_missing"
    text = {
        "id": "Belum ada data penduduk untuk edisi {edition}; perkiraan memerlukannya (jalankan "
        "`jamsos regions import-population`).",
        "en": "No population figures are loaded for edition {edition}; estimates need them "
        "(run `jamsos regions import-population`).",
    }
