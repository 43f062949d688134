"""Messages of the bulk upload, in Bahasa Indonesia and English.

Two kinds: refusals of a whole file or request (``uploads.wrong_file_type``, ...) and reasons a
single row is refused or noted (``uploads.village_unknown``, ...). Rows also carry the
membership app's reasons (``membership.invalid_nik``, ...), rendered by its own table; a stored
reason is ``{"code", "field", "params"}`` and :func:`reason_message` renders either kind in
either language. Placeholders are ``str.format`` fields; ``{column}`` is the column's header in
the documented form (``kode_desa / village_code``).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from jamsos.membership.errors import error_for
from jamsos.membership.messages import render as membership_render

#: The documented header of each column: Indonesian name, English name.
COLUMN_NAMES: dict[str, tuple[str, str]] = {
    "nik": ("nik", "nik"),
    "name": ("nama", "name"),
    "birth_date": ("tanggal_lahir", "birth_date"),
    "sex": ("jenis_kelamin", "sex"),
    "phone": ("telepon", "phone"),
    "village_code": ("kode_desa", "village_code"),
    "wage": ("upah", "wage"),
    "start_date": ("tanggal_mulai", "start_date"),
    "programs": ("program", "programs"),
}


def column_label(key: str) -> str:
    """``village_code`` → ``kode_desa / village_code`` (the two headers the file may use)."""
    names = COLUMN_NAMES.get(key)
    if names is None:
        return key
    return names[0] if names[0] == names[1] else f"{names[0]} / {names[1]}"


MESSAGES: dict[str, dict[str, str]] = {
    # --- the whole file or request ------------------------------------------------------------
    "wrong_file_type": {
        "id": "Berkas {file_name} bukan XLSX atau CSV ({detected}). Unggah lembar kerja Excel "
        "(.xlsx) atau CSV; templatnya dapat diunduh.",
        "en": "File {file_name} is not XLSX or CSV ({detected}). Upload an Excel workbook "
        "(.xlsx) or a CSV file; the template can be downloaded.",
    },
    "empty_file": {
        "id": "Berkas {file_name} kosong.",
        "en": "File {file_name} is empty.",
    },
    "no_rows": {
        "id": "Berkas {file_name} hanya berisi judul kolom, tanpa baris pekerja.",
        "en": "File {file_name} has a header but no worker rows.",
    },
    "file_too_large": {
        "id": "Berkas {file_name} lebih dari {limit_mb} MB. Bagi menjadi beberapa berkas.",
        "en": "File {file_name} is larger than {limit_mb} MB. Split it into several files.",
    },
    "too_many_rows": {
        "id": "Berkas {file_name} berisi lebih dari {limit} baris pekerja. Bagi menjadi beberapa "
        "berkas.",
        "en": "File {file_name} has more than {limit} worker rows. Split it into several files.",
    },
    "too_many_lines": {
        "id": "Berkas {file_name} berisi lebih dari {limit} baris (baris kosong ikut dihitung). "
        "Hapus baris kosong di bawah data atau bagi menjadi beberapa berkas.",
        "en": "File {file_name} has more than {limit} rows (empty ones included). Delete the "
        "empty rows below the data or split it into several files.",
    },
    "line_too_long": {
        "id": "Baris {line} berkas {file_name} lebih panjang dari {limit} karakter.",
        "en": "Line {line} of file {file_name} is longer than {limit} characters.",
    },
    "cell_too_long": {
        "id": "Sel di baris {line}, kolom ke-{column} berkas {file_name} lebih panjang dari "
        "{limit} karakter.",
        "en": "The cell in row {line}, column {column} of file {file_name} is longer than "
        "{limit} characters.",
    },
    "unpacked_too_large": {
        "id": "Lembar kerja {file_name} berukuran lebih dari {limit_mb} MB setelah dibuka "
        "(diekstrak). Bagi menjadi beberapa berkas.",
        "en": "Workbook {file_name} is larger than {limit_mb} MB once decompressed. Split it "
        "into several files.",
    },
    "too_many_shared_strings": {
        "id": "Lembar kerja {file_name} berisi lebih dari {limit} teks bersama (shared strings) "
        "atau lebih dari {limit_mb} MB teks. Salin datanya ke lembar kerja baru lalu simpan "
        "ulang.",
        "en": "Workbook {file_name} holds more than {limit} shared strings or more than "
        "{limit_mb} MB of them. Copy the data into a new workbook and save it again.",
    },
    "suspicious_archive": {
        "id": "Lembar kerja {file_name} ditolak: {problem}. Simpan ulang dari Excel sebagai .xlsx.",
        "en": "Workbook {file_name} is refused: {problem}. Save it again from Excel as .xlsx.",
    },
    "missing_columns": {
        "id": "Kolom wajib tidak ada: {missing}. Baris judul yang terbaca: {found}. Gunakan "
        "templat.",
        "en": "Required columns are missing: {missing}. Header read: {found}. Use the template.",
    },
    "duplicate_column": {
        "id": "Kolom {column} muncul lebih dari sekali di baris judul.",
        "en": "Column {column} appears more than once in the header.",
    },
    "not_utf8": {
        "id": 'Berkas CSV {file_name} tidak dapat dibaca sebagai teks. Simpan sebagai "CSV UTF-8".',
        "en": 'CSV file {file_name} cannot be read as text. Save it as "CSV UTF-8".',
    },
    "unreadable_xlsx": {
        "id": "Lembar kerja {file_name} tidak dapat dibaca ({problem}). Simpan ulang dari Excel "
        "sebagai .xlsx.",
        "en": "Workbook {file_name} cannot be read ({problem}). Save it again from Excel as .xlsx.",
    },
    "upload_not_found": {
        "id": "Tidak ada unggahan nomor {id}.",
        "en": "No upload number {id}.",
    },
    "not_committable": {
        "id": "Unggahan nomor {id} berstatus {status}; hanya unggahan yang tervalidasi yang "
        "dapat diterima atau dibuang.",
        "en": "Upload number {id} is {status}; only a validated upload can be accepted or "
        "discarded.",
    },
    "nothing_valid": {
        "id": "Unggahan nomor {id} tidak punya baris valid; tidak ada yang dicatat.",
        "en": "Upload number {id} has no valid rows; nothing is written.",
    },
    "invalid_report_format": {
        "id": "Format laporan tidak dikenal: {value!r}. Pilihan: xlsx, csv.",
        "en": "Unknown report format: {value!r}. Choices: xlsx, csv.",
    },
    # --- one row ------------------------------------------------------------------------------
    "example_row": {
        "id": "Ini baris contoh dari templat; hapus baris ini.",
        "en": "This is the template's example row; delete it.",
    },
    "nik_scientific": {
        "id": "NIK {value!r} tertulis sebagai angka pendek Excel (E+15); format kolom NIK sebagai "
        "Teks lalu ketik ulang NIK.",
        "en": "NIK {value!r} was written as a shortened Excel number (E+15); format the NIK "
        "column as Text and type the NIK again.",
    },
    "nik_number_cell": {
        "id": "NIK {value} disimpan Excel sebagai angka, yang hanya menyimpan 15 digit: digit "
        "terakhirnya mungkin berubah menjadi 0. Format kolom NIK sebagai Teks lalu ketik ulang.",
        "en": "NIK {value} was stored by Excel as a number, which keeps only 15 digits: its "
        "last digit may have become 0. Format the NIK column as Text and type it again.",
    },
    "duplicate_in_file": {
        "id": "NIK {nik} muncul lebih dari sekali dalam berkas: juga di baris {other_rows}.",
        "en": "NIK {nik} appears more than once in the file: also at row {other_rows}.",
    },
    "registered_person_differs": {
        "id": "NIK {nik} sudah terdaftar atas nama {name}, lahir {registered_birth_date}, "
        "{registered_sex}; baris ini menyebut lahir {birth_date}, {sex}. Periksa NIK-nya.",
        "en": "NIK {nik} is registered to {name}, born {registered_birth_date}, "
        "{registered_sex}; this row says born {birth_date}, {sex}. Check the NIK.",
    },
    "existing_person": {
        "id": "NIK {nik} sudah terdaftar atas nama {name}; data yang terdaftar dipakai dan "
        "kepesertaan PU di pemberi kerja ini ditambahkan.",
        "en": "NIK {nik} is already registered to {name}; the registered data is kept and a PU "
        "membership with this employer is added.",
    },
    "registered_meanwhile": {
        "id": "NIK {nik} didaftarkan atas nama {name} setelah berkas divalidasi; baris ini tidak "
        "dicatat. Unggah ulang baris ini.",
        "en": "NIK {nik} was registered to {name} after the file was validated; this row is "
        "not written. Upload the row again.",
    },
    "active_meanwhile": {
        "id": "{name} mendapat kepesertaan PU aktif di pemberi kerja ini (KPJ {kpj}) setelah "
        "berkas divalidasi; baris ini tidak dicatat.",
        "en": "{name} got an active PU membership with this employer (KPJ {kpj}) after the file "
        "was validated; this row is not written.",
    },
    "village_required": {
        "id": "Kode desa (kode_desa) wajib diisi.",
        "en": "The village code (village_code) is required.",
    },
    "village_unknown": {
        "id": "Kode desa {value!r} tidak ada di daftar wilayah yang berlaku (10 digit, misalnya "
        "32.04.05.2001 atau 3204052001).",
        "en": "Village code {value!r} is not in the current region list (10 digits, e.g. "
        "32.04.05.2001 or 3204052001).",
    },
    "invalid_wage": {
        "id": "Upah {value!r} bukan jumlah rupiah bulat (contoh: 4500000 atau 4.500.000).",
        "en": "Wage {value!r} is not a whole rupiah amount (e.g. 4500000 or 4.500.000).",
    },
    "wage_too_large": {
        "id": "Upah {value!r} terlalu besar untuk upah bulanan (paling banyak Rp{maximum}).",
        "en": "Wage {value!r} is too large for a monthly wage (at most Rp{maximum}).",
    },
    "invalid_start_date": {
        "id": "Tanggal mulai {value!r} bukan tanggal (TTTT-BB-HH atau HH-BB-TTTT).",
        "en": "Start date {value!r} is not a date (YYYY-MM-DD or DD-MM-YYYY).",
    },
    "invalid_birth_date": {
        "id": "Tanggal lahir {value!r} bukan tanggal (TTTT-BB-HH atau HH-BB-TTTT).",
        "en": "Birth date {value!r} is not a date (YYYY-MM-DD or DD-MM-YYYY).",
    },
    "start_in_future": {
        "id": "Tanggal mulai {start_date} lebih dari {days} hari setelah hari ini ({today}).",
        "en": "Start date {start_date} is more than {days} days after today ({today}).",
    },
    "field_too_long": {
        "id": "{label} lebih dari {maximum} karakter.",
        "en": "{label} is longer than {maximum} characters.",
    },
}

FIELD_LABELS: dict[str, dict[str, str]] = {
    "name": {"id": "Nama", "en": "Name"},
}

STATUS_NAMES: dict[str, dict[str, str]] = {
    "validated": {"id": "tervalidasi", "en": "validated"},
    "committed": {"id": "sudah dicatat", "en": "committed"},
    "discarded": {"id": "dibuang", "en": "discarded"},
    "failed": {"id": "gagal", "en": "failed"},
    "valid": {"id": "valid", "en": "valid"},
    "rejected": {"id": "ditolak", "en": "rejected"},
    "written": {"id": "dicatat", "en": "written"},
}


def _language(language: str) -> str:
    return language if language in ("id", "en") else "id"


def render(code: str, language: str, /, **params: Any) -> str:
    """The message of an ``uploads.*`` code (without the prefix) in ``language``."""
    language = _language(language)
    template = MESSAGES.get(code, {}).get(language)
    if template is None:
        return code
    values: dict[str, Any] = {}
    for key, value in params.items():
        values[key] = value[language] if isinstance(value, dict) and language in value else value
    if "field" in values:
        values["label"] = FIELD_LABELS.get(values["field"], {}).get(language, values["field"])
    return template.format(**values)


def reason_message(reason: Mapping[str, Any], language: str = "id") -> str:
    """A stored reason ``{"code", "field", "params"}`` as a sentence in ``language``."""
    code = str(reason.get("code", ""))
    params = dict(reason.get("params") or {})
    field = str(reason.get("field") or "")
    if code.startswith("membership."):
        try:
            key = error_for(code).reason  # the code and the message key may differ
        except KeyError:
            key = code.removeprefix("membership.")
        return membership_render(key, _language(language), field=field, **params)
    return render(code.removeprefix("uploads."), language, field=field, **params)


def status_name(status: str, language: str = "id") -> str:
    return STATUS_NAMES.get(status, {}).get(_language(language), status)
