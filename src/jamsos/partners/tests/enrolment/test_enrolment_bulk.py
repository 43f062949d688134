"""The set-based approval writes, field by field, what the per-person registration services
(``bpu_self_register``, ``pu_worker_register``) write for the same rows: people, memberships,
events, wage reports and audit records."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from django.db import transaction

from jamsos.access.models import AuditEvent
from jamsos.membership.models import Membership, MembershipEvent, Person, WageReport
from jamsos.membership.services import (
    PersonData,
    bpu_self_register,
    membership_end,
    pu_worker_register,
)
from jamsos.membership.tests.factories import person_create
from jamsos.partners.models import BatchKind, EnrolmentBatch, EnrolmentRow, RowStatus
from jamsos.partners.services.enrolment import batch_approve, batch_stage
from jamsos.partners.services.enrolment import income_minimum as _income_minimum
from jamsos.partners.tests.enrolment.test_enrolment import TODAY, World, csv_bytes, nik
from jamsos.registry.models import Region

NOW_FIELDS = {"id", "created_at", "updated_at"}


class _Undo(Exception):
    pass


def _snapshot(niks: list[str]) -> dict[str, Any]:
    """Everything written for these people, keyed by NIK and KPJ (ids and clocks left out)."""
    people = {p.nik: p for p in Person.objects.filter(nik__in=niks)}
    out: dict[str, Any] = {"people": {}, "memberships": {}, "audit": []}
    for nik_, person in people.items():
        out["people"][nik_] = {
            f.attname: getattr(person, f.attname)
            for f in Person._meta.concrete_fields
            if f.attname not in NOW_FIELDS
        }
    memberships = Membership.objects.filter(person__in=people.values(), partner_ref__isnull=False)
    for m in memberships:
        fields = {
            f.attname: getattr(m, f.attname)
            for f in Membership._meta.concrete_fields
            if f.attname not in NOW_FIELDS
        }
        fields["person_id"] = m.person.nik
        fields["events"] = sorted(
            (e.kind, sorted(e.data.items()), e.actor_id)
            for e in MembershipEvent.objects.filter(membership=m)
        )
        fields["wages"] = sorted(
            WageReport.objects.filter(membership=m).values_list("period", "wage_idr", "source")
        )
        out["memberships"][m.kpj] = fields
    ids = {
        "membership.person": {str(p.pk): p.nik for p in people.values()},
        "membership.membership": {str(m.pk): m.kpj for m in memberships},
    }
    for event in AuditEvent.objects.filter(
        target_type__in=list(ids), target_id__in=[i for v in ids.values() for i in v]
    ):
        key = ids[event.target_type].get(event.target_id)
        if key is None:
            continue
        out["audit"].append(
            (
                event.target_type,
                key,
                event.action,
                event.target_label,
                sorted(event.changes.items()),
                sorted(event.detail.items()),
                event.actor_id,
                event.actor_name,
                event.role,
                event.channel,
            )
        )
    out["audit"].sort()
    return out


def _per_person(world: World, batch: EnrolmentBatch) -> None:
    """The valid rows, one registration service call each, as the approval used to make them."""
    scope = world.scope("petugas_a")
    start_bpu = max(batch.term_from or TODAY, TODAY)
    rows = EnrolmentRow.objects.filter(batch=batch, status=RowStatus.VALID).order_by("row_number")
    for row in rows:
        person: Any
        if row.person_id:
            person = Person.objects.get(pk=row.person_id)
        else:
            person = PersonData(
                nik=row.nik,
                name=row.name,
                birth_date=date.fromisoformat(row.data["_birth_date"]),
                sex=row.data["_sex"],
                domicile=Region.objects.get(pk=int(row.data["_village_id"])),
                phone=row.data.get("_phone") or None,
            )
        if batch.kind == BatchKind.ASSOCIATION_WORKERS:
            membership = pu_worker_register(
                employer=world.member,
                person=person,
                wage_idr=int(row.data["_wage_idr"]),
                start_date=date.fromisoformat(row.data["_start_date"])
                if row.data.get("_start_date")
                else TODAY,
                programs=[p for p in str(row.data.get("_programs") or "").split(",") if p],
                channel="partner",
                by=scope,
                today=TODAY,
            )
        else:
            membership = bpu_self_register(
                person=person,
                declared_income_idr=int(row.data.get("_income_idr") or _income_minimum(start_bpu)),
                ecosystem="rentan" if batch.kind == BatchKind.SPONSORED else "none",
                channel="partner",
                sponsor_name=batch.sponsor_name,
                sponsor_kind=batch.sponsor_kind,
                sponsor_ref=batch.sponsor_ref,
                partner_ref=batch.partner.code,
                start_date=start_bpu,
                by=scope,
                today=TODAY,
            )
        updates: dict[str, Any] = {"partner_ref": batch.partner.code}
        if batch.kind == BatchKind.ELECTION_WORKERS:
            updates["term_until"] = batch.term_until
        Membership.objects.filter(pk=membership.pk).update(**updates)


def _both(world: World, batch: EnrolmentBatch, niks: list[str]) -> tuple[dict, dict]:
    try:
        with transaction.atomic():
            _per_person(world, batch)
            expected = _snapshot(niks)
            raise _Undo
    except _Undo:
        pass
    assert not Membership.objects.filter(partner_ref=batch.partner.code).exists()
    result = batch_approve(scope=world.scope("petugas_a"), batch_id=batch.pk, today=TODAY)
    assert result.refused == 0
    return expected, _snapshot(niks)


def _ended_member(world: World) -> Person:
    ended = bpu_self_register(
        person=person_create(domicile=world.regions.sukarasa, name="Pernah Peserta"),
        declared_income_idr=1_000_000,
        start_date=date(2024, 1, 1),
        today=TODAY,
    )
    membership_end(membership=ended, end_date=date(2024, 6, 30), reason="resignation")
    return ended.person


@pytest.mark.parametrize("kind", ["sponsored", "election"])
def test_bulk_bpu_rows_equal_what_bpu_self_register_writes(world: World, kind: str) -> None:
    ended = _ended_member(world)
    header = ["nik", "nama", "tanggal_lahir", "jenis_kelamin", "telepon", "kode_desa"]
    header.append("penghasilan")
    rows = [
        [nik(501), "Asep  Sunandar", "17-05-1990", "L", "0812-3456-7890", "32.04.05.2001", ""],
        [nik(502, sex="F"), "Euis Komariah", "", "P", "", "32.73.01.1001", "2.500.000"],
        [nik(503), "Ujang", "", "", "", "65.01.01.1001", ""],
        [ended.nik, "Pernah Peserta", "", "", "", "32.04.05.2001", ""],
    ]
    partner = "baznas-bandung" if kind == "sponsored" else "pemkab-bandung"
    batch = batch_stage(
        scope=world.scope("mitra_baznas" if kind == "sponsored" else "mitra_pemkab"),
        partner_code=partner,
        kind=kind,
        idempotency_key="same",
        file_name="a.csv",
        content=csv_bytes(header, rows),
        term_from=date(2025, 3, 1),
        term_until=date(2025, 6, 30),
        today=TODAY,
    ).batch
    assert batch.counts["valid"] == 4
    niks = [r[0] for r in rows]
    expected, got = _both(world, batch, niks)
    assert len(got["memberships"]) == 4
    assert len(got["people"]) == 4
    # 3 new people + 4 memberships, each with its own audit record (+ the ended member's
    # own registration, before the list).
    assert len(got["audit"]) == 8
    for key in ("people", "memberships"):
        assert got[key].keys() == expected[key].keys()
        for k in expected[key]:
            assert got[key][k] == expected[key][k], (key, k)
    assert got["audit"] == expected["audit"]
    phone = got["people"][nik(501)]["phone"]
    assert phone == "+6281234567890"
    regencies = {m["branch_office_id"] for m in got["memberships"].values()}
    assert regencies == {world.office.pk, world.other_office.pk}
    terms = {m["term_until"] for m in got["memberships"].values()}
    assert terms == ({date(2025, 6, 30)} if kind == "election" else {None})
    reenrolled = next(m for m in got["memberships"].values() if m["person_id"] == ended.nik)
    assert reenrolled["sponsor_ref"] == partner
    assert Person.objects.filter(nik=ended.nik).count() == 1


def test_bulk_pu_rows_equal_what_pu_worker_register_writes(world: World) -> None:
    ended = _ended_member(world)
    header = ["nik", "nama", "kode_desa", "npp", "upah", "tanggal_mulai", "program"]
    npp = world.member.npp
    rows = [
        [nik(601), "Buruh Satu", "32.04.05.2001", npp, "4.500.000", "2025-03-01", ""],
        [nik(602), "Buruh Dua", "32.04.05.2002", npp, "5000000", "", "JHT,JP"],
        [ended.nik, "Pernah Peserta", "32.04.05.2001", npp, "4000000", "2025-02-01", ""],
    ]
    batch = batch_stage(
        scope=world.scope("mitra_apindo"),
        partner_code="apindo-jabar",
        kind="association",
        idempotency_key="same",
        file_name="a.csv",
        content=csv_bytes(header, rows),
        today=TODAY,
    ).batch
    assert batch.counts["valid"] == 3
    expected, got = _both(world, batch, [r[0] for r in rows])
    assert len(got["memberships"]) == 3
    assert len(got["audit"]) == 6
    assert got == expected
    wages = sorted(w for m in got["memberships"].values() for w in m["wages"])
    assert [w[:2] for w in wages] == [
        ("2025-02", 4_000_000),
        ("2025-03", 4_500_000),
        ("2025-03", 5_000_000),
    ]
