"""Each stage of bulk enrolment on its own: reading a list with its kind's columns, the
refusals of staging, the result file's columns, and approval's steps (a row refused at
registration, a person who became a member meanwhile, a term over, nothing valid)."""

from __future__ import annotations

import csv
import io
from datetime import date

import pytest

from jamsos.membership.models import Membership
from jamsos.membership.services import bpu_self_register
from jamsos.membership.tests.factories import person_create
from jamsos.partners.models import BatchStatus, EnrolmentBatch, EnrolmentRow, RowStatus
from jamsos.partners.services.enrolment import (
    NotAnAssociation,
    NothingToEnrol,
    TermOver,
    TermRequired,
    WrongColumns,
    batch_approve,
    batch_result_file,
    batch_stage,
    parse_list,
)
from jamsos.partners.services.enrolment.checks import birth_from_nik, program_list
from jamsos.partners.tests.enrolment.test_enrolment import BPU_HEADER, TODAY, World, csv_bytes, nik


def _stage(on: World, rows: list[list[str]], **extra: object) -> EnrolmentBatch:
    arguments: dict[str, object] = {
        "scope": on.scope("mitra_baznas"),
        "partner_code": "baznas-bandung",
        "kind": "sponsored",
        "idempotency_key": "stages-1",
        "file_name": "rentan.csv",
        "content": csv_bytes(BPU_HEADER, rows),
        "term_from": date(2025, 3, 1),
        "term_until": date(2025, 12, 31),
        "today": TODAY,
    }
    arguments.update(extra)
    return batch_stage(**arguments).batch  # type: ignore[arg-type]


# --- reading a list ---------------------------------------------------------------------------


def test_a_list_is_read_with_its_kinds_columns_and_other_names() -> None:
    content = (
        b"Daftar pekerja anggota APINDO;;;;;\n"
        b";;;;;\n"
        b"NIK;Nama;NPP Perusahaan;Upah;Kelurahan;Penghasilan;Nama\n"
        b"3204051705900101;Asep;12345678;5000000;3204052001;1000000;Lagi\n"
    )
    parsed = parse_list(content, file_name="apindo.csv", kind="association")
    assert parsed.keys == ["nik", "name", "employer_npp", "wage", "village_code", None, None]
    # income is a column of BPU lists, and the second "nama" is not read: both are listed
    assert parsed.ignored == ["Penghasilan", "Nama"]
    [row] = parsed.rows
    assert row.line == 4
    assert row.values["employer_npp"] == "12345678"
    assert row.values["village_code"] == "3204052001"
    assert row.values["name"] == "Asep"


def test_a_list_without_a_required_column_is_refused_in_both_languages() -> None:
    content = b"nik;nama;kode_desa\n3204051705900101;Asep;3204052001\n"
    with pytest.raises(WrongColumns) as refused:
        parse_list(content, file_name="x.csv", kind="association")
    assert refused.value.message_in("id").startswith(
        "Kolom wajib tidak ada: npp / employer_npp, upah / wage."
    )
    assert "Header read: nik, nama, kode_desa." in refused.value.message_in("en")
    assert "association workers list" in refused.value.message_in("en")


def test_a_row_of_text_without_any_known_column_names_the_required_ones() -> None:
    with pytest.raises(WrongColumns) as refused:
        parse_list(b"a;b;c\n1;2;3\n", file_name="x.csv", kind="sponsored")
    message = refused.value.message_in("en")
    assert "Required columns are missing: nik, nama / name, kode_desa / village_code." in message
    assert "Header read: a, b, c." in message


def test_checks_helpers() -> None:
    assert birth_from_nik(nik(7, birth=date(1990, 5, 17), sex="F"), TODAY) == date(1990, 5, 17)
    assert birth_from_nik(nik(7, birth=date(2012, 1, 2)), TODAY) == date(2012, 1, 2)
    assert birth_from_nik("123", TODAY) is None
    assert program_list("JKK; JKM JHT,,") == ["JKK", "JKM", "JHT"]


# --- staging ----------------------------------------------------------------------------------


def test_staging_refuses_a_sponsored_list_without_a_term_and_an_association_list_of_another(
    world: World,
) -> None:
    row = [nik(101), "Asep Sunandar", "", "", "32.04.05.2001", ""]
    with pytest.raises(TermRequired) as refused:
        _stage(world, [row], term_until=None)
    assert "needs a term" in refused.value.message_in("en")
    with pytest.raises(TermRequired):
        _stage(world, [row], term_from=date(2025, 6, 1), term_until=date(2025, 5, 31))
    with pytest.raises(NotAnAssociation):
        _stage(world, [row], kind="association")
    assert not EnrolmentRow.objects.exists()


def test_the_result_file_keeps_the_columns_as_sent(world: World) -> None:
    header = ["NIK", "nama", "kode_kelurahan", "catatan mitra", "Name"]
    content = csv_bytes(header, [[nik(101), "x", "32.04.05.2001", "RT 01", "Asep"]])
    batch = _stage(world, [], content=content)
    assert batch.counts["ignored_columns"] == ["catatan mitra", "Name"]
    out = batch_result_file(scope=world.scope("mitra_baznas"), batch_id=batch.pk, file_format="csv")
    table = list(csv.reader(io.StringIO(out.content.decode("utf-8-sig"))))
    assert table[0][:5] == header
    assert table[1][:5] == [nik(101), "x", "32.04.05.2001", "RT 01", "Asep"]
    row = EnrolmentRow.objects.get(batch=batch)
    assert row.name == "x"  # the first column named as a name is read


# --- approval ---------------------------------------------------------------------------------


def test_a_row_refused_at_registration_is_invalid_and_the_others_are_enrolled(
    world: World,
) -> None:
    batch = _stage(
        world,
        [
            [nik(101), "Asep Sunandar", "", "", "32.04.05.2001", ""],
            [nik(102), "Ujang Kaltara", "", "", "65.01.01.1001", ""],
        ],
    )
    assert batch.counts["valid"] == 2
    world.other_office.service_area.clear()  # nobody serves Bulungan any more
    result = batch_approve(scope=world.scope("petugas_a"), batch_id=batch.pk, today=TODAY)
    assert (result.enrolled, result.existing, result.refused) == (1, 0, 1)
    refused = EnrolmentRow.objects.get(batch=batch, row_number=3)
    assert refused.status == RowStatus.INVALID
    assert refused.reason_code == "membership.no_branch_office"
    assert refused.reason.startswith("ditolak saat pendaftaran: ")
    assert refused.data["_reasons"][-1]["code"] == "enrolment.refused_at_enrolment"
    assert refused.membership_id is None
    batch.refresh_from_db()
    assert batch.status == BatchStatus.ENROLLED
    assert (batch.counts["enrolled"], batch.counts["invalid"], batch.counts["valid"]) == (1, 1, 0)
    out = batch_result_file(scope=world.scope("mitra_baznas"), batch_id=batch.pk, file_format="csv")
    table = list(csv.reader(io.StringIO(out.content.decode("utf-8-sig"))))
    by_line = {r[-8]: r for r in table[1:]}
    assert by_line["3"][-5:-3] == ["tidak sah", "invalid"]
    assert by_line["3"][-3].startswith("ditolak saat pendaftaran: ")
    assert by_line["3"][-2] == refused.data["_reasons"][-1]["params"]["message_en"]
    assert by_line["3"][-2]
    assert not by_line["3"][-2].startswith("ditolak")
    assert by_line["2"][-5:-3] == ["didaftarkan", "enrolled"]


def test_a_person_who_became_a_member_before_the_approval_is_not_enrolled_twice(
    world: World,
) -> None:
    person = person_create(domicile=world.regions.cileunyi_kulon, name="Calon Peserta")
    batch = _stage(
        world,
        [
            [person.nik, "Calon Peserta", "", "", "32.04.05.2001", ""],
            [nik(101), "Asep Sunandar", "", "", "32.04.05.2001", ""],
        ],
    )
    assert batch.counts["valid"] == 2
    own = bpu_self_register(
        person=person, declared_income_idr=1_000_000, start_date=date(2025, 3, 1), today=TODAY
    )
    result = batch_approve(scope=world.scope("petugas_a"), batch_id=batch.pk, today=TODAY)
    assert (result.enrolled, result.existing, result.refused) == (1, 1, 0)
    row = EnrolmentRow.objects.get(batch=batch, row_number=2)
    assert row.status == RowStatus.EXISTING
    assert row.reason == (
        f"menjadi peserta aktif sebelum persetujuan (KPJ {own.kpj}); tidak didaftarkan dua kali"
    )
    assert Membership.objects.filter(person=person).count() == 1


def test_an_election_list_past_its_term_is_refused_at_approval(world: World) -> None:
    batch = batch_stage(
        scope=world.scope("mitra_pemkab"),
        partner_code="pemkab-bandung",
        kind="election",
        idempotency_key="pemilu-1",
        file_name="kpps.csv",
        content=csv_bytes(BPU_HEADER, [[nik(101), "Asep Sunandar", "", "", "3204052001", ""]]),
        term_from=date(2025, 3, 1),
        term_until=date(2025, 3, 31),
        today=TODAY,
    ).batch
    with pytest.raises(TermOver) as refused:
        batch_approve(scope=world.scope("petugas_a"), batch_id=batch.pk, today=date(2025, 4, 1))
    assert refused.value.message_in("en") == (
        "This list's term ended on 2025-03-31; nobody can be enrolled on 2025-04-01."
    )
    batch.refresh_from_db()
    assert batch.status == BatchStatus.VALIDATED  # nothing written; it may still be rejected


def test_a_batch_without_a_valid_row_is_refused_at_approval(world: World) -> None:
    batch = _stage(world, [["123", "NIK Pendek", "", "", "32.04.05.2001", ""]])
    assert batch.counts["invalid"] == 1
    with pytest.raises(NothingToEnrol) as refused:
        batch_approve(scope=world.scope("petugas_a"), batch_id=batch.pk, today=TODAY)
    assert refused.value.message_in("id") == (
        f"Daftar nomor {batch.pk} tidak punya baris sah untuk didaftarkan; tolak daftar ini."
    )
