"""Registering people: one person per NIK, the NIK consistent with the person's data."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from django.db import IntegrityError, transaction

from jamsos.membership.checks import (
    Reason,
    clean_name,
    duplicate_reason,
    nik_reasons,
    phone_reasons,
    search_name_of,
    sex_normalise,
)
from jamsos.membership.errors import RequiredField, error_for
from jamsos.membership.identifiers import nik_compact
from jamsos.membership.models import Membership, Person, RecordSource, Sex
from jamsos.membership.services._common import require_choice, require_level, today_in_jakarta
from jamsos.registry.models import Level, Region


@dataclass(frozen=True)
class PersonData:
    """What a registration form or an employer's upload says about a new person."""

    nik: str
    name: str
    birth_date: date
    sex: str
    domicile: Region
    phone: str | None = None


def districts_known(codes: Iterable[str]) -> set[str]:
    """Which of these 6-digit district codes exist in the current edition (one query)."""
    wanted = {c for c in codes if c}
    if not wanted:
        return set()
    return set(
        Region.objects.filter(
            edition__is_current=True, level=Level.DISTRICT, code_nodot__in=wanted
        ).values_list("code_nodot", flat=True)
    )


def latest_kpj(person: Person) -> str | None:
    return (
        Membership.objects.filter(person=person)
        .order_by("-start_date", "-id")
        .values_list("kpj", flat=True)
        .first()
    )


def raise_first(reasons: list[Reason]) -> None:
    if reasons:
        reason = reasons[0]
        raise error_for(reason.code)(field=reason.field, **reason.params)


@transaction.atomic
def person_register(
    *,
    nik: str,
    name: str,
    birth_date: date,
    sex: str,
    domicile: Region,
    phone: str | None = None,
    source: str = RecordSource.SERVICE,
    today: date | None = None,
) -> Person:
    """Register a person. Refuses a NIK that is malformed, from an unknown district, at odds
    with the birth date or sex, or already registered (naming the existing record).
    """
    today = today or today_in_jakarta()
    name = clean_name(name)
    if not name:
        raise RequiredField(field="name")
    sex = require_choice(sex_normalise(sex) or sex, Sex, field="sex")
    require_level(domicile, Level.VILLAGE, field="domicile")
    compact = nik_compact(nik)
    known = districts_known([compact[:6]]) if compact[:6].isdigit() else set()
    parts, reasons = nik_reasons(
        compact,
        birth_date=birth_date,
        sex=sex,
        today=today,
        known_districts=known,
    )
    raise_first(reasons)
    assert parts is not None
    phone_e164, reasons = phone_reasons(phone)
    raise_first(reasons)
    existing = Person.objects.filter(nik=parts.nik).first()
    if existing is not None:
        _raise_duplicate(existing)
    person = Person(
        nik=parts.nik,
        name=name,
        search_name=search_name_of(name),
        birth_date=birth_date,
        sex=sex,
        phone=phone_e164,
        domicile=domicile,
        source=source,
    )
    person.full_clean(exclude=["search_name"], validate_unique=False, validate_constraints=False)
    try:
        with transaction.atomic():
            person.save()
    except IntegrityError:
        # Registered by someone else between the check above and this insert.
        existing = Person.objects.filter(nik=parts.nik).first()
        if existing is None:
            raise
        _raise_duplicate(existing)
    return person


def _raise_duplicate(existing: Person) -> None:
    raise_first([duplicate_reason(nik=existing.nik, name=existing.name, kpj=latest_kpj(existing))])


def person_from_data(data: PersonData, *, source: str, today: date | None = None) -> Person:
    return person_register(
        nik=data.nik,
        name=data.name,
        birth_date=data.birth_date,
        sex=data.sex,
        domicile=data.domicile,
        phone=data.phone,
        source=source,
        today=today,
    )
