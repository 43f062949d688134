"""The claims desk's own rules, as data (docs/claims.md): documents per case, the heirs' order,
bank account formats, the service-level targets, the second approver's threshold, limits.

The benefit law (who is entitled, how much) is the legal engine's (``jamsos.legal.benefits``);
what is here is how a claim is taken in and handled.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.conf import settings
from django.utils import timezone

from jamsos.legal.benefits import CASES as LEGAL_CASES
from jamsos.legal.benefits import JHT_REASONS
from jamsos.legal.benefits import SCHOOL_LEVELS as LEGAL_SCHOOL_LEVELS
from jamsos.legal.calendar import is_working_day, next_working_day

#: The programs and their cases, and why a full JHT is due: the legal engine's.
CASES: dict[str, tuple[str, ...]] = dict(LEGAL_CASES)
JHT_GROUNDS: tuple[str, ...] = JHT_REASONS
SCHOOL_LEVELS: tuple[str, ...] = LEGAL_SCHOOL_LEVELS

CASE_NAMES: dict[str, dict[str, str]] = {
    "death": {"id": "Meninggal dunia", "en": "Death"},
    "temporary_disability": {
        "id": "Tidak mampu bekerja sementara (STMB)",
        "en": "Temporary incapacity (STMB)",
    },
    "total_permanent_disability": {"id": "Cacat total tetap", "en": "Total permanent disability"},
    "partial_disability": {"id": "Cacat sebagian", "en": "Partial disability"},
    "full": {"id": "Pencairan penuh", "en": "Full withdrawal"},
    "partial_10": {"id": "Pencairan 10% (persiapan pensiun)", "en": "10% withdrawal (retirement)"},
    "partial_30": {"id": "Pencairan 30% (perumahan)", "en": "30% withdrawal (housing)"},
    "old_age": {"id": "Pensiun hari tua", "en": "Old-age pension"},
    "disability": {"id": "Pensiun cacat", "en": "Disability pension"},
    "job_loss": {"id": "Kehilangan pekerjaan", "en": "Job loss"},
}

#: A full JHT after stopping work waits one month after the stop date (rules.md §6.1).
JHT_WAITING_MONTHS = 1
#: Partial JHT: once only, after 10 years of membership (rules.md §6.1).
JHT_PARTIAL_MIN_MONTHS = 120
#: JKP: at most three claims (PP 37/2021); the deadline after the job loss, by regime.
JKP_MAX_CLAIMS = 3
JKP_DEADLINE_MONTHS = ((date(2025, 2, 7), 6), (date(2021, 2, 2), 3))
#: JKM scholarship: at least 3 years of contributions (rules.md §6.2); JKK: none.
SCHOLARSHIP_MIN_MONTHS = 36

#: When each program began under BPJS Ketenagakerjaan (PP 44, 45, 46/2015 from 1 July 2015;
#: JKP PP 37/2021 from 2 February 2021). A claim for an event before it is refused.
PROGRAM_SINCE: dict[str, date] = {
    "JKK": date(2015, 7, 1),
    "JKM": date(2015, 7, 1),
    "JHT": date(2015, 7, 1),
    "JP": date(2015, 7, 1),
    "JKP": date(2021, 2, 2),
}

#: The heirs, in their order (PP 46/2015 Ps. 26 as amended by PP 60/2015): an heir of a later
#: rank claims only with a statement that no heir of an earlier rank is alive.
HEIRS: dict[str, int] = {
    "spouse": 1,
    "child": 2,
    "parent": 3,
    "grandchild": 3,
    "sibling": 4,
    "parent_in_law": 5,
    "will": 6,
}
HEIR_NAMES: dict[str, dict[str, str]] = {
    "spouse": {"id": "Janda/duda", "en": "Widow/widower"},
    "child": {"id": "Anak", "en": "Child"},
    "parent": {"id": "Orang tua", "en": "Parent"},
    "grandchild": {"id": "Cucu", "en": "Grandchild"},
    "sibling": {"id": "Saudara kandung", "en": "Sibling"},
    "parent_in_law": {"id": "Mertua", "en": "Parent-in-law"},
    "will": {"id": "Ditunjuk dalam wasiat", "en": "Named in a will"},
}
#: Cases paid to an heir (the insured person has died).
HEIR_CASES = frozenset({("JKM", "death"), ("JKK", "death"), ("JP", "death")})

#: Documents each case needs (kinds), checked before a claim is verified.
DOCUMENT_NAMES: dict[str, dict[str, str]] = {
    "ktp": {"id": "KTP pemohon", "en": "Claimant's identity card"},
    "kk": {"id": "Kartu keluarga", "en": "Family card"},
    "bank_book": {"id": "Buku tabungan", "en": "Bank book"},
    "stop_letter": {"id": "Surat keterangan berhenti bekerja", "en": "Letter of leaving work"},
    "phk_letter": {"id": "Surat PHK / bukti PHK", "en": "Termination letter"},
    "death_certificate": {"id": "Akta kematian", "en": "Death certificate"},
    "heir_statement": {"id": "Surat keterangan ahli waris", "en": "Heirs' statement"},
    "medical_report": {"id": "Surat keterangan dokter", "en": "Doctor's report"},
    "accident_report": {"id": "Laporan kecelakaan kerja", "en": "Work-accident report"},
    "housing_contract": {"id": "Dokumen perumahan", "en": "Housing document"},
}
_BASE = ("ktp", "bank_book")
DOCUMENTS: dict[tuple[str, str], tuple[str, ...]] = {
    ("JKM", "death"): (*_BASE, "kk", "death_certificate", "heir_statement"),
    ("JKK", "death"): (*_BASE, "kk", "death_certificate", "heir_statement", "accident_report"),
    ("JKK", "temporary_disability"): (*_BASE, "medical_report", "accident_report"),
    ("JKK", "total_permanent_disability"): (*_BASE, "medical_report", "accident_report"),
    ("JKK", "partial_disability"): (*_BASE, "medical_report", "accident_report"),
    ("JHT", "full"): (*_BASE, "stop_letter"),
    ("JHT", "partial_10"): _BASE,
    ("JHT", "partial_30"): (*_BASE, "housing_contract"),
    ("JP", "old_age"): (*_BASE, "kk"),
    ("JP", "disability"): (*_BASE, "kk", "medical_report"),
    ("JP", "death"): (*_BASE, "kk", "death_certificate", "heir_statement"),
    ("JKP", "job_loss"): (*_BASE, "phk_letter"),
}
#: A document: at most this size, one of these types (read from the file's first bytes).
DOCUMENT_MAX_BYTES = 5 * 1024 * 1024
DOCUMENT_TYPES: dict[str, tuple[bytes, ...]] = {
    "application/pdf": (b"%PDF-",),
    "image/jpeg": (b"\xff\xd8\xff",),
    "image/png": (b"\x89PNG\r\n\x1a\n",),
}

#: Banks a benefit is paid to: code (SKN/RTGS bank code) → name and account number lengths.
BANKS: dict[str, tuple[str, tuple[int, ...]]] = {
    "002": ("BRI", (15,)),
    "008": ("Bank Mandiri", (13,)),
    "009": ("BNI", (10,)),
    "014": ("BCA", (10,)),
    "200": ("BTN", (16,)),
    "451": ("BSI", (10,)),
}

#: A second officer approves a claim of this amount or more (settings override it).
SECOND_APPROVAL_IDR = 50_000_000
#: JHT claims under this amount are decided the same working day (the fast lane).
FAST_LANE_IDR = 10_000_000
#: The other claims: decided within this many working days.
DECISION_WORKING_DAYS = 5
#: The working day closes at 16:00 Jakarta time; a claim in after it counts from the next one.
DAY_CLOSES = time(16, 0)


def second_approval_idr() -> int:
    return int(getattr(settings, "CLAIMS_SECOND_APPROVAL_IDR", SECOND_APPROVAL_IDR))


def is_fast_lane(program: str, amount_idr: int) -> bool:
    return program == "JHT" and amount_idr < FAST_LANE_IDR


def decision_due(submitted_at: datetime, fast: bool) -> datetime:
    """When the decision is due: the close of the same working day (fast lane) or of the fifth
    working day, counted from the working day the claim came in (after 16:00: the next)."""
    local = timezone.localtime(submitted_at)
    day = local.date()
    if not is_working_day(day) or local.time() >= DAY_CLOSES:
        day = next_working_day(day + timedelta(days=1))
    for _ in range(0 if fast else DECISION_WORKING_DAYS - 1):
        day = next_working_day(day + timedelta(days=1))
    return timezone.make_aware(datetime.combine(day, DAY_CLOSES), timezone.get_current_timezone())


@dataclass(frozen=True)
class Timer:
    """A claim's service-level timer as shown in the queue."""

    due_at: datetime
    overdue: bool
    hours_left: int


def jkp_deadline(phk: date) -> date:
    """The last day to claim JKP for a job loss on ``phk`` (PP 37/2021; PP 6/2025 Ps. 40)."""
    for since, months in JKP_DEADLINE_MONTHS:
        if phk >= since:
            return add_months(phk, months)
    return add_months(phk, 3)


def add_months(day: date, months: int) -> date:
    month = day.month - 1 + months
    year = day.year + month // 12
    month = month % 12 + 1
    for d in (day.day, 30, 29, 28):
        try:
            return date(year, month, d)
        except ValueError:
            continue
    raise ValueError(day)  # pragma: no cover - day 28 exists in every month
