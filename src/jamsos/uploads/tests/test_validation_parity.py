"""The one-pass check gives every row the verdict the former path (``validate_people`` batch by
batch, then the upload's rules row by row) gave it: the same reasons in the same order, the
same notes and the same cleaned values, on a file mixing every kind of row."""

from __future__ import annotations

from dataclasses import astuple
from datetime import date

import pytest

from jamsos.membership.services import pu_worker_register
from jamsos.membership.tests.factories import person_create
from jamsos.uploads.parsing import parse_upload
from jamsos.uploads.tests import reference_validation
from jamsos.uploads.tests.conftest import TODAY, csv_bytes, excel, worker, xlsx_bytes
from jamsos.uploads.validation import EXAMPLE_NAME, validate_rows


def _mixed(registered_serials: tuple[int, ...]) -> list[dict[str, object]]:
    rows: list[dict[str, object]] = [worker(n) for n in range(1, 13)]
    rows += [
        worker(20, nik="32040517059"),  # too short
        worker(21, district="320401"),  # district not in the edition
        worker(22, birth=date(2099, 1, 1)),  # born in the future
        worker(23, tanggal_lahir="1991-05-17"),  # NIK's date disagrees
        worker(24, jenis_kelamin="P"),  # NIK's sex disagrees
        worker(25, jenis_kelamin="X", telepon="12", nama=""),
        worker(26, telepon="0812-3456-৭৮৯০"),  # a digit of another script
        worker(27, tanggal_lahir=""),
        worker(28, tanggal_lahir="17 Mei 1990"),
        worker(29, tanggal_lahir="1990-W20-4"),  # an ISO week date
        worker(30, tanggal_lahir="17-05-1990", tanggal_mulai="01-03-2025"),
        worker(31, tanggal_lahir="19900517", upah="Rp 4.500.000,00"),
        worker(32, upah="empat juta"),
        worker(33, upah="0"),
        worker(34, upah="-5.000"),
        worker(35, upah="99999999999999999"),
        worker(36, tanggal_mulai=""),
        worker(37, tanggal_mulai="besok"),
        worker(38, tanggal_mulai="2025-06-01"),
        worker(39, tanggal_mulai="1989-01-01"),
        worker(40, tanggal_mulai="2015-06-30"),
        worker(41, program="JKP"),
        worker(42, program="jht jp"),
        worker(43, program="JHT"),
        worker(44, kode_desa=""),
        worker(45, kode_desa="32.04.05.9999"),
        worker(46, kode_desa="3204052002"),
        worker(47, kode_desa="1"),
        worker(48, nama=EXAMPLE_NAME),
        worker(49, nama="N" * 130),
        worker(50, nik="3,20405E+15"),
        worker(51, nik="3204051705900000"),  # serial 0000
        worker(52, nik="3204053305900051"),  # day 33
        worker(53, nik="3204053002900053"),  # 30 February
        worker(54, nik="'" + worker(54)["nik"]),
        worker(55, telepon=""),
        worker(56, telepon="+62 812 3456 7890"),
        worker(57, jenis_kelamin="Perempuan", sex="F"),
        worker(2),  # twice in the file, and more
        worker(3),
        worker(3),
    ]
    for serial in registered_serials:
        rows.append(worker(serial))
    rows.append(worker(registered_serials[0]))  # a registered NIK twice in the file
    rows.append(worker(registered_serials[1], tanggal_lahir="1890-05-17"))  # differs
    return rows


def _verdicts(results: list) -> list[tuple[object, ...]]:
    return [astuple(r) for r in results]


@pytest.mark.parametrize("xlsx", [False, True])
def test_the_one_pass_check_gives_the_former_verdicts(world, regions, xlsx):
    registered = (70, 71, 72, 73)
    people = [
        person_create(domicile=regions.cileunyi_kulon, serial=serial, name=f"Terdaftar {serial}")
        for serial in registered
    ]
    pu_worker_register(
        employer=world.employer_a,
        person=people[2],
        wage_idr=4_000_000,
        start_date=date(2024, 1, 1),
        today=TODAY,
    )
    rows = _mixed(registered)
    if xlsx:
        rows.append(worker(80, tanggal_lahir=excel(1990, 5, 17), upah=4_500_000))
        rows.append(worker(81, nik=int(worker(81)["nik"][:-1] + "0")))
        rows.append(worker(82, nik=int(worker(82)["nik"]), tanggal_mulai=45717))
        rows.append(worker(83, upah=4_500_000.5, tanggal_lahir=1.5))
    content = xlsx_bytes(rows) if xlsx else csv_bytes(rows)
    table = parse_upload(content, file_name="pekerja.xlsx" if xlsx else "pekerja.csv")
    for employer in (world.employer_a, world.employer_b):
        new = validate_rows(table.rows, employer=employer, today=TODAY)
        # Small batches: repeated and registered NIKs fall in different batches of the former
        # path, which must not change a verdict.
        old = reference_validation.validate_rows(
            table.rows, employer=employer, today=TODAY, batch_size=7
        )
        assert _verdicts(new) == _verdicts(old)
        assert any(r.person_pk for r in new)
        assert sum(1 for r in new if not r.ok) > 35


def test_progress_counts_every_row(world):
    rows = [worker(n) for n in range(1, 12)]
    table = parse_upload(csv_bytes(rows), file_name="pekerja.csv")
    told: list[int] = []
    validate_rows(
        table.rows, employer=world.employer_a, today=TODAY, batch_size=4, progress=told.append
    )
    assert told == [4, 4, 3]
