"""Checking the rows of a staged list: the person (the registry's checks), the village, and
the columns of the list's kind (the employer, wage, start date and programs of an association
list; the income of a BPU list). Each row gets its reasons; the matching decides the rest."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from jamsos.legal.types import EmployerSize, Segment
from jamsos.membership.errors import MembershipError
from jamsos.membership.identifiers import nik_parse
from jamsos.membership.models import Employer
from jamsos.membership.programs import programs_for
from jamsos.membership.services import validate_people
from jamsos.partners.models import BatchKind, EnrolmentBatch, RowStatus
from jamsos.partners.services.enrolment.columns import reason
from jamsos.registry.models import RegionEdition
from jamsos.uploads.parsing import RowInput, Table, cell_text
from jamsos.uploads.validation import nik_cell, parse_date, parse_wage, village_code, village_ids

#: How far ahead a PU start date may be (as in the bulk upload: a hire a month ahead).
START_DATE_AHEAD_DAYS = 31
#: The longest name stored.
NAME_MAX = 120
#: Reasons of the registry's checks that this module decides otherwise (see ``_skipped``).
_MATCHING_DECIDES = frozenset({"membership.duplicate_nik", "membership.duplicate_in_batch"})


@dataclass
class Row:
    """A row being checked: its cells as sent (and the checked values as ``_``-keys), its
    reasons (it is invalid with any) and notes, and the person as read."""

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
    given_birth: bool = False


def birth_from_nik(nik: str, today: date) -> date | None:
    """The birth date a NIK encodes (its century: not younger than ten years)."""
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


def check_rows(batch: EnrolmentBatch, parsed: Table, *, today: date) -> list[Row]:
    """Check every row (person, village, kind's columns); the rows with their reasons."""
    rows, people = _read_people(parsed, today=today)
    checked = validate_people(people, today=today, batch_size=max(1, len(people)))
    for index, row in enumerate(rows, start=1):
        normalised = checked.normalised[index]
        row.nik = str(normalised["nik"])[:16]
        row.name = str(normalised["name"] or "")
        row.birth_date = normalised["birth_date"]
        row.sex = normalised["sex"] or ""
        row.phone = normalised["phone"]
        for found in checked.reasons.get(index, ()):
            if not _skipped(found, given_birth=row.given_birth):
                row.reasons.append(reason(found.code, found.field, **found.params))
        if len(row.name) > NAME_MAX:
            row.reasons.append(reason("enrolment.name_too_long", "name", maximum=NAME_MAX))
    _check_villages(rows, parsed.rows)
    if batch.kind == BatchKind.ASSOCIATION_WORKERS:
        check_association(batch, rows, parsed.rows, today=today)
    else:
        check_bpu(rows, parsed.rows)
    return rows


def _read_people(parsed: Table, *, today: date) -> tuple[list[Row], list[dict[str, Any]]]:
    """The rows as sent, and the person of each for the registry's checks (the birth date and
    sex the NIK encodes when the file has none)."""
    width = len(parsed.columns)
    rows: list[Row] = []
    people: list[dict[str, Any]] = []
    for item in parsed.rows:
        raw = {
            (parsed.keys[i] or parsed.columns[i] or f"col{i + 1}"): item.raw[i]
            for i in range(min(width, len(item.raw)))
        }
        row = Row(line=item.line, raw=raw)
        nik, problem = nik_cell(item.values.get("nik"))
        if problem:
            row.reasons.append(problem)
        birth, birth_text = parse_date(item.values.get("birth_date"))
        if birth is None and birth_text:
            row.reasons.append(reason("uploads.invalid_birth_date", "birth_date", value=birth_text))
        row.given_birth = birth is not None
        parts, _ = nik_parse(nik)
        if birth is None and parts is not None:
            birth = birth_from_nik(parts.nik, today)
        sex = str(item.values.get("sex") or "").strip() or (parts.sex if parts is not None else "")
        people.append(
            {
                "nik": nik,
                "name": item.values.get("name"),
                "birth_date": birth if birth is not None else "",
                "sex": sex,
                "phone": cell_text(item.values.get("phone")) or None,
            }
        )
        rows.append(row)
    return rows, people


def _skipped(found: Any, *, given_birth: bool) -> bool:
    """A reason of the registry's checks that is not kept: duplicates (the matching decides),
    a missing or bad birth date (the NIK's own date is used; a bad cell is reported with its
    text), and a birth date the NIK disagrees with when the file gave none."""
    if found.code in _MATCHING_DECIDES:
        return True
    if found.field == "birth_date" and found.code in {
        "membership.required",
        "membership.invalid_date",
    }:
        return True
    return not given_birth and found.code == "membership.nik_birth_date_mismatch"


def _check_villages(rows: list[Row], inputs: list[RowInput]) -> None:
    codes = [village_code(r.values.get("village_code")) for r in inputs]
    edition_id = RegionEdition.objects.filter(is_current=True).values_list("pk", flat=True).first()
    villages = village_ids(set(codes), edition_id)
    for row, item, code in zip(rows, inputs, codes, strict=True):
        if not code:
            row.reasons.append(reason("uploads.village_required", "village_code"))
        elif code not in villages:
            value = cell_text(item.values.get("village_code"))
            row.reasons.append(reason("uploads.village_unknown", "village_code", value=value))
        else:
            row.village_id = villages[code]


def _npp(item: RowInput) -> str:
    return cell_text(item.values.get("employer_npp")).replace(".", "").replace(" ", "")


def check_association(
    batch: EnrolmentBatch, rows: list[Row], inputs: list[RowInput], *, today: date
) -> None:
    """The columns of an association list: an employer member of the partner's association,
    the wage, the start date (not past :data:`START_DATE_AHEAD_DAYS` ahead, not before birth),
    and the programs the employer's size allows on that date."""
    employers = {
        e.npp: e for e in Employer.objects.filter(npp__in=[n for n in map(_npp, inputs) if n])
    }
    association = batch.partner.association
    members = set(
        Employer.associations.through.objects.filter(
            association=association,
            employer_id__in=[e.pk for e in employers.values()],
        ).values_list("employer_id", flat=True)
    )
    association_name = association.name if association else "-"
    for row, item in zip(rows, inputs, strict=True):
        employer = _check_employer(row, _npp(item), employers, members, association_name)
        wage, problem = parse_wage(item.values.get("wage"))
        if problem:
            row.reasons.append(problem)
        else:
            row.raw["_wage_idr"] = str(wage)
        start = _check_start(row, item, today=today)
        if employer is not None and not any(r["field"] == "start_date" for r in row.reasons):
            _check_programs(row, item, employer, start or today)


def _check_employer(
    row: Row, npp: str, employers: dict[str, Employer], members: set[int], association: str
) -> Employer | None:
    employer = employers.get(npp)
    if not npp:
        row.reasons.append(reason("enrolment.employer_npp_required", "employer_npp"))
    elif employer is None:
        row.reasons.append(reason("enrolment.employer_unknown", "employer_npp", npp=npp))
    elif employer.pk not in members:
        row.reasons.append(
            reason(
                "enrolment.employer_not_member",
                "employer_npp",
                npp=npp,
                employer=employer.legal_name,
                association=association,
            )
        )
    else:
        row.raw["_employer_id"] = str(employer.pk)
    return employer


def _check_start(row: Row, item: RowInput, *, today: date) -> date | None:
    start, start_text = parse_date(item.values.get("start_date"))
    if start is None:
        if start_text:
            row.reasons.append(reason("uploads.invalid_start_date", "start_date", value=start_text))
        return None
    if start > today + timedelta(days=START_DATE_AHEAD_DAYS):
        row.reasons.append(
            reason(
                "uploads.start_in_future",
                "start_date",
                start_date=start,
                days=START_DATE_AHEAD_DAYS,
                today=today,
            )
        )
    elif row.birth_date is not None and start < row.birth_date:
        row.reasons.append(
            reason(
                "membership.start_before_birth",
                "start_date",
                start_date=start,
                birth_date=row.birth_date,
            )
        )
    else:
        row.raw["_start_date"] = start.isoformat()
    return start


def program_list(text: str) -> list[str]:
    """``"JKK; JKM JHT"`` → ``["JKK", "JKM", "JHT"]``."""
    return [p for p in text.replace(";", ",").replace(" ", ",").split(",") if p]


def _check_programs(row: Row, item: RowInput, employer: Employer, on: date) -> None:
    text = cell_text(item.values.get("programs"))
    try:
        programs_for(
            segment=Segment.PU,
            on=on,
            chosen=program_list(text),
            employer_size=EmployerSize(employer.size),
        )
    except MembershipError as exc:
        row.reasons.append(reason(exc.code, exc.field or "programs", **exc.params))
    else:
        row.raw["_programs"] = text


def check_bpu(rows: list[Row], inputs: list[RowInput]) -> None:
    """The income of a BPU list, when given: a whole rupiah amount."""
    for row, item in zip(rows, inputs, strict=True):
        value = item.values.get("income")
        if value is None or cell_text(value) == "":
            continue
        income, problem = parse_wage(value)
        if problem:
            row.reasons.append(reason("enrolment.invalid_income", "income", value=cell_text(value)))
        else:
            row.raw["_income_idr"] = str(income)
