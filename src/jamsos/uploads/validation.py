"""Checking every row of an upload, set-based, with every reason of every row.

The person columns are checked as ``membership.services.validate_people`` checks them, with
the same functions of ``membership.checks`` (the checks of ``person_register``: NIK format, its
district in the current region list, its birth date and sex against the row's, a birth date not
in the future, the phone), and give the same reasons in the same order. The rest mirrors
``pu_worker_register``:

- the wage is a positive whole number of rupiah;
- the programs are the employer size's mandatory set plus those asked, checked by
  ``programs_for`` against the legal parameters in force on the start date (a start date before
  the first program rules loaded is refused there);
- the start date is not before the birth date, and not more than :data:`START_DATE_AHEAD_DAYS`
  days ahead (an employer may register a hire a month before the first day of work);
- the domicile village exists in the current region list.

A NIK already registered is not a refusal: the row is accepted as that existing person (an
employer adds a worker registered before, with another employer or as BPU), provided the
registered birth date and sex are the row's, and the person has no active PU membership with
this employer already. A NIK given twice in the file refuses every row that has it, each naming
the others.

Database access is a few queries for the whole file, never per row: one for the districts of
the current edition, one for the villages named, one for the registered people among the
file's NIKs, one for their active memberships with the employer (array parameters on
PostgreSQL, batches of :data:`BATCH_SIZE` elsewhere). Each distinct cell text (a date, a wage, a
phone number, the programs asked) is parsed once; python-stdnum reads each NIK's date once per
distinct date (``membership.identifiers.nik_parse``). A test compares the verdicts with those
of the former path, which went through ``validate_people`` batch by batch.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

from django.db import connection
from openpyxl.utils.datetime import from_excel

from jamsos.core import bulkwrite
from jamsos.core.identifiers import is_ascii_digits
from jamsos.core.masking import mask_nik
from jamsos.legal.minimum_wage import absurd_floor
from jamsos.legal.params import parameters
from jamsos.legal.types import EmployerSize, Segment
from jamsos.membership.bounds import WAGE_MAX_IDR, rupiah_text
from jamsos.membership.checks import (
    SEX_LABELS,
    Reason,
    clean_name,
    nik_reasons,
    phone_reasons,
    sex_normalise,
)
from jamsos.membership.errors import MembershipError
from jamsos.membership.identifiers import nik_compact
from jamsos.membership.models import Employer, Membership, Person, Status, programs_to_text
from jamsos.membership.programs import programs_for
from jamsos.registry.models import Level, Region, RegionEdition
from jamsos.uploads.parsing import RowInput

BATCH_SIZE = 5_000
#: How far ahead a start date may be. Not a legal figure: registering a hire up to a month
#: before the first day of work is allowed, a date further out is taken for a typing error.
START_DATE_AHEAD_DAYS = 31
#: The largest monthly wage taken for real is the registry's (Rp 10 billion,
#: jamsos.membership.bounds); beyond it is a typing error.
NAME_MAX = 120
#: The name of the template's example row: a row with this name is refused.
EXAMPLE_NAME = "CONTOH - hapus baris ini / EXAMPLE - delete this row"
_EXAMPLE_UPPER = EXAMPLE_NAME.upper()

_SCIENTIFIC = re.compile(r"^\d(?:[.,]\d+)?[eE]\+?\d+$", re.ASCII)
_DIGITS = re.compile(r"^\d+$", re.ASCII)
_ID_THOUSANDS = re.compile(r"^\d{1,3}(?:\.\d{3})+(?:,0+)?$", re.ASCII)
_EN_THOUSANDS = re.compile(r"^\d{1,3}(?:,\d{3})+(?:\.0+)?$", re.ASCII)
_ID_DECIMAL_ZERO = re.compile(r"^\d+,0+$", re.ASCII)
_EN_DECIMAL_ZERO = re.compile(r"^\d+\.0+$", re.ASCII)
_YEAR_FIRST = re.compile(r"^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})$", re.ASCII)
_DAY_FIRST = re.compile(r"^(\d{1,2})[-/.](\d{1,2})[-/.](\d{4})$", re.ASCII)
_COMPACT_DATE = re.compile(r"^(\d{4})(\d{2})(\d{2})$", re.ASCII)
_VILLAGE_NOISE = str.maketrans("", "", " .-\t")
_PROGRAM_SPLIT = re.compile(r"[\s,;/|+]+")
_EXCEL_SERIAL_MAX = 2_958_465  # 9999-12-31


@dataclass(slots=True)
class RowResult:
    """The verdict on one row and its cleaned values."""

    line: int
    raw: list[str]
    reasons: list[dict[str, Any]] = field(default_factory=list)
    notes: list[dict[str, Any]] = field(default_factory=list)
    nik: str = ""
    name: str = ""
    birth_date: date | None = None
    sex: str = ""
    phone: str | None = None
    village_pk: int | None = None
    wage_idr: int | None = None
    start_date: date | None = None
    programs: str = ""
    person_pk: int | None = None

    @property
    def ok(self) -> bool:
        return not self.reasons


def _plain(value: Any) -> Any:
    if isinstance(value, (datetime, date)):
        return value.isoformat()
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if value is None or isinstance(value, (str, int, float, bool)):
        return value
    return str(value)


def reason(code: str, field_name: str, **params: Any) -> dict[str, Any]:
    """A reason as stored: ``{"code", "field", "params"}`` with JSON-safe parameters."""
    return {"code": code, "field": field_name, "params": {k: _plain(v) for k, v in params.items()}}


def _stored(item: Reason) -> dict[str, Any]:
    return reason(item.code, item.field, **item.params)


# --- cells ------------------------------------------------------------------------------------


def _text(value: Any) -> str:
    if value.__class__ is str:  # CSV cells, and most workbook cells: at once
        return value.strip()  # type: ignore[no-any-return]
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def parse_date(value: Any) -> tuple[date | None, str]:
    """``(date, "")``, or ``(None, text)`` when the cell is empty (``""``) or not a date.

    Accepts real Excel dates, Excel serial numbers, ``YYYY-MM-DD``, ``DD-MM-YYYY`` (and with
    ``/`` or ``.``), ``YYYYMMDD``, and a date with a time of day.
    """
    if isinstance(value, datetime):
        return value.date(), ""
    if isinstance(value, date):
        return value, ""
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        if 1 <= value <= _EXCEL_SERIAL_MAX and float(value).is_integer():
            converted = from_excel(value)
            return (converted.date() if isinstance(converted, datetime) else converted), ""
        return None, _text(value)
    text = _text(value)
    if not text:
        return None, ""
    candidate = text.split("T")[0].split(" ")[0]
    match = _YEAR_FIRST.match(candidate) or _COMPACT_DATE.match(candidate)
    if match:
        year, month, day = match.groups()
    else:
        match = _DAY_FIRST.match(candidate)
        if not match:
            return None, text
        day, month, year = match.groups()
    try:
        return date(int(year), int(month), int(day)), ""
    except ValueError:
        return None, text


def parse_wage(value: Any) -> tuple[int | None, dict[str, Any] | None]:
    """Whole rupiah from ``4500000``, ``4.500.000``, ``4,500,000``, ``Rp 4.500.000,00``."""
    if isinstance(value, bool):
        return None, reason("uploads.invalid_wage", "wage", value=str(value))
    if isinstance(value, int):
        amount: int | None = value
    elif isinstance(value, float):
        if not value.is_integer():
            return None, reason("uploads.invalid_wage", "wage", value=_text(value))
        amount = int(value)
    else:
        text = _text(value)
        if is_ascii_digits(text) and len(text) <= 15:  # the common case, at once
            amount = int(text)
            if 0 < amount <= WAGE_MAX_IDR:
                return amount, None
        if not text:
            return None, reason("membership.required", "wage")
        compact = re.sub(r"(?i)^(rp\.?|idr)", "", text.replace("\u00a0", " ")).replace(" ", "")
        negative = compact.startswith("-")
        compact = compact.lstrip("-")
        if _DIGITS.match(compact):
            digits = compact
        elif _ID_THOUSANDS.match(compact) or _ID_DECIMAL_ZERO.match(compact):
            digits = compact.split(",")[0].replace(".", "")
        elif _EN_THOUSANDS.match(compact) or _EN_DECIMAL_ZERO.match(compact):
            digits = compact.split(".")[0].replace(",", "")
        else:
            return None, reason("uploads.invalid_wage", "wage", value=text)
        if len(digits) > 15:
            return None, reason(
                "uploads.wage_too_large", "wage", value=text, maximum=_grouped(WAGE_MAX_IDR)
            )
        amount = -int(digits) if negative else int(digits)
    if amount <= 0:
        return None, reason("membership.amount_not_positive", "wage", value=_text(value))
    if amount > WAGE_MAX_IDR:
        return None, reason(
            "uploads.wage_too_large", "wage", value=_text(value), maximum=_grouped(WAGE_MAX_IDR)
        )
    return amount, None


def _grouped(amount: int) -> str:
    return f"{amount:,}".replace(",", ".")


def nik_cell(value: Any) -> tuple[str, dict[str, Any] | None]:
    """A NIK cell as text, and a reason (``uploads.nik_number_cell``,
    ``uploads.nik_scientific``) when Excel has mangled it: a number cell that lost digits or a
    text in scientific notation. Other checks of the NIK are the registry's."""
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        text = _text(value)
        if isinstance(value, float) and not value.is_integer():
            return text, reason("uploads.nik_number_cell", "nik", value=text)
        # Excel keeps 15 significant digits: a 16-digit number it stored ends in 0.
        if len(text) == 16 and text.endswith("0"):
            return text, reason("uploads.nik_number_cell", "nik", value=text)
        return text, None
    text = _text(value).lstrip("'")
    if _SCIENTIFIC.match(text):
        return text, reason("uploads.nik_scientific", "nik", value=text)
    return text, None


def _phone_cell(value: Any) -> str | None:
    if value is None:
        return None
    return _text(value) or None


def village_code(value: Any) -> str:
    """A village code cell as its ten digits: ``32.04.05.2001`` or ``3204052001 `` →
    ``3204052001`` (dots, spaces and dashes dropped; not checked)."""
    return _text(value).translate(_VILLAGE_NOISE)


# --- validation -------------------------------------------------------------------------------


class _Rules:
    """What an upload looks up once: the current region edition, and ``programs_for`` per
    (start date, programs asked), computed once per stretch of time in which neither program
    parameter changes (the answer cannot differ within one)."""

    def __init__(self, employer: Employer) -> None:
        self.size = EmployerSize(employer.size)
        # The region edition the villages are looked up in (one query, here).
        self.edition_id = (
            RegionEdition.objects.filter(is_current=True).values_list("pk", flat=True).first()
        )
        self.cache: dict[tuple[int, tuple[str, ...]], tuple[str, dict[str, Any] | None]] = {}
        known = parameters()
        self.changes = sorted(
            set(known.parameter("programs.available").dates)
            | set(known.parameter("programs.mandatory").dates)
        )

    def programs(self, start: date, text: str) -> tuple[str, dict[str, Any] | None]:
        asked = tuple(sorted({p for p in _PROGRAM_SPLIT.split(text.upper()) if p})) if text else ()
        stretch = bisect_right(self.changes, start)
        if stretch == 0:  # before the first rules: refused, naming this row's date
            return self._compute(start, asked)
        key = (stretch, asked)
        if key not in self.cache:
            self.cache[key] = self._compute(start, asked)
        return self.cache[key]

    def _compute(self, start: date, asked: tuple[str, ...]) -> tuple[str, dict[str, Any] | None]:
        try:
            chosen = programs_for(
                segment=Segment.PU, on=start, chosen=asked, employer_size=self.size
            )
        except MembershipError as exc:
            return "", reason(exc.code, exc.field or "programs", **exc.params)
        return programs_to_text(chosen), None


def validate_rows(
    rows: list[RowInput],
    *,
    employer: Employer,
    today: date,
    batch_size: int = BATCH_SIZE,
    progress: Callable[[int], None] | None = None,
) -> list[RowResult]:
    """Check every row; the result has one :class:`RowResult` per row, in file order.

    The whole file is checked in one pass, with a handful of queries for all of it (the
    districts, the villages, the registered NIKs and their active memberships with the
    employer), and each distinct cell text (a date, a wage, a phone, the programs asked) is
    parsed once: a file of 100,000 workers holds some 15,000 birth dates and 3,000 start dates.
    ``progress`` is told every ``batch_size`` rows.
    """
    rules = _Rules(employer)
    cells = _Cells()
    known = districts_current()
    codes = [village_code(row.values.get("village_code")) for row in rows]
    villages = village_ids(set(codes), rules.edition_id)
    start_limit = today + timedelta(days=START_DATE_AHEAD_DAYS)
    results: list[RowResult] = []
    parsed: set[str] = set()
    for done, (row, code) in enumerate(zip(rows, codes, strict=True), start=1):
        result = _check_person(row, today=today, known=known, cells=cells, parsed=parsed)
        _check_rest(
            row,
            result,
            code,
            villages=villages,
            today=today,
            limit=start_limit,
            rules=rules,
            cells=cells,
        )
        results.append(result)
        if progress is not None and done % batch_size == 0:
            progress(batch_size)
    if progress is not None and len(rows) % batch_size:
        progress(len(rows) % batch_size)
    _check_registry(results, employer=employer, niks=parsed)
    _mark_duplicates(results)
    return results


class _Cells:
    """Each distinct cell text parsed once (the answers are shared by the rows that hold it)."""

    def __init__(self) -> None:
        self.dates: dict[str, tuple[date | None, str]] = {}
        self.births: dict[str, tuple[date | None, dict[str, Any] | None]] = {}
        self.wages: dict[str, tuple[int | None, dict[str, Any] | None]] = {}
        self.phones: dict[str | None, tuple[str | None, list[dict[str, Any]]]] = {}
        self.sexes: dict[str, str | None] = {}
        self.programs: dict[tuple[date, str], tuple[str, dict[str, Any] | None]] = {}
        self.floors: dict[date, int] = {}

    def floor(self, on: date) -> int:
        """The smallest monthly wage accepted on ``on`` (minimum_wage/absurd_floor.yaml), the
        one the registration service holds the wage to."""
        found = self.floors.get(on)
        if found is None:
            found = self.floors[on] = absurd_floor(on)
        return found

    def day(self, value: Any) -> tuple[date | None, str]:
        if value.__class__ is not str:
            return parse_date(value)
        found = self.dates.get(value)
        if found is None:
            found = self.dates[value] = parse_date(value)
        return found

    def birth(self, value: Any) -> tuple[date | None, dict[str, Any] | None]:
        """The birth date and its reason, as ``validate_people`` reads what
        :func:`parse_date` gives it (a text it cannot read is tried as an ISO date)."""
        key = value if value.__class__ is str else None
        if key is not None and key in self.births:
            return self.births[key]
        birth, text = self.day(value)
        problem = None
        if birth is None:
            text = text.strip()
            if not text:
                problem = _stored(Reason("membership.required", "birth_date"))
            else:
                try:
                    birth = date.fromisoformat(text)
                except ValueError:
                    problem = reason("uploads.invalid_birth_date", "birth_date", value=text)
        if key is not None:
            self.births[key] = (birth, problem)
        return birth, problem

    def wage(self, value: Any) -> tuple[int | None, dict[str, Any] | None]:
        if value.__class__ is not str:
            return parse_wage(value)
        found = self.wages.get(value)
        if found is None:
            found = self.wages[value] = parse_wage(value)
        return found

    def phone(self, value: Any) -> tuple[str | None, list[dict[str, Any]]]:
        text = _phone_cell(value)
        found = self.phones.get(text)
        if found is None:
            phone, problems = phone_reasons(text)
            found = self.phones[text] = (phone, [_stored(p) for p in problems])
        return found

    def sex(self, value: Any) -> str | None:
        if value.__class__ is not str:
            return sex_normalise(value)
        if value not in self.sexes:
            self.sexes[value] = sex_normalise(value)
        return self.sexes[value]

    def chosen(self, rules: _Rules, start: date, text: str) -> tuple[str, dict[str, Any] | None]:
        key = (start, text)
        found = self.programs.get(key)
        if found is None:
            found = self.programs[key] = rules.programs(start, text)
        return found


def districts_current() -> set[str]:
    """The district codes (6 digits) of the current region edition: a few thousand, read
    whole in one query."""
    return set(
        Region.objects.filter(edition__is_current=True, level=Level.DISTRICT).values_list(
            "code_nodot", flat=True
        )
    )


def _check_person(
    row: RowInput, *, today: date, known: set[str], cells: _Cells, parsed: set[str]
) -> RowResult:
    """The person columns, checked as ``membership.services.validate_people`` checks them
    (the same reasons, in the same order); a NIK that can be parsed goes to ``parsed``."""
    values = row.values
    result = RowResult(line=row.line, raw=row.raw)
    reasons = result.reasons
    nik, nik_problem = nik_cell(values.get("nik"))
    if nik_problem:
        reasons.append(nik_problem)
    name = clean_name(values.get("name"))
    if not name:
        reasons.append(_stored(Reason("membership.required", "name")))
    birth, birth_problem = cells.birth(values.get("birth_date"))
    if birth_problem:
        reasons.append(birth_problem)
    sex_cell = values.get("sex")
    sex = cells.sex(sex_cell)
    if sex is None:
        reasons.append(
            reason("membership.invalid_choice", "sex", value=str(sex_cell or ""),
                   choices="M, F (L, P)")
        )  # fmt: skip
    compact = nik_compact(str(nik or ""))
    parts, nik_problems = nik_reasons(
        compact, birth_date=birth, sex=sex, today=today, known_districts=known
    )
    reasons.extend(_stored(item) for item in nik_problems)
    phone, phone_problems = cells.phone(values.get("phone"))
    reasons.extend(phone_problems)
    if parts is not None:
        parsed.add(parts.nik)
    result.nik = compact[:64]
    result.name = name[:200]
    result.birth_date = birth
    result.sex = sex or ""
    result.phone = phone
    return result


def village_ids(codes: Iterable[str], edition_id: int | None) -> dict[str, int]:
    """Village ids by 10-digit code (as :func:`village_code` gives them) in the region edition
    ``edition_id``; codes not found are absent. Looked up by the dotted code, which is indexed."""
    dotted = {
        f"{c[:2]}.{c[2:4]}.{c[4:6]}.{c[6:]}": c
        for c in codes
        if len(c) == 10 and is_ascii_digits(c)
    }
    if not dotted or edition_id is None:
        return {}
    if connection.vendor == "postgresql":
        # One array parameter instead of thousands of IN parameters (Django prepares each).
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT code, id FROM {Region._meta.db_table} "
                "WHERE edition_id = %s AND level = %s AND code = ANY(%s)",
                [edition_id, Level.VILLAGE.value, list(dotted)],
            )
            return {dotted[code]: pk for code, pk in cursor.fetchall()}
    wanted = list(dotted)
    found: dict[str, int] = {}
    for start in range(0, len(wanted), BATCH_SIZE):
        found.update(
            (dotted[code], pk)
            for code, pk in Region.objects.filter(
                edition_id=edition_id,
                level=Level.VILLAGE,
                code__in=wanted[start : start + BATCH_SIZE],
            ).values_list("code", "id")
        )
    return found


def _check_rest(
    row: RowInput,
    result: RowResult,
    code: str,
    *,
    villages: Mapping[str, int],
    today: date,
    limit: date,
    rules: _Rules,
    cells: _Cells,
) -> None:
    values = row.values
    reasons = result.reasons
    if result.name.upper() == _EXAMPLE_UPPER:
        reasons.insert(0, reason("uploads.example_row", "row"))
    if len(result.name) > NAME_MAX:
        reasons.append(reason("uploads.field_too_long", "name", maximum=NAME_MAX))
    if not code:
        reasons.append(reason("uploads.village_required", "village_code"))
    elif code not in villages:
        reasons.append(
            reason(
                "uploads.village_unknown", "village_code", value=_text(values.get("village_code"))
            )
        )
    else:
        result.village_pk = villages[code]
    wage, problem = cells.wage(values.get("wage"))
    if problem:
        reasons.append(problem)
    result.wage_idr = wage
    start, start_text = cells.day(values.get("start_date"))
    if start is None:
        if start_text:
            reasons.append(reason("uploads.invalid_start_date", "start_date", value=start_text))
        else:
            reasons.append(reason("membership.required", "start_date"))
        return
    result.start_date = start
    if wage is not None and wage < cells.floor(start):
        # Refused here, as the registration refuses it (WageTooLow), not at the commit.
        reasons.append(
            reason(
                "membership.wage_too_low",
                "wage",
                value=rupiah_text(wage),
                minimum=rupiah_text(cells.floor(start)),
            )
        )
    if start > limit:
        reasons.append(
            reason(
                "uploads.start_in_future",
                "start_date",
                start_date=start,
                days=START_DATE_AHEAD_DAYS,
                today=today,
            )
        )
    if result.birth_date is not None and start < result.birth_date:
        reasons.append(
            reason(
                "membership.start_before_birth",
                "start_date",
                start_date=start,
                birth_date=result.birth_date,
            )
        )
    chosen, problem = cells.chosen(rules, start, _text(values.get("programs")))
    if problem:
        reasons.append(problem)
    result.programs = chosen


def _check_registry(results: list[RowResult], *, employer: Employer, niks: set[str]) -> None:
    """NIKs already registered (of those that parse, ``niks``): accepted as that person, or
    refused with the reason. Two queries for the whole file (an array parameter on
    PostgreSQL, batches elsewhere)."""
    if not niks:
        return
    people = {
        nik: (pk, name, birth_date, sex)
        for pk, nik, name, birth_date, sex in bulkwrite.rows_where_in(
            Person, ("id", "nik", "name", "birth_date", "sex"), "nik", sorted(niks)
        )
    }
    if not people:
        return
    well_formed: dict[str, list[RowResult]] = defaultdict(list)
    for r in results:
        if r.nik in people:
            well_formed[r.nik].append(r)
    active = _active_here(employer, [v[0] for v in people.values()])
    for nik, (pk, name, birth_date, sex) in people.items():
        for result in well_formed[nik]:
            masked = mask_nik(nik)
            if (result.birth_date is not None and result.birth_date != birth_date) or (
                result.sex and result.sex != sex
            ):
                result.reasons.append(
                    reason(
                        "uploads.registered_person_differs",
                        "nik",
                        nik=masked,
                        name=name,
                        registered_birth_date=birth_date,
                        registered_sex=SEX_LABELS[sex],
                        birth_date=result.birth_date or "-",
                        sex=SEX_LABELS.get(result.sex, "-"),
                    )
                )
            elif pk in active:
                result.reasons.append(
                    reason(
                        "membership.already_active",
                        "nik",
                        name=name,
                        segment="PU",
                        where={
                            "id": f" di {employer.legal_name}",
                            "en": f" at {employer.legal_name}",
                        },
                        kpj=active[pk],
                    )
                )
            else:
                result.person_pk = pk
                result.notes.append(reason("uploads.existing_person", "nik", nik=masked, name=name))


def _active_here(employer: Employer, person_ids: list[int]) -> dict[int, str]:
    """KPJ of the active PU membership with ``employer`` of each of ``person_ids`` that has
    one."""
    found: dict[int, str] = {}
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT person_id, kpj FROM {bulkwrite.table(Membership)} WHERE employer_id = %s"
                " AND segment = %s AND status = %s AND person_id = ANY(%s)",
                [employer.pk, Segment.PU.value, Status.ACTIVE.value, person_ids],
            )
            found.update(cursor.fetchall())
        return found
    active = Membership.objects.filter(
        employer=employer, segment=Segment.PU.value, status=Status.ACTIVE
    )
    for start in range(0, len(person_ids), bulkwrite.BATCH):
        chunk = person_ids[start : start + bulkwrite.BATCH]
        found.update(active.filter(person_id__in=chunk).values_list("person_id", "kpj"))
    return found


def _mark_duplicates(results: list[RowResult]) -> None:
    """Every row of a NIK given more than once is refused, naming the other rows."""
    lines: dict[str, list[RowResult]] = defaultdict(list)
    for result in results:
        if len(result.nik) == 16 and is_ascii_digits(result.nik):
            lines[result.nik].append(result)
    for nik, group in lines.items():
        if len(group) < 2:
            continue
        masked = mask_nik(nik)
        for result in group:
            others = [str(r.line) for r in group if r is not result]
            shown = ", ".join(others[:5]) + (" …" if len(others) > 5 else "")
            result.reasons.append(
                reason("uploads.duplicate_in_file", "nik", nik=masked, other_rows=shown)
            )
            result.person_pk = None
            result.notes = []
