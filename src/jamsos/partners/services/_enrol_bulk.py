"""Enrolling the valid rows of an approved list, set-based.

Writes what ``bpu_self_register`` (election and sponsored lists) and ``pu_worker_register``
(association lists) write for one person, for every row at once:

- the new people (``source = service``), each with its own ``create`` audit record holding the
  personal data masked, as ``person_register`` records it; a person already registered (an
  ended member enrolled again) is used as registered;
- the memberships, with KPJ numbers reserved in one block per start year (in the list's order),
  the branch office of the employer (PU) or of the person's village (BPU), the channel
  ``partner``, the partner's code, the sponsor and, for election lists, ``term_until``;
- one ``started`` event and one ``create`` audit record per membership, with the same data;
- for PU, the first month's wage report.

Each row is first checked the way the services check it (the same errors, in the same order),
without a query per row; a row the services would refuse gets that error and is not written.
The inserts are the bulk upload's (``jamsos.uploads.services._write``: COPY on PostgreSQL,
``executemany`` on SQLite).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from django.db import connection, models
from django.db.models import Q
from django.utils import timezone

from jamsos.access.audit import changes_of, current_origin, target_label
from jamsos.access.models import AuditAction, AuditEvent
from jamsos.access.scope import Scope
from jamsos.legal.periods import Period
from jamsos.legal.types import EmployerSize, Segment
from jamsos.membership.checks import (
    clean_name,
    nik_reasons,
    phone_reasons,
    search_name_of,
    sex_normalise,
)
from jamsos.membership.errors import MembershipError, NoBranchOffice, RequiredField
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
    Sex,
    Status,
    WageReport,
    WageSource,
    programs_to_text,
)
from jamsos.membership.programs import programs_for
from jamsos.membership.services._common import require_choice, require_level, require_positive
from jamsos.membership.services.memberships import _audit_value, _check_start, _sponsor
from jamsos.membership.services.people import PersonData, districts_known, raise_first
from jamsos.membership.services.sequences import serials_reserve
from jamsos.registry.models import Level, Region
from jamsos.uploads.services import _write

_PERSON_FIELDS = (
    "nik", "name", "search_name", "birth_date", "sex", "phone", "domicile_id", "source",
    "created_at", "updated_at",
)  # fmt: skip
_MEMBERSHIP_FIELDS = (
    "person_id", "segment", "kpj", "employer_id", "declared_income_idr", "ecosystem", "channel",
    "sponsor_name", "sponsor_kind", "sponsor_ref", "programs", "start_date", "term_until",
    "status", "source", "branch_office_id", "partner_ref", "end_reason", "created_at",
    "updated_at",
)  # fmt: skip
_EVENT_FIELDS = ("membership_id", "kind", "data", "at", "actor_id")
_WAGE_FIELDS = ("membership_id", "period", "wage_idr", "reported_at", "source")
_AUDIT_FIELDS = (
    "at", "actor_id", "actor_name", "role", "action", "target_type", "target_id",
    "target_label", "changes", "detail", "channel", "ip", "client",
)  # fmt: skip


@dataclass
class Item:
    """One row to enrol: an existing person or a new one's data, and the membership's terms."""

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
class Enrolled:
    person_id: int
    membership_id: int
    kpj: str


@dataclass
class _Ready:
    index: int
    item: Item
    segment: Segment
    start: date
    programs: str
    office_id: int
    nik: str = ""
    name: str = ""
    sex: str = ""
    phone: str | None = None
    event: dict[str, Any] = field(default_factory=dict)


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


def _offices(regions: list[Region]) -> dict[tuple[int, str], int | None]:
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


def _new_person(
    data: PersonData, *, today: date, known: set[str]
) -> tuple[str, str, str, str | None]:
    """``person_register``'s checks of a new person; returns (nik, name, sex, phone)."""
    name = clean_name(data.name)
    if not name:
        raise RequiredField(field="name")
    sex = require_choice(sex_normalise(data.sex) or data.sex, Sex, field="sex")
    require_level(data.domicile, Level.VILLAGE, field="domicile")
    compact = nik_compact(data.nik)
    parts, reasons = nik_reasons(
        compact,
        birth_date=data.birth_date,
        sex=sex,
        today=today,
        known_districts=known if compact[:6].isdigit() else set(),
    )
    raise_first(reasons)
    assert parts is not None
    phone, reasons = phone_reasons(data.phone)
    raise_first(reasons)
    return parts.nik, name, sex, phone


def enrol(
    items: list[Item],
    *,
    segment: Segment,
    bpu: BpuTerms | None = None,
    partner_ref: str | None = None,
    channel: str = Channel.PARTNER,
    by: Scope | None,
    today: date,
    now: datetime | None,
) -> list[Enrolled | MembershipError]:
    """Enrol ``items`` (all PU or all BPU); returns, in order, what each got: its membership,
    or the error the registration service would have raised for it."""
    out: list[Enrolled | MembershipError | None] = [None] * len(items)
    regions = [i.data.domicile for i in items if i.data is not None]
    regions += [i.person.domicile for i in items if i.person is not None]
    offices = _offices(regions) if segment == Segment.BPU else {}
    known = districts_known({nik_compact(i.data.nik)[:6] for i in items if i.data is not None})
    ready: list[_Ready] = []
    shared: MembershipError | None = None
    sponsor: tuple[str | None, str | None, str | None] = (None, None, None)
    ecosystem = ""
    if segment == Segment.BPU:
        assert bpu is not None
        try:
            ecosystem = require_choice(bpu.ecosystem, Ecosystem, field="ecosystem")
            channel = require_choice(channel, Channel, field="channel")
            sponsor = _sponsor(bpu.sponsor_name, bpu.sponsor_kind, bpu.sponsor_ref)
            bpu_programs = programs_for(segment=Segment.BPU, on=bpu.start_date, chosen=())
        except MembershipError as exc:
            shared = exc
    for index, item in enumerate(items):
        try:
            if segment == Segment.BPU:
                assert bpu is not None
                income = require_positive(item.declared_income_idr, field="declared_income")
                if shared is not None:
                    raise shared
                start = bpu.start_date
                chosen = bpu_programs
                event: dict[str, Any] = {"declared_income_idr": income, "sponsor_kind": sponsor[1]}
            else:
                assert item.employer is not None
                assert item.start_date is not None
                wage = require_positive(item.wage_idr, field="wage")
                channel = require_choice(channel, Channel, field="channel")
                start = item.start_date
                chosen = programs_for(
                    segment=Segment.PU,
                    on=start,
                    chosen=item.programs,
                    employer_size=EmployerSize(item.employer.size),
                )
                event = {"employer_npp": item.employer.npp, "wage_idr": wage}
            nik = name = sex = ""
            phone: str | None = None
            if item.person is None:
                assert item.data is not None
                nik, name, sex, phone = _new_person(item.data, today=today, known=known)
                birth, domicile = item.data.birth_date, item.data.domicile
            else:
                birth, domicile = item.person.birth_date, item.person.domicile
            _check_start(_Birth(birth), start)  # type: ignore[arg-type]
            if segment == Segment.PU:
                office_id = item.employer.branch_office_id  # type: ignore[union-attr]
            else:
                office = offices.get((domicile.edition_id, domicile.regency_code))
                if office is None:
                    raise NoBranchOffice(field="domicile", regency=domicile.regency_code)
                office_id = office
        except MembershipError as exc:
            out[index] = exc
            continue
        ready.append(
            _Ready(
                index=index,
                item=item,
                segment=segment,
                start=start,
                programs=programs_to_text(chosen),
                office_id=office_id,
                nik=nik,
                name=name,
                sex=sex,
                phone=phone,
                event=event,
            )
        )
    written = _write_rows(
        ready,
        sponsor=sponsor,
        ecosystem=ecosystem,
        channel=channel,
        bpu=bpu,
        partner_ref=partner_ref,
        by=by,
        now=now,
    )
    for entry, result in zip(ready, written, strict=True):
        out[entry.index] = result
    return [r for r in out if r is not None]


@dataclass(frozen=True)
class _Birth:
    birth_date: date


def _audit_rows(
    by: Scope | None, entries: list[tuple[str, str, str, str, dict[str, Any], dict[str, Any]]]
) -> list[tuple[Any, ...]]:
    """AuditEvent rows as ``audit_record`` writes them: (action, type, id, label, changes,
    detail) each, the actor and origin of this request."""
    where = current_origin()
    actor_name = (by.actor_name if by else "") or "system"
    role = by.role.value if by and by.role else ""
    at = _write.timestamp_text(timezone.now())
    return [
        (
            at,
            by.user_id if by else None,
            actor_name,
            role,
            str(action),
            target_type,
            target_id,
            label,
            _write.json_text(changes),
            _write.json_text(detail),
            where.channel,
            where.ip,
            where.client[:200],
        )
        for action, target_type, target_id, label, changes, detail in entries
    ]


def _write_rows(
    ready: list[_Ready],
    *,
    sponsor: tuple[str | None, str | None, str | None],
    ecosystem: str,
    channel: str,
    bpu: BpuTerms | None,
    partner_ref: str | None,
    by: Scope | None,
    now: datetime | None,
) -> list[Enrolled]:
    if not ready:
        return []
    stamp = _write.timestamp_text(timezone.now())
    event_at = _write.timestamp_text(now or timezone.now())
    # People first (as the services do before the membership), each with its audit record.
    new = [r for r in ready if r.item.person is None]
    person_ids = _write.insert_with_ids(
        Person,
        _PERSON_FIELDS,
        (
            (
                r.nik,
                r.name,
                search_name_of(r.name),
                r.item.data.birth_date.isoformat(),  # type: ignore[union-attr]
                r.sex,
                r.phone,
                r.item.data.domicile.pk,  # type: ignore[union-attr]
                RecordSource.SERVICE.value,
                stamp,
                stamp,
            )
            for r in new
        ),
        key="nik",
    )
    _write.analyze_if_grown(Person, len(new))
    audits: list[tuple[str, str, str, str, dict[str, Any], dict[str, Any]]] = []
    for r in new:
        data = r.item.data
        assert data is not None
        personal = {
            "nik": r.nik,
            "name": r.name,
            "birth_date": data.birth_date,
            "sex": r.sex,
            "phone": r.phone,
            "domicile": data.domicile.code,
        }
        audits.append(
            (
                AuditAction.CREATE,
                "membership.person",
                str(person_ids[r.nik]),
                target_label(_Named(r.nik, r.name)),  # type: ignore[arg-type]
                changes_of({}, personal),
                {},
            )
        )
    # Then the KPJ serials: one block per start year, in the list's order.
    by_year: dict[int, list[_Ready]] = defaultdict(list)
    for r in ready:
        by_year[r.start.year].append(r)
    kpjs: dict[int, str] = {}
    for year in sorted(by_year):
        serials = serials_reserve(name=f"kpj:{year}", count=len(by_year[year]))
        for r, serial in zip(by_year[year], serials, strict=True):
            kpjs[r.index] = kpj_make(year=year, serial=serial)
    partner = (partner_ref or "").strip() or None
    term_until = bpu.term_until.isoformat() if bpu and bpu.term_until else None

    def person_of(r: _Ready) -> int:
        return r.item.person.pk if r.item.person is not None else person_ids[r.nik]

    membership_ids = _write.insert_with_ids(
        Membership,
        _MEMBERSHIP_FIELDS,
        (
            (
                person_of(r),
                r.segment.value,
                kpjs[r.index],
                r.item.employer.pk if r.item.employer is not None else None,
                r.event.get("declared_income_idr") if r.segment == Segment.BPU else None,
                ecosystem if r.segment == Segment.BPU else "",
                channel,
                sponsor[0],
                sponsor[1],
                sponsor[2],
                r.programs,
                r.start.isoformat(),
                term_until,
                Status.ACTIVE.value,
                RecordSource.SERVICE.value,
                r.office_id,
                partner,
                "",
                stamp,
                stamp,
            )
            for r in ready
        ),
        key="kpj",
    )
    _write.analyze_if_grown(Membership, len(ready))
    events: list[tuple[Any, ...]] = []
    for r in ready:
        kpj = kpjs[r.index]
        pk = membership_ids[kpj]
        data = {"segment": r.segment.value, "programs": r.programs, **r.event}
        events.append(
            (
                pk,
                EventKind.STARTED.value,
                _write.json_text(data),
                event_at,
                by.user_id if by else None,
            )
        )
        audits.append(
            (
                AuditAction.CREATE,
                "membership.membership",
                str(pk),
                f"KPJ {kpj} {r.segment.value}",
                {key: [None, _audit_value(value)] for key, value in data.items()},
                {"event": EventKind.STARTED.value},
            )
        )
    _write.insert(MembershipEvent, _EVENT_FIELDS, events)
    pu = [r for r in ready if r.segment == Segment.PU]
    if pu:
        _write.insert(
            WageReport,
            _WAGE_FIELDS,
            (
                (
                    membership_ids[kpjs[r.index]],
                    str(Period(r.start.year, r.start.month)),
                    r.event["wage_idr"],
                    event_at,
                    WageSource.EMPLOYER.value,
                )
                for r in pu
            ),
        )
    _write.insert(AuditEvent, _AUDIT_FIELDS, _audit_rows(by, audits))
    return [Enrolled(person_of(r), membership_ids[kpjs[r.index]], kpjs[r.index]) for r in ready]


@dataclass(frozen=True)
class _Named:
    nik: str
    name: str


_ROW_UPDATE = ("status", "data", "reason", "reason_code", "person_id", "membership_id")


def rows_update(model: type[models.Model], rows: list[Any]) -> None:
    """Write back the verdict of each list row (``_ROW_UPDATE``) in one statement: the new
    values go to a temporary table (COPY on PostgreSQL, ``executemany`` on SQLite) and one
    ``UPDATE ... FROM`` applies them; Django's ``bulk_update`` (one ``CASE`` per field and row)
    took 25 s for 10,000 rows on PostgreSQL."""
    if not rows:
        return
    if connection.vendor not in {"postgresql", "sqlite"}:
        model._default_manager.bulk_update(
            rows, ["status", "data", "reason", "reason_code", "person", "membership"], 1000
        )
        return
    quote = connection.ops.quote_name
    table = quote(model._meta.db_table)
    values = (
        (
            r.pk,
            r.status,
            _write.json_text(r.data),
            r.reason,
            r.reason_code,
            r.person_id,
            r.membership_id,
        )
        for r in rows
    )
    data = "data::jsonb" if connection.vendor == "postgresql" else "data"
    with connection.cursor() as cursor:
        cursor.execute("DROP TABLE IF EXISTS enrol_row_new")
        cursor.execute(
            "CREATE TEMP TABLE enrol_row_new (id bigint PRIMARY KEY, status varchar(10), "
            "data text, reason varchar(300), reason_code varchar(40), person_id bigint, "
            "membership_id bigint)"
        )
        columns = "id, " + ", ".join(_ROW_UPDATE)
        if connection.vendor == "postgresql":
            with cursor.copy(f"COPY enrol_row_new ({columns}) FROM STDIN") as copy:
                for row in values:
                    copy.write_row(row)
        else:
            cursor.executemany(
                f"INSERT INTO enrol_row_new ({columns}) VALUES (%s, %s, %s, %s, %s, %s, %s)",
                list(values),
            )
        sets = ", ".join(f"{quote(c)} = n.{data if c == 'data' else c}" for c in _ROW_UPDATE)
        cursor.execute(f"UPDATE {table} SET {sets} FROM enrol_row_new AS n WHERE {table}.id = n.id")
        cursor.execute("DROP TABLE enrol_row_new")
