"""Registering many people at once, set-based: the one writer of new registrations in bulk.

Writes, for every row at once, what ``person_register`` and ``pu_worker_register`` or
``bpu_self_register`` write for one person (the rows are built by the same functions,
``membership.services.registration_rows``; a parity test compares them field by field):

- the new people, each with its ``create`` audit record (personal data masked); a person already
  registered is used as registered;
- the KPJ numbers, one block of serials per start year, in the rows' order
  (:func:`~jamsos.membership.services.sequences.serials_reserve`);
- the memberships, with the branch office of the employer (PU) or of the person's village (BPU),
  the channel, source, sponsor, partner code and term;
- one ``started`` event and one ``create`` audit record per membership;
- for PU, the first month's wage report.

Two entry points:

- :func:`register_many` takes requests (:class:`RegistrationRequest`: an existing person or a new
  one's data, and the terms) and checks each as the per-person services do (the same errors, in
  the same order), without a query per row; a row the services would refuse gets that error and
  is not written. Partners' enrolment lists use it.
- :func:`registrations_write` takes rows already checked (:class:`Registration`, plain ids and
  normalised values); the bulk upload, whose rows were validated on upload, uses it.

The inserts go through :mod:`jamsos.core.bulkwrite` (COPY on PostgreSQL, ``executemany`` on
SQLite), the audit records through :func:`jamsos.access.audit.audit_record_many`.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from django.db.models import Q
from django.utils import timezone

from jamsos.access.audit import AuditEntry, audit_record_many
from jamsos.access.scope import Scope
from jamsos.core import bulkwrite
from jamsos.legal.types import EmployerSize, Program, Segment
from jamsos.membership.bounds import INCOME_MAX_IDR
from jamsos.membership.errors import MembershipError, NoBranchOffice
from jamsos.membership.identifiers import kpj_make, nik_compact
from jamsos.membership.models import (
    BranchOffice,
    Channel,
    Ecosystem,
    Employer,
    EventKind,
    Membership,
    MembershipEvent,
    Person,
    RecordSource,
    WageReport,
    WageSource,
    programs_to_text,
)
from jamsos.membership.programs import programs_for
from jamsos.membership.services._common import require_amount, require_choice, require_wage
from jamsos.membership.services.people import PersonData, districts_known
from jamsos.membership.services.registration_rows import (
    EVENT_FIELDS,
    MEMBERSHIP_FIELDS,
    PERSON_FIELDS,
    WAGE_FIELDS,
    bpu_terms,
    check_start,
    event_audit,
    membership_row,
    person_audit,
    person_checked,
    person_row,
    personal_data,
    pu_terms,
    sponsor_clean,
    started_data,
)
from jamsos.membership.services.sequences import serials_reserve
from jamsos.registry.models import Region

_STAMPED = ("created_at", "updated_at")


@dataclass(slots=True)
class Registration:
    """One checked registration, as plain values: what :func:`registrations_write` writes.

    A new person when ``person_id`` is None (``nik`` … ``domicile_id`` normalised by the person
    checks; ``domicile_code`` for the audit record), else that registered person.
    """

    segment: str
    start_date: date
    programs: str
    branch_office_id: int
    channel: str
    person_id: int | None = None
    nik: str = ""
    name: str = ""
    birth_date: date | None = None
    sex: str = ""
    phone: str | None = None
    domicile_id: int | None = None
    domicile_code: str = ""
    # PU
    employer_id: int | None = None
    employer_npp: str = ""
    wage_idr: int | None = None
    # BPU
    declared_income_idr: int | None = None
    ecosystem: str = ""
    sponsor: tuple[str | None, str | None, str | None] = (None, None, None)
    partner_ref: str | None = None
    term_until: date | None = None
    #: More data for the ``started`` event (the upload's id).
    extra: Mapping[str, Any] | None = None

    def event_data(self) -> dict[str, Any]:
        if self.segment == Segment.PU.value:
            terms = pu_terms(self.employer_npp, self.wage_idr)  # type: ignore[arg-type]
        else:
            terms = bpu_terms(self.declared_income_idr, self.sponsor[1])  # type: ignore[arg-type]
        if self.extra:
            terms.update(self.extra)
        return started_data(self.segment, self.programs, terms)


@dataclass(frozen=True)
class Registered:
    person_id: int
    membership_id: int
    kpj: str


@dataclass(frozen=True)
class Written:
    """What :func:`registrations_write` wrote: one :class:`Registered` per row, in order, the
    first serial of each start year's KPJ block, and how many people were new."""

    registered: list[Registered]
    kpj_blocks: dict[str, int]
    new_people: int


@dataclass
class RegistrationRequest:
    """One row to register: an existing person or a new one's data, and the membership's own
    terms (PU: employer, wage, start date, chosen programs; BPU: the declared income)."""

    person: Person | None = None
    data: PersonData | None = None
    # PU
    employer: Employer | None = None
    wage_idr: int | None = None
    programs: list[str] = field(default_factory=list)
    start_date: date | None = None
    # BPU
    declared_income_idr: int | None = None


@dataclass(frozen=True)
class BpuTerms:
    """The terms every BPU row of a list shares (``bpu_self_register``'s keyword arguments)."""

    ecosystem: str
    sponsor_name: str | None
    sponsor_kind: str | None
    sponsor_ref: str | None
    partner_ref: str | None
    start_date: date
    term_until: date | None = None


def _offices(regions: Iterable[Region]) -> dict[tuple[int, str], int | None]:
    """The office of each (edition, regency), as ``branch_office_for_village`` finds it."""
    wanted = {(r.edition_id, r.regency_code) for r in regions}
    if not wanted:
        return {}
    query = Q()
    for edition_id, regency in wanted:
        query |= Q(service_area__edition_id=edition_id, service_area__code=regency)
    found: dict[tuple[int, str], int | None] = {}
    for pk, edition_id, regency in (
        BranchOffice.objects.filter(query)
        .order_by("code")
        .values_list("pk", "service_area__edition_id", "service_area__code")
    ):
        found.setdefault((edition_id, regency), pk)
    return {key: found.get(key) for key in wanted}


def registrations_check(
    requests: Sequence[RegistrationRequest],
    *,
    segment: Segment,
    bpu: BpuTerms | None = None,
    partner_ref: str | None = None,
    channel: str = Channel.PARTNER,
    today: date,
) -> list[Registration | MembershipError]:
    """Check ``requests`` (all PU or all BPU) as ``pu_worker_register`` / ``bpu_self_register``
    check one (the same errors, in the same order), with a few queries for the whole list;
    returns, in order, the checked :class:`Registration` or the error of each."""
    out: list[Registration | MembershipError] = []
    regions = [r.data.domicile for r in requests if r.data is not None]
    regions += [r.person.domicile for r in requests if r.person is not None]
    offices = _offices(regions) if segment == Segment.BPU else {}
    known = districts_known({nik_compact(r.data.nik)[:6] for r in requests if r.data is not None})
    shared: MembershipError | None = None
    sponsor: tuple[str | None, str | None, str | None] = (None, None, None)
    ecosystem = ""
    bpu_programs: frozenset[Program] = frozenset()
    partner = (partner_ref or "").strip() or None
    if segment == Segment.BPU:
        assert bpu is not None
        try:
            ecosystem = require_choice(bpu.ecosystem, Ecosystem, field="ecosystem")
            channel = require_choice(channel, Channel, field="channel")
            sponsor = sponsor_clean(bpu.sponsor_name, bpu.sponsor_kind, bpu.sponsor_ref)
            bpu_programs = programs_for(segment=Segment.BPU, on=bpu.start_date, chosen=())
        except MembershipError as exc:
            shared = exc
    for request in requests:
        try:
            row = Registration(
                segment=segment.value, start_date=today, programs="", branch_office_id=0,
                channel="", partner_ref=partner,
            )  # fmt: skip
            if segment == Segment.BPU:
                assert bpu is not None
                income = require_amount(
                    request.declared_income_idr, field="declared_income", maximum=INCOME_MAX_IDR
                )
                if shared is not None:
                    raise shared
                row.start_date = bpu.start_date
                row.programs = programs_to_text(bpu_programs)
                row.declared_income_idr = income
                row.ecosystem = ecosystem
                row.sponsor = sponsor
                row.term_until = bpu.term_until
            else:
                employer = request.employer
                assert employer is not None
                assert request.start_date is not None
                row.wage_idr = require_wage(request.wage_idr, on=request.start_date)
                channel = require_choice(channel, Channel, field="channel")
                row.start_date = request.start_date
                row.programs = programs_to_text(
                    programs_for(
                        segment=Segment.PU,
                        on=request.start_date,
                        chosen=request.programs,
                        employer_size=EmployerSize(employer.size),
                    )
                )
                row.employer_id = employer.pk
                row.employer_npp = employer.npp
                row.branch_office_id = employer.branch_office_id
            row.channel = channel
            if request.person is None:
                data = request.data
                assert data is not None
                row.nik, row.name, row.sex, row.phone = person_checked(
                    nik=data.nik,
                    name=data.name,
                    birth_date=data.birth_date,
                    sex=data.sex,
                    domicile=data.domicile,
                    phone=data.phone,
                    today=today,
                    known_districts=known,
                )
                row.birth_date = data.birth_date
                row.domicile_id = data.domicile.pk
                row.domicile_code = data.domicile.code
                birth, domicile = data.birth_date, data.domicile
            else:
                row.person_id = request.person.pk
                birth, domicile = request.person.birth_date, request.person.domicile
            check_start(birth, row.start_date)
            if segment == Segment.BPU:
                office = offices.get((domicile.edition_id, domicile.regency_code))
                if office is None:
                    raise NoBranchOffice(field="domicile", regency=domicile.regency_code)
                row.branch_office_id = office
        except MembershipError as exc:
            out.append(exc)
            continue
        out.append(row)
    return out


def register_many(
    requests: Sequence[RegistrationRequest],
    *,
    segment: Segment,
    bpu: BpuTerms | None = None,
    partner_ref: str | None = None,
    channel: str = Channel.PARTNER,
    source: str = RecordSource.SERVICE,
    by: Scope | None,
    today: date,
    now: datetime | None,
) -> list[Registered | MembershipError]:
    """Check and register ``requests`` (all PU or all BPU) in one go; returns, in order, what
    each got: its membership, or the error the per-person service would have raised for it.
    Run inside the caller's transaction."""
    checked = registrations_check(
        requests, segment=segment, bpu=bpu, partner_ref=partner_ref, channel=channel, today=today
    )
    rows = [r for r in checked if isinstance(r, Registration)]
    written = iter(registrations_write(rows, source=source, by=by, now=now).registered)
    return [next(written) if isinstance(r, Registration) else r for r in checked]


def registrations_write(
    rows: Sequence[Registration],
    *,
    source: str = RecordSource.SERVICE,
    wage_source: str | None = None,
    by: Scope | None,
    now: datetime | None,
    audit: bool = True,
    progress: Callable[[int, int], None] | None = None,
) -> Written:
    """Write checked registrations (see the module's description), set-based, inside the
    caller's transaction.

    ``source``: the people's and memberships' (``service``, ``bulk_upload``); the wage report's
    source follows it unless ``wage_source`` is given. ``audit=False`` leaves out the per-row
    audit records, for a caller that records the whole import as one. ``progress(done, total)``
    is told after each table, ``total`` being four steps per row.
    """
    if not rows:
        return Written([], {}, 0)
    source = str(getattr(source, "value", source))
    if wage_source is None:
        wage_source = source if source in WageSource.values else WageSource.EMPLOYER.value
    stamp = bulkwrite.timestamp_text(timezone.now())
    moment = bulkwrite.timestamp_text(now or timezone.now())
    actor = by.user_id if by is not None else None
    total = len(rows)
    # People first (as the services do before the membership).
    new = [r for r in rows if r.person_id is None]
    person_ids = bulkwrite.insert_with_ids(
        Person,
        (*PERSON_FIELDS, *_STAMPED),
        (
            (
                *person_row(
                    nik=r.nik,
                    name=r.name,
                    birth_date=r.birth_date.isoformat(),  # type: ignore[union-attr]
                    sex=r.sex,
                    phone=r.phone or None,
                    domicile_id=r.domicile_id,  # type: ignore[arg-type]
                    source=source,
                ),
                stamp,
                stamp,
            )
            for r in new
        ),
        key="nik",
        count=len(new),
    )
    bulkwrite.analyze_if_grown(Person, len(new))
    audits: list[AuditEntry] = []
    if audit:
        audits.extend(
            person_audit(
                person_ids[r.nik],
                personal_data(
                    nik=r.nik,
                    name=r.name,
                    birth_date=r.birth_date,  # type: ignore[arg-type]
                    sex=r.sex,
                    phone=r.phone or None,
                    domicile_code=r.domicile_code,
                ),
            )
            for r in new
        )
    if progress:
        progress(len(new), total * 4)
    # Then the KPJ serials: one block per start year, in the rows' order.
    by_year: dict[int, list[int]] = defaultdict(list)
    for index, r in enumerate(rows):
        by_year[r.start_date.year].append(index)
    kpjs: list[str] = [""] * total
    blocks: dict[str, int] = {}
    for year in sorted(by_year):
        serials = serials_reserve(name=f"kpj:{year}", count=len(by_year[year]))
        blocks[str(year)] = serials[0]
        for index, serial in zip(by_year[year], serials, strict=True):
            kpjs[index] = kpj_make(year=year, serial=serial)
    people = [r.person_id if r.person_id is not None else person_ids[r.nik] for r in rows]
    membership_ids = bulkwrite.insert_with_ids(
        Membership,
        (*MEMBERSHIP_FIELDS, *_STAMPED),
        (
            (
                *membership_row(
                    person_id=people[i],
                    segment=r.segment,
                    kpj=kpjs[i],
                    programs=r.programs,
                    start_date=r.start_date.isoformat(),
                    channel=str(r.channel),
                    branch_office_id=r.branch_office_id,
                    source=source,
                    employer_id=r.employer_id,
                    declared_income_idr=r.declared_income_idr,
                    ecosystem=r.ecosystem,
                    sponsor=r.sponsor,
                    partner_ref=r.partner_ref,
                    term_until=r.term_until.isoformat() if r.term_until else None,
                ),
                stamp,
                stamp,
            )
            for i, r in enumerate(rows)
        ),
        key="kpj",
        count=total,
    )
    bulkwrite.analyze_if_grown(Membership, total)
    ids = [membership_ids[kpj] for kpj in kpjs]
    if progress:
        progress(total, total * 4)
    pu = [i for i, r in enumerate(rows) if r.segment == Segment.PU.value]
    if pu:
        bulkwrite.insert(
            WageReport,
            WAGE_FIELDS,
            (
                (
                    ids[i],
                    f"{rows[i].start_date.year:04d}-{rows[i].start_date.month:02d}",
                    rows[i].wage_idr,
                    moment,
                    wage_source,
                )
                for i in pu
            ),
        )
    if progress:
        progress(total, total * 4)
    started = EventKind.STARTED.value
    json_text = bulkwrite.json_text
    events: list[tuple[Any, ...]] = []
    for i, r in enumerate(rows):
        data = r.event_data()
        events.append((ids[i], started, json_text(data), moment, actor))
        if audit:
            audits.append(event_audit(EventKind.STARTED, ids[i], kpjs[i], r.segment, data))
    bulkwrite.insert(MembershipEvent, EVENT_FIELDS, events)
    if audits:
        audit_record_many(by, audits)
    if progress:
        progress(total, total * 4)
    registered = [Registered(people[i], ids[i], kpjs[i]) for i in range(total)]
    return Written(registered, blocks, len(new))


__all__ = [
    "BpuTerms",
    "Registered",
    "Registration",
    "RegistrationRequest",
    "Written",
    "register_many",
    "registrations_check",
    "registrations_write",
]
