"""Row rules: every reason of every row, in both languages, and what is accepted."""

from __future__ import annotations

from datetime import date

import pytest

from jamsos.membership.models import Membership, Person
from jamsos.membership.services import pu_worker_register
from jamsos.membership.tests.factories import person_create
from jamsos.uploads.messages import MESSAGES, reason_message
from jamsos.uploads.models import RowStatus, WorkerUploadRow
from jamsos.uploads.services import upload_validate
from jamsos.uploads.tests.conftest import TODAY, csv_bytes, excel, worker, xlsx_bytes
from jamsos.uploads.validation import EXAMPLE_NAME, parse_date, parse_wage


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("4500000", 4_500_000),
        ("4.500.000", 4_500_000),
        ("Rp 4.500.000,00", 4_500_000),
        ("Rp4.500.000", 4_500_000),
        ("4,500,000", 4_500_000),
        ("4500000.00", 4_500_000),
        (4500000, 4_500_000),
        (4500000.0, 4_500_000),
    ],
)
def test_wages_are_read_as_whole_rupiah(value, expected):
    assert parse_wage(value) == (expected, None)


@pytest.mark.parametrize(
    ("value", "code"),
    [
        ("", "membership.required"),
        ("0", "membership.amount_not_positive"),
        ("-2.000.000", "membership.amount_not_positive"),
        ("4.5 juta", "uploads.invalid_wage"),
        ("4500000,50", "uploads.invalid_wage"),
        (4500000.5, "uploads.invalid_wage"),
        ("99999999999999999999", "uploads.wage_too_large"),
        (20_000_000_000, "uploads.wage_too_large"),
    ],
)
def test_bad_wages_give_a_reason(value, code):
    amount, problem = parse_wage(value)
    assert amount is None
    assert problem["code"] == code


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("1990-05-17", date(1990, 5, 17)),
        ("17-05-1990", date(1990, 5, 17)),
        ("17/05/1990", date(1990, 5, 17)),
        ("17.05.1990", date(1990, 5, 17)),
        ("19900517", date(1990, 5, 17)),
        ("1990-05-17 00:00:00", date(1990, 5, 17)),
        (excel(1990, 5, 17), date(1990, 5, 17)),
        (33010, date(1990, 5, 17)),  # an Excel serial number
    ],
)
def test_dates_in_the_accepted_forms(value, expected):
    assert parse_date(value) == (expected, "")


def test_not_a_date():
    assert parse_date("17 Mei 1990") == (None, "17 Mei 1990")
    assert parse_date("") == (None, "")
    assert parse_date("31-02-1990") == (None, "31-02-1990")


def _check(world, rows, *, employer=None, xlsx=False):
    employer = employer or world.employer_a
    content = xlsx_bytes(rows) if xlsx else csv_bytes(rows)
    upload = upload_validate(
        scope=world.scopes["admin"],
        employer_npp=employer.npp,
        file_name="pekerja.xlsx" if xlsx else "pekerja.csv",
        content=content,
        today=TODAY,
    )
    rows = {r.line: r for r in WorkerUploadRow.objects.filter(upload=upload)}
    for row in rows.values():
        for item in row.reasons + row.notes:
            for language in ("id", "en"):
                # A message, never the bare code it falls back to.
                assert not reason_message(item, language).endswith(item["code"].split(".")[1])
    return upload, rows


def _codes(row):
    return [r["code"] for r in row.reasons]


def test_a_good_row_is_valid_and_cleaned(world):
    upload, rows = _check(world, [worker(1, jenis_kelamin="Laki-laki", upah="Rp 4.500.000")])
    row = rows[2]
    assert row.status == RowStatus.VALID
    assert row.reasons == []
    assert row.nik == worker(1)["nik"]
    assert row.birth_date == date(1990, 5, 17)
    assert row.sex == "M"
    assert row.phone == "+6281234567890"
    assert row.wage_idr == 4_500_000
    assert row.start_date == date(2025, 3, 1)
    assert row.programs == "JKK,JKM,JHT,JP"  # large employer: every program is mandatory
    assert row.village_pk is not None
    assert (upload.total_rows, upload.valid_rows, upload.rejected_rows) == (1, 1, 0)


def test_bad_nik_unknown_district_and_future_birth_date(world):
    _, rows = _check(
        world,
        [
            worker(1, nik="32040517059"),
            worker(2, district="320401"),  # Kecamatan 32.04.01 does not exist in the edition
            worker(3, birth=date(2099, 1, 1)),
        ],
    )
    assert _codes(rows[2]) == ["membership.invalid_nik"]
    assert _codes(rows[3]) == ["membership.nik_region_unknown"]
    assert "membership.birth_date_in_future" in _codes(rows[4])
    assert all(r.status == RowStatus.REJECTED for r in rows.values())
    assert reason_message(rows[2].reasons[0], "id") == (
        "NIK 32040517059 tidak sah: harus 16 angka."
    )
    assert reason_message(rows[3].reasons[0], "en").startswith("NIK 3204********0002: district")
    future = next(r for r in rows[4].reasons if r["code"] == "membership.birth_date_in_future")
    assert reason_message(future, "en") == "Birth date 2099-01-01 is in the future."


def test_nik_that_disagrees_with_birth_date_or_sex(world):
    _, rows = _check(
        world,
        [worker(1, tanggal_lahir="1991-05-17"), worker(2, jenis_kelamin="P")],
    )
    assert _codes(rows[2]) == ["membership.nik_birth_date_mismatch"]
    assert _codes(rows[3]) == ["membership.nik_sex_mismatch"]


def test_a_nik_twice_in_the_file_refuses_every_copy_naming_the_others(world):
    _, rows = _check(world, [worker(1), worker(2), worker(1), worker(1)])
    assert rows[3].status == RowStatus.VALID
    for line, others in ((2, "4, 5"), (4, "2, 5"), (5, "2, 4")):
        assert _codes(rows[line]) == ["uploads.duplicate_in_file"]
        assert reason_message(rows[line].reasons[0], "en") == (
            f"NIK 3204********0001 appears more than once in the file: also at row {others}."
        )
        assert f"juga di baris {others}" in reason_message(rows[line].reasons[0], "id")


def test_a_registered_nik_is_accepted_as_the_existing_person(world, regions):
    person = person_create(domicile=regions.cileunyi_kulon, serial=1, name="Budi Registered")
    upload, rows = _check(world, [worker(1, nama="Budi R.")])
    row = rows[2]
    assert row.status == RowStatus.VALID
    assert row.person_pk == person.pk
    assert [n["code"] for n in row.notes] == ["uploads.existing_person"]
    assert "Budi Registered" in reason_message(row.notes[0], "en")
    assert upload.existing_people == 1


def test_a_registered_nik_already_working_for_this_employer_is_refused(world, regions):
    person = person_create(domicile=regions.cileunyi_kulon, serial=1, name="Budi Registered")
    membership = pu_worker_register(
        employer=world.employer_a,
        person=person,
        wage_idr=4_000_000,
        start_date=date(2024, 1, 1),
        today=TODAY,
    )
    _, rows = _check(world, [worker(1)])
    assert _codes(rows[2]) == ["membership.already_active"]
    message = reason_message(rows[2].reasons[0], "en")
    assert message == (
        f"Budi Registered already has an active PU membership at PT Bandung Maju "
        f"(KPJ {membership.kpj})."
    )
    # ... while another employer may add the same person.
    _, rows = _check(world, [worker(1)], employer=world.employer_b)
    assert rows[2].status == RowStatus.VALID


def test_a_registered_nik_whose_person_differs_is_refused(world, regions):
    # The NIK's date only has two digits: a person born 1990 and a row saying 2090 share it.
    person_create(domicile=regions.cileunyi_kulon, serial=1)
    _, rows = _check(world, [worker(1, tanggal_lahir="1890-05-17")])
    assert "uploads.registered_person_differs" in _codes(rows[2])


def test_village_wage_start_date_and_programs(world):
    _, rows = _check(
        world,
        [
            worker(1, kode_desa=""),
            worker(2, kode_desa="32.04.05.9999"),
            worker(3, upah="empat juta"),
            worker(4, tanggal_mulai="2025-06-01"),  # more than 31 days after 15 March
            worker(5, tanggal_mulai="1989-01-01"),
            worker(6, tanggal_mulai="2015-06-30"),  # before the program rules loaded
            worker(7, program="JKP"),
            worker(8, tanggal_mulai="besok"),
            worker(9, tanggal_mulai="2025-04-15", kode_desa="3204052002", program="jht jp"),
        ],
    )
    assert _codes(rows[2]) == ["uploads.village_required"]
    assert _codes(rows[3]) == ["uploads.village_unknown"]
    assert _codes(rows[4]) == ["uploads.invalid_wage"]
    assert _codes(rows[5]) == ["uploads.start_in_future"]
    assert "membership.start_before_birth" in _codes(rows[6])
    assert "membership.start_before_law" in _codes(rows[7])
    assert _codes(rows[8]) == ["membership.program_not_allowed"]
    assert _codes(rows[9]) == ["uploads.invalid_start_date"]
    assert rows[10].status == RowStatus.VALID
    assert reason_message(rows[5].reasons[0], "en") == (
        "Start date 2025-06-01 is more than 31 days after today (2025-03-15)."
    )


def test_a_micro_employer_gets_its_mandatory_programs_and_the_asked_ones(world):
    _, rows = _check(world, [worker(1), worker(2, program="JHT")], employer=world.employer_b)
    assert rows[2].programs == "JKK,JKM"
    assert rows[3].programs == "JKK,JKM,JHT"


def test_the_template_example_row_is_refused(world):
    _, rows = _check(world, [worker(1, nama=EXAMPLE_NAME)])
    assert _codes(rows[2])[0] == "uploads.example_row"


def test_excel_damage_to_a_nik_is_explained(world):
    row = worker(1)
    _, rows = _check(
        world,
        [
            worker(1, nik="3,20405E+15"),
            worker(2, nik=int(row["nik"][:-1] + "0")),  # what Excel keeps of a 16-digit number
            worker(3, nik=int(worker(3)["nik"])),  # a number written whole by a program
        ],
        xlsx=True,
    )
    assert "uploads.nik_scientific" in _codes(rows[2])
    assert _codes(rows[3])[0] == "uploads.nik_number_cell"
    assert rows[4].status == RowStatus.VALID


def test_a_birth_date_that_is_not_a_date(world):
    _, rows = _check(world, [worker(1, tanggal_lahir="17 Mei 1990")])
    assert _codes(rows[2]) == ["uploads.invalid_birth_date"]
    assert reason_message(rows[2].reasons[0], "id") == (
        "Tanggal lahir '17 Mei 1990' bukan tanggal (TTTT-BB-HH atau HH-BB-TTTT)."
    )


def test_every_reason_of_a_row_is_kept(world):
    _, rows = _check(
        world,
        [worker(1, nama="", jenis_kelamin="X", telepon="12", kode_desa="1", upah="0")],
    )
    assert set(_codes(rows[2])) == {
        "membership.required",
        "membership.invalid_choice",
        "membership.invalid_phone",
        "uploads.village_unknown",
        "membership.amount_not_positive",
    }


def test_checking_writes_nothing_to_the_registry(world):
    people, memberships = Person.objects.count(), Membership.objects.count()
    _check(world, [worker(i) for i in range(1, 30)])
    assert (Person.objects.count(), Membership.objects.count()) == (people, memberships)


def test_every_upload_message_exists_in_both_languages():
    for code, texts in MESSAGES.items():
        assert set(texts) == {"id", "en"}, code
        assert texts["id"] != texts["en"], code


def test_a_wage_under_the_floor_is_refused_at_the_check_not_at_the_commit(world):
    # The registration refuses a monthly wage under Rp 100.000 (minimum_wage/absurd_floor.yaml,
    # a low-confidence floor against wages typed in thousands): the check says so per row.
    _, rows = _check(world, [worker(1, upah="4500"), worker(2, upah="100.000")])
    assert _codes(rows[2]) == ["membership.wage_too_low"]
    assert rows[2].status == RowStatus.REJECTED
    assert reason_message(rows[2].reasons[0], "id") == (
        "Upah Rp 4.500 terlalu kecil untuk upah sebulan (paling sedikit Rp 100.000); "
        "periksa apakah upah tertulis dalam ribuan."
    )
    assert "Rp 100.000" in reason_message(rows[2].reasons[0], "en")
    assert rows[3].status == RowStatus.VALID  # the floor itself is accepted
