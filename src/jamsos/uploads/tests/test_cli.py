"""`jamsos workers`: import, commit, template, purge-uploads; refusals exit with status 2."""

from __future__ import annotations

import getpass
from datetime import date, timedelta
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone
from openpyxl import load_workbook

from jamsos.access.models import AuditAction, AuditEvent
from jamsos.membership.models import Membership, Person
from jamsos.membership.tests.factories import person_create
from jamsos.uploads.models import UploadStatus, WorkerUpload
from jamsos.uploads.tests.conftest import csv_bytes, worker, xlsx_bytes


def run(*args: str) -> str:
    out = StringIO()
    call_command("workers", *args, stdout=out, stderr=StringIO())
    return out.getvalue()


def refused(*args: str) -> str:
    with pytest.raises(CommandError) as caught:
        run(*args)
    assert caught.value.returncode == 2
    return str(caught.value)


def test_import_checks_prints_the_reasons_and_writes_nothing(world, regions, tmp_path):
    person_create(domicile=regions.cileunyi_kulon, serial=4)
    path = tmp_path / "pekerja.csv"
    path.write_bytes(
        csv_bytes(
            [
                worker(1),
                worker(2, nik="32040517059"),  # bad NIK
                worker(3, district="320401"),  # district that does not exist
                worker(5, birth=date(2099, 1, 1)),  # born in the future
                worker(6),
                worker(6),  # twice in the file
                worker(4),  # in the registry: accepted as that person
            ]
        )
    )
    people = Person.objects.count()
    out = run("import", str(path), "--employer", world.employer_a.npp, "--no-progress")
    assert "7 baris: 2 valid (1 sudah terdaftar), 5 ditolak" in out
    assert "baris 3: NIK 32040517059 tidak sah: harus 16 angka." in out
    assert "baris 4: NIK 3204********0003: kode kecamatan 320401" in out
    assert "baris 5: " in out
    assert "ada di masa depan" in out
    assert (
        "baris 6: NIK 3204********0006 muncul lebih dari sekali dalam berkas: juga di baris 7"
        in out
    )
    assert "jamsos workers commit" in out
    assert Person.objects.count() == people
    assert not Membership.objects.exists()
    upload = WorkerUpload.objects.get()
    assert upload.actor_name == getpass.getuser()
    assert upload.role == "admin"


def test_import_in_english_with_a_report_and_accept(world, tmp_path):
    path = tmp_path / "workers.xlsx"
    path.write_bytes(xlsx_bytes([worker(1), worker(2, upah="nol")]))
    report = tmp_path / "report.xlsx"
    out = run(
        "import", str(path), "--employer", world.employer_a.npp, "--accept-valid",
        "--report", str(report), "--lang", "en",
    )  # fmt: skip
    assert "2 rows: 1 valid (0 already registered), 1 rejected" in out
    assert "row 3: Wage 'nol' is not a whole rupiah amount" in out
    assert "Written: 1 PU memberships (1 new people, 0 already registered)" in out
    assert "1 rejected rows were not written." in out
    assert Membership.objects.count() == 1
    sheet = load_workbook(report).active
    assert [c.value for c in sheet[1]][9:] == ["row", "status", "reasons", "notes", "kpj"]
    assert AuditEvent.objects.filter(action=AuditAction.EXPORT).count() == 1
    assert AuditEvent.objects.filter(action=AuditAction.IMPORT).count() == 1


def test_commit_a_checked_upload_later(world, tmp_path):
    path = tmp_path / "pekerja.csv"
    path.write_bytes(csv_bytes([worker(1)]))
    run("import", str(path), "--employer", world.employer_a.npp)
    upload = WorkerUpload.objects.get()
    out = run("commit", str(upload.pk))
    assert "Dicatat: 1 kepesertaan PU" in out
    upload.refresh_from_db()
    assert upload.status == UploadStatus.COMMITTED
    assert "berstatus sudah dicatat" in refused("commit", str(upload.pk))


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        (b"%PDF-1.4 a PDF renamed to .csv", "bukan XLSX atau CSV (dokumen PDF)"),
        (b"", "kosong"),
        (b"nik,nama\n1,2\n", "Kolom wajib tidak ada"),
    ],
)
def test_a_bad_file_is_refused_whole_with_exit_status_2(world, tmp_path, content, expected):
    path = tmp_path / "pekerja.csv"
    path.write_bytes(content)
    assert expected in refused("import", str(path), "--employer", world.employer_a.npp)
    assert not WorkerUpload.objects.exists()


def test_a_file_over_the_caps_is_refused(world, tmp_path, settings):
    path = tmp_path / "pekerja.csv"
    path.write_bytes(csv_bytes([worker(i) for i in range(1, 6)]))
    settings.JAMSOS_UPLOAD_MAX_ROWS = 4
    assert "lebih dari 4 baris" in refused("import", str(path), "--employer", world.employer_a.npp)
    settings.JAMSOS_UPLOAD_MAX_BYTES = 100
    assert "lebih dari" in refused("import", str(path), "--employer", world.employer_a.npp)
    assert not WorkerUpload.objects.exists()


def test_acting_as_an_account_uses_its_scope(world, tmp_path):
    path = tmp_path / "pekerja.csv"
    path.write_bytes(csv_bytes([worker(1)]))
    message = refused("import", str(path), "--employer", world.employer_a.npp, "--as", "employer_b")
    assert "Tidak ada pemberi kerja dengan NPP" in message
    assert "tidak boleh mengunggah data pekerja" in refused(
        "import", str(path), "--employer", world.employer_a.npp, "--as", "analyst"
    )
    assert "Tidak ada akun bernama hantu" in refused(
        "import", str(path), "--employer", world.employer_a.npp, "--as", "hantu"
    )
    run("import", str(path), "--employer", world.employer_a.npp, "--as", "officer_bandung",
        "--accept-valid")  # fmt: skip
    assert Membership.objects.get().channel == "branch"
    assert WorkerUpload.objects.get().actor_name == "officer_bandung"


def test_a_report_that_is_not_xlsx_or_csv_is_refused_before_anything(world, tmp_path):
    path = tmp_path / "pekerja.csv"
    path.write_bytes(csv_bytes([worker(1)]))
    message = refused(
        "import", str(path), "--employer", world.employer_a.npp, "--report", "laporan.pdf"
    )
    assert "Format laporan tidak dikenal: '.pdf'" in message
    assert not WorkerUpload.objects.exists()


def test_unknown_employer_and_missing_file(world, tmp_path):
    path = tmp_path / "pekerja.csv"
    path.write_bytes(csv_bytes([worker(1)]))
    assert "Tidak ada pemberi kerja dengan NPP 1234567890" in refused(
        "import", str(path), "--employer", "1234567890"
    )
    assert "Tidak ada berkas" in refused("import", str(tmp_path / "x.csv"), "--employer", "1")


def test_template_in_both_formats(tmp_path):
    xlsx = tmp_path / "templat.xlsx"
    assert "Templat ditulis" in run("template", str(xlsx))
    assert load_workbook(xlsx).sheetnames == ["Pekerja", "Petunjuk"]
    csv_path = tmp_path / "template.csv"
    run("template", str(csv_path), "--lang", "en")
    assert csv_path.read_text(encoding="utf-8-sig").startswith("nik,name,birth_date,sex,phone")
    assert "Choices: xlsx, csv" in refused("template", str(tmp_path / "t.pdf"), "--lang", "en")


def test_purge_uploads(world, tmp_path):
    path = tmp_path / "pekerja.csv"
    path.write_bytes(csv_bytes([worker(1)]))
    run("import", str(path), "--employer", world.employer_a.npp)
    WorkerUpload.objects.update(created_at=timezone.now() - timedelta(days=40))
    assert "0 unggahan" in run("purge-uploads", "--days", "60")
    assert "1 unggahan yang lebih lama dari 30 hari dihapus" in run("purge-uploads", "--days", "30")
    assert not WorkerUpload.objects.exists()
    assert "--days" in refused("purge-uploads", "--days", "-1")
