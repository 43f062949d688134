"""Registering people: one person per NIK, the NIK consistent with the person's data."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from django.db import IntegrityError, transaction

from jamsos.access.audit import audit_record, changes_of
from jamsos.access.models import AuditAction
from jamsos.access.scope import Scope
from jamsos.core.clock import today_in_jakarta
from jamsos.core.identifiers import is_ascii_digits
from jamsos.membership.checks import (
    clean_name,
    duplicate_reason,
    phone_reasons,
    search_name_of,
)
from jamsos.membership.errors import RequiredField
from jamsos.membership.identifiers import nik_compact
from jamsos.membership.models import Membership, Person, RecordSource
from jamsos.membership.policy import MEMBERSHIP
from jamsos.membership.services._common import require_level
from jamsos.membership.services.registration_rows import (
    PERSON_FIELDS,
    person_audit,
    person_checked,
    person_row,
    personal_data,
    raise_first,
)
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


def person_data_check(data: PersonData, *, today: date | None = None) -> None:
    """Every check of a new person's data that ``person_register`` makes before it looks the
    NIK up (its form, district, birth date and sex; the name, the phone), raising the first
    refusal: nothing here depends on whether the NIK is registered."""
    compact = nik_compact(data.nik)
    person_checked(
        nik=data.nik,
        name=data.name,
        birth_date=data.birth_date,
        sex=data.sex,
        domicile=data.domicile,
        phone=data.phone,
        today=today or today_in_jakarta(),
        known_districts=districts_known([compact[:6]]) if is_ascii_digits(compact[:6]) else set(),
    )


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
    by: Scope | None = None,
) -> Person:
    """Register a person. Refuses a NIK that is malformed, from an unknown district, at odds
    with the birth date or sex, or already registered (naming the existing record).
    """
    today = today or today_in_jakarta()
    compact = nik_compact(nik)
    nik, name, sex, phone_e164 = person_checked(
        nik=nik,
        name=name,
        birth_date=birth_date,
        sex=sex,
        domicile=domicile,
        phone=phone,
        today=today,
        known_districts=districts_known([compact[:6]]) if is_ascii_digits(compact[:6]) else set(),
    )
    existing = Person.objects.filter(nik=nik).first()
    if existing is not None:
        _raise_duplicate(existing)
    values = person_row(
        nik=nik,
        name=name,
        birth_date=birth_date,
        sex=sex,
        phone=phone_e164,
        domicile_id=domicile.pk,
        source=str(getattr(source, "value", source)),
    )
    person = Person(**dict(zip(PERSON_FIELDS, values, strict=True)))
    person.domicile = domicile
    person.full_clean(exclude=["search_name"], validate_unique=False, validate_constraints=False)
    try:
        with transaction.atomic():
            person.save()
    except IntegrityError:
        # Registered by someone else between the check above and this insert.
        existing = Person.objects.filter(nik=nik).first()
        if existing is None:
            raise
        _raise_duplicate(existing)
    entry = person_audit(person.pk, _personal_data(person))
    audit_record(
        by,
        entry.action,
        person,
        label=entry.label,
        changes=entry.changes,
        detail=entry.detail,
    )
    return person


def _personal_data(person: Person) -> dict[str, object]:
    return personal_data(
        nik=person.nik,
        name=person.name,
        birth_date=person.birth_date,
        sex=person.sex,
        phone=person.phone,
        domicile_code=person.domicile.code,
    )


@transaction.atomic
def person_update(
    *,
    person: Person,
    name: str | None = None,
    phone: str | None = None,
    domicile: Region | None = None,
    clear_phone: bool = False,
    by: Scope | None = None,
) -> Person:
    """Correct a person's name, phone or domicile; every change goes to the audit trail.

    The NIK, birth date and sex are not edited here: they come from the NIK, and a wrong NIK
    is a different person (registered again, and the wrong record ended by an administrator).
    Who may correct what is :data:`~jamsos.membership.policy.MEMBERSHIP`'s ``person.correct``
    (a worker their phone only) and ``person.correct_name_or_domicile``.
    """
    MEMBERSHIP.require(by, "person.correct")
    if name is not None or domicile is not None:
        MEMBERSHIP.require(by, "person.correct_name_or_domicile")
    person = Person.objects.select_for_update().select_related("domicile").get(pk=person.pk)
    before = _personal_data(person)
    if name is not None:
        cleaned = clean_name(name)
        if not cleaned:
            raise RequiredField(field="name")
        person.name = cleaned
        person.search_name = search_name_of(cleaned)
    if clear_phone:
        person.phone = None
    elif phone is not None and phone.strip():
        phone_e164, reasons = phone_reasons(phone)
        raise_first(reasons)
        person.phone = phone_e164
    if domicile is not None:
        require_level(domicile, Level.VILLAGE, field="domicile")
        person.domicile = domicile
    changes = changes_of(before, _personal_data(person))
    if not changes:
        return person
    person.full_clean(exclude=["search_name"], validate_unique=False, validate_constraints=False)
    person.save()
    audit_record(by, AuditAction.UPDATE, person, changes=changes)
    return person


def _raise_duplicate(existing: Person) -> None:
    raise_first([duplicate_reason(nik=existing.nik, name=existing.name, kpj=latest_kpj(existing))])


def person_from_data(
    data: PersonData, *, source: str, today: date | None = None, by: Scope | None = None
) -> Person:
    return person_register(
        nik=data.nik,
        name=data.name,
        birth_date=data.birth_date,
        sex=data.sex,
        domicile=data.domicile,
        phone=data.phone,
        source=source,
        today=today,
        by=by,
    )
