"""What a list of each kind holds, and how a row's verdict reads.

The columns of each kind (:func:`columns_for`, :func:`column_spec` for the reader), their
labels, the statuses' names, and the reasons stored on a row (:func:`reason`) told in Bahasa
Indonesia or English (:func:`reason_text`).
"""

from __future__ import annotations

from datetime import date
from functools import cache
from typing import Any

from jamsos.membership.models import SponsorKind
from jamsos.partners.models import BatchKind, BatchStatus, PartnerKind, RowStatus
from jamsos.partners.services.enrolment.errors import WrongColumns
from jamsos.partners.services.matching import match_reason_text
from jamsos.uploads.messages import reason_message
from jamsos.uploads.parsing import ColumnSpec

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
EXTRA_ALIASES = {
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
REQUIRED: dict[str, tuple[str, ...]] = {
    BatchKind.ASSOCIATION_WORKERS: ("nik", "name", "village_code", "employer_npp", "wage"),
    BatchKind.ELECTION_WORKERS: ("nik", "name", "village_code"),
    BatchKind.SPONSORED: ("nik", "name", "village_code"),
    BatchKind.MARKET: ("nik", "name", "village_code"),
    BatchKind.ECOMMERCE: ("nik", "name", "village_code"),
    BatchKind.COOPERATIVE: ("nik", "name", "village_code"),
}
OPTIONAL: dict[str, tuple[str, ...]] = {
    BatchKind.ASSOCIATION_WORKERS: ("birth_date", "sex", "phone", "start_date", "programs"),
    BatchKind.ELECTION_WORKERS: ("birth_date", "sex", "phone", "income", "occupation"),
    BatchKind.SPONSORED: ("birth_date", "sex", "phone", "income", "occupation"),
    BatchKind.MARKET: ("birth_date", "sex", "phone", "income", "occupation"),
    BatchKind.ECOMMERCE: ("birth_date", "sex", "phone", "income", "occupation"),
    BatchKind.COOPERATIVE: ("birth_date", "sex", "phone", "income", "occupation"),
}
KIND_NAMES: dict[str, tuple[str, str]] = {
    BatchKind.ASSOCIATION_WORKERS: ("pekerja perusahaan anggota asosiasi", "association workers"),
    BatchKind.ELECTION_WORKERS: ("petugas ad hoc pemilu", "election workers"),
    BatchKind.SPONSORED: ("pekerja rentan yang dibiayai", "sponsored workers"),
    BatchKind.MARKET: ("pedagang pasar", "market traders"),
    BatchKind.ECOMMERCE: ("penjual e-commerce", "e-commerce sellers"),
    BatchKind.COOPERATIVE: ("anggota koperasi", "cooperative members"),
}
#: The ecosystem (``membership.Ecosystem``) of the memberships a self-paying list registers; a
#: cooperative's members are counted with the UMKM ecosystem (there is no cooperative one).
ECOSYSTEM_OF_KIND: dict[str, str] = {
    BatchKind.SPONSORED: "rentan",
    BatchKind.MARKET: "pasar",
    BatchKind.ECOMMERCE: "e_commerce",
    BatchKind.COOPERATIVE: "umkm",
}
SPONSOR_OF_PARTNER: dict[str, SponsorKind] = {
    PartnerKind.REGIONAL_GOVERNMENT: SponsorKind.REGIONAL_BUDGET,
    PartnerKind.COMPANY: SponsorKind.CSR,
    PartnerKind.ZAKAT_BODY: SponsorKind.ZAKAT,
}


def label(key: str) -> str:
    """``village_code`` → ``kode_desa / village_code``: the two headers the file may use."""
    idn, en = COLUMNS[key]
    return idn if idn == en else f"{idn} / {en}"


def columns_for(kind: str) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """(required, optional) column keys of a list of ``kind``."""
    return REQUIRED[kind], OPTIONAL[kind]


#: Column key → every header it is read from: Indonesian, English, then the other names.
NAMES: dict[str, tuple[str, ...]] = {
    key: (idn, en, *(alias for alias, k in EXTRA_ALIASES.items() if k == key))
    for key, (idn, en) in COLUMNS.items()
}


@cache
def column_spec(kind: str) -> ColumnSpec:
    """The reader's columns of a list of ``kind``: a header names any column of any kind (so a
    list of another kind is recognised), only this kind's are read, the first of two columns
    of the same key is read, and a missing required column refuses the file with
    :class:`~jamsos.partners.services.enrolment.errors.WrongColumns`."""
    required, optional = columns_for(kind)

    def refuse(missing: list[str], found: str) -> Exception:
        return wrong_columns(kind, missing, found)

    return ColumnSpec(
        names=NAMES,
        required=required,
        optional=optional,
        on_duplicate=_keep_first,
        refuse_missing=refuse,
    )


def _keep_first(key: str, kept: str, new: str, header: list[str]) -> bool:
    return False


def wrong_columns(kind: str, missing: list[str], found: str) -> WrongColumns:
    """The refusal of a list of ``kind`` whose header (``found``) lacks ``missing``."""
    required, optional = columns_for(kind)
    idn, en = KIND_NAMES[kind]
    return WrongColumns(
        missing=", ".join(label(k) for k in missing),
        expected=", ".join(label(k) for k in (*required, *optional)),
        required=", ".join(label(k) for k in required),
        found=found[:300] or "-",
        kind=idn,
        kind_en=en,
    )


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
    "outside_partner_regions": {
        "id": "Desa/kelurahan {village} di luar wilayah PKS mitra {partner} ({regions}); mitra "
        "hanya dapat mendaftarkan orang yang berdomisili di wilayahnya.",
        "en": "Village {village} lies outside partner {partner}'s agreement regions ({regions}); "
        "a partner may only register people living in its regions.",
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


def reason(code: str, field_name: str = "", **params: Any) -> dict[str, Any]:
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


def reasons_text(items: list[dict[str, Any]], language: str) -> str:
    return "; ".join(reason_text(i, language) for i in items)
