"""Registering workers: ``POST /registrations/pu`` (with an employer) and
``POST /registrations/bpu`` (self-employed and informal workers, open to self-registration).

Who registers, and through which channel:

| caller | PU | BPU |
| --- | --- | --- |
| anonymous, or signed in without a role | 401 / 403 | channel ``self``, a new NIK only |
| worker | 403 | channel ``self``, themselves only |
| employer user | channel ``employer``, their own company | 403 |
| partner user | 403 | channel ``partner``, their partner reference |
| branch officer | channel ``branch``, employers of their office | channel ``branch`` |
| administrator | channel ``branch``, any employer | channel ``branch`` |

The person is a new one (every field) or one registered already (by NIK). A registered NIK is
used when the caller can see that person, or when the name and birth date sent are the ones on
the record (the caller has the person's documents in front of them). Otherwise the refusal
does not name the record: a caller who cannot see a person learns no name and no KPJ.

An anonymous caller (or an account without a role) is checked as a new person, every refusal
the data alone decides first; only then is the NIK looked up. A registered NIK sent with its
record's name and birth date gets 409 ``registration.already_registered`` (the caller proved
who they are); with anything else, 409 ``registration.not_confirmed``, which says nothing of
the record, not even that it exists. Anonymous callers are limited per address and per NIK
(``settings.ABUSE_LIMITS``, 429 ``access.too_many_requests``); docs/security-abuse.md.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from typing import Any

from django.http import HttpRequest
from ninja import Router, Status

from jamsos.access import limits
from jamsos.access.models import RefusalReason, Role
from jamsos.access.scope import Scope
from jamsos.api.auth import (
    OPTIONAL_SECURITY,
    SIGNED_IN,
    SIGNED_IN_OR_ANONYMOUS,
    caller_scope,
    is_anonymous,
)
from jamsos.api.errors import ErrorOut
from jamsos.membership.api.common import WRITE_ERRORS, region_for
from jamsos.membership.api.errors import (
    AlreadyRegistered,
    NotOwnPerson,
    PersonDataMismatch,
    RegistrationNotConfirmed,
)
from jamsos.membership.api.schemas import (
    BpuRegistrationIn,
    PersonFieldsIn,
    PuRegistrationIn,
    RegistrationOut,
    membership_out,
)
from jamsos.membership.checks import duplicate_reason, search_name_of
from jamsos.membership.errors import DuplicateNik, RequiredField
from jamsos.membership.identifiers import nik_compact
from jamsos.membership.models import Channel, Membership, Person
from jamsos.membership.policy import MEMBERSHIP
from jamsos.membership.selectors import (
    employer_get_by_npp,
    employers_visible,
    people_visible,
    registered_identity_proven,
)
from jamsos.membership.services import PersonData, bpu_self_register, pu_worker_register
from jamsos.membership.services.people import latest_kpj, raise_first

router = Router(tags=["registration"])

#: The route's name in the counts of refused requests (jamsos.access.limits).
SELF_ROUTE = "api:registrations/bpu"

_REQUIRED_FOR_NEW = ("name", "birth_date", "sex", "domicile")


def _registered(nik: str) -> Person | None:
    """The person already holding this NIK, to decide how to answer; never returned to the
    caller unless the checks below allow it."""
    return Person.objects.select_related("domicile").filter(nik=nik).first()


def _new_person(payload: PersonFieldsIn) -> PersonData:
    for field in _REQUIRED_FOR_NEW:
        value = getattr(payload, field)
        if value is None or (isinstance(value, str) and not value.strip()):
            raise RequiredField(field=field)
    return PersonData(
        nik=payload.nik,
        name=payload.name or "",
        birth_date=payload.birth_date,  # type: ignore[arg-type]
        sex=payload.sex or "",
        domicile=region_for(payload.domicile or "", field="domicile"),
        phone=payload.phone,
    )


def _differs(person: Person, payload: PersonFieldsIn) -> bool:
    """The payload names someone else: a name or birth date sent that is not on the record."""
    if payload.name is not None and search_name_of(payload.name) != person.search_name:
        return True
    return payload.birth_date is not None and payload.birth_date != person.birth_date


def person_for_registration(scope: Scope, payload: PersonFieldsIn) -> Person | PersonData:
    """The registered person to use, or the data of a new one (checked by the service)."""
    existing = _registered(nik_compact(payload.nik))
    if existing is None:
        return _new_person(payload)
    if people_visible(scope).filter(pk=existing.pk).exists():
        if _differs(existing, payload):
            # The caller may see this record: name it, as the services do.
            raise_first(
                [duplicate_reason(nik=existing.nik, name=existing.name, kpj=latest_kpj(existing))]
            )
        return existing
    proven = payload.name is not None and payload.birth_date is not None
    if not proven or _differs(existing, payload):
        raise PersonDataMismatch()
    return existing


@contextlib.contextmanager
def registered_meanwhile() -> Iterator[None]:
    """The NIK was registered by someone else between the check above and the insert: answer
    as if it had been registered before, without naming the record."""
    try:
        yield
    except DuplicateNik:
        raise PersonDataMismatch() from None


def self_registration_limits(request: HttpRequest, nik: str) -> None:
    """Anonymous registration: the limits per address and per NIK (429 past either)."""
    limits.enforce_address(request, route=SELF_ROUTE, limit="register.address")
    limits.enforce_nik(nik_compact(nik), route=SELF_ROUTE)


@contextlib.contextmanager
def _self_registered_nik(payload: PersonFieldsIn) -> Iterator[None]:
    """A self-registration whose NIK turned out registered (every other check passed): "already
    registered" only to a caller who gave the record's name and birth date, else a refusal that
    names nothing; both counted for the administrators."""
    try:
        yield
    except DuplicateNik:
        if registered_identity_proven(
            nik=payload.nik, name=payload.name, birth_date=payload.birth_date
        ):
            limits.record(SELF_ROUTE, RefusalReason.NIK_PROVEN)
            raise AlreadyRegistered() from None
        limits.record(SELF_ROUTE, RefusalReason.NIK_UNPROVEN)
        raise RegistrationNotConfirmed() from None


def _registration_out(membership: Membership, person: Person | PersonData) -> dict[str, Any]:
    return {
        "membership": membership_out(membership),
        "person_created": not isinstance(person, Person),
    }


@router.post(
    "/registrations/pu",
    auth=SIGNED_IN,
    response={201: RegistrationOut, **WRITE_ERRORS},
    summary="Register a wage earner (PU) with an employer",
    url_name="registrations-pu",
)
def registration_pu(request: HttpRequest, payload: PuRegistrationIn) -> Status[dict[str, Any]]:
    """An employer user registers its own workers (`npp` may be left out); a branch officer the
    workers of an employer of their office; an administrator anyone's. The employer's size
    sets the mandatory programs; the first month's wage is reported with the registration.

    Refusals name the field: 400 for a NIK that is not valid, whose district does not exist,
    or that disagrees with the birth date or sex, a birth date in the future, a missing field;
    409 for a person already active with this employer, or a registered NIK sent with a
    different name or birth date. Nothing is written when the registration is refused.
    """
    scope = caller_scope(request)
    MEMBERSHIP.require(scope, "pu.register")
    if payload.npp:
        employer = employer_get_by_npp(scope, npp=payload.npp)
    elif scope.role == Role.EMPLOYER_USER:
        employer = employers_visible(scope).select_related("branch_office").get()
    else:
        raise RequiredField(field="npp")
    person = person_for_registration(scope, payload)
    channel = Channel.EMPLOYER if scope.role == Role.EMPLOYER_USER else Channel.BRANCH
    with registered_meanwhile():
        membership = pu_worker_register(
            employer=employer,
            person=person,
            wage_idr=payload.wage_idr,
            start_date=payload.start_date,
            programs=payload.programs,
            channel=channel,
            by=scope,
        )
    return Status(201, _registration_out(membership, person))


@router.post(
    "/registrations/bpu",
    auth=SIGNED_IN_OR_ANONYMOUS,
    openapi_extra=OPTIONAL_SECURITY,
    response={201: RegistrationOut, **WRITE_ERRORS, 429: ErrorOut},
    summary="Register a self-employed or informal worker (BPU); open to self-registration",
    url_name="registrations-bpu",
)
def registration_bpu(request: HttpRequest, payload: BpuRegistrationIn) -> Status[dict[str, Any]]:
    """Open to everyone: without signing in, a person registers themselves (channel `self`)
    with a NIK not registered yet. A registered NIK sent with its record's name and birth date
    gets 409 `registration.already_registered` (sign in or visit a branch office); with other
    data 409 `registration.not_confirmed`, which says nothing of the record. Without signing
    in, 429 `access.too_many_requests` past the limits per address and per NIK.
    A signed-in worker registers themselves; a partner user registers through their partner
    (channel `partner`, the partner reference taken from the account); a branch officer or an
    administrator through the office (channel `branch`). Employer users and analysts: 403.

    JKK and JKM always; JHT may be added; JP is refused for BPU. A sponsor (APBD, CSR, zakat)
    needs a name and a kind. The membership is served by the office whose area holds the
    domicile (400 `membership.no_branch_office` where none does).
    """
    scope = caller_scope(request)
    self_service = is_anonymous(request) or scope.role is None
    if self_service:
        self_registration_limits(request, payload.nik)
    else:
        MEMBERSHIP.require(
            scope, "bpu.register_self" if scope.role == Role.WORKER else "bpu.register"
        )
    if scope.role == Role.WORKER:
        own = Person.objects.filter(pk=scope.person_id).values_list("nik", flat=True).first()
        if own != nik_compact(payload.nik):
            raise NotOwnPerson()
    # Self-registration is checked as a new person: the service looks the NIK up last.
    person = _new_person(payload) if self_service else person_for_registration(scope, payload)
    if self_service or scope.role == Role.WORKER:
        channel, partner_ref = Channel.SELF, None
    elif scope.role == Role.PARTNER_USER:
        channel, partner_ref = Channel.PARTNER, scope.partner_ref
    else:
        channel, partner_ref = Channel.BRANCH, None
    guard = _self_registered_nik(payload) if self_service else registered_meanwhile()
    with guard:
        membership = bpu_self_register(
            person=person,
            declared_income_idr=payload.declared_income_idr,
            programs=payload.programs,
            ecosystem=payload.ecosystem,
            channel=channel,
            sponsor_name=payload.sponsor_name,
            sponsor_kind=payload.sponsor_kind,
            sponsor_ref=payload.sponsor_ref,
            partner_ref=partner_ref,
            start_date=payload.start_date,
            by=scope,
        )
    return Status(201, _registration_out(membership, person))
