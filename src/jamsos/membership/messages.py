"""Refusal messages of the membership services, in Bahasa Indonesia and English.

Kept as an id/en table beside the code (like ``jamsos.legal.messages``) so that every message is
available in both languages whatever catalogue is compiled, and so that bulk validation can
render one reason in either language without switching the active translation. Placeholders are
``str.format`` fields; ``{label}`` is the field's label in the same language.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from jamsos.core.errors import REQUIRED

FIELD_LABELS: dict[str, dict[str, str]] = {
    "nik": {"id": "NIK", "en": "NIK"},
    "name": {"id": "Nama", "en": "Name"},
    "birth_date": {"id": "Tanggal lahir", "en": "Birth date"},
    "sex": {"id": "Jenis kelamin", "en": "Sex"},
    "phone": {"id": "Nomor telepon", "en": "Phone number"},
    "domicile": {"id": "Domisili", "en": "Domicile"},
    "npwp": {"id": "NPWP", "en": "NPWP"},
    "legal_name": {"id": "Nama badan usaha", "en": "Legal name"},
    "size": {"id": "Skala usaha", "en": "Employer size"},
    "sector": {"id": "Sektor (KBLI)", "en": "Sector (KBLI)"},
    "risk_class": {"id": "Kelas risiko", "en": "Risk class"},
    "industry": {"id": "Industri", "en": "Industry"},
    "address_village": {"id": "Desa/kelurahan alamat", "en": "Address village"},
    "branch_office": {"id": "Kantor cabang", "en": "Branch office"},
    "code": {"id": "Kode", "en": "Code"},
    "service_area": {"id": "Wilayah layanan", "en": "Service area"},
    "programs": {"id": "Program", "en": "Programs"},
    "wage": {"id": "Upah", "en": "Wage"},
    "declared_income": {"id": "Penghasilan yang dilaporkan", "en": "Declared income"},
    "contract_value": {"id": "Nilai kontrak", "en": "Contract value"},
    "placement_months": {"id": "Lama penempatan (bulan)", "en": "Placement months"},
    "destination_country": {"id": "Negara tujuan", "en": "Destination country"},
    "period": {"id": "Periode", "en": "Period"},
    "start_date": {"id": "Tanggal mulai", "en": "Start date"},
    "end_date": {"id": "Tanggal berakhir", "en": "End date"},
    "reason": {"id": "Alasan", "en": "Reason"},
    "ecosystem": {"id": "Ekosistem", "en": "Ecosystem"},
    "channel": {"id": "Kanal pendaftaran", "en": "Registration channel"},
    "sponsor": {"id": "Penyandang iuran", "en": "Sponsor"},
    "membership": {"id": "Kepesertaan", "en": "Membership"},
    "employer": {"id": "Pemberi kerja", "en": "Employer"},
    "kpj": {"id": "KPJ", "en": "KPJ"},
    "workers": {"id": "Jumlah pekerja", "en": "Workers"},
}

NIK_PROBLEMS: dict[str, dict[str, str]] = {
    "format": {"id": "harus 16 angka", "en": "must be 16 digits"},
    "script": {
        "id": "hanya boleh memuat angka 0–9 (ada angka atau huruf dari aksara lain)",
        "en": "may hold only the digits 0–9 (it has a digit or letter of another script)",
    },
    "serial": {"id": "nomor urut 0000 tidak dipakai", "en": "serial 0000 is never issued"},
    "date": {
        "id": "bagian tanggal lahir (digit 7–12) bukan tanggal yang ada",
        "en": "its birth-date part (digits 7–12) is not a real date",
    },
}

MESSAGES: dict[str, dict[str, str]] = {
    "required": REQUIRED,
    "invalid_choice": {
        "id": "{label} tidak dikenal: {value!r}. Pilihan: {choices}.",
        "en": "Unknown {label_lower}: {value!r}. Choices: {choices}.",
    },
    "invalid_date": {
        "id": "{label} {value!r} bukan tanggal (TTTT-BB-HH).",
        "en": "{label} {value!r} is not a date (YYYY-MM-DD).",
    },
    "invalid_nik": {
        "id": "NIK {value} tidak sah: {problem}.",
        "en": "NIK {value} is not valid: {problem}.",
    },
    "nik_region_unknown": {
        "id": "NIK {nik}: kode kecamatan {district} (digit 1–6) tidak ada di daftar wilayah "
        "yang berlaku.",
        "en": "NIK {nik}: district code {district} (digits 1–6) is not in the current region list.",
    },
    "nik_birth_date_mismatch": {
        "id": "NIK {nik} menyatakan lahir {nik_date} (TT-BB-TT), tetapi tanggal lahir yang "
        "diisi {birth_date}.",
        "en": "NIK {nik} says born {nik_date} (DD-MM-YY), but the birth date given is "
        "{birth_date}.",
    },
    "nik_sex_mismatch": {
        "id": "NIK {nik} menyatakan jenis kelamin {nik_sex} (perempuan: tanggal + 40), tetapi "
        "yang diisi {sex}.",
        "en": "NIK {nik} says sex {nik_sex} (women: day + 40), but the sex given is {sex}.",
    },
    "birth_date_in_future": {
        "id": "Tanggal lahir {birth_date} ada di masa depan.",
        "en": "Birth date {birth_date} is in the future.",
    },
    "invalid_phone": {
        "id": "Nomor telepon {value!r} tidak dapat dibaca sebagai nomor Indonesia: {problem}",
        "en": "Phone number {value!r} cannot be read as an Indonesian number: {problem}",
    },
    "duplicate_nik": {
        "id": "NIK {nik} sudah terdaftar atas nama {name}{kpj}.",
        "en": "NIK {nik} is already registered to {name}{kpj}.",
    },
    "duplicate_in_batch": {
        "id": "NIK {nik} muncul lebih dari sekali dalam berkas (pertama di baris {first_row}).",
        "en": "NIK {nik} appears more than once in the file (first at row {first_row}).",
    },
    "invalid_npwp": {
        "id": "NPWP {value!r} tidak sah (15 atau 16 angka dengan digit pemeriksa yang benar).",
        "en": "NPWP {value!r} is not valid (15 or 16 digits with a correct check digit).",
    },
    "duplicate_npwp": {
        "id": "NPWP {npwp} sudah terdaftar untuk {legal_name} (NPP {npp}).",
        "en": "NPWP {npwp} is already registered to {legal_name} (NPP {npp}).",
    },
    "program_not_allowed": {
        "id": "Program {program} tidak dapat dipilih untuk segmen {segment}: {why}",
        "en": "Program {program} cannot be chosen for segment {segment}: {why}",
    },
    "start_before_law": {
        "id": "Tanggal mulai {start_date} sebelum {first}: aturan program yang dimuat berlaku "
        "mulai {first}.",
        "en": "Start date {start_date} is before {first}: the program rules loaded start at "
        "{first}.",
    },
    "start_before_birth": {
        "id": "Tanggal mulai {start_date} sebelum tanggal lahir {birth_date}.",
        "en": "Start date {start_date} is before the birth date {birth_date}.",
    },
    "region_level": {
        "id": "{label}: {region} bukan {expected}.",
        "en": "{label}: {region} is not a {expected}.",
    },
    "no_branch_office": {
        "id": "Tidak ada kantor cabang yang melayani {regency}; buat dulu kantor cabangnya.",
        "en": "No branch office serves {regency}; create one first.",
    },
    "duplicate_branch_office": {
        "id": "Kode kantor cabang {code} sudah dipakai oleh {name}.",
        "en": "Branch office code {code} is already used by {name}.",
    },
    "not_positive": {
        "id": "{label} harus lebih dari nol (diberikan {value}).",
        "en": "{label} must be greater than zero (got {value}).",
    },
    "out_of_range": {
        "id": "{label} harus antara {minimum} dan {maximum} (diberikan {value}).",
        "en": "{label} must be between {minimum} and {maximum} (got {value}).",
    },
    "already_active": {
        "id": "{name} sudah punya kepesertaan {segment} aktif{where} (KPJ {kpj}).",
        "en": "{name} already has an active {segment} membership{where} (KPJ {kpj}).",
    },
    "outside_partner_regions": {
        "id": "{label} {village} berada di luar wilayah PKS mitra {partner} ({regions}); mitra "
        "hanya dapat mendaftarkan orang yang berdomisili di wilayahnya. Daftarkan melalui kantor "
        "cabang.",
        "en": "{label} {village} lies outside partner {partner}'s agreement regions ({regions}); "
        "a partner may only register people living in its regions. Register through the branch "
        "office.",
    },
    "already_ended": {
        "id": "Kepesertaan KPJ {kpj} sudah berakhir pada {end_date}.",
        "en": "Membership KPJ {kpj} already ended on {end_date}.",
    },
    "outside_office_area": {
        "id": "{label} {village} berada di luar wilayah layanan kantor cabang Anda; kantor "
        "cabang yang melayani desa itu yang mendaftarkannya.",
        "en": "{label} {village} lies outside your office's service area; the office serving "
        "that village registers this person.",
    },
    "end_before_start": {
        "id": "Tanggal berakhir {end_date} sebelum tanggal mulai {start_date}.",
        "en": "End date {end_date} is before the start date {start_date}.",
    },
    "invalid_period": {
        "id": "Periode harus berformat TTTT-BB, misalnya 2025-03 (diberikan {value!r}).",
        "en": "Period must look like YYYY-MM, e.g. 2025-03 (got {value!r}).",
    },
    "wage_already_reported": {
        "id": "Upah periode {period} untuk KPJ {kpj} sudah dilaporkan (Rp{wage}).",
        "en": "The wage for {period} of KPJ {kpj} is already reported (Rp{wage}).",
    },
    "period_outside_membership": {
        "id": "Periode {period} di luar masa kepesertaan KPJ {kpj} ({start_date} – {end_date}).",
        "en": "Period {period} is outside membership KPJ {kpj} ({start_date} – {end_date}).",
    },
    "wrong_segment": {
        "id": "KPJ {kpj} adalah kepesertaan {segment}; tindakan ini hanya untuk {expected}.",
        "en": "KPJ {kpj} is a {segment} membership; this applies to {expected} only.",
    },
    "sponsor_incomplete": {
        "id": "Penyandang iuran harus punya nama dan jenis (APBD, CSR atau zakat).",
        "en": "A sponsor needs both a name and a kind (regional_budget, csr or zakat).",
    },
    "nik_in_address": {
        "id": (
            "NIK tidak dicari lewat alamat (alamat tercatat di log server): kirim pencarian "
            'dengan POST /api/v1/people/search dan {{"q": ...}} di badan permintaan.'
        ),
        "en": (
            "A NIK is not searched through the address (addresses are kept in server logs): "
            'send the search by POST /api/v1/people/search with {{"q": ...}} in the body.'
        ),
    },
    "person_not_found": {
        "id": "Tidak ada peserta dengan NIK {nik}.",
        "en": "No person with NIK {nik}.",
    },
    "person_id_not_found": {
        "id": "Tidak ada peserta dengan nomor data {id}.",
        "en": "No person with record number {id}.",
    },
    "employer_not_found": {
        "id": "Tidak ada pemberi kerja dengan NPP {npp}.",
        "en": "No employer with NPP {npp}.",
    },
    "wage_too_low": {
        "id": "{label} {value} terlalu kecil untuk upah sebulan (paling sedikit {minimum}); "
        "periksa apakah upah tertulis dalam ribuan.",
        "en": "{label} {value} is too small for a monthly wage (at least {minimum}); check "
        "whether the wage was typed in thousands.",
    },
    "not_employers_worker": {
        "id": "KPJ {kpj} bukan pekerja penerima upah aktif {employer}.",
        "en": "KPJ {kpj} is not an active wage earner of {employer}.",
    },
    "membership_not_found": {
        "id": "Tidak ada kepesertaan dengan KPJ {kpj}.",
        "en": "No membership with KPJ {kpj}.",
    },
    "demo_regions_missing": {
        "id": "Data wilayah belum dimuat; jalankan `jamsos setup_demo` lebih dulu.",
        "en": "No regions are loaded yet; run `jamsos setup_demo` first.",
    },
    "demo_too_small": {
        "id": "Populasi demo butuh paling sedikit {minimum} pekerja (diberikan {value}).",
        "en": "The demo population needs at least {minimum} workers (got {value}).",
    },
}

LEVEL_NAMES: dict[str, dict[str, str]] = {
    "village": {"id": "desa/kelurahan", "en": "village"},
    "regency": {"id": "kabupaten/kota", "en": "regency"},
    "district": {"id": "kecamatan", "en": "district"},
}


def label(field: str, language: str) -> str:
    labels = FIELD_LABELS.get(field)
    if labels is None:
        return field
    return labels.get(language, labels["en"])


def derived_values(code: str, language: str, params: Mapping[str, Any]) -> dict[str, str]:
    """Placeholders a message computes from its parameters (a NIK's problem, a region level)."""
    if code == "invalid_nik" and "problem_code" in params:
        return {"problem": NIK_PROBLEMS[params["problem_code"]][language]}
    if code == "region_level" and "level" in params:
        return {"expected": LEVEL_NAMES[params["level"]][language]}
    return {}


def render(code: str, language: str, /, *, field: str = "", **params: Any) -> str:
    """The message of a stored reason; unknown languages fall back to Bahasa Indonesia.

    Refusals raised as :class:`~jamsos.membership.errors.MembershipError` render themselves;
    this renders the reasons kept on upload and enrolment rows, which are not exceptions.
    """
    language = language if language in ("id", "en") else "id"
    text = label(field, language)
    template = MESSAGES.get(code, {}).get(language)
    if template is None:
        return f"{text}: {code}" if text else code
    values = {"label": text, "label_lower": text.lower()}
    for key, value in params.items():
        # A parameter given in both languages ({"id": ..., "en": ...}) is shown in the one asked.
        values[key] = value[language] if isinstance(value, dict) and language in value else value
    values.update(derived_values(code, language, params))
    return template.format(**values)
