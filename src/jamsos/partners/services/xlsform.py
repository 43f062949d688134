"""The Jamsos listing XLSForm and reading listed rows from files (docs/partners/pendataan.md).

Formats read by :func:`read_rows`:

- ``csv`` / ``xlsx``: a plain table; the header names the columns, Indonesian or English
  (``nama`` or ``name``; see :data:`ALIASES`), in any order, in any of the first ten rows.
  Tables (these and ``kobo-csv``) are read by the bulk upload's reader
  (:func:`jamsos.uploads.parsing.read_table` with :data:`COLUMNS`): its encodings, delimiters
  and refusals of files that are no table (empty, a PDF, a damaged CSV).
- ``kobo-csv``: KoboToolbox's CSV export with "XML values and headers": columns carry their group
  path (``group_identitas/nik``), which is dropped; ``meta/instanceID`` (or ``_uuid``) is the
  submission reference. ``;`` or ``,`` separated.
- ``kobo-json``: KoboToolbox API v2 ``/api/v2/assets/<uid>/data.json``: ``{"results": [...]}``
  with flattened ``group/field`` keys.
- ``odk-json``: ODK Central OData ``Submissions`` JSON: ``{"value": [...]}`` with nested group
  objects; ``__id`` (or ``meta.instanceID``) is the submission reference.

Submission references are stored without their ``uuid:`` prefix, so the same submission read
from any of the three exports has the same ``source_ref``.

This module has no Django models: the XLSForm builder (``data/xlsform/build_xlsform.py``)
imports :data:`SURVEY` and :data:`CHOICES` from here.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from jamsos.partners.errors import PartnersError
from jamsos.uploads.errors import TooManyRows, UnreadableWorkbook
from jamsos.uploads.parsing import ColumnSpec, header_key, max_bytes, max_rows, read_table

FORM_ID = "jamsos_pendataan"
FORM_VERSION = "2025.1"

#: Column key -> accepted header names (normalised: lower case, ``_`` for separators).
ALIASES: dict[str, tuple[str, ...]] = {
    "nik": ("nik", "no_ktp", "nomor_ktp", "nomor_induk_kependudukan"),
    "name": ("name", "nama", "nama_lengkap", "full_name"),
    "phone": ("phone", "no_hp", "nomor_hp", "hp", "telepon", "no_telepon"),
    "birth_date": ("birth_date", "tanggal_lahir", "tgl_lahir", "date_of_birth"),
    "occupation": ("occupation", "pekerjaan"),
    "estimated_income": (
        "estimated_income",
        "estimated_income_idr",
        "perkiraan_penghasilan",
        "penghasilan",
        "income",
    ),
    "ecosystem": ("ecosystem", "ekosistem"),
    "village_code": ("village_code", "kode_desa", "kode_kelurahan", "kode_wilayah", "desa"),
    "address": ("address", "alamat"),
    "consent_contact": (
        "consent_contact",
        "consent",
        "setuju_dihubungi",
        "bersedia_dihubungi",
        "persetujuan",
    ),
    "cadre_code": ("cadre_code", "cadre", "kode_kader", "kader"),
    "campaign_code": ("campaign_code", "kode_kampanye", "campaign"),
    "source_ref": ("source_ref", "instanceid", "uuid", "id_kiriman", "submission_id"),
}
REQUIRED = ("nik", "name")
_BY_HEADER = {alias: key for key, names in ALIASES.items() for alias in names}
#: Columns of the exports that are not data (read back without complaint).
_EXPORT_NOISE = frozenset(
    {
        "id",
        "submission_time",
        "index",
        "parent_index",
        "status",
        "submitted_by",
        "version",
        "tags",
        "notes",
        "validation_status",
        "xform_id_string",
        "attachments",
        "geolocation",
        "start",
        "end",
        "today",
        "deviceid",
        "formhub_uuid",
        "uuid_formhub",
        "instancename",
        "system",
        "odata_context",
        "odata_etag",
        "baris",
        "row",
        "alasan",
        "reasons",
        "match_status",
    }
)
FORMATS = ("csv", "xlsx", "kobo-csv", "kobo-json", "odk-json")

# --- the form ------------------------------------------------------------------------------------

#: (type, name, label id, label en, extra columns) of the survey sheet, in order.
SURVEY: list[tuple[str, str, str, str, dict[str, str]]] = [
    ("start", "start", "", "", {}),
    ("end", "end", "", "", {}),
    ("today", "today", "", "", {}),
    ("deviceid", "deviceid", "", "", {}),
    (
        "text",
        "campaign_code",
        "Kode kampanye pendataan",
        "Listing campaign code",
        {"required": "yes", "hint::Bahasa Indonesia (id)": "Dari petugas kantor cabang"},
    ),
    (
        "text",
        "cadre_code",
        "Kode kader",
        "Cadre code",
        {"required": "yes"},
    ),
    ("begin_group", "group_identitas", "Identitas", "Identity", {"appearance": "field-list"}),
    (
        "text",
        "nik",
        "NIK (16 angka, lihat KTP)",
        "NIK (16 digits, see the ID card)",
        {
            "required": "yes",
            "appearance": "numbers",
            "constraint": "regex(., '^[0-9]{16}$')",
            "constraint_message::Bahasa Indonesia (id)": "NIK harus 16 angka",
            "constraint_message::English (en)": "The NIK has 16 digits",
        },
    ),
    ("text", "name", "Nama lengkap", "Full name", {"required": "yes"}),
    ("date", "birth_date", "Tanggal lahir", "Birth date", {}),
    ("end_group", "", "", "", {}),
    ("begin_group", "group_kontak", "Kontak", "Contact", {"appearance": "field-list"}),
    (
        "select_one yes_no",
        "consent_contact",
        "Bersedia dihubungi petugas BPJS Ketenagakerjaan?",
        "Agrees to be contacted by BPJS Ketenagakerjaan staff?",
        {"required": "yes"},
    ),
    (
        "text",
        "phone",
        "Nomor HP",
        "Mobile phone number",
        {
            "relevant": "${consent_contact} = 'yes'",
            "appearance": "numbers",
            "constraint": "regex(., '^\\+?[0-9]{9,15}$')",
        },
    ),
    ("end_group", "", "", "", {}),
    ("begin_group", "group_pekerjaan", "Pekerjaan", "Work", {"appearance": "field-list"}),
    ("text", "occupation", "Pekerjaan", "Occupation", {}),
    (
        "integer",
        "estimated_income",
        "Perkiraan penghasilan sebulan (Rp)",
        "Estimated monthly income (Rp)",
        {"constraint": ". > 0"},
    ),
    ("select_one ecosystem", "ecosystem", "Ekosistem", "Ecosystem", {}),
    ("end_group", "", "", "", {}),
    ("begin_group", "group_alamat", "Alamat", "Address", {"appearance": "field-list"}),
    (
        "text",
        "village_code",
        "Kode desa/kelurahan (10 angka; kosong = desa kampanye)",
        "Village code (10 digits; empty = the campaign's village)",
        {"appearance": "numbers", "constraint": "regex(., '^[0-9]{10}$')"},
    ),
    ("text", "address", "Alamat (RT/RW, jalan)", "Address (RT/RW, street)", {}),
    ("end_group", "", "", "", {}),
]

CHOICES: list[tuple[str, str, str, str]] = [
    ("yes_no", "yes", "Ya", "Yes"),
    ("yes_no", "no", "Tidak", "No"),
    ("ecosystem", "pasar", "Pasar", "Market"),
    ("ecosystem", "desa_kelurahan", "Desa / kelurahan", "Village"),
    ("ecosystem", "e_commerce", "E-commerce", "E-commerce"),
    ("ecosystem", "umkm", "UMKM", "Micro-enterprise cluster"),
    ("ecosystem", "rentan", "Pekerja rentan", "Vulnerable workers"),
    ("ecosystem", "none", "Lainnya", "Other"),
]


# --- reading --------------------------------------------------------------------------------------


class WrongColumns(PartnersError):
    code = "partners.wrong_columns"
    default_field = "columns"
    text = {
        "id": "{label} wajib tidak ada: {missing}. Kolom yang ditemukan: {found}.",
        "en": "Required {label} missing: {missing}. Columns found: {found}.",
    }


class UnreadableFile(PartnersError):
    code = "partners.unreadable_file"
    default_field = "file"
    text = {
        "id": "{label} {file_name} tidak dapat dibaca sebagai {format}: {problem}",
        "en": "{label} {file_name} cannot be read as {format}: {problem}",
    }


class UnknownFormat(PartnersError):
    code = "partners.unknown_format"
    default_field = "file"
    text = {
        "id": "Format '{value}' tidak dikenal; pilihan: {choices}.",
        "en": "Unknown format '{value}'; choices: {choices}.",
    }


class NoRowsInFile(PartnersError):
    code = "partners.no_rows"
    default_field = "file"
    text = {
        "id": "{label} {file_name} tidak berisi baris data.",
        "en": "{label} {file_name} has no data rows.",
    }


@dataclass
class SourceRow:
    """One listed row as read: its number in the file (or position in the JSON list) and the
    values by column key."""

    line: int
    values: dict[str, Any]


@dataclass
class ReadResult:
    file_format: str
    rows: list[SourceRow] = field(default_factory=list)
    ignored: list[str] = field(default_factory=list)


def _leaf_key(header: object) -> str:
    """``group_identitas/NIK`` -> ``nik``: the header's last path part, normalised."""
    text = str(header if header is not None else "").strip()
    return header_key(text.rsplit("/", 1)[-1]).strip("_")


def column_key(header: object) -> str | None:
    """The column key of a header, group path dropped: ``group_x/nik`` -> ``nik``."""
    return _BY_HEADER.get(_leaf_key(header))


def source_ref_clean(value: object) -> str:
    text = str(value or "").strip()
    return text.removeprefix("uuid:")[:80]


def detect_format(content: bytes, file_name: str = "") -> str:
    head = content[:4096].lstrip(b"\xef\xbb\xbf \r\n\t")
    if content.startswith(b"PK\x03\x04"):
        return "xlsx"
    if head.startswith((b"{", b"[")):
        try:
            data = json.loads(content.decode("utf-8-sig"))
        except (ValueError, UnicodeDecodeError):
            return "kobo-json"
        if isinstance(data, dict) and "value" in data:
            return "odk-json"
        return "kobo-json"
    first_line = head.split(b"\n", 1)[0].lower()
    if b"instanceid" in first_line or b"_uuid" in first_line or b"/" in first_line:
        return "kobo-csv"
    return "csv"


def read_rows(content: bytes, *, file_name: str, file_format: str | None = None) -> ReadResult:
    """Read the listed rows of a file (refusing the whole file when it cannot be a list)."""
    fmt = file_format or detect_format(content, file_name)
    if fmt not in FORMATS:
        raise UnknownFormat(value=fmt, choices=", ".join(FORMATS))
    if len(content) > max_bytes():
        raise UnreadableFile(
            file_name=file_name, format=fmt, problem=f"> {max_bytes() // (1024 * 1024)} MB"
        )
    if fmt in ("kobo-json", "odk-json"):
        result = _read_json(content, file_name=file_name, fmt=fmt)
    else:
        result = _read_table(content, file_name=file_name, fmt=fmt)
    if not result.rows:
        raise NoRowsInFile(file_name=file_name)
    return result


def _quiet(text: str) -> bool:
    """Columns of the exports that are not data, read without listing them as ignored."""
    return _leaf_key(text) in _EXPORT_NOISE or text.startswith("_")


def _duplicate(key: str, kept: str, new: str, header: list[str]) -> bool:
    """Two columns of one key refuse the file, except the submission reference:
    ``meta/instanceID`` is read when ``_uuid`` is exported too."""
    if key == "source_ref":
        return "instanceid" in new.lower()
    raise WrongColumns(missing=f"{key} (2x)", found=", ".join(header))


def _wrong_columns(missing: list[str], found: str) -> WrongColumns:
    return WrongColumns(missing=", ".join(missing), found=found[:300] or "-")


#: The table formats' columns for :func:`jamsos.uploads.parsing.read_table`.
COLUMNS = ColumnSpec(
    names=ALIASES,
    required=REQUIRED,
    quiet=_quiet,
    normalise=_leaf_key,
    on_duplicate=_duplicate,
    refuse_missing=_wrong_columns,
)


def _read_table(content: bytes, *, file_name: str, fmt: str) -> ReadResult:
    """A CSV (plain or KoboToolbox's) or XLSX list, read by the bulk upload's reader."""
    try:
        table = read_table(content, file_name=file_name, columns=COLUMNS)
    except UnreadableWorkbook as exc:
        raise UnreadableFile(
            file_name=file_name, format=fmt, problem=exc.params["problem"]
        ) from None
    except TooManyRows:
        raise UnreadableFile(
            file_name=file_name, format=fmt, problem=f"> {max_rows()} rows"
        ) from None
    rows: list[SourceRow] = []
    for row in table.rows:
        if "source_ref" in row.values:
            row.values["source_ref"] = source_ref_clean(row.values["source_ref"])
        rows.append(SourceRow(line=row.line, values=row.values))
    return ReadResult(file_format=fmt, rows=rows, ignored=table.ignored)


def _flatten(item: dict[str, Any], out: dict[str, Any]) -> None:
    for key, value in item.items():
        if isinstance(value, dict):
            _flatten(value, out)
        else:
            out[str(key).rsplit("/", 1)[-1]] = value


def _read_json(content: bytes, *, file_name: str, fmt: str) -> ReadResult:
    try:
        data = json.loads(content.decode("utf-8-sig"))
    except RecursionError:
        raise UnreadableFile(file_name=file_name, format=fmt, problem="nested too deep") from None
    except (ValueError, UnicodeDecodeError) as exc:
        raise UnreadableFile(file_name=file_name, format=fmt, problem=str(exc)[:200]) from None
    if isinstance(data, dict):
        items = data.get("value" if fmt == "odk-json" else "results")
        if items is None:
            items = data.get("results", data.get("value"))
    else:
        items = data
    if not isinstance(items, list):
        raise UnreadableFile(
            file_name=file_name,
            format=fmt,
            problem="no 'results' (Kobo) or 'value' (ODK Central) list",
        )
    if len(items) > max_rows():
        raise UnreadableFile(file_name=file_name, format=fmt, problem=f"> {max_rows()} rows")
    rows: list[SourceRow] = []
    seen_keys: set[str] = set()
    for position, item in enumerate(items, start=1):
        if not isinstance(item, dict):
            raise UnreadableFile(file_name=file_name, format=fmt, problem=f"item {position}")
        flat: dict[str, Any] = {}
        try:
            _flatten(item, flat)
        except RecursionError:
            raise UnreadableFile(
                file_name=file_name, format=fmt, problem=f"item {position}: nested too deep"
            ) from None
        values: dict[str, Any] = {}
        for raw_key, value in flat.items():
            key = column_key(raw_key)
            if key is not None and key != "source_ref":
                values[key] = value
        ref = flat.get("instanceID") or item.get("__id") or flat.get("_uuid") or ""
        values["source_ref"] = source_ref_clean(ref)
        seen_keys.update(values)
        rows.append(SourceRow(line=position, values=values))
    missing = [k for k in REQUIRED if rows and k not in seen_keys]
    if missing:
        found = sorted({k for r in items[:1] for k in r}) if items else []
        raise WrongColumns(missing=", ".join(missing), found=", ".join(found)[:300] or "-")
    return ReadResult(file_format=fmt, rows=rows)
