"""The bulk registration (``register_many``) against the per-person services
(``pu_worker_register``, ``bpu_self_register``, ``person_register``).

Registering the same people both ways must write exactly the same rows, field by field: the
people, the memberships (KPJ numbers included: the per-person run is undone, serials and all,
before the bulk one), their ``started`` events, the first wage reports and the audit records,
ids and clocks left out. The cases: PU and BPU, a new person and one already registered (with
an ended membership), a sponsored BPU list and a fixed term. Rows the services refuse get the
same error, field and parameters from the bulk path.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.db import transaction

from jamsos.access.audit import Origin, origin
from jamsos.access.models import AuditEvent, Role
from jamsos.access.scope import Scope
from jamsos.legal.types import Segment
from jamsos.membership.errors import MembershipError
from jamsos.membership.models import (
    Employer,
    Membership,
    MembershipEvent,
    Person,
    WageReport,
)
from jamsos.membership.services import (
    BpuTerms,
    PersonData,
    Registered,
    RegistrationRequest,
    bpu_self_register,
    membership_end,
    pu_worker_register,
    register_many,
)
from jamsos.membership.tests.factories import PersonDataFactory, employer_create, person_create
from jamsos.membership.tests.fixtures import TODAY, Regions

NOW = datetime(2025, 3, 15, 3, 4, 5, tzinfo=UTC)
SKIP = {"id", "created_at", "updated_at"}
KPJ = re.compile(r"^\d{11}$")


@dataclass
class World:
    regions: Regions
    micro: Employer
    large: Employer
    ended: Person  # registered, with an ended BPU membership
    worker: Person  # registered, no membership
    scope: Scope


@pytest.fixture
def world(regions: Regions) -> World:
    micro = employer_create(village=regions.sukarasa, size="micro", legal_name="UD Maju")
    large = employer_create(village=regions.cileunyi_kulon, size="large")
    ended = bpu_self_register(
        person=person_create(domicile=regions.sukarasa, name="Pernah Peserta", serial=90),
        declared_income_idr=1_000_000,
        start_date=date(2024, 1, 1),
        today=TODAY,
    )
    membership_end(membership=ended, end_date=date(2024, 6, 30), reason="resignation")
    worker = person_create(domicile=regions.cileunyi_wetan, name="Dadang Sudrajat", serial=91)
    user = get_user_model().objects.create_user("petugas_kc3204")
    scope = Scope(
        role=Role.BRANCH_OFFICER,
        user_id=user.pk,
        actor_name="petugas_kc3204",
        branch_office_id=micro.branch_office_id,
    )
    return World(regions, micro, large, ended.person, worker, scope)


def _new(world: World, serial: int, **kwargs: Any) -> PersonData:
    values = {"domicile": world.regions.cileunyi_kulon, "serial": serial}
    values.update(kwargs)
    return PersonDataFactory(**values)


def _snapshot(niks: list[str]) -> dict[str, Any]:
    """Everything written for these people, keyed by NIK and KPJ (ids and clocks left out)."""
    people = {p.nik: p for p in Person.objects.filter(nik__in=niks)}
    out: dict[str, Any] = {"people": {}, "memberships": {}, "audit": []}
    for nik, person in people.items():
        out["people"][nik] = {
            f.attname: getattr(person, f.attname)
            for f in Person._meta.concrete_fields
            if f.attname not in SKIP
        }
    memberships = list(Membership.objects.filter(person__in=people.values(), status="active"))
    for m in memberships:
        fields = {
            f.attname: getattr(m, f.attname)
            for f in Membership._meta.concrete_fields
            if f.attname not in SKIP
        }
        fields["person_id"] = m.person.nik
        fields["events"] = sorted(
            (e.kind, sorted(e.data.items()), e.at, e.actor_id)
            for e in MembershipEvent.objects.filter(membership=m)
        )
        fields["wages"] = sorted(
            WageReport.objects.filter(membership=m).values_list(
                "period", "wage_idr", "reported_at", "source"
            )
        )
        out["memberships"][m.kpj] = fields
    ids = {
        "membership.person": {str(p.pk): p.nik for p in people.values()},
        "membership.membership": {str(m.pk): m.kpj for m in memberships},
    }
    for event in AuditEvent.objects.filter(target_type__in=list(ids)):
        key = ids[event.target_type].get(event.target_id)
        if key is None:
            continue
        row = {
            f.attname: getattr(event, f.attname)
            for f in AuditEvent._meta.concrete_fields
            if f.attname not in {"id", "at"}
        }
        row["target_id"] = key
        out["audit"].append(sorted(row.items(), key=lambda item: item[0]))
    out["audit"].sort(key=repr)
    return out


class _Undo(Exception):
    pass


def _both(
    one_by_one: Callable[[], list[Any]],
    at_once: Callable[[], list[Registered | MembershipError]],
    niks: list[str],
) -> tuple[dict[str, Any], dict[str, Any], list[Any], list[Any]]:
    """Run the per-person path (then undo it, serials included), then the bulk path."""
    expected: dict[str, Any] = {}
    singles: list[Any] = []
    with origin(Origin(channel="web", ip="10.0.0.7", client="Firefox 128")):
        try:
            with transaction.atomic():
                singles = one_by_one()
                expected = _snapshot(niks)
                raise _Undo
        except _Undo:
            pass
        assert not Membership.objects.filter(person__nik__in=niks, status="active").exists()
        with transaction.atomic():
            results = at_once()
    return expected, _snapshot(niks), singles, results


def _single(call: Callable[[], Membership]) -> Membership | MembershipError:
    try:
        with transaction.atomic():
            return call()
    except MembershipError as exc:
        return exc


def _same_outcomes(singles: list[Any], results: list[Any]) -> None:
    assert len(singles) == len(results)
    for single, result in zip(singles, results, strict=True):
        if isinstance(single, MembershipError):
            assert isinstance(result, MembershipError), (single, result)
            assert (result.code, result.field, result.params) == (
                single.code,
                single.field,
                single.params,
            )
        else:
            assert isinstance(result, Registered), (single, result)
            # Ids differ on PostgreSQL (sequences are not undone); the person is the same.
            assert result.kpj == single.kpj
            assert Person.objects.get(pk=result.person_id).nik == single.person.nik
            assert Membership.objects.get(pk=result.membership_id).kpj == result.kpj
            assert KPJ.match(result.kpj)


def _by(world: World, snapshot: dict[str, Any]) -> list[dict[str, Any]]:
    """The audit records written by the world's officer (the registrations under test)."""
    rows = [dict(row) for row in snapshot["audit"]]
    return [row for row in rows if row["actor_id"] == world.scope.user_id]


def _assert_equal(expected: dict[str, Any], got: dict[str, Any]) -> None:
    for key in ("people", "memberships"):
        assert got[key].keys() == expected[key].keys(), key
        for k in expected[key]:
            assert got[key][k] == expected[key][k], (key, k)
    assert got["audit"] == expected["audit"]


def test_pu_rows_equal_what_pu_worker_register_writes(world: World) -> None:
    rows = [
        # a new person, a micro employer's optional programs
        RegistrationRequest(
            data=_new(world, 501, name="Asep  Sunandar", phone="0812-3456-7890"),
            employer=world.micro,
            wage_idr=4_500_000,
            start_date=date(2025, 3, 1),
            programs=["JHT"],
        ),
        # a new person without a phone, another year's KPJ series
        RegistrationRequest(
            data=_new(world, 502, sex="F", name="Euis Komariah", phone=None),
            employer=world.large,
            wage_idr=6_000_000,
            start_date=date(2024, 12, 1),
        ),
        # registered already (an ended BPU membership): used as registered
        RegistrationRequest(
            person=world.ended,
            employer=world.micro,
            wage_idr=3_900_000,
            start_date=date(2025, 2, 1),
            programs=["JHT", "JP"],
        ),
        RegistrationRequest(
            person=world.worker, employer=world.large, wage_idr=5_000_000, start_date=TODAY
        ),
        # refused: no wage; a start before birth
        RegistrationRequest(
            data=_new(world, 503), employer=world.micro, wage_idr=0, start_date=TODAY
        ),
        RegistrationRequest(
            data=_new(world, 504), employer=world.micro, wage_idr=1, start_date=date(1980, 1, 1)
        ),
    ]

    def one_by_one() -> list[Any]:
        return [
            _single(
                lambda r=r: pu_worker_register(
                    employer=r.employer,
                    person=r.person or r.data,
                    wage_idr=r.wage_idr,
                    start_date=r.start_date,
                    programs=r.programs,
                    channel="branch",
                    by=world.scope,
                    today=TODAY,
                    now=NOW,
                )
            )
            for r in rows
        ]

    def at_once() -> list[Registered | MembershipError]:
        return register_many(
            rows,
            segment=Segment.PU,
            channel="branch",
            by=world.scope,
            today=TODAY,
            now=NOW,
        )

    niks = [r.data.nik if r.data else r.person.nik for r in rows]  # type: ignore[union-attr]
    expected, got, singles, results = _both(one_by_one, at_once, niks)
    _same_outcomes(singles, results)
    assert len(got["memberships"]) == 4
    assert len(got["people"]) == 4  # the two refused new people are not written
    # two new people, four memberships (and the fixture's own registrations, before)
    assert len(_by(world, got)) == 6
    _assert_equal(expected, got)
    wages = sorted(w[:2] for m in got["memberships"].values() for w in m["wages"])
    assert wages == [
        ("2024-12", 6_000_000),
        ("2025-02", 3_900_000),
        ("2025-03", 4_500_000),
        ("2025-03", 5_000_000),
    ]
    assert all(KPJ.match(kpj) for kpj in got["memberships"])
    for audit in _by(world, got):
        assert (audit["channel"], audit["ip"], audit["client"]) == (
            "web",
            "10.0.0.7",
            "Firefox 128",
        )
        assert (audit["actor_name"], audit["role"]) == ("petugas_kc3204", "branch_officer")


@pytest.mark.parametrize(
    ("case", "terms"),
    [
        ("self", {"ecosystem": "none", "sponsor": (None, None, None), "term_until": None}),
        (
            "sponsored",
            {
                "ecosystem": "rentan",
                "sponsor": ("BAZNAS  Kota Bandung", "zakat", " baznas-bandung "),
                "term_until": None,
            },
        ),
        (
            "term",
            {
                "ecosystem": "none",
                "sponsor": ("Pemerintah Kabupaten Bandung", "regional_budget", "pemkab-bandung"),
                "term_until": date(2025, 6, 30),
            },
        ),
    ],
)
def test_bpu_rows_equal_what_bpu_self_register_writes(
    world: World, case: str, terms: dict[str, Any]
) -> None:
    regions = world.regions
    sponsor = terms["sponsor"]
    bpu = BpuTerms(
        ecosystem=terms["ecosystem"],
        sponsor_name=sponsor[0],
        sponsor_kind=sponsor[1],
        sponsor_ref=sponsor[2],
        partner_ref=" pkb-3204 ",
        start_date=date(2025, 4, 1),
        term_until=terms["term_until"],
    )
    rows = [
        RegistrationRequest(data=_new(world, 601), declared_income_idr=2_500_000),
        RegistrationRequest(
            data=_new(world, 602, sex="F", domicile=regions.sukarasa, district="327301"),
            declared_income_idr=1_000_000,
        ),
        RegistrationRequest(person=world.ended, declared_income_idr=1_500_000),
        RegistrationRequest(person=world.worker, declared_income_idr=1_000_000),
        # refused: no branch office serves Bulungan; a bad income; an unknown district
        RegistrationRequest(
            data=_new(world, 603, domicile=regions.tanjung_palas_hulu, district="650101"),
            declared_income_idr=1_000_000,
        ),
        RegistrationRequest(data=_new(world, 604), declared_income_idr=-5),
        RegistrationRequest(data=_new(world, 605, district="320401"), declared_income_idr=1),
    ]

    def one_by_one() -> list[Any]:
        return [
            _single(
                lambda r=r: bpu_self_register(
                    person=r.person or r.data,
                    declared_income_idr=r.declared_income_idr,
                    ecosystem=bpu.ecosystem,
                    channel="partner",
                    sponsor_name=bpu.sponsor_name,
                    sponsor_kind=bpu.sponsor_kind,
                    sponsor_ref=bpu.sponsor_ref,
                    partner_ref=bpu.partner_ref,
                    start_date=bpu.start_date,
                    term_until=bpu.term_until,
                    by=world.scope,
                    today=TODAY,
                    now=NOW,
                )
            )
            for r in rows
        ]

    def at_once() -> list[Registered | MembershipError]:
        return register_many(
            rows,
            segment=Segment.BPU,
            bpu=bpu,
            partner_ref=bpu.partner_ref,
            by=world.scope,
            today=TODAY,
            now=NOW,
        )

    niks = [r.data.nik if r.data else r.person.nik for r in rows]  # type: ignore[union-attr]
    expected, got, singles, results = _both(one_by_one, at_once, niks)
    _same_outcomes(singles, results)
    codes = [r.code for r in results if isinstance(r, MembershipError)]
    assert codes == ["membership.no_branch_office", "membership.amount_not_positive", codes[2]]
    assert len(got["memberships"]) == 4
    assert len(_by(world, got)) == 6
    _assert_equal(expected, got)
    memberships = list(got["memberships"].values())
    assert {m["term_until"] for m in memberships} == {terms["term_until"]}
    assert {m["partner_ref"] for m in memberships} == {"pkb-3204"}
    expected_sponsor = {
        "self": (None, None, None),
        "sponsored": ("BAZNAS Kota Bandung", "zakat", "baznas-bandung"),
        "term": sponsor,
    }[case]
    assert {(m["sponsor_name"], m["sponsor_kind"], m["sponsor_ref"]) for m in memberships} == {
        expected_sponsor
    }
    assert not any(m["wages"] for m in memberships)


def test_a_list_whose_shared_terms_are_refused_refuses_every_row(world: World) -> None:
    bpu = BpuTerms(
        ecosystem="none",
        sponsor_name="Tanpa Jenis",
        sponsor_kind=None,
        sponsor_ref=None,
        partner_ref=None,
        start_date=TODAY,
    )
    rows = [RegistrationRequest(data=_new(world, 701), declared_income_idr=1_000_000)]
    singles = [
        _single(
            lambda: bpu_self_register(
                person=rows[0].data,  # type: ignore[arg-type]
                declared_income_idr=1_000_000,
                sponsor_name="Tanpa Jenis",
                start_date=TODAY,
                today=TODAY,
            )
        )
    ]
    results = register_many(rows, segment=Segment.BPU, bpu=bpu, by=None, today=TODAY, now=NOW)
    _same_outcomes(singles, results)
    assert results[0].code == "membership.sponsor_incomplete"  # type: ignore[union-attr]
    assert not Person.objects.filter(nik=rows[0].data.nik).exists()  # type: ignore[union-attr]


def test_an_empty_list_writes_nothing(world: World) -> None:
    before = (Person.objects.count(), Membership.objects.count(), AuditEvent.objects.count())
    assert register_many([], segment=Segment.PU, by=None, today=TODAY, now=NOW) == []
    after = (Person.objects.count(), Membership.objects.count(), AuditEvent.objects.count())
    assert after == before


def test_requests_are_not_changed_by_the_check(world: World) -> None:
    request = RegistrationRequest(
        data=_new(world, 801, name="  Ujang   Sukmana "),
        employer=world.micro,
        wage_idr=4_000_000,
        start_date=TODAY,
    )
    copy = replace(request)
    [result] = register_many([request], segment=Segment.PU, by=None, today=TODAY, now=NOW)
    assert isinstance(result, Registered)
    assert request == copy
    assert Person.objects.get(pk=result.person_id).name == "Ujang Sukmana"
