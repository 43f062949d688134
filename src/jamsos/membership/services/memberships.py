"""Memberships: registering PU, BPU, Jakon and PMI participants, wages, changes and ends.

Every write appends a ``MembershipEvent``; wage reports are one row per month. Nothing that was
reported is rewritten: the membership row holds the current state, the events hold the past.
"""

from __future__ import annotations

import calendar
from collections.abc import Iterable
from datetime import date, datetime, timedelta
from typing import Any

from django.db import transaction
from django.utils import timezone

from jamsos.access.audit import audit_record
from jamsos.access.models import AuditAction, Role
from jamsos.access.scope import Scope
from jamsos.core.clock import today_in_jakarta
from jamsos.legal.periods import Period
from jamsos.legal.types import EmployerSize, Program, Segment
from jamsos.membership.bounds import (
    CONTRACT_VALUE_MAX_IDR,
    INCOME_MAX_IDR,
    PROGRAMS_START,
    SEGMENT_MONTHS_MAX,
    START_DAYS_AHEAD,
    WAGE_PERIOD_FIRST,
    wage_period_last,
)
from jamsos.membership.checks import clean_name
from jamsos.membership.errors import (
    EndBeforeStart,
    InvalidPeriod,
    MembershipAlreadyActive,
    MembershipAlreadyEnded,
    NoBranchOffice,
    OutOfRange,
    OutsideOfficeArea,
    OutsidePartnerRegions,
    PeriodOutsideMembership,
    RequiredField,
    SponsorIncomplete,
    WageAlreadyReported,
    WrongSegment,
)
from jamsos.membership.models import (
    BranchOffice,
    Channel,
    ConstructionProject,
    Ecosystem,
    Employer,
    EndReason,
    EventKind,
    Membership,
    MembershipEvent,
    Person,
    Placement,
    RecordSource,
    Status,
    WageReport,
    WageSource,
    programs_from_text,
    programs_to_text,
)
from jamsos.membership.policy import MEMBERSHIP
from jamsos.membership.programs import programs_for
from jamsos.membership.services._common import (
    require_amount,
    require_choice,
    require_level,
    require_wage,
)
from jamsos.membership.services.employers import branch_office_for_village
from jamsos.membership.services.people import PersonData, person_data_check, person_from_data
from jamsos.membership.services.registration_rows import (
    MEMBERSHIP_FIELDS,
    bpu_terms,
    check_start,
    event_audit,
    membership_row,
    pu_terms,
    sponsor_clean,
    started_data,
)
from jamsos.membership.services.sequences import kpj_next
from jamsos.membership.signals import bpu_registered
from jamsos.registry.models import Level, Region

_SEGMENT_LABEL = {
    Segment.PU: "PU",
    Segment.BPU: "BPU",
    Segment.JAKON: "Jakon",
    Segment.PMI: "PMI",
}


def _event(
    membership: Membership,
    kind: EventKind,
    data: dict[str, Any],
    *,
    by: Scope | None,
    now: datetime | None,
) -> MembershipEvent:
    """Append the membership's history and the audit trail (who, from where)."""
    event = MembershipEvent(
        membership=membership,
        kind=kind,
        data=data,
        at=now or timezone.now(),
        actor_id=by.user_id if by is not None else None,
    )
    event.save()
    entry = event_audit(kind, membership.pk, membership.kpj, membership.segment, data)
    audit_record(
        by,
        entry.action,
        membership,
        label=entry.label,
        changes=entry.changes,
        detail=entry.detail,
    )
    return event


def _resolve_person(person: Person | PersonData, *, today: date | None, by: Scope | None) -> Person:
    if isinstance(person, Person):
        return person
    return person_from_data(person, source=RecordSource.SERVICE, today=today, by=by)


def region_in(region: Region, codes: Iterable[str]) -> bool:
    """Whether ``region`` lies in one of ``codes`` (a province, regency, district or village)."""
    return any(region.code == code or region.code.startswith(code + ".") for code in codes)


def require_partner_region(by: Scope | None, person: Person | PersonData) -> None:
    """A partner user registers only people whose domicile lies in its agreement's regions
    (``Scope.partner_region_codes``): registering never widens what a partner sees."""
    if by is None or by.role != Role.PARTNER_USER:
        return
    domicile = person.domicile
    if region_in(domicile, by.partner_region_codes):
        return
    raise OutsidePartnerRegions(
        village=f"{domicile.code} {domicile.name}".strip(),
        partner=by.partner_ref or "-",
        regions=", ".join(sorted(by.partner_region_codes)) or "-",
    )


def _check_start(person: Person, start_date: date) -> None:
    check_start(person.birth_date, start_date)


def _refuse_active(
    person: Person, segment: Segment, existing: Membership | None, where: str
) -> None:
    if existing is not None:
        suffix = {"id": f" di {where}", "en": f" at {where}"} if where else ""
        raise MembershipAlreadyActive(
            field="",
            name=person.name,
            segment=_SEGMENT_LABEL[segment],
            where=suffix,
            kpj=existing.kpj,
        )


def _create(
    *,
    person: Person,
    segment: Segment,
    programs: frozenset[Program],
    start_date: date,
    channel: str,
    by: Scope | None,
    now: datetime | None,
    event_data: dict[str, Any],
    employer: Employer | None = None,
    project: ConstructionProject | None = None,
    placement: Placement | None = None,
    declared_income_idr: int | None = None,
    ecosystem: str = "",
    sponsor: tuple[str | None, str | None, str | None] = (None, None, None),
    partner_ref: str | None = None,
    term_until: date | None = None,
) -> Membership:
    office: BranchOffice | None
    if employer is not None:
        office = employer.branch_office
    else:
        office = branch_office_for_village(person.domicile)
        if office is None:
            raise NoBranchOffice(field="domicile", regency=person.domicile.regency_code)
    values = membership_row(
        person_id=person.pk,
        segment=segment.value,
        kpj=kpj_next(year=start_date.year),
        programs=programs_to_text(programs),
        start_date=start_date,
        channel=str(channel),
        branch_office_id=office.pk,
        source=RecordSource.SERVICE.value,
        employer_id=employer.pk if employer is not None else None,
        declared_income_idr=declared_income_idr,
        ecosystem=ecosystem,
        sponsor=sponsor,
        partner_ref=partner_ref,
        term_until=term_until,
        project_id=project.pk if project is not None else None,
        placement_id=placement.pk if placement is not None else None,
    )
    membership = Membership(**dict(zip(MEMBERSHIP_FIELDS, values, strict=True)))
    membership.person, membership.branch_office = person, office
    if employer is not None:
        membership.employer = employer
    if project is not None:
        membership.project = project
    if placement is not None:
        membership.placement = placement
    membership.full_clean(validate_unique=False, validate_constraints=False)
    membership.save()
    _event(
        membership,
        EventKind.STARTED,
        started_data(segment.value, membership.programs, event_data),
        by=by,
        now=now,
    )
    return membership


@transaction.atomic
def pu_worker_register(
    *,
    employer: Employer,
    person: Person | PersonData,
    wage_idr: int,
    start_date: date,
    programs: Iterable[Program | str] = (),
    channel: str = Channel.EMPLOYER,
    by: Scope | None = None,
    today: date | None = None,
    now: datetime | None = None,
) -> Membership:
    """Register a wage earner with an employer, and report the first month's wage.

    ``person`` is an existing person or the data of a new one (a NIK already registered is
    refused, naming the record: pass that person instead). The employer size's mandatory
    programs are always included (Perpres 109/2013 Pasal 6).
    """
    MEMBERSHIP.require(by, "pu.register")
    wage_idr = require_wage(wage_idr, on=start_date)
    channel = require_choice(channel, Channel, field="channel")
    chosen = programs_for(
        segment=Segment.PU,
        on=start_date,
        chosen=programs,
        employer_size=EmployerSize(employer.size),
    )
    person = _resolve_person(person, today=today, by=by)
    _check_start(person, start_date)
    active = Membership.objects.filter(
        person=person, employer=employer, segment=Segment.PU, status=Status.ACTIVE
    ).first()
    _refuse_active(person, Segment.PU, active, employer.legal_name)
    membership = _create(
        person=person,
        segment=Segment.PU,
        programs=chosen,
        start_date=start_date,
        channel=channel,
        by=by,
        now=now,
        event_data=pu_terms(employer.npp, wage_idr),
        employer=employer,
    )
    WageReport.objects.create(
        membership=membership,
        period=str(Period(start_date.year, start_date.month)),
        wage_idr=wage_idr,
        reported_at=now or timezone.now(),
        source=WageSource.EMPLOYER,
    )
    return membership


def _parse_period(period: Period | str) -> Period:
    if isinstance(period, Period):
        return period
    try:
        return Period.parse(str(period))
    except ValueError:
        raise InvalidPeriod(value=period) from None


@transaction.atomic
def wage_report_submit(
    *,
    membership: Membership,
    period: Period | str,
    wage_idr: int,
    source: str = WageSource.EMPLOYER,
    by: Scope | None = None,
    now: datetime | None = None,
) -> WageReport:
    """Report a PU member's wage for one month; a month is reported once.

    A wage that differs from the latest earlier month's appends a ``wage_changed`` event.
    """
    MEMBERSHIP.require(by, "wage.report")
    period = _parse_period(period)
    last = wage_period_last(today_in_jakarta(now))
    if not WAGE_PERIOD_FIRST <= period <= last:
        raise OutOfRange(
            field="period", value=str(period), minimum=str(WAGE_PERIOD_FIRST), maximum=str(last)
        )
    wage_idr = require_wage(wage_idr, on=period.first_day)
    source = require_choice(source, WageSource, field="source")
    membership = Membership.objects.select_for_update().get(pk=membership.pk)
    if membership.segment != Segment.PU:
        raise WrongSegment(kpj=membership.kpj, segment=membership.segment, expected="PU")
    end = membership.end_date
    if period.last_day < membership.start_date or (end is not None and period.first_day > end):
        raise PeriodOutsideMembership(
            period=str(period),
            kpj=membership.kpj,
            start_date=membership.start_date,
            end_date=end or "…",
        )
    already = WageReport.objects.filter(membership=membership, period=str(period)).first()
    if already is not None:
        raise WageAlreadyReported(
            period=str(period), kpj=membership.kpj, wage=f"{already.wage_idr:,}".replace(",", ".")
        )
    previous = (
        WageReport.objects.filter(membership=membership, period__lt=str(period))
        .order_by("-period")
        .first()
    )
    report = WageReport.objects.create(
        membership=membership,
        period=str(period),
        wage_idr=wage_idr,
        reported_at=now or timezone.now(),
        source=source,
    )
    if previous is not None and previous.wage_idr != wage_idr:
        _event(
            membership,
            EventKind.WAGE_CHANGED,
            {
                "period": str(period),
                "from_period": previous.period,
                "old_wage_idr": previous.wage_idr,
                "new_wage_idr": wage_idr,
            },
            by=by,
            now=now,
        )
    return report


def _sponsor(
    name: str | None, kind: str | None, ref: str | None
) -> tuple[str | None, str | None, str | None]:
    return sponsor_clean(name, kind, ref)


@transaction.atomic
def bpu_self_register(
    *,
    person: Person | PersonData,
    declared_income_idr: int,
    programs: Iterable[Program | str] = (),
    ecosystem: str = Ecosystem.NONE,
    channel: str = Channel.SELF,
    sponsor_name: str | None = None,
    sponsor_kind: str | None = None,
    sponsor_ref: str | None = None,
    partner_ref: str | None = None,
    start_date: date | None = None,
    term_until: date | None = None,
    by: Scope | None = None,
    today: date | None = None,
    now: datetime | None = None,
) -> Membership:
    """Register a self-employed or informal worker (BPU). JKK and JKM always; JHT optional;
    JP is refused (PP 46/2015 Pasal 4(3)). A sponsor (APBD, CSR, zakat) may pay the package;
    ``term_until``: the last day a fixed-term sponsor (an election's workers) pays for.
    """
    channel = require_choice(channel, Channel, field="channel")
    # Oneself (channel self): anyone not signed in, or a worker; for someone else, bpu.register.
    self_service = channel == Channel.SELF and (
        by is None or by.role is None or MEMBERSHIP.allows(by, "bpu.register_self")
    )
    if not self_service:
        MEMBERSHIP.require(by, "bpu.register")
    today = today or today_in_jakarta(now)
    start_date = start_date or today
    income = require_amount(declared_income_idr, field="declared_income", maximum=INCOME_MAX_IDR)
    ecosystem = require_choice(ecosystem, Ecosystem, field="ecosystem")
    sponsor = _sponsor(sponsor_name, sponsor_kind, sponsor_ref)
    chosen = programs_for(segment=Segment.BPU, on=start_date, chosen=programs)
    require_partner_region(by, person)
    if isinstance(person, PersonData):
        # Every check the data alone decides comes before the NIK is looked up, so that a
        # refusal tells a self-registering caller nothing of whether the NIK is registered.
        person_data_check(person, today=today)
        check_start(person.birth_date, start_date)
        if branch_office_for_village(person.domicile) is None:
            raise NoBranchOffice(field="domicile", regency=person.domicile.regency_code)
    person = _resolve_person(person, today=today, by=by)
    _check_start(person, start_date)
    active = Membership.objects.filter(
        person=person, segment=Segment.BPU, status=Status.ACTIVE
    ).first()
    _refuse_active(person, Segment.BPU, active, "")
    membership = _create(
        person=person,
        segment=Segment.BPU,
        programs=chosen,
        start_date=start_date,
        channel=channel,
        by=by,
        now=now,
        event_data=bpu_terms(income, sponsor[1]),
        declared_income_idr=income,
        ecosystem=ecosystem,
        sponsor=sponsor,
        partner_ref=(partner_ref or "").strip() or None,
        term_until=term_until,
    )
    # The apps above act on it in this transaction (the worker's account, the first invoice).
    bpu_registered.send(sender=Membership, membership=membership, by=by)
    return membership


def _start_within_reach(start_date: date, *, today: date | None) -> None:
    """A project or placement starts at most :data:`START_DAYS_AHEAD` days from today."""
    latest = (today or today_in_jakarta()) + timedelta(days=START_DAYS_AHEAD)
    if start_date > latest:
        raise OutOfRange(
            field="start_date", value=start_date, minimum=PROGRAMS_START, maximum=latest
        )


@transaction.atomic
def construction_project_register(
    *,
    contractor: Employer,
    name: str,
    contract_value_idr: int,
    village: Region,
    start_date: date,
    end_date: date,
    by: Scope | None = None,
) -> ConstructionProject:
    """A construction contract (SPK) of a contractor: billed once, in its start month, on its
    contract value by the bands of Permenaker 5/2021 (the billing run)."""
    MEMBERSHIP.require(by, "jakon.register")
    name = clean_name(name)
    if not name:
        raise RequiredField(field="name")
    value = require_amount(
        contract_value_idr, field="contract_value", maximum=CONTRACT_VALUE_MAX_IDR
    )
    require_level(village, Level.VILLAGE, field="village")
    _start_within_reach(start_date, today=None)
    programs_for(segment=Segment.JAKON, on=start_date)  # refuses a start before the law
    if end_date < start_date:
        raise EndBeforeStart(end_date=end_date, start_date=start_date)
    if end_date > _add_months(start_date, SEGMENT_MONTHS_MAX):
        raise OutOfRange(
            field="end_date",
            value=end_date,
            minimum=start_date,
            maximum=_add_months(start_date, SEGMENT_MONTHS_MAX),
        )
    project = ConstructionProject(
        contractor=contractor,
        name=name,
        contract_value_idr=value,
        village=village,
        start_date=start_date,
        end_date=end_date,
    )
    project.full_clean()
    project.save()
    audit_record(
        by,
        AuditAction.CREATE,
        project,
        label=project.name,
        detail={
            "contractor_npp": contractor.npp,
            "contract_value_idr": value,
            "village": village.code,
            "start_date": start_date.isoformat(),
            "end_date": end_date.isoformat(),
        },
    )
    return project


@transaction.atomic
def jakon_worker_register(
    *,
    project: ConstructionProject,
    person: Person | PersonData,
    start_date: date | None = None,
    by: Scope | None = None,
    today: date | None = None,
    now: datetime | None = None,
) -> Membership:
    """Register a construction worker on a project (JKK and JKM, Perpres 109/2013 Pasal 6(4))."""
    start_date = start_date or project.start_date
    chosen = programs_for(segment=Segment.JAKON, on=start_date)
    person = _resolve_person(person, today=today, by=by)
    _check_start(person, start_date)
    active = Membership.objects.filter(
        person=person, project=project, segment=Segment.JAKON, status=Status.ACTIVE
    ).first()
    _refuse_active(person, Segment.JAKON, active, project.name)
    return _create(
        person=person,
        segment=Segment.JAKON,
        programs=chosen,
        start_date=start_date,
        channel=Channel.EMPLOYER,
        by=by,
        now=now,
        event_data={"project_id": project.pk, "contractor_npp": project.contractor.npp},
        employer=project.contractor,
        project=project,
    )


def _add_months(day: date, months: int) -> date:
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    last = calendar.monthrange(year, month + 1)[1]
    return date(year, month + 1, min(day.day, last))


@transaction.atomic
def pmi_register(
    *,
    person: Person | PersonData,
    destination_country: str,
    placement_months: int,
    start_date: date,
    channel: str = Channel.SELF,
    by: Scope | None = None,
    today: date | None = None,
    now: datetime | None = None,
) -> Membership:
    """Register a migrant worker for a placement abroad (Permenaker 4/2023): JKK and JKM.

    The package (pre-placement, the package covering the placement, months beyond it) is
    billed to the participant by the billing run of the start month."""
    MEMBERSHIP.require(by, "pmi.register")
    country = str(destination_country or "").strip().upper()
    if len(country) != 2 or not country.isalpha():
        raise RequiredField(field="destination_country")
    if isinstance(placement_months, bool) or not 1 <= int(placement_months) <= SEGMENT_MONTHS_MAX:
        raise OutOfRange(
            field="placement_months",
            value=placement_months,
            minimum=1,
            maximum=SEGMENT_MONTHS_MAX,
        )
    _start_within_reach(start_date, today=today)
    channel = require_choice(channel, Channel, field="channel")
    chosen = programs_for(segment=Segment.PMI, on=start_date)
    person = _resolve_person(person, today=today, by=by)
    _check_start(person, start_date)
    active = Membership.objects.filter(
        person=person, segment=Segment.PMI, status=Status.ACTIVE
    ).first()
    _refuse_active(person, Segment.PMI, active, "")
    if by is not None and by.role == Role.BRANCH_OFFICER:
        domicile = person.domicile
        if domicile.regency_code not in by.regency_codes:
            raise OutsideOfficeArea(village=f"{domicile.code} {domicile.name}".strip())
    placement = Placement.objects.create(
        person=person,
        destination_country=country,
        placement_months=int(placement_months),
        start_date=start_date,
        end_date=_add_months(start_date, int(placement_months)),
    )
    return _create(
        person=person,
        segment=Segment.PMI,
        programs=chosen,
        start_date=start_date,
        channel=channel,
        by=by,
        now=now,
        event_data={"destination_country": country, "placement_months": int(placement_months)},
        placement=placement,
    )


def _lock(membership: Membership) -> Membership:
    return Membership.objects.select_for_update().get(pk=membership.pk)


@transaction.atomic
def membership_end(
    *,
    membership: Membership,
    end_date: date,
    reason: str,
    by: Scope | None = None,
    now: datetime | None = None,
) -> Membership:
    """End a membership. Its wage reports and events stay; an ended membership stays ended."""
    MEMBERSHIP.require(by, "membership.end")
    reason = require_choice(reason, EndReason, field="reason")
    membership = _lock(membership)
    if membership.status == Status.ENDED:
        raise MembershipAlreadyEnded(kpj=membership.kpj, end_date=membership.end_date)
    if end_date < membership.start_date:
        raise EndBeforeStart(end_date=end_date, start_date=membership.start_date)
    membership.end_date = end_date
    membership.end_reason = reason
    membership.status = Status.ENDED
    membership.save(update_fields=["end_date", "end_reason", "status", "updated_at"])
    _event(
        membership,
        EventKind.ENDED,
        {"end_date": end_date.isoformat(), "reason": reason},
        by=by,
        now=now,
    )
    return membership


@transaction.atomic
def membership_programs_change(
    *,
    membership: Membership,
    programs: Iterable[Program | str],
    on: date,
    by: Scope | None = None,
    now: datetime | None = None,
) -> Membership:
    """Change the optional programs from ``on``; the mandatory ones stay whatever is asked."""
    membership = _lock(membership)
    if membership.status == Status.ENDED:
        raise MembershipAlreadyEnded(kpj=membership.kpj, end_date=membership.end_date)
    segment = Segment(membership.segment)
    # A PU membership always has its employer.
    size = EmployerSize(membership.employer.size) if segment is Segment.PU else None  # type: ignore[union-attr]
    chosen = programs_for(segment=segment, on=on, chosen=programs, employer_size=size)
    old = membership.programs
    new = programs_to_text(chosen)
    if new == old:
        return membership
    membership.programs = new
    membership.save(update_fields=["programs", "updated_at"])
    _event(
        membership,
        EventKind.PROGRAMS_CHANGED,
        {"on": on.isoformat(), "old": old, "new": new},
        by=by,
        now=now,
    )
    return membership


@transaction.atomic
def bpu_income_change(
    *,
    membership: Membership,
    declared_income_idr: int,
    on: date,
    by: Scope | None = None,
    now: datetime | None = None,
) -> Membership:
    """Declare a new BPU income from ``on``; the previous one stays in the event log."""
    income = require_amount(declared_income_idr, field="declared_income", maximum=INCOME_MAX_IDR)
    membership = _lock(membership)
    if membership.segment != Segment.BPU:
        raise WrongSegment(kpj=membership.kpj, segment=membership.segment, expected="BPU")
    if membership.status == Status.ENDED:
        raise MembershipAlreadyEnded(kpj=membership.kpj, end_date=membership.end_date)
    old = membership.declared_income_idr
    if old == income:
        return membership
    membership.declared_income_idr = income
    membership.save(update_fields=["declared_income_idr", "updated_at"])
    _event(
        membership,
        EventKind.INCOME_CHANGED,
        {"on": on.isoformat(), "old_income_idr": old, "new_income_idr": income},
        by=by,
        now=now,
    )
    return membership


@transaction.atomic
def bpu_sponsor_set(
    *,
    membership_ids: Iterable[int],
    sponsor_name: str,
    sponsor_kind: str,
    sponsor_ref: str,
    reference: str = "",
    by: Scope | None = None,
    now: datetime | None = None,
) -> int:
    """Name the sponsor (APBD, CSR, zakat) that pays the packages of these open BPU memberships.

    Set-based for a sponsor's whole list: one update, one event per membership written in bulk,
    one audit record for the list. Memberships that are not open BPU ones are left alone; the
    caller checks the list first. Returns how many memberships changed.
    """
    name, kind, ref = _sponsor(sponsor_name, sponsor_kind, sponsor_ref)
    if kind is None or ref is None:
        raise SponsorIncomplete()
    ids = sorted(set(membership_ids))
    rows = list(
        Membership.objects.select_for_update()
        .filter(pk__in=ids, segment=Segment.BPU, status=Status.ACTIVE)
        .exclude(sponsor_ref=ref, sponsor_kind=kind, sponsor_name=name)
        .values_list("pk", "sponsor_ref")
    )
    if not rows:
        return 0
    changed = [pk for pk, _ in rows]
    Membership.objects.filter(pk__in=changed).update(
        sponsor_name=name, sponsor_kind=kind, sponsor_ref=ref, updated_at=timezone.now()
    )
    at = now or timezone.now()
    MembershipEvent.objects.bulk_create(
        [
            MembershipEvent(
                membership_id=pk,
                kind=EventKind.SPONSOR_CHANGED,
                data={"old_sponsor_ref": old, "sponsor_ref": ref, "reference": reference},
                at=at,
                actor_id=by.user_id if by is not None else None,
            )
            for pk, old in rows
        ],
        batch_size=2000,
    )
    audit_record(
        by,
        AuditAction.UPDATE,
        target_type="membership.membership",
        target_id=",".join(str(pk) for pk in changed[:50]),
        label=f"Sponsor {ref}: {len(changed)} BPU memberships",
        changes={"sponsor_ref": [None, ref]},
        detail={
            "event": EventKind.SPONSOR_CHANGED.value,
            "memberships": len(changed),
            "reference": reference,
        },
    )
    return len(changed)


__all__ = [
    "bpu_income_change",
    "bpu_self_register",
    "bpu_sponsor_set",
    "construction_project_register",
    "jakon_worker_register",
    "membership_end",
    "membership_programs_change",
    "pmi_register",
    "programs_from_text",
    "pu_worker_register",
    "wage_report_submit",
]
