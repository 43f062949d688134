"""Recording listed workers (prospects): one by the phone form or the API, many by a file
(CSV/XLSX, KoboToolbox/ODK exports). Every stored prospect is matched (``services.matching``).

Rules (docs/partners/pendataan.md):

- NIK: 16 digits that make a NIK (``membership.identifiers.nik_parse``) of a known district; a
  birth date, when given, agrees with it.
- Name required. Phone stored only with consent to be contacted (a phone without consent is
  refused). Estimated income: whole rupiah above zero. Ecosystem: a ``membership.Ecosystem``
  value. Village: empty = the campaign's village; else a village of the same district
  (kecamatan). Cadre: a cadre code of the campaign (a cadre signed in records as themselves).
- A NIK is listed once per campaign, and a submission (``source_ref``) is imported once per
  campaign: reading the same rows again stores nothing new and reports them ``already_listed``.
- A file with any bad row (or a NIK twice) writes nothing unless ``accept_valid``; then only the
  good rows are stored. Every bad row is reported with its field and reason.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

import polars as pl
from django.db import transaction

from jamsos.access.audit import audit_record
from jamsos.access.models import AuditAction, Role
from jamsos.access.scope import Scope
from jamsos.core.clock import today_in_jakarta
from jamsos.core.exports import write_csv
from jamsos.core.identifiers import is_ascii_digits
from jamsos.core.masking import mask_nik
from jamsos.membership.checks import clean_name
from jamsos.membership.identifiers import (
    nik_compact,
    nik_matches_birth_date,
    nik_parse,
    phone_normalise,
)
from jamsos.membership.models import Ecosystem
from jamsos.membership.services.people import districts_known
from jamsos.partners.errors import PartnersError
from jamsos.partners.models import (
    Cadre,
    Campaign,
    CampaignStatus,
    MatchStatus,
    Prospect,
    ProspectSource,
)
from jamsos.partners.policy import PARTNERS
from jamsos.partners.selectors.pendataan import campaign_get
from jamsos.partners.services.campaigns import CampaignClosed
from jamsos.partners.services.matching import match_reason_text, match_rows
from jamsos.partners.services.xlsform import SourceRow, read_rows
from jamsos.registry.models import Level, Region
from jamsos.uploads.validation import parse_date

INCOME_MAX_IDR = 1_000_000_000_000

#: Row problems: code -> (field, Indonesian, English). ``{value}`` is the cell as given.
PROBLEMS: dict[str, tuple[str, str, str]] = {
    "nik_required": ("nik", "NIK wajib diisi", "NIK is required"),
    "nik_invalid": ("nik", "NIK '{value}' tidak sah (16 angka)", "NIK '{value}' is invalid"),
    "nik_script": (
        "nik",
        "NIK '{value}' tidak sah: hanya boleh memuat angka 0–9",
        "NIK '{value}' is invalid: it may hold only the digits 0–9",
    ),
    "nik_region_unknown": (
        "nik",
        "kode kecamatan NIK {value} tidak dikenal",
        "the NIK's district {value} is unknown",
    ),
    "nik_birth_date_mismatch": (
        "birth_date",
        "tanggal lahir {value} tidak sesuai dengan NIK",
        "birth date {value} does not agree with the NIK",
    ),
    "name_required": ("name", "nama wajib diisi", "name is required"),
    "birth_date_invalid": (
        "birth_date",
        "tanggal lahir '{value}' tidak dapat dibaca",
        "birth date '{value}' cannot be read",
    ),
    "phone_invalid": ("phone", "nomor HP '{value}' tidak sah", "phone '{value}' is invalid"),
    "phone_without_consent": (
        "phone",
        "nomor HP hanya disimpan bila bersedia dihubungi",
        "a phone is stored only with consent to be contacted",
    ),
    "consent_invalid": (
        "consent",
        "persetujuan '{value}' tidak dikenal (ya/tidak)",
        "consent '{value}' is not understood (yes/no)",
    ),
    "income_invalid": (
        "income",
        "penghasilan '{value}' bukan rupiah bulat di atas nol",
        "income '{value}' is not whole rupiah above zero",
    ),
    "ecosystem_invalid": (
        "ecosystem",
        "ekosistem '{value}' tidak dikenal",
        "ecosystem '{value}' is unknown",
    ),
    "village_unknown": (
        "village",
        "kode desa '{value}' tidak dikenal",
        "village code '{value}' is unknown",
    ),
    "village_outside_campaign": (
        "village",
        "desa {value} di luar kecamatan kampanye",
        "village {value} is outside the campaign's district",
    ),
    "cadre_unknown": (
        "cadre",
        "kode kader '{value}' tidak ada dalam kampanye",
        "cadre code '{value}' is not in the campaign",
    ),
    "campaign_mismatch": (
        "campaign",
        "kiriman untuk kampanye lain ('{value}')",
        "submission for another campaign ('{value}')",
    ),
    "duplicate_in_file": (
        "nik",
        "NIK sama dengan baris {value}",
        "same NIK as row {value}",
    ),
}
_YES = {"ya", "yes", "y", "1", "true", "setuju", "bersedia", "iya"}
_NO = {"tidak", "no", "n", "0", "false", "tdk", "t", ""}


class ProspectInvalid(PartnersError):
    """A refused listed worker (the form or the API): the first problem found."""

    code = "partners.prospect_invalid"
    text = {"id": "{label}: {problem_id}.", "en": "{label}: {problem_en}."}


class AlreadyListed(PartnersError):
    code = "partners.already_listed"
    default_field = "nik"
    http_status = 409
    text = {
        "id": "{label} {value} sudah didata dalam kampanye ini.",
        "en": "{label} {value} is already listed in this campaign.",
    }


@dataclass
class Problem:
    code: str
    value: str = ""

    @property
    def field(self) -> str:
        return PROBLEMS[self.code][0]

    def message(self, language: str = "id") -> str:
        _, text_id, text_en = PROBLEMS[self.code]
        template = text_en if str(language).startswith("en") else text_id
        return template.format(value=self.value)

    def error(self) -> ProspectInvalid:
        return ProspectInvalid(
            field=self.field, problem_id=self.message("id"), problem_en=self.message("en")
        )


@dataclass
class RowReport:
    """One row's verdict: ``stored``, ``already_listed``, ``invalid``, or ``valid`` (good but
    not written because the file had bad rows and ``accept_valid`` was not asked)."""

    line: int
    nik: str
    name: str
    source_ref: str
    status: str
    problems: list[Problem] = field(default_factory=list)
    match_status: str = ""
    match_reason: str = ""
    prospect_id: int | None = None


@dataclass
class ImportResult:
    campaign: Campaign
    file_name: str
    file_format: str
    rows: list[RowReport]
    written: bool
    ignored_columns: list[str] = field(default_factory=list)

    def count(self, status: str) -> int:
        return sum(1 for r in self.rows if r.status == status)

    @property
    def counts(self) -> dict[str, int]:
        out = {s: self.count(s) for s in ("stored", "already_listed", "invalid", "valid")}
        out["rows"] = len(self.rows)
        for status in MatchStatus.values:
            out[f"match_{status}"] = sum(
                1 for r in self.rows if r.status == "stored" and r.match_status == status
            )
        return out


@dataclass
class _Clean:
    nik: str = ""
    name: str = ""
    phone: str = ""
    birth_date: date | None = None
    occupation: str = ""
    income: int | None = None
    ecosystem: str = ""
    village_id: int | None = None
    address: str = ""
    consent: bool = False
    cadre_id: int | None = None
    source_ref: str = ""


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return " ".join(str(value).split())


def _consent(value: Any) -> bool | None:
    if isinstance(value, bool):
        return value
    text = _text(value).lower()
    if text in _YES:
        return True
    if text in _NO:
        return False
    return None


def _income(value: Any) -> tuple[int | None, bool]:
    if value is None or (isinstance(value, str) and not value.strip()):
        return None, True
    if isinstance(value, bool):
        return None, False
    if isinstance(value, (int, float)):
        if float(value).is_integer() and 0 < value <= INCOME_MAX_IDR:
            return int(value), True
        return None, False
    text = _text(value).lower().replace("rp", "").replace("idr", "").replace(" ", "")
    if text.endswith((",00", ".00")):
        text = text[:-3]
    digits = text.replace(".", "").replace(",", "")
    if not is_ascii_digits(digits):
        return None, False
    amount = int(digits)
    return (amount, True) if 0 < amount <= INCOME_MAX_IDR else (None, False)


class _Context:
    """What the checks of one batch look up once: villages, districts, cadres."""

    def __init__(self, campaign: Campaign, rows: list[dict[str, Any]], cadre: Cadre | None):
        self.campaign = campaign
        self.own_cadre = cadre
        codes = {"".join(ch for ch in _text(r.get("village_code")) if ch.isdigit()) for r in rows}
        codes.discard("")
        self.villages: dict[str, tuple[int, str]] = {}
        if codes:
            items = sorted(codes)
            for start in range(0, len(items), 500):
                for code, pk, district in Region.objects.filter(
                    edition__is_current=True,
                    level=Level.VILLAGE,
                    code_nodot__in=items[start : start + 500],
                ).values_list("code_nodot", "id", "district_code"):
                    self.villages[code] = (pk, district)
        self.districts = districts_known(
            nik_compact(_text(r.get("nik")))[:6] for r in rows if _text(r.get("nik"))
        )
        self.cadres = {
            c.code.upper(): c.pk for c in Cadre.objects.filter(campaign=campaign).only("code")
        }


def _check(values: dict[str, Any], ctx: _Context) -> tuple[_Clean, list[Problem]]:
    problems: list[Problem] = []
    out = _Clean()
    raw_nik = _text(values.get("nik")).lstrip("'")
    if not raw_nik:
        problems.append(Problem("nik_required"))
    else:
        parts, nik_problem = nik_parse(raw_nik)
        if parts is None:
            code = "nik_script" if nik_problem == "script" else "nik_invalid"
            problems.append(Problem(code, raw_nik))
        elif parts.district_code_nodot not in ctx.districts:
            problems.append(Problem("nik_region_unknown", parts.district_code_nodot))
        else:
            out.nik = parts.nik
    out.name = clean_name(_text(values.get("name")))[:120]
    if not out.name:
        problems.append(Problem("name_required"))
    raw_birth = values.get("birth_date")
    if raw_birth not in (None, ""):
        birth, bad = parse_date(raw_birth)
        if birth is None:
            problems.append(Problem("birth_date_invalid", bad or _text(raw_birth)))
        else:
            out.birth_date = birth
            parts, _ = nik_parse(out.nik) if out.nik else (None, "")
            if parts is not None and not nik_matches_birth_date(parts, birth):
                problems.append(Problem("nik_birth_date_mismatch", birth.isoformat()))
    consent = _consent(values.get("consent_contact"))
    if consent is None:
        problems.append(Problem("consent_invalid", _text(values.get("consent_contact"))))
    else:
        out.consent = consent
    raw_phone = _text(values.get("phone"))
    if raw_phone:
        phone, _problem = phone_normalise(raw_phone)
        if phone is None:
            problems.append(Problem("phone_invalid", raw_phone))
        elif not out.consent:
            problems.append(Problem("phone_without_consent", raw_phone))
        else:
            out.phone = phone
    out.occupation = _text(values.get("occupation"))[:120]
    income, ok = _income(values.get("estimated_income"))
    if not ok:
        problems.append(Problem("income_invalid", _text(values.get("estimated_income"))))
    out.income = income
    eco = _text(values.get("ecosystem")).lower()
    if eco:
        if eco not in Ecosystem.values:
            problems.append(Problem("ecosystem_invalid", eco))
        else:
            out.ecosystem = eco
    village_text = _text(values.get("village_code"))
    digits = "".join(ch for ch in village_text if ch.isdigit())
    if not village_text:
        out.village_id = ctx.campaign.village_id
    elif digits not in ctx.villages:
        problems.append(Problem("village_unknown", village_text))
    else:
        pk, district = ctx.villages[digits]
        if district != ctx.campaign.village.district_code:
            problems.append(Problem("village_outside_campaign", village_text))
        else:
            out.village_id = pk
    cadre_code = _text(values.get("cadre_code")).upper()
    if cadre_code:
        if cadre_code not in ctx.cadres:
            problems.append(Problem("cadre_unknown", cadre_code))
        else:
            out.cadre_id = ctx.cadres[cadre_code]
    if ctx.own_cadre is not None and (out.cadre_id is None or not cadre_code):
        out.cadre_id = ctx.own_cadre.pk
    campaign_code = _text(values.get("campaign_code")).lower()
    if campaign_code and campaign_code != ctx.campaign.code:
        problems.append(Problem("campaign_mismatch", campaign_code))
    out.source_ref = _text(values.get("source_ref"))[:80]
    return out, problems


def _campaign_for_recording(
    scope: Scope, campaign: Campaign | str
) -> tuple[Campaign, Cadre | None]:
    PARTNERS.require(scope, "prospects.record")
    code = campaign.code if isinstance(campaign, Campaign) else str(campaign)
    found = campaign_get(scope, code)
    if found.status == CampaignStatus.CLOSED:
        raise CampaignClosed(value=found.code)
    cadre = None
    if scope.role == Role.PARTNER_USER and scope.user_id is not None:
        cadre = Cadre.objects.filter(campaign=found, user_id=scope.user_id).first()
    return found, cadre


def _prospect(
    clean: _Clean,
    matched: dict[str, Any],
    campaign: Campaign,
    source: str,
    scope: Scope,
    today: date,
) -> Prospect:
    status = matched["match_status"]
    return Prospect(
        campaign=campaign,
        cadre_id=clean.cadre_id,
        nik=clean.nik,
        name=clean.name,
        phone=clean.phone,
        birth_date=clean.birth_date,
        occupation=clean.occupation,
        estimated_income_idr=clean.income,
        ecosystem=clean.ecosystem,
        village_id=clean.village_id,  # type: ignore[misc]  # set on every row without problems
        address=clean.address,
        consent_contact=clean.consent,
        source=source,
        source_ref=clean.source_ref,
        match_status=status,
        match_reason=matched["match_reason"] or "",
        matched_person_id=matched["person_id"],
        matched_membership_id=matched["membership_id"],
        listed_on=today,
        created_by_id=scope.user_id,
    )


def _match(cleans: list[_Clean], today: date) -> list[dict[str, Any]]:
    frame = pl.DataFrame(
        {
            "nik": [c.nik for c in cleans],
            "name": [c.name for c in cleans],
            "birth_date": [c.birth_date for c in cleans],
            "village_id": [c.village_id for c in cleans],
        },
        schema={"nik": pl.Utf8, "name": pl.Utf8, "birth_date": pl.Date, "village_id": pl.Int64},
    )
    return match_rows(frame, today=today).to_dicts()


@transaction.atomic
def prospect_record(
    *,
    scope: Scope,
    campaign: Campaign | str,
    values: dict[str, Any],
    source: str = ProspectSource.FORM,
    today: date | None = None,
) -> Prospect:
    """Record one listed worker (the phone form, the API). ``values`` uses the column keys of
    ``services.xlsform.ALIASES`` (nik, name, phone, birth_date, occupation, estimated_income,
    ecosystem, village_code, address, consent_contact, cadre_code, source_ref). Refuses with
    the first problem; refuses a NIK already listed in the campaign."""
    today = today or today_in_jakarta()
    the_campaign, own = _campaign_for_recording(scope, campaign)
    ctx = _Context(the_campaign, [values], own)
    clean, problems = _check(values, ctx)
    clean.address = _text(values.get("address"))[:250]
    if problems:
        raise problems[0].error()
    existing = Prospect.objects.filter(campaign=the_campaign, nik=clean.nik)
    if clean.source_ref:
        existing = existing | Prospect.objects.filter(
            campaign=the_campaign, source_ref=clean.source_ref
        )
    if existing.exists():
        raise AlreadyListed(value=mask_nik(clean.nik))
    matched = _match([clean], today)[0]
    prospect = _prospect(clean, matched, the_campaign, source, scope, today)
    prospect.save()
    audit_record(
        scope,
        AuditAction.CREATE,
        prospect,
        detail={"campaign": the_campaign.code, "match_status": prospect.match_status},
    )
    return prospect


_SOURCE_OF_FORMAT = {
    "csv": ProspectSource.UPLOAD,
    "xlsx": ProspectSource.UPLOAD,
    "kobo-csv": ProspectSource.XLSFORM_CSV,
    "kobo-json": ProspectSource.XLSFORM_JSON,
    "odk-json": ProspectSource.XLSFORM_JSON,
}


def prospects_import(
    *,
    scope: Scope,
    campaign: Campaign | str,
    content: bytes,
    file_name: str,
    file_format: str | None = None,
    accept_valid: bool = False,
    today: date | None = None,
) -> ImportResult:
    """Read, check, match and (when the file is clean, or ``accept_valid``) store a file of
    listed workers. Set-based: a fixed number of queries whatever the number of rows."""
    today = today or today_in_jakarta()
    the_campaign, own = _campaign_for_recording(scope, campaign)
    read = read_rows(content, file_name=file_name, file_format=file_format)
    source = _SOURCE_OF_FORMAT[read.file_format]
    rows: list[SourceRow] = read.rows
    ctx = _Context(the_campaign, [r.values for r in rows], own)
    reports: list[RowReport] = []
    cleans: list[_Clean] = []
    for row in rows:
        clean, problems = _check(row.values, ctx)
        clean.address = _text(row.values.get("address"))[:250]
        cleans.append(clean)
        reports.append(
            RowReport(
                line=row.line,
                nik=clean.nik or _text(row.values.get("nik")),
                name=clean.name,
                source_ref=clean.source_ref,
                status="invalid" if problems else "valid",
                problems=problems,
            )
        )
    # Already in the campaign (same NIK or same submission): skipped, not an error.
    good = [i for i, r in enumerate(reports) if r.status == "valid"]
    listed_niks, listed_refs = _listed(the_campaign, [cleans[i] for i in good])
    for i in good:
        c = cleans[i]
        if c.nik in listed_niks or (c.source_ref and c.source_ref in listed_refs):
            reports[i].status = "already_listed"
    # Duplicates inside the file (same NIK or same submission reference): the first is kept.
    seen_nik: dict[str, int] = {}
    seen_ref: dict[str, int] = {}
    for i, r in enumerate(reports):
        if r.status != "valid":
            continue
        c = cleans[i]
        first = seen_nik.get(c.nik)
        if first is None and c.source_ref:
            first = seen_ref.get(c.source_ref)
        if first is not None:
            if c.source_ref and cleans[first].source_ref == c.source_ref:
                r.status = "already_listed"  # the same submission exported twice
            else:
                r.status = "invalid"
                r.problems.append(Problem("duplicate_in_file", str(reports[first].line)))
            continue
        seen_nik[c.nik] = i
        if c.source_ref:
            seen_ref[c.source_ref] = i
    valid = [i for i, r in enumerate(reports) if r.status == "valid"]
    if valid:
        matched = _match([cleans[i] for i in valid], today)
        for i, m in zip(valid, matched, strict=True):
            reports[i].match_status = m["match_status"] or ""
            reports[i].match_reason = m["match_reason"] or ""
    has_errors = any(r.status == "invalid" for r in reports)
    written = bool(valid) and (accept_valid or not has_errors)
    if written:
        with transaction.atomic():
            objects = [
                _prospect(
                    cleans[i],
                    {
                        "match_status": reports[i].match_status,
                        "match_reason": reports[i].match_reason,
                        "person_id": m["person_id"],
                        "membership_id": m["membership_id"],
                    },
                    the_campaign,
                    source,
                    scope,
                    today,
                )
                for i, m in zip(valid, matched, strict=True)
            ]
            Prospect.objects.bulk_create(objects, batch_size=2000)
            for i, obj in zip(valid, objects, strict=True):
                reports[i].status = "stored"
                reports[i].prospect_id = obj.pk
            result = ImportResult(
                the_campaign, file_name, read.file_format, reports, True, read.ignored
            )
            audit_record(
                scope,
                AuditAction.IMPORT,
                the_campaign,
                detail={"file": file_name, "format": read.file_format, **result.counts},
            )
            return result
    return ImportResult(the_campaign, file_name, read.file_format, reports, False, read.ignored)


def _listed(campaign: Campaign, cleans: list[_Clean]) -> tuple[set[str], set[str]]:
    niks = sorted({c.nik for c in cleans})
    refs = sorted({c.source_ref for c in cleans if c.source_ref})
    found_niks: set[str] = set()
    found_refs: set[str] = set()
    for start in range(0, len(niks), 900):
        found_niks.update(
            Prospect.objects.filter(
                campaign=campaign, nik__in=niks[start : start + 900]
            ).values_list("nik", flat=True)
        )
    for start in range(0, len(refs), 900):
        found_refs.update(
            Prospect.objects.filter(
                campaign=campaign, source_ref__in=refs[start : start + 900]
            ).values_list("source_ref", flat=True)
        )
    return found_niks, found_refs


REPORT_HEADER = {
    "id": ["baris", "nik", "nama", "status", "kolom", "alasan", "hasil_pencocokan"],
    "en": ["row", "nik", "name", "status", "field", "reasons", "match"],
}
STATUS_TEXT = {
    "stored": {"id": "disimpan", "en": "stored"},
    "already_listed": {"id": "sudah didata", "en": "already listed"},
    "invalid": {"id": "ditolak", "en": "refused"},
    "valid": {"id": "sah (belum disimpan)", "en": "valid (not stored)"},
}


def report_rows(result: ImportResult, language: str = "id") -> list[list[str]]:
    """The per-row report (NIK masked): row, NIK, name, status, fields, reasons, match."""
    lang = "en" if str(language).startswith("en") else "id"
    out = [REPORT_HEADER[lang]]
    for r in result.rows:
        out.append(
            [
                str(r.line),
                mask_nik(r.nik) if len(r.nik) == 16 else r.nik,
                r.name,
                STATUS_TEXT[r.status][lang],
                ", ".join(p.field for p in r.problems),
                "; ".join(p.message(lang) for p in r.problems),
                match_reason_text(r.match_reason, lang) if r.match_status else "",
            ]
        )
    return out


def report_csv(result: ImportResult, language: str = "id") -> bytes:
    """The per-row report as CSV: ``;`` separated, UTF-8 with BOM, every cell made safe
    (:mod:`jamsos.core.exports`)."""
    header, *rows = report_rows(result, language)
    return write_csv(rows, header, delimiter=";", bom=True)
