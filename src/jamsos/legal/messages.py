"""Messages of the legal engine in Bahasa Indonesia and English.

Kept here, not in Django's catalogues, because ``legal`` imports nothing from Django.
"""

from __future__ import annotations

from typing import Any

FIELD_LABELS: dict[str, dict[str, str]] = {
    "segment": {"id": "Segmen", "en": "Segment"},
    "period": {"id": "Periode", "en": "Period"},
    "wage": {"id": "Upah", "en": "Wage"},
    "income": {"id": "Penghasilan", "en": "Income"},
    "contract_value": {"id": "Nilai kontrak", "en": "Contract value"},
    "placement_months": {"id": "Lama penempatan (bulan)", "en": "Placement months"},
    "risk_class": {"id": "Kelas risiko", "en": "Risk class"},
    "employer_size": {"id": "Skala usaha", "en": "Employer size"},
    "programs": {"id": "Program", "en": "Programs"},
    "industry": {"id": "Industri", "en": "Industry"},
    "workers": {"id": "Jumlah pekerja", "en": "Workers"},
    "jkp_eligible": {"id": "Memenuhi syarat JKP", "en": "JKP eligible"},
    "amount": {"id": "Jumlah", "en": "Amount"},
    "paid_on": {"id": "Tanggal bayar", "en": "Payment date"},
}

MESSAGES: dict[str, dict[str, str]] = {
    "required": {
        "id": "{label} wajib diisi untuk segmen {segment}.",
        "en": "{label} is required for segment {segment}.",
    },
    "required_plain": {
        "id": "{label} wajib diisi.",
        "en": "{label} is required.",
    },
    "unknown_field": {
        "id": "Isian “{value}” tidak dikenal. Isian yang dikenal: {choices}.",
        "en": "Unknown field “{value}”. Known fields: {choices}.",
    },
    "not_for_segment": {
        "id": "{label} tidak berlaku untuk segmen {segment}.",
        "en": "{label} does not apply to segment {segment}.",
    },
    "unknown_choice": {
        "id": "{label} tidak dikenal: “{value}”. Pilihan: {choices}.",
        "en": "Unknown {label_lower}: “{value}”. Choices: {choices}.",
    },
    "not_integer": {
        "id": "{label} harus bilangan bulat rupiah, bukan “{value}”.",
        "en": "{label} must be a whole number of rupiah, not “{value}”.",
    },
    "not_whole_number": {
        "id": "{label} harus bilangan bulat, bukan “{value}”.",
        "en": "{label} must be a whole number, not “{value}”.",
    },
    "not_positive": {
        "id": "{label} harus lebih dari nol (diberikan {value}).",
        "en": "{label} must be greater than zero (got {value}).",
    },
    "negative": {
        "id": "{label} tidak boleh negatif (diberikan {value}).",
        "en": "{label} must not be negative (got {value}).",
    },
    "too_large": {
        "id": "{label} terlalu besar (diberikan {value}; paling besar {maximum}).",
        "en": "{label} is too large (got {value}; at most {maximum}).",
    },
    "out_of_range": {
        "id": "{label} harus antara {minimum} dan {maximum} (diberikan {value}).",
        "en": "{label} must be between {minimum} and {maximum} (got {value}).",
    },
    "bad_period": {
        "id": "{label} harus berformat TTTT-BB, misalnya 2025-03 (diberikan “{value}”).",
        "en": "{label} must look like YYYY-MM, e.g. 2025-03 (got “{value}”).",
    },
    "period_before_law": {
        "id": "{label} {value} sebelum {first}: aturan iuran yang dimuat berlaku mulai {first}.",
        "en": "{label} {value} is before {first}: the contribution rules loaded start at {first}.",
    },
    "period_after_parameters": {
        "id": "{label} {value} melewati parameter yang diketahui (sampai {last}).",
        "en": "{label} {value} is past the last known parameters (up to {last}).",
    },
    "segment_not_in_force": {
        "id": "{label} {value}: belum ada parameter iuran {segment} sebelum {first}.",
        "en": "{label} {value}: no {segment} contribution parameters before {first}.",
    },
    "program_not_available": {
        "id": "Program {program} tidak tersedia untuk segmen {segment}.",
        "en": "Program {program} is not available to segment {segment}.",
    },
    "program_not_optional": {
        "id": "Program {program} bukan pilihan: {reason}.",
        "en": "Program {program} is not an option: {reason}.",
    },
    "penalty_not_applicable": {
        "id": "Segmen {segment} tidak dikenai denda keterlambatan.",
        "en": "Segment {segment} is not charged a late-payment penalty.",
    },
    "no_monthly_due_date": {
        "id": "Segmen {segment} tidak membayar iuran bulanan, jadi tidak ada jatuh tempo bulanan.",
        "en": "Segment {segment} pays no monthly contributions, so it has no monthly due date.",
    },
    "no_holiday_data": {
        "id": "Data hari libur tahun {year} belum tersedia; jatuh tempo tidak dapat dipastikan.",
        "en": "No holiday data for {year}; the due date cannot be determined.",
    },
}

NOTES: dict[str, dict[str, str]] = {
    "jp_deferred": {
        "id": (
            "PP 49/2020 Pasal 17: 99% iuran JP ditunda (pemberi kerja Rp{employer_idr}, "
            "pekerja Rp{worker_idr}); dilunasi paling lambat 15 April 2022."
        ),
        "en": (
            "PP 49/2020 Article 17: 99% of the JP contribution is deferred (employer "
            "Rp{employer_idr}, worker Rp{worker_idr}); to be settled by 15 April 2022."
        ),
    },
    "bpu_tier": {
        "id": (
            "Penghasilan Rp{income_idr} dihitung pada tingkat Rp{tier_idr} "
            "({rule}; keyakinan: {confidence})."
        ),
        "en": (
            "Income Rp{income_idr} is assessed at the Rp{tier_idr} tier "
            "({rule}; confidence: {confidence})."
        ),
    },
    "labour_intensive_discount": {
        "id": "Diskon JKK 50% industri padat karya (PP 7/2025 jo. PP 36/2025) diterapkan.",
        "en": "The 50% JKK discount for labour-intensive industry (PP 7/2025, PP 36/2025) applies.",
    },
    "relief_pp49": {
        "id": "Keringanan iuran masa pandemi COVID-19 (PP 49/2020) diterapkan.",
        "en": "COVID-19 contribution relief (PP 49/2020) applies.",
    },
    "low_confidence": {
        "id": "Angka {parameter} berkeyakinan {confidence}: {note}",
        "en": "Figure {parameter} has {confidence} confidence: {note}",
    },
    "jkp_recomposition_during_discount": {
        "id": (
            "Porsi rekomposisi JKK untuk JKP selama diskon PP 7/2025 tidak diketahui; "
            "ditampilkan pada tarif normal (keyakinan rendah)."
        ),
        "en": (
            "The JKK share recomposed into JKP during the PP 7/2025 discount is not known; "
            "it is shown at the normal rate (low confidence)."
        ),
    },
    "pmi_package": {
        "id": "Paket {package_months} bulan untuk penempatan {placement_months} bulan.",
        "en": "{package_months}-month package for a {placement_months}-month placement.",
    },
}


def _label(field: str, language: str) -> str:
    labels = FIELD_LABELS.get(field)
    if labels is None:
        return field
    return labels.get(language, labels["en"])


def render(code: str, language: str, **params: Any) -> str:
    """Render an error message; unknown languages fall back to Bahasa Indonesia."""
    language = language if language in ("id", "en") else "id"
    field = str(params.get("field", ""))
    label = _label(field, language)
    if code == "required" and not params.get("segment"):
        code = "required_plain"
    template = MESSAGES.get(code, {}).get(language) or f"{code}: {{label}}"
    values = {"label": label, "label_lower": label.lower(), **params}
    try:
        return template.format(**values)
    except (KeyError, IndexError):
        return f"{label}: {code}"


def render_note(code: str, language: str, **params: Any) -> str:
    language = language if language in ("id", "en") else "id"
    template = NOTES.get(code, {}).get(language, code)
    try:
        return template.format(**params)
    except (KeyError, IndexError):
        return code
