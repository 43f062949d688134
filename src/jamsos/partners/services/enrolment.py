"""Bulk and sponsored enrolment (docs/partners/enrolment.md).

A partner (its partner user, or a branch officer on its behalf) uploads a list of workers of
one of three kinds (:class:`BatchKind`):

- ``association``: workers of the member companies of an employer association, each with the
  employer's NPP; registered as PU with that employer (``pu_worker_register``);
- ``election``: ad hoc election workers for a fixed term (``term_from`` .. ``term_until``), the
  regional government paying: BPU JKK+JKM memberships ending by themselves after
  ``term_until`` (:mod:`jamsos.partners.services.terms`), sponsored by the partner;
- ``sponsored``: vulnerable workers whose BPU JKK+JKM contributions a regional budget, a
  company (CSR) or a zakat body pays for a period.

The path: :func:`batch_stage` reads the file (the bulk upload's reader), refuses it as a whole
when a required column is missing (nothing is written), keeps every row with its verdict
(:class:`RowStatus`: valid, invalid, duplicate, existing) after checking it and matching it
against the registry (``jamsos.partners.services.matching.match_rows``); :func:`batch_approve`
(a branch officer of the batch's office, never the uploader; the agreement in force) enrols the
valid rows in one transaction and, for election and sponsored lists, records the sponsorship so
that the next billing run sends one invoice to the sponsor; :func:`batch_reject` closes it with
a note. :func:`batch_result_file` gives the partner every row with its status and reason in
Bahasa Indonesia and English, and the KPJ of those enrolled.

The idempotency key (unique per partner) makes a retried upload the same batch: the same key
with the same file returns the batch already made; with another file it is refused.
"""

from __future__ import annotations

import hashlib
import time
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

import polars as pl
from django.db import IntegrityError, OperationalError, transaction
from django.utils import timezone

from jamsos.access.audit import audit_record
from jamsos.access.errors import NotPermitted
from jamsos.access.models import AuditAction, Role
from jamsos.access.scope import Scope
from jamsos.core.clock import today_in_jakarta
from jamsos.core.masking import mask_nik
from jamsos.legal.params import parameters
from jamsos.legal.types import EmployerSize, Segment
from jamsos.membership.checks import SEX_LABELS
from jamsos.membership.errors import MembershipError
from jamsos.membership.identifiers import nik_parse
from jamsos.membership.models import (
    Employer,
    Membership,
    Person,
    SponsorKind,
    Status,
)
from jamsos.membership.programs import programs_for
from jamsos.membership.services import (
    PersonData,
    validate_people,
)
from jamsos.partners.errors import PartnersError
from jamsos.partners.models import (
    Agreement,
    BatchKind,
    BatchStatus,
    EnrolmentBatch,
    EnrolmentRow,
    MatchStatus,
    Partner,
    PartnerKind,
    RowStatus,
)
from jamsos.partners.policy import PARTNERS
from jamsos.partners.services import _enrol_bulk
from jamsos.partners.services.agreements import agreement_require_in_force
from jamsos.partners.services.matching import match_reason_text, match_rows
from jamsos.registry.models import Region, RegionEdition
from jamsos.uploads import parsing as upload_parsing
from jamsos.uploads.messages import reason_message
from jamsos.uploads.services.reports import CSV_TYPE, XLSX_TYPE, FileOut
from jamsos.uploads.services.reports import _csv as report_csv
from jamsos.uploads.services.reports import _xlsx as report_xlsx
from jamsos.uploads.validation import _nik_cell, _village_code, _villages, parse_date, parse_wage

__all__ = [
    "COLUMNS",
    "ApproveResult",
    "StageResult",
    "batch_approve",
    "batch_reject",
    "batch_result_file",
    "batch_stage",
    "columns_for",
    "reason_text",
]

#: How far ahead a PU start date may be (as in the bulk upload: a hire a month ahead).
START_DATE_AHEAD_DAYS = 31
#: Rows with an unexpected error at approval are refused one by one, inside the transaction.
NAME_MAX = 120
#: An approval undone by a concurrent registration of one of its NIKs is tried again this often.
APPROVE_ATTEMPTS = 3

# ---------------------------------------------------------------------------------------------
# Refusals
# ---------------------------------------------------------------------------------------------


class EnrolmentError(PartnersError):
    code = "partners.enrolment"


class BatchNotFound(EnrolmentError):
    code = "partners.batch_not_found"
    default_field = "batch"
    http_status = 404
    text = {"id": "Tidak ada daftar pendaftaran nomor {id}.", "en": "No enrolment batch {id}."}


class BadKind(EnrolmentError):
    code = "partners.batch_bad_kind"
    default_field = "kind"
    text = {
        "id": "{label} '{value}' tidak dikenal. Pilihan: {choices}.",
        "en": "{label} '{value}' is unknown. Choices: {choices}.",
    }


class KeyRequired(EnrolmentError):
    code = "partners.idempotency_key_required"
    default_field = "idempotency_key"
    text = {
        "id": "{label} wajib diisi (1 sampai 80 karakter), misalnya nomor surat atau nama berkas "
        "dengan tanggal; unggahan ulang dengan kunci yang sama tidak mendaftarkan dua kali.",
        "en": "{label} is required (1 to 80 characters), e.g. a letter number or the file's "
        "name with a date; a retried upload with the same key never enrols twice.",
    }


class KeyReused(EnrolmentError):
    code = "partners.idempotency_key_reused"
    default_field = "idempotency_key"
    http_status = 409
    text = {
        "id": "{label} '{key}' sudah dipakai mitra ini untuk berkas lain (daftar nomor {id}, "
        "{file_name}). Unggah ulang berkas yang sama, atau pakai kunci baru untuk berkas baru.",
        "en": "{label} '{key}' was already used by this partner for another file (batch {id}, "
        "{file_name}). Upload the same file again, or use a new key for a new file.",
    }


class WrongColumns(EnrolmentError):
    code = "partners.batch_wrong_columns"
    default_field = "columns"
    text = {
        "id": "Kolom wajib tidak ada: {missing}. Kolom yang diharapkan untuk daftar {kind}: "
        "{expected} (wajib: {required}). Baris judul yang terbaca: {found}.",
        "en": "Required columns are missing: {missing}. Columns expected for a {kind_en} list: "
        "{expected} (required: {required}). Header read: {found}.",
    }


class TermRequired(EnrolmentError):
    code = "partners.batch_term_required"
    default_field = "period"
    text = {
        "id": "Daftar {kind} memerlukan masa kepesertaan: tanggal mulai dan tanggal akhir "
        "(tanggal akhir tidak sebelum tanggal mulai).",
        "en": "A {kind_en} list needs a term: a start and an end date (the end not before the "
        "start).",
    }


class TermOver(EnrolmentError):
    code = "partners.batch_term_over"
    default_field = "period"
    http_status = 409
    text = {
        "id": "Masa kepesertaan daftar ini berakhir {term_until}; tidak ada yang dapat "
        "didaftarkan lagi pada {on}.",
        "en": "This list's term ended on {term_until}; nobody can be enrolled on {on}.",
    }


class SponsorKindInvalid(EnrolmentError):
    code = "partners.batch_sponsor_kind"
    default_field = "partner"
    text = {
        "id": "Jenis penyandang dana '{value}' tidak dikenal untuk mitra {partner}. Pilihan: "
        "{choices}.",
        "en": "Sponsor kind '{value}' is unknown for partner {partner}. Choices: {choices}.",
    }


class NotAnAssociation(EnrolmentError):
    code = "partners.batch_not_association"
    default_field = "partner"
    text = {
        "id": "Mitra {partner} tidak terhubung ke asosiasi pengusaha; daftar pekerja perusahaan "
        "anggota asosiasi tidak dapat diunggah olehnya.",
        "en": "Partner {partner} is not linked to an employer association; it cannot upload a "
        "list of association members' workers.",
    }


class NoAgreement(EnrolmentError):
    code = "partners.batch_no_agreement"
    default_field = "agreement"
    text = {
        "id": "Mitra {partner} belum punya PKS{number}; pendaftaran massal dilakukan di bawah "
        "PKS yang berlaku.",
        "en": "Partner {partner} has no agreement{number}; bulk enrolment is done under an "
        "agreement in force.",
    }


class NotUploader(EnrolmentError):
    code = "partners.batch_not_uploader"
    default_field = "partner"
    http_status = 403
    text = {
        "id": "Anda tidak dapat mengunggah daftar untuk mitra {partner}: hanya pengguna mitra "
        "itu, petugas kantor cabangnya, atau administrator.",
        "en": "You cannot upload a list for partner {partner}: only that partner's users, its "
        "branch office's officers, or an administrator.",
    }


class AccountRequired(EnrolmentError):
    code = "partners.batch_account_required"
    default_field = ""
    http_status = 403
    text = {
        "id": "Pengunggah dan pemeriksa dicatat menurut akunnya: jalankan dengan --as NAMA_AKUN.",
        "en": "The uploader and the checker are recorded by account: run with --as USERNAME.",
    }


class NotPending(EnrolmentError):
    code = "partners.batch_not_pending"
    default_field = "batch"
    http_status = 409
    text = {
        "id": "Daftar nomor {id} berstatus {status}; hanya daftar yang sudah diperiksa dan "
        "menunggu persetujuan yang dapat disetujui atau ditolak.",
        "en": "Batch {id} is {status_en}; only a checked batch waiting for approval can be "
        "approved or rejected.",
    }


class SameAsUploader(EnrolmentError):
    code = "partners.batch_maker_checker"
    default_field = "batch"
    http_status = 403
    text = {
        "id": "Daftar nomor {id} diunggah oleh Anda sendiri; persetujuan harus oleh petugas "
        "lain (pembuat dan pemeriksa berbeda).",
        "en": "You uploaded batch {id} yourself; another officer must approve it (maker and "
        "checker differ).",
    }


class NotChecker(EnrolmentError):
    code = "partners.batch_outside_scope"
    default_field = "batch"
    http_status = 403
    text = {
        "id": "Daftar nomor {id} hanya dapat disetujui atau ditolak oleh petugas {office} "
        "(atau administrator).",
        "en": "Batch {id} can only be approved or rejected by an officer of {office} (or an "
        "administrator).",
    }


class NoteRequired(EnrolmentError):
    code = "partners.batch_note_required"
    default_field = "batch"
    text = {
        "id": "Tuliskan alasan penolakan; mitra membacanya.",
        "en": "Write the reason for the rejection; the partner reads it.",
    }


class NothingToEnrol(EnrolmentError):
    code = "partners.batch_nothing_valid"
    default_field = "batch"
    http_status = 409
    text = {
        "id": "Daftar nomor {id} tidak punya baris sah untuk didaftarkan; tolak daftar ini.",
        "en": "Batch {id} has no valid row to enrol; reject it instead.",
    }


class BadFormat(EnrolmentError):
    code = "partners.batch_bad_format"
    default_field = "file"
    text = {
        "id": "Format berkas hasil '{value}' tidak dikenal. Pilihan: xlsx, csv.",
        "en": "Unknown result file format '{value}'. Choices: xlsx, csv.",
    }


# ---------------------------------------------------------------------------------------------
# Columns of each kind
# ---------------------------------------------------------------------------------------------

#: Column key → (Indonesian header, English header).
COLUMNS: dict[str, tuple[str, str]] = {
    "nik": ("nik", "nik"),
    "name": ("nama", "name"),
    "birth_date": ("tanggal_lahir", "birth_date"),
    "sex": ("jenis_kelamin", "sex"),
    "phone": ("telepon", "phone"),
    "village_code": ("kode_desa", "village_code"),
    "employer_npp": ("npp", "employer_npp"),
    "wage": ("upah", "wage"),
    "start_date": ("tanggal_mulai", "start_date"),
    "programs": ("program", "programs"),
    "income": ("penghasilan", "income"),
    "occupation": ("pekerjaan", "occupation"),
}
#: Other headers read as the same column.
_EXTRA_ALIASES = {
    "npp_pemberi_kerja": "employer_npp",
    "npp_perusahaan": "employer_npp",
    "npp": "employer_npp",
    "employer": "employer_npp",
    "penghasilan_sebulan": "income",
    "declared_income": "income",
    "kelurahan": "village_code",
    "kode_kelurahan": "village_code",
    "no_hp": "phone",
}
_REQUIRED: dict[str, tuple[str, ...]] = {
    BatchKind.ASSOCIATION_WORKERS: ("nik", "name", "village_code", "employer_npp", "wage"),
    BatchKind.ELECTION_WORKERS: ("nik", "name", "village_code"),
    BatchKind.SPONSORED: ("nik", "name", "village_code"),
}
_OPTIONAL: dict[str, tuple[str, ...]] = {
    BatchKind.ASSOCIATION_WORKERS: ("birth_date", "sex", "phone", "start_date", "programs"),
    BatchKind.ELECTION_WORKERS: ("birth_date", "sex", "phone", "income", "occupation"),
    BatchKind.SPONSORED: ("birth_date", "sex", "phone", "income", "occupation"),
}
_KIND_NAMES = {
    BatchKind.ASSOCIATION_WORKERS: ("pekerja perusahaan anggota asosiasi", "association workers"),
    BatchKind.ELECTION_WORKERS: ("petugas ad hoc pemilu", "election workers"),
    BatchKind.SPONSORED: ("pekerja rentan yang dibiayai", "sponsored workers"),
}
_SPONSOR_OF_PARTNER = {
    PartnerKind.REGIONAL_GOVERNMENT: SponsorKind.REGIONAL_BUDGET,
    PartnerKind.COMPANY: SponsorKind.CSR,
    PartnerKind.ZAKAT_BODY: SponsorKind.ZAKAT,
}


def _label(key: str) -> str:
    idn, en = COLUMNS[key]
    return idn if idn == en else f"{idn} / {en}"


def columns_for(kind: str) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """(required, optional) column keys of a list of ``kind``."""
    return _REQUIRED[kind], _OPTIONAL[kind]


# ---------------------------------------------------------------------------------------------
# Reasons of one row, in both languages
# ---------------------------------------------------------------------------------------------

MESSAGES: dict[str, dict[str, str]] = {
    "employer_npp_required": {
        "id": "NPP pemberi kerja wajib diisi.",
        "en": "The employer's NPP is required.",
    },
    "employer_unknown": {
        "id": "Tidak ada pemberi kerja dengan NPP {npp}.",
        "en": "No employer with NPP {npp}.",
    },
    "employer_not_member": {
        "id": "{employer} (NPP {npp}) bukan anggota {association}.",
        "en": "{employer} (NPP {npp}) is not a member of {association}.",
    },
    "invalid_income": {
        "id": "Penghasilan {value!r} bukan jumlah rupiah bulat.",
        "en": "Income {value!r} is not a whole rupiah amount.",
    },
    "name_too_long": {
        "id": "Nama lebih dari {maximum} karakter.",
        "en": "The name is longer than {maximum} characters.",
    },
    "already_member": {
        "id": "sudah peserta aktif (KPJ {kpj}); tidak didaftarkan dua kali",
        "en": "already an active member (KPJ {kpj}); not enrolled twice",
    },
    "enrolled": {"id": "didaftarkan, KPJ {kpj}", "en": "enrolled, KPJ {kpj}"},
    "reenrolled": {
        "id": "didaftarkan kembali (kepesertaan lama sudah berakhir), KPJ {kpj}",
        "en": "enrolled again (the earlier membership had ended), KPJ {kpj}",
    },
    "rejected_batch": {
        "id": "daftar ditolak: {note}",
        "en": "list rejected: {note}",
    },
    "active_meanwhile": {
        "id": "menjadi peserta aktif sebelum persetujuan (KPJ {kpj}); tidak didaftarkan dua kali",
        "en": "became an active member before the approval (KPJ {kpj}); not enrolled twice",
    },
    "refused_at_enrolment": {"id": "ditolak saat pendaftaran: {message}", "en": "{message_en}"},
    "waiting": {"id": "menunggu persetujuan", "en": "waiting for approval"},
}

STATUS_TEXT: dict[str, tuple[str, str]] = {
    RowStatus.VALID: ("sah", "valid"),
    RowStatus.INVALID: ("tidak sah", "invalid"),
    RowStatus.DUPLICATE: ("duplikat", "duplicate"),
    RowStatus.EXISTING: ("sudah peserta", "already a member"),
    RowStatus.ENROLLED: ("didaftarkan", "enrolled"),
    RowStatus.SKIPPED: ("dilewati", "skipped"),
}
BATCH_STATUS_TEXT: dict[str, tuple[str, str]] = {
    BatchStatus.STAGED: ("diunggah", "staged"),
    BatchStatus.VALIDATED: ("menunggu persetujuan", "waiting for approval"),
    BatchStatus.APPROVED: ("disetujui", "approved"),
    BatchStatus.REJECTED: ("ditolak", "rejected"),
    BatchStatus.ENROLLED: ("didaftarkan", "enrolled"),
    BatchStatus.FAILED: ("gagal", "failed"),
}


def _reason(code: str, field_name: str = "", **params: Any) -> dict[str, Any]:
    plain = {
        k: (
            v.isoformat()
            if isinstance(v, date)
            else v
            if isinstance(v, (int, str, dict))
            else str(v)
        )
        for k, v in params.items()
    }
    return {"code": code, "field": field_name, "params": plain}


def reason_text(item: dict[str, Any], language: str = "id") -> str:
    """A stored reason in ``id`` or ``en``: the bulk upload's and registry's codes, the
    matching's (``matching.*``) and this module's (``enrolment.*``)."""
    language = "en" if str(language).startswith("en") else "id"
    code = str(item.get("code", ""))
    params = dict(item.get("params") or {})
    if code.startswith("matching."):
        return match_reason_text(code.removeprefix("matching."), language)
    if code.startswith("enrolment."):
        template = MESSAGES.get(code.removeprefix("enrolment."), {}).get(language)
        if template is None:
            return code
        values = {
            k: (v[language] if isinstance(v, dict) and language in v else v)
            for k, v in params.items()
        }
        try:
            return template.format(**values)
        except (KeyError, IndexError):
            return code
    return reason_message(item, language)


def _reasons_text(items: list[dict[str, Any]], language: str) -> str:
    return "; ".join(reason_text(i, language) for i in items)


# ---------------------------------------------------------------------------------------------
# Reading the file (the bulk upload's reader, with this kind's columns)
# ---------------------------------------------------------------------------------------------


@dataclass
class _Parsed:
    columns: list[str]
    keys: list[str | None]
    rows: list[upload_parsing.RowInput]
    ignored: list[str]
    file_format: str


def _aliases() -> dict[str, str]:
    found = {**_EXTRA_ALIASES}
    for key, (idn, en) in COLUMNS.items():
        found[idn] = key
        found[en] = key
    return found


_ALIASES = _aliases()


def _score(cells: list[object]) -> int:
    return len(
        {_ALIASES[k] for k in (upload_parsing.header_key(c) for c in cells) if k in _ALIASES}
    )


def _header(cells: list[object], kind: str) -> tuple[list[str], list[str | None], list[str]]:
    required, optional = columns_for(kind)
    wanted = set(required) | set(optional)
    columns = [upload_parsing.cell_text(c) for c in cells]
    while columns and not columns[-1]:
        columns.pop()
    keys: list[str | None] = []
    seen: set[str] = set()
    ignored: list[str] = []
    for text in columns:
        key = _ALIASES.get(upload_parsing.header_key(text))
        if key is not None and key in wanted and key not in seen:
            seen.add(key)
            keys.append(key)
            continue
        if text and upload_parsing.header_key(text) not in upload_parsing.REPORT_COLUMNS:
            ignored.append(text)
        keys.append(None)
    missing = [k for k in required if k not in seen]
    if missing:
        raise _wrong_columns(kind, missing, [c for c in columns if c])
    return columns, keys, ignored


def _wrong_columns(kind: str, missing: list[str], found: list[str]) -> WrongColumns:
    required, optional = columns_for(kind)
    idn, en = _KIND_NAMES[kind]
    return WrongColumns(
        missing=", ".join(_label(k) for k in missing),
        expected=", ".join(_label(k) for k in (*required, *optional)),
        required=", ".join(_label(k) for k in required),
        found=", ".join(found)[:300] or "-",
        kind=idn,
        kind_en=en,
    )


def parse_list(content: bytes, *, file_name: str, kind: str) -> _Parsed:
    """Read an XLSX or CSV list of ``kind``; refuse it as a whole when it cannot be one (the
    bulk upload's refusals: empty, wrong type, too large; and this kind's missing columns)."""
    up = upload_parsing
    if len(content) > up.max_bytes():
        raise up.FileTooLarge(file_name=file_name, limit_mb=up.max_bytes() // (1024 * 1024) or 1)
    if not content.strip() or not content.removeprefix(b"\xef\xbb\xbf").strip():
        raise up.EmptyFile(file_name=file_name)
    for magic, detected in up._MAGIC:
        if content.startswith(magic):
            raise up.WrongFileType(file_name=file_name, detected=detected)
    if content.startswith(b"PK\x03\x04"):
        parsed = _parse_xlsx(content, file_name=file_name, kind=kind)
    else:
        parsed = _parse_csv(content, file_name=file_name, kind=kind)
    if not parsed.rows:
        raise up.NoRows(file_name=file_name)
    return parsed


def _pick_header(head: list[list[object]], kind: str) -> int:
    best, best_score = -1, 0
    for index, cells in enumerate(head):
        score = _score(cells)
        if score > best_score:
            best, best_score = index, score
    if best < 0:
        first = next((r for r in head if any(upload_parsing.cell_text(c) for c in r)), [])
        found = [upload_parsing.cell_text(c) for c in first if upload_parsing.cell_text(c)]
        raise _wrong_columns(kind, list(columns_for(kind)[0]), found)
    return best


def _parse_xlsx(content: bytes, *, file_name: str, kind: str) -> _Parsed:
    import io
    import zipfile

    up = upload_parsing
    try:
        names = set(zipfile.ZipFile(io.BytesIO(content)).namelist())
    except (zipfile.BadZipFile, ValueError, OSError) as exc:
        raise up.UnreadableWorkbook(file_name=file_name, problem=str(exc)[:200]) from None
    if "xl/workbook.xml" not in names:
        detected = next((k for path, k in up._ZIP_KINDS if path in names), up._ZIP)
        raise up.WrongFileType(file_name=file_name, detected=detected)
    import openpyxl

    try:
        workbook = openpyxl.load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds on a damaged workbook
        raise up.UnreadableWorkbook(file_name=file_name, problem=str(exc)[:200]) from None
    try:
        first_seen: list[list[object]] = []
        for sheet in workbook.worksheets:
            iterator = up._sheet_rows(workbook, sheet)
            head: list[tuple[int, list[object]]] = []
            for item in iterator:
                head.append(item)
                if len(head) >= up.HEADER_SEARCH_ROWS:
                    break
            if not first_seen:
                first_seen = [cells for _, cells in head]
            if not any(_score(cells) for _, cells in head):
                continue
            index = _pick_header([cells for _, cells in head], kind)
            columns, keys, ignored = _header(head[index][1], kind)
            rest = head[index + 1 :]

            def numbered(rest: Any = rest, iterator: Any = iterator) -> Any:
                yield from rest
                yield from iterator

            rows = up._rows(numbered(), keys, file_name=file_name)
            return _Parsed(columns, keys, rows, ignored, "xlsx")
        if not any(any(up.cell_text(c) for c in r) for r in first_seen):
            raise up.EmptyFile(file_name=file_name)
        _pick_header(first_seen, kind)
        raise AssertionError("unreachable")
    finally:
        workbook.close()


def _parse_csv(content: bytes, *, file_name: str, kind: str) -> _Parsed:
    import csv
    import io

    up = upload_parsing
    text = up._decode(content, file_name=file_name)
    if up._looks_binary(text):
        raise up.WrongFileType(file_name=file_name, detected=up._BINARY)
    lines = [line for line in text.splitlines()[: up.HEADER_SEARCH_ROWS * 4] if line.strip()]
    lines = lines[: up.HEADER_SEARCH_ROWS]
    if not lines:
        raise up.EmptyFile(file_name=file_name)
    best_delimiter, best_score = up.DELIMITERS[0], -1
    for delimiter in up.DELIMITERS:
        score = max((_score(list(r)) for r in csv.reader(lines, delimiter=delimiter)), default=0)
        if score > best_score:
            best_delimiter, best_score = delimiter, score
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=best_delimiter)
    numbered = enumerate((list(r) for r in reader), start=1)
    try:
        head: list[tuple[int, list[object]]] = []
        for line, cells in numbered:
            head.append((line, list(cells)))
            if len(head) >= up.HEADER_SEARCH_ROWS:
                break
        index = _pick_header([cells for _, cells in head], kind)
        columns, keys, ignored = _header(head[index][1], kind)

        def rest() -> Any:
            yield from head[index + 1 :]
            for line, cells in numbered:
                yield line, list(cells)

        rows = up._rows(rest(), keys, file_name=file_name)
    except csv.Error as exc:
        raise up.WrongFileType(
            file_name=file_name,
            detected={"id": f"CSV yang rusak: {exc}", "en": f"a damaged CSV: {exc}"},
        ) from None
    return _Parsed(columns, keys, rows, ignored, "csv")


# ---------------------------------------------------------------------------------------------
# Staging: the batch, every row checked and matched
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class StageResult:
    batch: EnrolmentBatch
    created: bool


def _partner(scope: Scope, code: str) -> Partner:
    from jamsos.partners.selectors_partners import partner_get

    return partner_get(scope, code)


def require_uploader(scope: Scope, partner: Partner) -> None:
    """The partner's own users, a branch officer who sees the partner, an administrator."""
    if scope.is_admin:
        return
    if scope.role == Role.PARTNER_USER and scope.partner_ref == partner.code:
        return
    if scope.role == Role.BRANCH_OFFICER:
        return  # partner_get already refused a partner outside the officer's area
    raise NotUploader(partner=partner.code)


def _agreement(partner: Partner, number: str) -> Agreement:
    query = Agreement.objects.select_related("branch_office").filter(partner=partner)
    number = (number or "").strip()
    if number:
        found = query.filter(number=number).first()
        if found is None:
            raise NoAgreement(partner=partner.code, number=f" {number}")
        return found
    found = query.exclude(status="draft").order_by("-starts_on", "-id").first()
    if found is None:
        raise NoAgreement(partner=partner.code, number="")
    return found


def _sponsor_kind(partner: Partner, value: str) -> str:
    value = (value or "").strip()
    if not value:
        derived = _SPONSOR_OF_PARTNER.get(partner.kind)  # type: ignore[call-overload]
        if derived is None:
            raise SponsorKindInvalid(
                value="", partner=partner.code, choices=", ".join(SponsorKind.values)
            )
        return derived.value
    if value not in SponsorKind.values:
        raise SponsorKindInvalid(
            value=value, partner=partner.code, choices=", ".join(SponsorKind.values)
        )
    return value


def _date_arg(value: date | str | None) -> date | None:
    if value is None or value == "":
        return None
    if isinstance(value, date):
        return value
    parsed, _ = parse_date(str(value))
    return parsed


def batch_stage(
    *,
    scope: Scope,
    partner_code: str,
    kind: str,
    idempotency_key: str,
    file_name: str,
    content: bytes,
    term_from: date | str | None = None,
    term_until: date | str | None = None,
    sponsor_kind: str = "",
    sponsor_ref: str = "",
    sponsor_name: str = "",
    agreement_number: str = "",
    today: date | None = None,
) -> StageResult:
    """Stage, check and match a list; see the module's description. Returns the batch (status
    ``validated``) and whether it was made now (``False``: the same key and file came before).
    """
    if scope.user_id is None:
        raise AccountRequired()
    partner = _partner(scope, partner_code)
    require_uploader(scope, partner)
    key = (idempotency_key or "").strip()
    if not key or len(key) > 80:
        raise KeyRequired()
    digest = hashlib.sha256(content).hexdigest()
    existing = _same_key(partner, key, digest)
    if existing is not None:
        return StageResult(existing, False)
    kind = str(getattr(kind, "value", kind) or "").strip().lower()
    if kind not in BatchKind.values:
        raise BadKind(value=kind, choices=", ".join(BatchKind.values))
    today = today or today_in_jakarta()
    start, until = _date_arg(term_from), _date_arg(term_until)
    idn, en = _KIND_NAMES[kind]
    if kind == BatchKind.ELECTION_WORKERS or kind == BatchKind.SPONSORED:
        if start is None or until is None or until < start:
            raise TermRequired(kind=idn, kind_en=en)
    elif start is not None and until is not None and until < start:
        raise TermRequired(kind=idn, kind_en=en)
    s_kind = s_ref = s_name = ""
    if kind == BatchKind.ASSOCIATION_WORKERS:
        if partner.association_id is None:
            raise NotAnAssociation(partner=partner.code)
    else:
        s_kind = (
            SponsorKind.REGIONAL_BUDGET.value
            if kind == BatchKind.ELECTION_WORKERS and not sponsor_kind
            else _sponsor_kind(partner, sponsor_kind)
        )
        s_ref = (sponsor_ref or "").strip()[:64] or partner.code
        s_name = " ".join((sponsor_name or "").split())[:200] or partner.name
    agreement = _agreement(partner, agreement_number)
    parsed = parse_list(content, file_name=file_name, kind=kind)
    try:
        with transaction.atomic():
            batch = EnrolmentBatch.objects.create(
                partner=partner,
                agreement=agreement,
                kind=kind,
                idempotency_key=key,
                file_name=(file_name or "")[:250],
                file_sha256=digest,
                branch_office_id=agreement.branch_office_id,
                term_from=start,
                term_until=until if kind == BatchKind.ELECTION_WORKERS or until else None,
                sponsor_kind=s_kind,
                sponsor_ref=s_ref,
                sponsor_name=s_name,
                uploaded_by_id=scope.user_id,
            )
            _validate(batch, parsed, today=today)
            audit_record(
                scope,
                AuditAction.IMPORT,
                batch,
                label=f"{partner.code} {kind} {key}"[:200],
                detail={
                    "file_name": batch.file_name,
                    "file_sha256": digest,
                    "counts": batch.counts,
                    "stage": "staged",
                },
            )
    except IntegrityError:
        # The same key arrived twice at the same moment: the other request made the batch.
        existing = _same_key(partner, key, digest)
        if existing is None:
            raise
        return StageResult(existing, False)
    return StageResult(batch, True)


def _same_key(partner: Partner, key: str, digest: str) -> EnrolmentBatch | None:
    found = EnrolmentBatch.objects.filter(partner=partner, idempotency_key=key).first()
    if found is None:
        return None
    if found.file_sha256 != digest:
        raise KeyReused(key=key, id=found.pk, file_name=found.file_name or "-")
    return found


@dataclass
class _Row:
    line: int
    raw: dict[str, str]
    reasons: list[dict[str, Any]] = field(default_factory=list)
    notes: list[dict[str, Any]] = field(default_factory=list)
    status: str = RowStatus.VALID
    nik: str = ""
    name: str = ""
    birth_date: date | None = None
    sex: str = ""
    phone: str | None = None
    village_id: int | None = None
    person_id: int | None = None
    membership_id: int | None = None


def _birth_from_nik(nik: str, today: date) -> date | None:
    parts, _ = nik_parse(nik)
    if parts is None:
        return None
    year = 2000 + parts.year2
    if year > today.year - 10:
        year -= 100
    try:
        return date(year, parts.month, parts.day)
    except ValueError:
        return None


def _income_minimum(on: date) -> int:
    value = parameters().get("bpu.income_tiers", on=on).value
    return int(dict(value)["minimum"])


def _validate(batch: EnrolmentBatch, parsed: _Parsed, *, today: date) -> None:
    """Check every row (person, village, kind's columns), match the batch against the
    registry, and write the rows with their verdicts (set-based)."""
    width = len(parsed.columns)
    rows: list[_Row] = []
    people: list[dict[str, Any]] = []
    for item in parsed.rows:
        raw = {
            (parsed.keys[i] or parsed.columns[i] or f"col{i + 1}"): item.raw[i]
            for i in range(min(width, len(item.raw)))
        }
        row = _Row(line=item.line, raw=raw)
        nik, problem = _nik_cell(item.values.get("nik"))
        if problem:
            row.reasons.append(problem)
        birth, birth_text = parse_date(item.values.get("birth_date"))
        if birth is None and birth_text:
            row.reasons.append(
                _reason("uploads.invalid_birth_date", "birth_date", value=birth_text)
            )
        given_birth = birth is not None
        sex_given = str(item.values.get("sex") or "").strip()
        parts, _ = nik_parse(nik)
        if birth is None and parts is not None:
            birth = _birth_from_nik(parts.nik, today)
        sex = sex_given or (parts.sex if parts is not None else "")
        people.append(
            {
                "nik": nik,
                "name": item.values.get("name"),
                "birth_date": birth if birth is not None else "",
                "sex": sex,
                "phone": upload_parsing.cell_text(item.values.get("phone")) or None,
            }
        )
        row.notes.append({"given_birth": given_birth})
        rows.append(row)
    checked = validate_people(people, today=today, batch_size=max(1, len(people)))
    codes = [_village_code(r.values.get("village_code")) for r in parsed.rows]
    edition_id = RegionEdition.objects.filter(is_current=True).values_list("pk", flat=True).first()
    villages = _villages(set(codes), edition_id)
    for index, (row, item, code) in enumerate(zip(rows, parsed.rows, codes, strict=True), start=1):
        normalised = checked.normalised[index]
        row.nik = str(normalised["nik"])[:16]
        row.name = str(normalised["name"] or "")
        row.birth_date = normalised["birth_date"]
        row.sex = normalised["sex"] or ""
        row.phone = normalised["phone"]
        given_birth = row.notes.pop()["given_birth"]
        for reason in checked.reasons.get(index, ()):
            if reason.code in {"membership.duplicate_nik", "membership.duplicate_in_batch"}:
                continue  # decided by the matching below
            if reason.code == "membership.required" and reason.field == "birth_date":
                continue  # the NIK's own date is used; a bad NIK is reported already
            if reason.code == "membership.invalid_date" and reason.field == "birth_date":
                continue  # reported above with the cell's text
            if not given_birth and reason.code == "membership.nik_birth_date_mismatch":
                continue
            row.reasons.append(_reason(reason.code, reason.field, **reason.params))
        if len(row.name) > NAME_MAX:
            row.reasons.append(_reason("enrolment.name_too_long", "name", maximum=NAME_MAX))
        if not code:
            row.reasons.append(_reason("uploads.village_required", "village_code"))
        elif code not in villages:
            row.reasons.append(
                _reason(
                    "uploads.village_unknown",
                    "village_code",
                    value=upload_parsing.cell_text(item.values.get("village_code")),
                )
            )
        else:
            row.village_id = villages[code]
    if batch.kind == BatchKind.ASSOCIATION_WORKERS:
        _check_association(batch, rows, parsed.rows, today=today)
    else:
        _check_bpu(batch, rows, parsed.rows)
    _match(batch, rows, today=today)
    _store(batch, rows, parsed)


def _check_association(
    batch: EnrolmentBatch, rows: list[_Row], inputs: list[Any], *, today: date
) -> None:
    npps = {
        upload_parsing.cell_text(i.values.get("employer_npp")).replace(".", "").replace(" ", "")
        for i in inputs
    }
    employers = {e.npp: e for e in Employer.objects.filter(npp__in=[n for n in npps if n])}
    association = batch.partner.association
    members = set(
        Employer.associations.through.objects.filter(
            association_id=association.pk if association else None,
            employer_id__in=[e.pk for e in employers.values()],
        ).values_list("employer_id", flat=True)
    )
    limit = today + timedelta(days=START_DATE_AHEAD_DAYS)
    for row, item in zip(rows, inputs, strict=True):
        npp = (
            upload_parsing.cell_text(item.values.get("employer_npp"))
            .replace(".", "")
            .replace(" ", "")
        )
        employer = employers.get(npp)
        if not npp:
            row.reasons.append(_reason("enrolment.employer_npp_required", "employer_npp"))
        elif employer is None:
            row.reasons.append(_reason("enrolment.employer_unknown", "employer_npp", npp=npp))
        elif employer.pk not in members:
            row.reasons.append(
                _reason(
                    "enrolment.employer_not_member",
                    "employer_npp",
                    npp=npp,
                    employer=employer.legal_name,
                    association=association.name if association else "-",
                )
            )
        else:
            row.raw["_employer_id"] = str(employer.pk)
        wage, problem = parse_wage(item.values.get("wage"))
        if problem:
            row.reasons.append(problem)
        else:
            row.raw["_wage_idr"] = str(wage)
        start, start_text = parse_date(item.values.get("start_date"))
        if start is None and start_text:
            row.reasons.append(
                _reason("uploads.invalid_start_date", "start_date", value=start_text)
            )
        elif start is not None:
            if start > limit:
                row.reasons.append(
                    _reason(
                        "uploads.start_in_future",
                        "start_date",
                        start_date=start,
                        days=START_DATE_AHEAD_DAYS,
                        today=today,
                    )
                )
            elif row.birth_date is not None and start < row.birth_date:
                row.reasons.append(
                    _reason(
                        "membership.start_before_birth",
                        "start_date",
                        start_date=start,
                        birth_date=row.birth_date,
                    )
                )
            else:
                row.raw["_start_date"] = start.isoformat()
        text = upload_parsing.cell_text(item.values.get("programs"))
        if employer is not None and not any(r["field"] == "start_date" for r in row.reasons):
            try:
                programs_for(
                    segment=Segment.PU,
                    on=start or today,
                    chosen=[p for p in text.replace(";", ",").replace(" ", ",").split(",") if p],
                    employer_size=EmployerSize(employer.size),
                )
            except MembershipError as exc:
                row.reasons.append(_reason(exc.code, exc.field or "programs", **exc.params))
            else:
                row.raw["_programs"] = text


def _check_bpu(batch: EnrolmentBatch, rows: list[_Row], inputs: list[Any]) -> None:
    for row, item in zip(rows, inputs, strict=True):
        value = item.values.get("income")
        if value is None or upload_parsing.cell_text(value) == "":
            continue
        income, problem = parse_wage(value)
        if problem:
            row.reasons.append(
                _reason("enrolment.invalid_income", "income", value=upload_parsing.cell_text(value))
            )
        else:
            row.raw["_income_idr"] = str(income)


def _open_memberships(
    batch: EnrolmentBatch, person_ids: list[int]
) -> dict[tuple[int, int | None], str]:
    """Open memberships that make a row ``existing``: (person, employer) → KPJ for PU lists,
    (person, None) → KPJ of the open BPU membership for BPU lists. One query."""
    if not person_ids:
        return {}
    found: dict[tuple[int, int | None], str] = {}
    if batch.kind == BatchKind.ASSOCIATION_WORKERS:
        query = Membership.objects.filter(
            person_id__in=person_ids, segment=Segment.PU.value, status=Status.ACTIVE
        ).values_list("person_id", "employer_id", "kpj")
        for person_id, employer_id, kpj in query:
            found[(person_id, employer_id)] = kpj
        return found
    for person_id, kpj in Membership.objects.filter(
        person_id__in=person_ids, segment=Segment.BPU.value, status=Status.ACTIVE
    ).values_list("person_id", "kpj"):
        found[(person_id, None)] = kpj
    return found


def _existing_key(batch: EnrolmentBatch, row: _Row) -> tuple[int, int | None]:
    employer = row.raw.get("_employer_id")
    if batch.kind == BatchKind.ASSOCIATION_WORKERS:
        return (row.person_id or 0, int(employer) if employer else None)
    return (row.person_id or 0, None)


def _match(batch: EnrolmentBatch, rows: list[_Row], *, today: date) -> None:
    frame = pl.DataFrame(
        {
            "nik": [r.nik for r in rows],
            "name": [r.name for r in rows],
            "birth_date": [r.birth_date for r in rows],
            "village_id": [r.village_id for r in rows],
        },
        schema={"nik": pl.Utf8, "name": pl.Utf8, "birth_date": pl.Date, "village_id": pl.Int64},
    )
    matched = match_rows(frame, today=today)
    statuses = matched["match_status"].to_list()
    why = matched["match_reason"].to_list()
    person_ids = matched["person_id"].to_list()
    duplicate_of = matched["duplicate_of"].to_list()
    registered: dict[int, tuple[str, date, str]] = {
        pk: (name, birth, sex)
        for pk, name, birth, sex in Person.objects.filter(
            pk__in=[p for p in person_ids if p is not None]
        ).values_list("pk", "name", "birth_date", "sex")
    }
    for row, status, reason_code, person_id, first in zip(
        rows, statuses, why, person_ids, duplicate_of, strict=True
    ):
        if status == MatchStatus.DUPLICATE:
            row.status = RowStatus.DUPLICATE
            row.reasons.append(
                _reason(
                    "uploads.duplicate_in_file",
                    "nik",
                    nik=mask_nik(row.nik),
                    other_rows=str(rows[first].line) if first is not None else "-",
                )
            )
            continue
        if status == MatchStatus.POSSIBLE_MATCH:
            row.notes.append(_reason(f"matching.{reason_code}", "nik"))
            continue
        if person_id is None or status is None:
            continue
        name, birth, sex = registered[person_id]
        if (
            row.birth_date is not None and row.raw.get("birth_date") and row.birth_date != birth
        ) or (row.raw.get("sex") and row.sex and row.sex != sex):
            row.reasons.append(
                _reason(
                    "uploads.registered_person_differs",
                    "nik",
                    nik=mask_nik(row.nik),
                    name=name,
                    registered_birth_date=birth,
                    registered_sex=SEX_LABELS.get(sex, {"id": "-", "en": "-"}),
                    birth_date=row.birth_date or "-",
                    sex=SEX_LABELS.get(row.sex, {"id": "-", "en": "-"}),
                )
            )
            continue
        row.person_id = person_id
        row.notes.append(_reason(f"matching.{reason_code}", "nik"))
    open_ = _open_memberships(batch, [r.person_id for r in rows if r.person_id])
    for row in rows:
        if row.status != RowStatus.VALID:
            continue
        if row.reasons:
            row.status = RowStatus.INVALID
            continue
        kpj = open_.get(_existing_key(batch, row)) if row.person_id else None
        if kpj is not None:
            row.status = RowStatus.EXISTING
            row.notes.append(_reason("enrolment.already_member", "nik", kpj=kpj))


def _store(batch: EnrolmentBatch, rows: list[_Row], parsed: _Parsed) -> None:
    EnrolmentRow.objects.bulk_create(
        (
            EnrolmentRow(
                batch=batch,
                row_number=row.line,
                data={
                    **row.raw,
                    "_birth_date": row.birth_date.isoformat() if row.birth_date else "",
                    "_sex": row.sex,
                    "_village_id": row.village_id,
                    "_phone": row.phone or "",
                    "_reasons": row.reasons,
                    "_notes": row.notes,
                },
                nik=row.nik[:16],
                name=row.name[:120],
                status=row.status,
                reason_code=(row.reasons[0]["code"] if row.reasons else "")[:40],
                reason=_reasons_text(row.reasons or row.notes[-1:], "id")[:300],
                person_id=row.person_id,
            )
            for row in rows
        ),
        batch_size=2000,
    )
    counts = {s.value: 0 for s in RowStatus}
    for row in rows:
        counts[row.status] += 1
    counts["rows"] = len(rows)
    batch.counts = {
        **counts,
        "columns": parsed.columns,
        "ignored_columns": parsed.ignored,
        "format": parsed.file_format,
    }
    batch.status = BatchStatus.VALIDATED
    batch.save(update_fields=["counts", "status"])


# ---------------------------------------------------------------------------------------------
# Approval (maker-checker), enrolment, rejection
# ---------------------------------------------------------------------------------------------


def _lock(pk: int) -> EnrolmentBatch:
    batch = (
        EnrolmentBatch.objects.select_for_update(of=("self",))
        .select_related("partner", "agreement", "branch_office")
        .filter(pk=pk)
        .first()
    )
    if batch is None:
        raise BatchNotFound(id=pk)
    return batch


def require_checker(scope: Scope, batch: EnrolmentBatch) -> None:
    """A branch officer of the batch's office (or an administrator), never the uploader."""
    PARTNERS.require(scope, "enrolment.check")
    if scope.user_id is None:
        raise AccountRequired()
    if scope.role == Role.BRANCH_OFFICER and scope.branch_office_id != batch.branch_office_id:
        raise NotChecker(id=batch.pk, office=batch.branch_office.name)
    if scope.user_id == batch.uploaded_by_id:
        raise SameAsUploader(id=batch.pk)


def _require_pending(batch: EnrolmentBatch) -> None:
    if batch.status != BatchStatus.VALIDATED:
        idn, en = BATCH_STATUS_TEXT[batch.status]
        raise NotPending(id=batch.pk, status=idn, status_en=en)


@dataclass(frozen=True)
class ApproveResult:
    batch: EnrolmentBatch
    enrolled: int
    existing: int
    refused: int
    sponsorship_id: int | None
    seconds: float


def batch_approve(
    *,
    scope: Scope,
    batch_id: int,
    note: str = "",
    today: date | None = None,
    now: datetime | None = None,
) -> ApproveResult:
    """Approve a checked batch and enrol its valid rows, all in one transaction."""
    from jamsos.partners.selectors_enrolment import batch_get

    batch_get(scope, batch_id)  # 404 outside the scope
    for attempt in range(1, APPROVE_ATTEMPTS + 1):
        try:
            with transaction.atomic():
                return _approve(scope, batch_id, note=note, today=today, now=now)
        except PartnersError:
            raise
        except (MembershipError, NotPermitted):
            raise
        except (IntegrityError, OperationalError):
            # A NIK of the list was registered by someone else between the re-check and the
            # insert (or two writers deadlocked): nothing was written; try again, and the
            # re-check uses the person now on file.
            if attempt < APPROVE_ATTEMPTS:
                continue
            _approve_failed(batch_id)
            raise
        except Exception:
            _approve_failed(batch_id)
            raise
    raise AssertionError("unreachable")


def _approve_failed(batch_id: int) -> None:
    EnrolmentBatch.objects.filter(pk=batch_id, status=BatchStatus.VALIDATED).update(
        status=BatchStatus.FAILED,
        decision_note="The enrolment stopped on an unexpected error; nothing was written.",
    )


def _approve(
    scope: Scope, pk: int, *, note: str, today: date | None, now: datetime | None
) -> ApproveResult:
    started = time.perf_counter()
    batch = _lock(pk)
    require_checker(scope, batch)
    _require_pending(batch)
    now = now or timezone.now()
    today = today or today_in_jakarta(now)
    if batch.agreement is not None:
        agreement_require_in_force(batch.agreement, on=today)
    if (
        batch.term_until is not None
        and batch.kind != BatchKind.ASSOCIATION_WORKERS
        and batch.term_until < today
    ):
        raise TermOver(term_until=batch.term_until, on=today)
    rows = list(
        EnrolmentRow.objects.filter(batch=batch, status=RowStatus.VALID).order_by("row_number")
    )
    if not rows:
        raise NothingToEnrol(id=batch.pk)
    # Again, just before writing: people registered and memberships opened since the check.
    by_nik = dict(Person.objects.filter(nik__in=[r.nik for r in rows]).values_list("nik", "pk"))
    for row in rows:
        if row.person_id is None and row.nik in by_nik:
            row.person_id = by_nik[row.nik]
    helper = [_Row(line=r.row_number, raw=dict(r.data), person_id=r.person_id) for r in rows]
    open_ = _open_memberships(batch, [r.person_id for r in rows if r.person_id])
    villages = {
        v.pk: v
        for v in Region.objects.filter(pk__in=_row_villages(batch, rows)).select_related("edition")
    }
    employers = {
        e.pk: e
        for e in Employer.objects.select_related("branch_office").filter(
            pk__in={int(r.data["_employer_id"]) for r in rows if r.data.get("_employer_id")}
        )
    }
    people = {
        p.pk: p
        for p in Person.objects.select_related("domicile").filter(
            pk__in=[r.person_id for r in rows if r.person_id]
        )
    }
    start_bpu = max(batch.term_from or today, today)
    income_min = _income_minimum(start_bpu)
    enrolled: list[EnrolmentRow] = []
    refused = existing = 0
    # First the rows that became members meanwhile, then every other row at once.
    writing: list[tuple[EnrolmentRow, list[dict[str, Any]], list[dict[str, Any]]]] = []
    items: list[_enrol_bulk.Item] = []
    for row, shadow in zip(rows, helper, strict=True):
        kpj = open_.get(_existing_key(batch, shadow)) if row.person_id else None
        reasons = list(row.data.get("_reasons") or [])
        notes = list(row.data.get("_notes") or [])
        if kpj is not None:
            row.status = RowStatus.EXISTING
            notes.append(_reason("enrolment.active_meanwhile", "nik", kpj=kpj))
            row.data = {**row.data, "_notes": notes}
            row.reason = _reasons_text(notes[-1:], "id")[:300]
            existing += 1
            continue
        item = _enrol_bulk.Item()
        if row.person_id:
            item.person = people[row.person_id]
        else:
            item.data = PersonData(
                nik=row.nik,
                name=row.name,
                birth_date=date.fromisoformat(row.data["_birth_date"]),
                sex=row.data["_sex"],
                domicile=villages[int(row.data["_village_id"])],
                phone=row.data.get("_phone") or None,
            )
        if batch.kind == BatchKind.ASSOCIATION_WORKERS:
            item.employer = employers[int(row.data["_employer_id"])]
            item.wage_idr = int(row.data["_wage_idr"])
            item.start_date = (
                date.fromisoformat(row.data["_start_date"])
                if row.data.get("_start_date")
                else today
            )
            item.programs = [
                p
                for p in str(row.data.get("_programs") or "")
                .replace(";", ",")
                .replace(" ", ",")
                .split(",")
                if p
            ]
        else:
            item.declared_income_idr = int(row.data.get("_income_idr") or income_min)
        writing.append((row, reasons, notes))
        items.append(item)
    if batch.kind == BatchKind.ASSOCIATION_WORKERS:
        results = _enrol_bulk.enrol(
            items,
            segment=Segment.PU,
            partner_ref=batch.partner.code,
            by=scope,
            today=today,
            now=now,
        )
    else:
        results = _enrol_bulk.enrol(
            items,
            segment=Segment.BPU,
            bpu=_enrol_bulk.BpuTerms(
                ecosystem="rentan" if batch.kind == BatchKind.SPONSORED else "none",
                sponsor_name=batch.sponsor_name,
                sponsor_kind=batch.sponsor_kind,
                sponsor_ref=batch.sponsor_ref,
                partner_ref=batch.partner.code,
                start_date=start_bpu,
                term_until=(batch.term_until if batch.kind == BatchKind.ELECTION_WORKERS else None),
            ),
            partner_ref=batch.partner.code,
            by=scope,
            today=today,
            now=now,
        )
    for (row, reasons, notes), outcome in zip(writing, results, strict=True):
        if isinstance(outcome, MembershipError):
            exc = outcome
            refused += 1
            row.status = RowStatus.INVALID
            item = _reason(
                "enrolment.refused_at_enrolment",
                exc.field or "",
                message=exc.message_in("id") if hasattr(exc, "message_in") else str(exc),
                message_en=exc.message_in("en") if hasattr(exc, "message_in") else str(exc),
            )
            reasons.append(item)
            row.data = {**row.data, "_reasons": reasons}
            row.reason_code = exc.code[:40]
            row.reason = reason_text(item, "id")[:300]
            continue
        row.status = RowStatus.ENROLLED
        row.membership_id = outcome.membership_id
        row.person_id = outcome.person_id
        code = "enrolment.reenrolled" if _was_member(notes) else "enrolment.enrolled"
        notes.append(_reason(code, "", kpj=outcome.kpj))
        row.data = {**row.data, "_notes": notes, "_kpj": outcome.kpj}
        row.reason = reason_text(notes[-1], "id")[:300]
        enrolled.append(row)
    sponsorship_id = None
    if enrolled and batch.kind != BatchKind.ASSOCIATION_WORKERS:
        sponsorship_id = _sponsor(batch, enrolled, start_bpu)
    _enrol_bulk.rows_update(EnrolmentRow, rows)
    counts = dict(batch.counts)
    for status in RowStatus.values:
        counts[status] = EnrolmentRow.objects.filter(batch=batch, status=status).count()
    seconds = round(time.perf_counter() - started, 3)
    counts["enrol_seconds"] = seconds
    batch.counts = counts
    batch.status = BatchStatus.ENROLLED
    batch.decided_by_id = scope.user_id
    batch.decided_at = now
    batch.decision_note = (note or "").strip()
    batch.enrolled_at = now
    batch.save(
        update_fields=[
            "counts",
            "status",
            "decided_by",
            "decided_at",
            "decision_note",
            "enrolled_at",
        ]
    )
    audit_record(
        scope,
        AuditAction.IMPORT,
        batch,
        label=f"{batch.partner.code} {batch.kind} {batch.idempotency_key}"[:200],
        detail={
            "decision": "approved",
            "enrolled": len(enrolled),
            "existing": existing,
            "refused": refused,
            "sponsorship_id": sponsorship_id,
            "note": batch.decision_note[:200],
        },
    )
    return ApproveResult(batch, len(enrolled), existing, refused, sponsorship_id, seconds)


def _was_member(notes: list[dict[str, Any]]) -> bool:
    return any(
        n.get("code") in {"matching.reactivation_ended", "matching.reactivation_unpaid"}
        for n in notes
    )


def _row_villages(batch: EnrolmentBatch, rows: list[EnrolmentRow]) -> set[int]:
    return {int(r.data["_village_id"]) for r in rows if r.data.get("_village_id")}


def _sponsor(batch: EnrolmentBatch, enrolled: list[EnrolmentRow], start: date) -> int:
    """The sponsorship of the enrolled rows, from their start month to the term's end month:
    one invoice to the sponsor at each billing run of those months."""
    from jamsos.billing.services.sponsorships import sponsorship_create

    until = batch.term_until or start
    sponsorship = sponsorship_create(
        sponsor_ref=batch.sponsor_ref,
        sponsor_name=batch.sponsor_name,
        sponsor_kind=batch.sponsor_kind,
        reference=(batch.agreement.number if batch.agreement else f"batch {batch.pk}")[:100],
        first_period=f"{start.year:04d}-{start.month:02d}",
        last_period=f"{until.year:04d}-{until.month:02d}",
        kpjs=[r.data["_kpj"] for r in enrolled],
        by=None,
        branch_office_id=batch.branch_office_id,
    )
    return int(sponsorship.pk)


def batch_reject(
    *, scope: Scope, batch_id: int, note: str, now: datetime | None = None
) -> EnrolmentBatch:
    """Reject a checked batch with a note (nobody is enrolled); the rows keep their verdicts."""
    from jamsos.partners.selectors_enrolment import batch_get

    batch_get(scope, batch_id)
    note = (note or "").strip()
    with transaction.atomic():
        batch = _lock(batch_id)
        require_checker(scope, batch)
        _require_pending(batch)
        if not note:
            raise NoteRequired()
        batch.status = BatchStatus.REJECTED
        batch.decided_by_id = scope.user_id
        batch.decided_at = now or timezone.now()
        batch.decision_note = note
        batch.save(update_fields=["status", "decided_by", "decided_at", "decision_note"])
        EnrolmentRow.objects.filter(batch=batch, status=RowStatus.VALID).update(
            status=RowStatus.SKIPPED, reason=f"daftar ditolak: {note}"[:300]
        )
        counts = dict(batch.counts)
        counts[RowStatus.SKIPPED.value] = counts.get(RowStatus.VALID.value, 0)
        counts[RowStatus.VALID.value] = 0
        batch.counts = counts
        batch.save(update_fields=["counts"])
        audit_record(
            scope,
            AuditAction.UPDATE,
            batch,
            label=f"{batch.partner.code} {batch.kind} {batch.idempotency_key}"[:200],
            changes={"status": [BatchStatus.VALIDATED.value, BatchStatus.REJECTED.value]},
            detail={"decision": "rejected", "note": note[:200]},
        )
    return batch


# ---------------------------------------------------------------------------------------------
# The result file
# ---------------------------------------------------------------------------------------------

RESULT_HEADER = ("baris", "nik", "nama", "status", "status_en", "alasan", "reason_en", "kpj")


def row_reasons(row: EnrolmentRow, language: str) -> str:
    """Why a row has its status, in ``language`` (reasons first, else the last note)."""
    data = row.data or {}
    reasons = list(data.get("_reasons") or [])
    notes = list(data.get("_notes") or [])
    if row.status == RowStatus.SKIPPED and row.batch.decision_note:
        return reason_text(
            _reason("enrolment.rejected_batch", "", note=row.batch.decision_note), language
        )
    if reasons:
        return _reasons_text(reasons, language)
    if row.status == RowStatus.VALID:
        return reason_text(_reason("enrolment.waiting"), language) + (
            "; " + _reasons_text(notes[-1:], language) if notes else ""
        )
    return _reasons_text(notes[-1:], language)


def batch_result_file(*, scope: Scope, batch_id: int, file_format: str = "xlsx") -> FileOut:
    """Every row of the batch: its columns as sent, then row, NIK, name, status and reason in
    Bahasa Indonesia and English, and the KPJ of the enrolled. The partner sent the data, so
    nothing is masked; the download is audited."""
    from jamsos.partners.selectors_enrolment import batch_get

    file_format = str(file_format or "").strip().lower().lstrip(".")
    if file_format not in {"xlsx", "csv"}:
        raise BadFormat(value=file_format)
    batch = batch_get(scope, batch_id)
    columns = [str(c) for c in (batch.counts.get("columns") or [])]
    keys = list(_column_keys(batch))
    header = [*columns, *RESULT_HEADER]

    def lines() -> Any:
        for row in (
            EnrolmentRow.objects.filter(batch=batch).select_related("batch").order_by("row_number")
        ):
            data = row.data or {}
            cells = [str(data.get(k, "")) for k in keys]
            idn, en = STATUS_TEXT[row.status]
            yield [
                *cells,
                str(row.row_number),
                row.nik,
                row.name,
                idn,
                en,
                row_reasons(row, "id"),
                row_reasons(row, "en"),
                str(data.get("_kpj", "")),
            ]

    stem = f"hasil-pendaftaran-{batch.pk}"
    if file_format == "csv":
        content, count = report_csv(header, lines(), delimiter=",")
        out = FileOut(f"{stem}.csv", CSV_TYPE, content)
    else:
        content, count = report_xlsx(header, lines(), title="Hasil")
        out = FileOut(f"{stem}.xlsx", XLSX_TYPE, content)
    audit_record(
        scope,
        AuditAction.EXPORT,
        batch,
        label=f"{batch.partner.code} {batch.kind} {batch.idempotency_key}"[:200],
        detail={"result": file_format, "rows": count},
    )
    return out


def _column_keys(batch: EnrolmentBatch) -> list[str]:
    """The keys the rows' ``data`` uses for the file's columns, in the file's order."""
    columns = [str(c) for c in (batch.counts.get("columns") or [])]
    aliases = _ALIASES
    required, optional = columns_for(batch.kind)
    wanted = set(required) | set(optional)
    keys: list[str] = []
    seen: set[str] = set()
    for i, text in enumerate(columns):
        key = aliases.get(upload_parsing.header_key(text))
        if key is not None and key in wanted and key not in seen:
            seen.add(key)
            keys.append(key)
        else:
            keys.append(text or f"col{i + 1}")
    return keys
