"""The former path of :func:`jamsos.uploads.validation.validate_rows`, kept as the reference
the new one is compared with: ``membership.services.validate_people`` batch by batch, then the
upload's own rules row by row (the code as it stood before the one-pass check)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Mapping
from datetime import date, timedelta
from typing import Any

from jamsos.core.identifiers import is_ascii_digits
from jamsos.core.masking import mask_nik
from jamsos.legal.types import Segment
from jamsos.membership.checks import SEX_LABELS
from jamsos.membership.models import Employer, Membership, Person, Status
from jamsos.membership.services import validate_people
from jamsos.uploads.parsing import RowInput
from jamsos.uploads.validation import (
    _EXAMPLE_UPPER,
    BATCH_SIZE,
    NAME_MAX,
    START_DATE_AHEAD_DAYS,
    RowResult,
    _phone_cell,
    _Rules,
    _stored,
    _text,
    nik_cell,
    parse_date,
    parse_wage,
    reason,
    village_code,
    village_ids,
)

_REPLACED = {"membership.duplicate_nik", "membership.duplicate_in_batch"}


def validate_rows(
    rows: list[RowInput],
    *,
    employer: Employer,
    today: date,
    batch_size: int = BATCH_SIZE,
    progress: Callable[[int], None] | None = None,
) -> list[RowResult]:
    """Check every row; the result has one :class:`RowResult` per row, in file order."""
    rules = _Rules(employer)
    results: list[RowResult] = []
    for start in range(0, len(rows), batch_size):
        batch = rows[start : start + batch_size]
        results.extend(_validate_batch(batch, employer=employer, today=today, rules=rules))
        if progress is not None:
            progress(len(batch))
    _mark_duplicates(results)
    return results


def _validate_batch(
    batch: list[RowInput], *, employer: Employer, today: date, rules: _Rules
) -> list[RowResult]:
    people: list[dict[str, Any]] = []
    results: list[RowResult] = []
    for row in batch:
        values = row.values
        result = RowResult(line=row.line, raw=row.raw)
        nik, nik_problem = nik_cell(values.get("nik"))
        birth, birth_text = parse_date(values.get("birth_date"))
        people.append(
            {
                "nik": nik,
                "name": values.get("name"),
                "birth_date": birth if birth is not None else birth_text,
                "sex": values.get("sex"),
                "phone": _phone_cell(values.get("phone")),
            }
        )
        if nik_problem:
            result.reasons.append(nik_problem)
        results.append(result)
    checked = validate_people(people, today=today, batch_size=len(people) or 1)
    codes = [village_code(r.values.get("village_code")) for r in batch]
    villages = village_ids(set(codes), rules.edition_id)
    registered: set[str] = set()
    start_limit = today + timedelta(days=START_DATE_AHEAD_DAYS)
    for index, (row, result, code) in enumerate(zip(batch, results, codes, strict=True), start=1):
        normalised = checked.normalised[index]
        result.nik = normalised["nik"][:64]
        result.name = normalised["name"][:200]
        result.birth_date = normalised["birth_date"]
        result.sex = normalised["sex"] or ""
        result.phone = normalised["phone"]
        for item in checked.reasons.get(index, ()):
            if item.code in _REPLACED:
                if item.code == "membership.duplicate_nik":
                    registered.add(result.nik)
                continue
            if item.code == "membership.invalid_date" and item.field == "birth_date":
                result.reasons.append(
                    reason("uploads.invalid_birth_date", "birth_date", **item.params)
                )
                continue
            result.reasons.append(_stored(item))
        _check_rest(
            row, result, code, villages=villages, today=today, limit=start_limit, rules=rules
        )
    _check_registry(results, employer=employer, registered=registered)
    return results


def _check_rest(
    row: RowInput,
    result: RowResult,
    code: str,
    *,
    villages: Mapping[str, int],
    today: date,
    limit: date,
    rules: _Rules,
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
    wage, problem = parse_wage(values.get("wage"))
    if problem:
        reasons.append(problem)
    result.wage_idr = wage
    start, start_text = parse_date(values.get("start_date"))
    if start is None:
        if start_text:
            reasons.append(reason("uploads.invalid_start_date", "start_date", value=start_text))
        else:
            reasons.append(reason("membership.required", "start_date"))
        return
    result.start_date = start
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
    chosen, problem = rules.programs(start, _text(values.get("programs")))
    if problem:
        reasons.append(problem)
    result.programs = chosen


def _check_registry(results: list[RowResult], *, employer: Employer, registered: set[str]) -> None:
    """NIKs already registered (``validate_people`` found them): accepted as that person, or
    refused with the reason."""
    if not registered:
        return
    well_formed: dict[str, list[RowResult]] = defaultdict(list)
    for r in results:
        if r.nik in registered:
            well_formed[r.nik].append(r)
    people = {
        nik: (pk, name, birth_date, sex)
        for pk, nik, name, birth_date, sex in Person.objects.filter(
            nik__in=list(well_formed)
        ).values_list("pk", "nik", "name", "birth_date", "sex")
    }
    active = dict(
        Membership.objects.filter(
            employer=employer,
            segment=Segment.PU.value,
            status=Status.ACTIVE,
            person_id__in=[v[0] for v in people.values()],
        ).values_list("person_id", "kpj")
    )
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
