"""Bulk and sponsored enrolment: each kind end to end with real figures, idempotency,
maker-checker, an expired agreement, wrong columns and bad rows."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from datetime import date

import pytest
from django.contrib.auth import get_user_model

from jamsos.access.models import AuditAction, AuditEvent, Role
from jamsos.access.scope import Scope, scope_for_user
from jamsos.billing.models import Invoice, InvoiceLine, PayerKind, Sponsorship
from jamsos.billing.services.run import billing_run
from jamsos.core.errors import ApplicationError
from jamsos.membership.identifiers import nik_make
from jamsos.membership.models import Association, BranchOffice, Employer, Membership, Person
from jamsos.membership.services import (
    bpu_self_register,
    branch_office_create,
    membership_end,
)
from jamsos.membership.services.accounts import user_access_grant
from jamsos.membership.tests.factories import employer_create, person_create
from jamsos.membership.tests.fixtures import Regions
from jamsos.partners.models import (
    Agreement,
    BatchStatus,
    EnrolmentBatch,
    EnrolmentRow,
    Partner,
    RowStatus,
)
from jamsos.partners.services.agreements import agreement_create, agreement_sign
from jamsos.partners.services.enrolment import (
    KeyReused,
    NotChecker,
    SameAsUploader,
    WrongColumns,
    batch_approve,
    batch_reject,
    batch_result_file,
    batch_stage,
)
from jamsos.partners.services.partners import partner_create

TODAY = date(2025, 3, 15)
ADMIN = Scope.operator("test")


@dataclass
class World:
    regions: Regions
    office: BranchOffice
    other_office: BranchOffice
    association: Association
    member: Employer
    outsider: Employer
    apindo: Partner
    pemkab: Partner
    baznas: Partner
    users: dict[str, object]

    def scope(self, name: str) -> Scope:
        return scope_for_user(self.users[name])


def _agreement(partner: Partner, number: str, *, ends_on: date = date(2025, 12, 31)) -> Agreement:
    agreement = agreement_create(
        scope=ADMIN,
        number=number,
        title=f"PKS {partner.name}",
        partner=partner,
        starts_on=date(2025, 1, 1),
        ends_on=ends_on,
        branch_office="KC3204",
    )
    return agreement_sign(
        scope=ADMIN, agreement=agreement, signed_on=date(2024, 12, 20), today=TODAY
    )


def world_build(regions: Regions) -> World:
    """The ``world`` fixture (this folder's conftest.py)."""
    office = BranchOffice.objects.get(code="KC3204")
    other = branch_office_create(
        code="KC6501", name="Kantor Cabang Bulungan", regencies=[regions.bulungan]
    )
    association = Association.objects.create(code="apindo-jabar", name="APINDO Jawa Barat")
    member = employer_create(
        village=regions.cileunyi_kulon, legal_name="PT Tekstil Cileunyi", size="medium"
    )
    member.associations.add(association)
    outsider = employer_create(village=regions.cileunyi_wetan, legal_name="PT Bukan Anggota")
    apindo = partner_create(
        scope=ADMIN,
        code="apindo-jabar",
        name="APINDO Jawa Barat",
        kind="employer_association",
        region=regions.jabar,
        branch_office="KC3204",
        association=association,
    )
    pemkab = partner_create(
        scope=ADMIN,
        code="pemkab-bandung",
        name="Pemerintah Kabupaten Bandung",
        kind="regional_government",
        region=regions.kab_bandung,
        branch_office="KC3204",
    )
    baznas = partner_create(
        scope=ADMIN,
        code="baznas-bandung",
        name="BAZNAS Kabupaten Bandung",
        kind="zakat_body",
        region=regions.kab_bandung,
        branch_office="KC3204",
    )
    _agreement(apindo, "PKS-APINDO-1")
    _agreement(pemkab, "PKS-PEMKAB-1")
    _agreement(baznas, "PKS-BAZNAS-1")
    users = {}
    # The partners' agreement regions: some lists hold a worker living in Bulungan.
    jabar = {"partner_regions": [regions.jabar, regions.bulungan]}
    for name, role, extra in [
        ("mitra_apindo", Role.PARTNER_USER, {"partner_ref": "apindo-jabar", **jabar}),
        ("mitra_pemkab", Role.PARTNER_USER, {"partner_ref": "pemkab-bandung", **jabar}),
        ("mitra_baznas", Role.PARTNER_USER, {"partner_ref": "baznas-bandung", **jabar}),
        ("petugas_a", Role.BRANCH_OFFICER, {"branch_office": office}),
        ("petugas_b", Role.BRANCH_OFFICER, {"branch_office": office}),
        ("petugas_bulungan", Role.BRANCH_OFFICER, {"branch_office": other}),
    ]:
        access = user_access_grant(username=name, role=role, password="x", **extra)
        users[name] = get_user_model().objects.get(pk=access.user_id)
    return World(
        regions, office, other, association, member, outsider, apindo, pemkab, baznas, users
    )


def nik(
    serial: int, *, birth: date = date(1990, 5, 17), sex: str = "M", district: str = "320405"
) -> str:
    return nik_make(district_code_nodot=district, birth_date=birth, sex=sex, serial=serial)


def csv_bytes(header: list[str], rows: list[list[str]]) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";")
    writer.writerow(header)
    writer.writerows(rows)
    return buffer.getvalue().encode("utf-8")


BPU_HEADER = ["nik", "nama", "tanggal_lahir", "jenis_kelamin", "kode_desa", "penghasilan"]


def _bpu_rows(world: World) -> tuple[list[list[str]], Membership]:
    """Seven rows: three new, one bad NIK, one unknown village, one repeat, one active member."""
    member = bpu_self_register(
        person=person_create(domicile=world.regions.cileunyi_kulon, name="Sudah Peserta"),
        declared_income_idr=1_000_000,
        start_date=date(2025, 3, 1),
        today=TODAY,
    )
    rows = [
        [nik(101), "Asep Sunandar", "17-05-1990", "L", "32.04.05.2001", ""],
        [nik(102, sex="F"), "Euis Komariah", "1990-05-17", "P", "3204052002", "1.500.000"],
        [nik(103), "Ujang Hidayat", "", "", "32.73.01.1001", ""],
        ["320405170590", "NIK Pendek", "1990-05-17", "L", "32.04.05.2001", ""],
        [nik(104), "Desa Salah", "1990-05-17", "L", "32.04.05.9999", ""],
        [nik(101), "Asep Lagi", "1990-05-17", "L", "32.04.05.2001", ""],
        [member.person.nik, "Sudah Peserta", "", "", "32.04.05.2001", ""],
    ]
    return rows, member


def test_sponsored_list_end_to_end_is_invoiced_to_the_sponsor(world: World) -> None:
    rows, member = _bpu_rows(world)
    people_before = Person.objects.count()
    staged = batch_stage(
        scope=world.scope("mitra_baznas"),
        partner_code="baznas-bandung",
        kind="sponsored",
        idempotency_key="baznas-2025-03",
        file_name="rentan.csv",
        content=csv_bytes(BPU_HEADER, rows),
        term_from=date(2025, 3, 1),
        term_until=date(2025, 12, 31),
        today=TODAY,
    )
    batch = staged.batch
    assert staged.created
    assert batch.status == BatchStatus.VALIDATED
    assert batch.sponsor_kind == "zakat"
    assert batch.sponsor_ref == "baznas-bandung"
    assert batch.agreement.number == "PKS-BAZNAS-1"
    assert batch.branch_office_id == world.office.pk
    counts = {k: batch.counts[k] for k in ("rows", "valid", "invalid", "duplicate", "existing")}
    assert counts == {"rows": 7, "valid": 3, "invalid": 2, "duplicate": 1, "existing": 1}
    by_row = {r.row_number: r for r in EnrolmentRow.objects.filter(batch=batch)}
    assert by_row[5].reason_code == "membership.invalid_nik"
    assert by_row[6].reason_code == "uploads.village_unknown"
    assert "32.04.05.9999" in by_row[6].reason
    assert by_row[7].status == RowStatus.DUPLICATE
    assert "baris 2" in by_row[7].reason
    assert by_row[8].status == RowStatus.EXISTING
    assert member.kpj in by_row[8].reason
    assert Person.objects.count() == people_before  # nothing enrolled before the approval
    assert not Membership.objects.filter(partner_ref="baznas-bandung").exists()

    result = batch_approve(scope=world.scope("petugas_a"), batch_id=batch.pk, today=TODAY)
    assert (result.enrolled, result.existing, result.refused) == (3, 0, 0)
    batch.refresh_from_db()
    assert batch.status == BatchStatus.ENROLLED
    assert batch.counts["enrolled"] == 3
    assert batch.counts["valid"] == 0
    enrolled = Membership.objects.filter(partner_ref="baznas-bandung").order_by("kpj")
    assert enrolled.count() == 3
    assert {m.segment for m in enrolled} == {"BPU"}
    assert {m.programs for m in enrolled} == {"JKK,JKM"}
    assert {m.sponsor_kind for m in enrolled} == {"zakat"}
    assert {m.channel for m in enrolled} == {"partner"}
    assert {m.start_date for m in enrolled} == {TODAY}
    assert {m.term_until for m in enrolled} == {None}
    incomes = sorted(m.declared_income_idr for m in enrolled)
    assert incomes == [1_000_000, 1_000_000, 1_500_000]  # the legal minimum when not given
    sponsorship = Sponsorship.objects.get(pk=result.sponsorship_id)
    assert (sponsorship.first_period, sponsorship.last_period) == ("2025-03", "2025-12")
    assert sponsorship.memberships.count() == 3
    assert sponsorship.payer.kind == PayerKind.SPONSOR

    billing_run("2025-03", as_of=date(2025, 4, 1), by=ADMIN)
    invoices = Invoice.objects.filter(payer=sponsorship.payer, period="2025-03")
    assert invoices.count() == 1
    invoice = invoices.get()
    lines = InvoiceLine.objects.filter(invoice=invoice)
    assert lines.count() == 3
    # JKK 1% and JKM Rp 6,800 on the income tier (floor to Rp 100,000), per worker.
    assert sorted(line.total_idr for line in lines) == [16_800, 16_800, 21_800]
    assert invoice.contribution_idr == 55_400
    # The active member was not enrolled twice, nor moved to the sponsor.
    assert Membership.objects.filter(person=member.person).count() == 1

    out = batch_result_file(scope=world.scope("mitra_baznas"), batch_id=batch.pk, file_format="csv")
    text = out.content.decode("utf-8-sig")
    table = list(csv.reader(io.StringIO(text)))
    header = table[0]
    assert header[-8:] == [
        "baris",
        "nik",
        "nama",
        "status",
        "status_en",
        "alasan",
        "reason_en",
        "kpj",
    ]
    lines_by_name = {r[header.index("nama")]: r for r in table[1:]}
    asep = lines_by_name["Asep Sunandar"]
    assert asep[header.index("status")] == "didaftarkan"
    assert asep[header.index("status_en")] == "enrolled"
    assert asep[-1] == enrolled.get(person__nik=nik(101)).kpj
    short = lines_by_name["NIK Pendek"]
    assert short[header.index("status_en")] == "invalid"
    assert "16" in short[header.index("reason_en")]
    assert (
        AuditEvent.objects.filter(action=AuditAction.EXPORT, target_type__icontains="batch").count()
        == 1
    )
    xlsx = batch_result_file(
        scope=world.scope("mitra_baznas"), batch_id=batch.pk, file_format="xlsx"
    )
    assert xlsx.content.startswith(b"PK")


def test_election_workers_for_a_term_sponsored_by_the_regency(world: World) -> None:
    header = ["nik", "nama", "kode_desa"]
    rows = [[nik(200 + i), f"Petugas KPPS {i}", "32.04.05.2001"] for i in range(1, 5)]
    batch = batch_stage(
        scope=world.scope("petugas_a"),
        partner_code="pemkab-bandung",
        kind="election",
        idempotency_key="pilkada-2025",
        file_name="kpps.csv",
        content=csv_bytes(header, rows),
        term_from=date(2025, 3, 1),
        term_until=date(2025, 4, 30),
        today=TODAY,
    ).batch
    assert batch.counts["valid"] == 4
    assert batch.sponsor_kind == "regional_budget"
    with pytest.raises(SameAsUploader):
        batch_approve(scope=world.scope("petugas_a"), batch_id=batch.pk, today=TODAY)
    with pytest.raises(ApplicationError) as outside:
        batch_approve(scope=world.scope("petugas_bulungan"), batch_id=batch.pk, today=TODAY)
    assert outside.value.code == "partners.batch_not_found"  # outside the scope: not found
    result = batch_approve(scope=world.scope("petugas_b"), batch_id=batch.pk, today=TODAY)
    assert result.enrolled == 4
    memberships = Membership.objects.filter(partner_ref="pemkab-bandung")
    assert {m.term_until for m in memberships} == {date(2025, 4, 30)}
    assert {m.sponsor_kind for m in memberships} == {"regional_budget"}
    sponsorship = Sponsorship.objects.get(pk=result.sponsorship_id)
    assert (sponsorship.first_period, sponsorship.last_period) == ("2025-03", "2025-04")
    billing_run("2025-03", as_of=date(2025, 4, 1), by=ADMIN)
    invoice = Invoice.objects.get(payer=sponsorship.payer, period="2025-03")
    assert invoice.contribution_idr == 4 * 16_800


def test_association_workers_are_registered_with_their_employer(world: World) -> None:
    header = [
        "nik",
        "nama",
        "tanggal_lahir",
        "jenis_kelamin",
        "kode_desa",
        "npp",
        "upah",
        "tanggal_mulai",
    ]
    ended = bpu_self_register(
        person=person_create(domicile=world.regions.cileunyi_kulon, name="Pernah Peserta"),
        declared_income_idr=1_000_000,
        start_date=date(2024, 1, 1),
        today=TODAY,
    )
    membership_end(membership=ended, end_date=date(2024, 6, 30), reason="resignation")
    rows = [
        [
            nik(301),
            "Buruh Satu",
            "17-05-1990",
            "L",
            "32.04.05.2001",
            world.member.npp,
            "4.500.000",
            "2025-03-01",
        ],
        [
            nik(302),
            "Buruh Dua",
            "17-05-1990",
            "L",
            "32.04.05.2002",
            world.member.npp,
            "5000000",
            "",
        ],
        [
            ended.person.nik,
            "Pernah Peserta",
            "",
            "",
            "32.04.05.2001",
            world.member.npp,
            "4000000",
            "2025-03-01",
        ],
        [
            nik(303),
            "Bukan Anggota",
            "17-05-1990",
            "L",
            "32.04.05.2001",
            world.outsider.npp,
            "4000000",
            "2025-03-01",
        ],
        [
            nik(304),
            "Upah Salah",
            "17-05-1990",
            "L",
            "32.04.05.2001",
            world.member.npp,
            "empat juta",
            "2025-03-01",
        ],
    ]
    batch = batch_stage(
        scope=world.scope("mitra_apindo"),
        partner_code="apindo-jabar",
        kind="association",
        idempotency_key="apindo-march",
        file_name="anggota.csv",
        content=csv_bytes(header, rows),
        today=TODAY,
    ).batch
    assert (batch.counts["valid"], batch.counts["invalid"]) == (3, 2)
    reasons = {r.row_number: r.reason_code for r in EnrolmentRow.objects.filter(batch=batch)}
    assert reasons[5] == "enrolment.employer_not_member"
    assert reasons[6] == "uploads.invalid_wage"
    result = batch_approve(scope=world.scope("petugas_a"), batch_id=batch.pk, today=TODAY)
    assert result.enrolled == 3
    assert result.sponsorship_id is None
    pu = Membership.objects.filter(partner_ref="apindo-jabar", segment="PU")
    assert pu.count() == 3
    assert {m.employer_id for m in pu} == {world.member.pk}
    assert {m.channel for m in pu} == {"partner"}
    again = pu.get(person=ended.person)  # re-enrolled as the person on file
    assert Person.objects.filter(nik=ended.person.nik).count() == 1
    assert again.wage_reports.get().wage_idr == 4_000_000
    assert again.start_date == date(2025, 3, 1)
    assert pu.get(person__nik=nik(302)).start_date == TODAY  # no start date: the approval day
    row = EnrolmentRow.objects.get(batch=batch, person=ended.person)
    assert "didaftarkan kembali" in row.reason


def test_the_same_key_and_file_is_the_same_batch_another_file_is_refused(world: World) -> None:
    rows, _ = _bpu_rows(world)
    content = csv_bytes(BPU_HEADER, rows)
    args = dict(  # noqa: C408
        scope=world.scope("mitra_baznas"),
        partner_code="baznas-bandung",
        kind="sponsored",
        idempotency_key="k-1",
        file_name="a.csv",
        term_from=date(2025, 3, 1),
        term_until=date(2025, 12, 31),
        today=TODAY,
    )
    first = batch_stage(content=content, **args)
    second = batch_stage(content=content, **args)
    assert second.batch.pk == first.batch.pk
    assert not second.created
    assert EnrolmentRow.objects.filter(batch=first.batch).count() == 7
    with pytest.raises(KeyReused) as refused:
        batch_stage(content=content + b"\n" + nik(999).encode() + b";X;;;32.04.05.2001;", **args)
    assert f"daftar nomor {first.batch.pk}" in refused.value.message_in("id")
    assert EnrolmentBatch.objects.count() == 1


def test_wrong_columns_refuse_the_whole_file_and_write_nothing(world: World) -> None:
    content = csv_bytes(["nik", "nama", "alamat"], [[nik(1), "A", "Jl. Mawar"]])
    with pytest.raises(WrongColumns) as refused:
        batch_stage(
            scope=world.scope("mitra_apindo"),
            partner_code="apindo-jabar",
            kind="association",
            idempotency_key="x",
            file_name="x.csv",
            content=content,
            today=TODAY,
        )
    message = refused.value.message_in("en")
    assert "kode_desa / village_code" in message
    assert "npp / employer_npp" in message
    assert "upah / wage" in message
    assert "Header read: nik, nama, alamat" in message
    assert EnrolmentBatch.objects.count() == 0
    assert EnrolmentRow.objects.count() == 0


def test_an_expired_agreement_is_refused_at_approval(world: World) -> None:
    Agreement.objects.filter(partner=world.baznas).update(ends_on=date(2025, 3, 31))
    rows, _ = _bpu_rows(world)
    batch = batch_stage(
        scope=world.scope("mitra_baznas"),
        partner_code="baznas-bandung",
        kind="sponsored",
        idempotency_key="late",
        file_name="a.csv",
        content=csv_bytes(BPU_HEADER, rows),
        term_from=date(2025, 3, 1),
        term_until=date(2025, 12, 31),
        today=TODAY,
    ).batch
    with pytest.raises(ApplicationError) as refused:
        batch_approve(scope=world.scope("petugas_a"), batch_id=batch.pk, today=date(2025, 4, 2))
    assert refused.value.code == "partners.agreement_expired"
    batch.refresh_from_db()
    assert batch.status == BatchStatus.VALIDATED
    assert not Membership.objects.filter(partner_ref="baznas-bandung").exists()


def test_an_officer_of_another_office_is_refused_even_as_admin_sees_it(world: World) -> None:
    rows, _ = _bpu_rows(world)
    batch = batch_stage(
        scope=world.scope("mitra_baznas"),
        partner_code="baznas-bandung",
        kind="sponsored",
        idempotency_key="k",
        file_name="a.csv",
        content=csv_bytes(BPU_HEADER, rows),
        term_from=date(2025, 3, 1),
        term_until=date(2025, 12, 31),
        today=TODAY,
    ).batch
    from jamsos.partners.services.enrolment import require_checker

    with pytest.raises(NotChecker):
        require_checker(world.scope("petugas_bulungan"), batch)
    with pytest.raises(ApplicationError) as partner_user:
        batch_approve(scope=world.scope("mitra_baznas"), batch_id=batch.pk, today=TODAY)
    assert partner_user.value.code == "access.not_permitted"


def test_rejection_with_a_note_enrols_nobody(world: World) -> None:
    rows, _ = _bpu_rows(world)
    batch = batch_stage(
        scope=world.scope("mitra_baznas"),
        partner_code="baznas-bandung",
        kind="sponsored",
        idempotency_key="k",
        file_name="a.csv",
        content=csv_bytes(BPU_HEADER, rows),
        term_from=date(2025, 3, 1),
        term_until=date(2025, 12, 31),
        today=TODAY,
    ).batch
    with pytest.raises(ApplicationError) as no_note:
        batch_reject(scope=world.scope("petugas_a"), batch_id=batch.pk, note=" ")
    assert no_note.value.code == "partners.batch_note_required"
    batch_reject(scope=world.scope("petugas_a"), batch_id=batch.pk, note="SK belum terbit")
    batch.refresh_from_db()
    assert batch.status == BatchStatus.REJECTED
    assert batch.counts["skipped"] == 3
    assert not Membership.objects.filter(partner_ref="baznas-bandung").exists()
    with pytest.raises(ApplicationError) as again:
        batch_approve(scope=world.scope("petugas_b"), batch_id=batch.pk, today=TODAY)
    assert again.value.code == "partners.batch_not_pending"
    out = batch_result_file(scope=world.scope("mitra_baznas"), batch_id=batch.pk, file_format="csv")
    assert "list rejected: SK belum terbit" in out.content.decode("utf-8-sig")
