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
    # The benefit calculator (jamsos.legal.benefits).
    "program": {"id": "Program", "en": "Program"},
    "case": {"id": "Kasus", "en": "Case"},
    "date": {"id": "Tanggal", "en": "Date"},
    "contribution_months": {"id": "Masa iur (bulan)", "en": "Contribution months"},
    "months_unable": {"id": "Lama tidak mampu bekerja (bulan)", "en": "Months unable to work"},
    "disability_percent": {"id": "Persentase cacat", "en": "Disability percent"},
    "functional_loss_percent": {
        "id": "Persentase kehilangan fungsi",
        "en": "Functional loss percent",
    },
    "disability_row": {"id": "Jenis cacat (tabel)", "en": "Disability (table row)"},
    "children": {"id": "Jenjang sekolah anak", "en": "Child's school level"},
    "balance": {"id": "Saldo", "en": "Balance"},
    "average_wage": {"id": "Rata-rata upah tertimbang", "en": "Average indexed wage"},
    "jkp_claims_before": {"id": "Klaim JKP sebelumnya", "en": "Earlier JKP claims"},
    "months_since_job_loss": {"id": "Bulan sejak PHK", "en": "Months since the job loss"},
    "consecutive_months": {
        "id": "Iuran berturut-turut sebelum PHK (bulan)",
        "en": "Consecutive months paid before the job loss",
    },
    "membership_months": {"id": "Masa kepesertaan (bulan)", "en": "Membership months"},
    "contribution_density_percent": {
        "id": "Kepadatan iuran (%)",
        "en": "Contribution density (%)",
    },
    "claim_reason": {"id": "Alasan klaim", "en": "Claim reason"},
    "months_since_stop": {"id": "Bulan sejak berhenti bekerja", "en": "Months since work stopped"},
    "jht_partial_claimed": {"id": "Klaim sebagian JHT sudah diambil", "en": "JHT partial claimed"},
    "age": {"id": "Usia", "en": "Age"},
    "survivor": {"id": "Penerima manfaat", "en": "Survivor"},
    "year": {"id": "Tahun", "en": "Year"},
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
    "bad_date": {
        "id": "{label} harus berformat TTTT-BB-HH, misalnya 2025-03-10 (diberikan “{value}”).",
        "en": "{label} must look like YYYY-MM-DD, e.g. 2025-03-10 (got “{value}”).",
    },
    "date_before_law": {
        "id": "{label} {value} sebelum {first}: aturan manfaat yang dimuat berlaku mulai {first}.",
        "en": "{label} {value} is before {first}: the benefit rules loaded start at {first}.",
    },
    "not_percent": {
        "id": "{label} harus angka persen 0 sampai 100, bukan “{value}”.",
        "en": "{label} must be a percent from 0 to 100, not “{value}”.",
    },
    "not_for_case": {
        "id": "{label} tidak berlaku untuk program {program} kasus {case}.",
        "en": "{label} does not apply to program {program}, case {case}.",
    },
    "required_for_case": {
        "id": "{label} wajib diisi untuk program {program} kasus {case}.",
        "en": "{label} is required for program {program}, case {case}.",
    },
    "one_of_two": {
        "id": "Isi salah satu: {label} atau {other}, bukan keduanya.",
        "en": "Give one of {label} or {other}, not both.",
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
        "id": "Angka {figure} berkeyakinan {confidence}: {note_text}",
        "en": "The figure {figure} has {confidence} confidence: {note_text}",
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


#: Why a benefit is not paid (``BenefitResult.reasons``): stable keys, texts in id and en.
REASONS: dict[str, dict[str, str]] = {
    "program_not_in_force": {
        "id": "Program belum berlaku pada tanggal itu (JKP berlaku mulai 2 Februari 2021).",
        "en": "The program was not in force on that date (JKP starts on 2 February 2021).",
    },
    "program_not_for_segment": {
        "id": "Program ini tidak tersedia untuk segmen peserta tersebut.",
        "en": "The program is not available to that participant segment.",
    },
    "jht_age_not_reached": {
        "id": "Peserta belum berusia 56 tahun.",
        "en": "The member is not yet 56.",
    },
    "jht_waiting_period": {
        "id": "Masa tunggu 1 bulan sejak berhenti bekerja belum lewat.",
        "en": "The one-month wait after stopping work has not passed.",
    },
    "jht_partial_membership": {
        "id": "Klaim sebagian JHT memerlukan kepesertaan paling singkat 10 tahun.",
        "en": "A partial JHT claim needs at least 10 years of membership.",
    },
    "jht_partial_once": {
        "id": "Klaim sebagian JHT hanya dapat diambil satu kali.",
        "en": "A partial JHT claim can be made once only.",
    },
    "jp_age_not_reached": {
        "id": "Peserta belum mencapai usia pensiun tahun itu.",
        "en": "The member has not reached that year's pension age.",
    },
    "jp_disability_conditions": {
        "id": "Pensiun cacat memerlukan kepesertaan paling singkat 1 bulan dan kepadatan iuran "
        "paling sedikit 80%; yang dibayar saldo JP sekaligus.",
        "en": "A disability pension needs at least 1 month of membership and a contribution "
        "density of at least 80%; the JP balance is paid as a lump sum instead.",
    },
    "jp_disability_after_pension_age": {
        "id": "Pensiun cacat hanya untuk cacat total tetap sebelum usia pensiun; pada usia "
        "pensiun yang berlaku adalah pensiun hari tua.",
        "en": "A disability pension is for total permanent disability before pension age; at "
        "pension age the old-age pension applies.",
    },
    "jkp_contribution_months": {
        "id": "Masa iur JKP kurang dari 12 bulan dalam 24 bulan sebelum PHK.",
        "en": "Fewer than 12 months of contributions within the 24 months before the job loss.",
    },
    "jkp_consecutive_months": {
        "id": "Iuran kurang dari 6 bulan berturut-turut sebelum PHK (PP 37/2021).",
        "en": "Fewer than 6 consecutive months paid before the job loss (PP 37/2021).",
    },
    "jkp_claim_deadline": {
        "id": "Batas waktu pengajuan klaim JKP sejak PHK sudah lewat.",
        "en": "The deadline for a JKP claim after the job loss has passed.",
    },
    "jkp_max_claims": {
        "id": "Manfaat JKP sudah diterima 3 kali.",
        "en": "JKP has already been paid 3 times.",
    },
}

#: Notes on a benefit result (``BenefitResult.notes``): informative, not reasons.
BENEFIT_NOTES: dict[str, dict[str, str]] = {
    "scholarship_contribution_months": {
        "id": "Beasiswa JKM memerlukan masa iur paling singkat 3 tahun (sebelum 2 Desember 2019: "
        "5 tahun); tidak dihitung.",
        "en": "The JKM scholarship needs at least 3 years of contributions (before 2 December "
        "2019: 5 years); not included.",
    },
    "scholarship_children_limit": {
        "id": "Beasiswa dibayar untuk sejumlah anak yang dibatasi aturan (2 anak sejak 2 Desember "
        "2019); hanya anak pertama yang disebut yang dihitung.",
        "en": "The scholarship is paid for a limited number of children (2 since 2 December "
        "2019); only the first ones given are counted.",
    },
    "scholarship_yearly": {
        "id": "Beasiswa dibayar setiap tahun sesuai jenjang, sampai anak berusia 23 tahun, menikah "
        "atau bekerja; jumlahnya adalah hak sisa jenjang.",
        "en": "The scholarship is paid yearly by school level until the child is 23, marries or "
        "works; the amount is the entitlement for the rest of the path.",
    },
    "jp_limits_unknown": {
        "id": "Batas manfaat pensiun minimum/maksimum tahun itu tidak diketahui; manfaat "
        "ditampilkan tanpa batas tersebut.",
        "en": "The pension's minimum/maximum for that year is not known; the benefit is shown "
        "without it.",
    },
    "jp_counted_15_years": {
        "id": "Masa iur dianggap 15 tahun (Permenaker 29/2015 Pasal 26).",
        "en": "The contribution period is counted as 15 years (Permenaker 29/2015 Article 26).",
    },
    "jp_lump_sum": {
        "id": "Masa iur kurang dari 15 tahun: saldo JP (iuran dan hasil pengembangan) dibayar "
        "sekaligus.",
        "en": "Fewer than 15 years of contributions: the JP balance (contributions and returns) "
        "is paid as a lump sum.",
    },
    "jp_indexed_yearly": {
        "id": "Manfaat tahun pertama; tahun berikutnya diindeks dengan inflasi tahun sebelumnya. "
        "Mulai dibayar tanggal 1 bulan berikutnya.",
        "en": "First-year benefit; later years are indexed by the prior year's inflation. Paid "
        "from the 1st of the next month.",
    },
    "jp_tax_not_computed": {
        "id": "PPh 21 atas pensiun bulanan (tarif Pasal 17, PMK 168/2023) bergantung pada "
        "penghasilan lain; tidak dihitung.",
        "en": "PPh 21 on a monthly pension (Article 17 rates, PMK 168/2023) depends on other "
        "income; not computed.",
    },
    "low_confidence_figures": {
        "id": "Sebagian angka berkeyakinan rendah atau sedang; periksa dengan peraturan resmi.",
        "en": "Some figures have low or medium confidence; check against the official text.",
    },
    "conditions_taken_as_met": {
        "id": "Syarat yang tidak diisi dianggap terpenuhi.",
        "en": "Conditions not stated are taken as met.",
    },
    "jkk_tax_not_found": {
        "id": "Ketentuan pajak atas santunan tunai JKK/JKM tidak ditemukan; tidak dipotong.",
        "en": "The tax on JKK/JKM cash benefits was not found; nothing is withheld.",
    },
}


def render_reason(key: str, language: str = "id") -> str:
    """The text of a benefit reason or note key; unknown keys are returned as they are."""
    language = language if language in ("id", "en") else "id"
    texts = REASONS.get(key)
    return texts.get(language, texts["id"]) if texts else key


def render_benefit_note(key: str, language: str = "id", **params: Any) -> str:
    language = language if language in ("id", "en") else "id"
    texts = BENEFIT_NOTES.get(key)
    if not texts:
        return key
    try:
        return texts.get(language, texts["id"]).format(**params)
    except (KeyError, IndexError):
        return key


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
    # A parameter given in both languages ({"id": ..., "en": ...}) is read in the reader's.
    params = {
        name: value[language] if isinstance(value, dict) and language in value else value
        for name, value in params.items()
    }
    try:
        return template.format(**params)
    except (KeyError, IndexError):
        return code
