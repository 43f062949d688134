"""The upload pages: form, check, accept, discard, report, template; scope; bad input."""

from __future__ import annotations

from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.shortcuts import resolve_url
from django.urls import reverse

from jamsos.access.models import AuditAction, AuditEvent
from jamsos.membership.models import Membership, Person
from jamsos.membership.services import pu_worker_register
from jamsos.membership.tests.factories import person_create
from jamsos.uploads.models import UploadStatus, WorkerUpload
from jamsos.uploads.tests.conftest import TODAY, csv_bytes, worker, xlsx_bytes

# The project URLconf mounts the pages at /unggah/ and the router at /api/v1/uploads.


def _login(client, world, who="employer_a"):
    client.force_login(world.users[who])
    return client


def _post(client, employer, content, name="pekerja.csv"):
    return client.post(
        reverse("uploads:form"),
        {"employer": employer.npp, "file": SimpleUploadedFile(name, content)},
    )


def test_the_pages_need_a_login(client, world, settings):
    response = client.get(reverse("uploads:form"))
    assert response.status_code == 302
    assert response["Location"].startswith(resolve_url(settings.LOGIN_URL))


def test_the_form_offers_the_scope_employers_and_the_templates(client, world):
    page = _login(client, world).get(reverse("uploads:form")).content.decode()
    assert "Unggah pekerja PU" in page
    assert "PT Bandung Maju (NPP" in page
    assert "CV Kaltara Sejahtera" not in page
    assert reverse("uploads:template", args=["xlsx"]) in page
    admin_page = _login(client, world, "admin").get(reverse("uploads:form")).content.decode()
    assert 'name="employer" type="text"' in admin_page  # any employer: by NPP


def test_a_role_that_may_not_upload_sees_why(client, world):
    response = _login(client, world, "analyst").get(reverse("uploads:form"))
    assert "Peran Anda tidak boleh mengunggah data pekerja" in response.content.decode()
    response = _post(client, world.employer_a, csv_bytes([worker(1)]))
    assert response.status_code == 403
    assert not WorkerUpload.objects.exists()


def test_check_then_accept_the_valid_rows(client, world, regions):
    person = person_create(domicile=regions.cileunyi_kulon, serial=9)
    pu_worker_register(
        employer=world.employer_a,
        person=person,
        wage_idr=4_000_000,
        start_date=date(2024, 1, 1),
        today=TODAY,
    )
    _login(client, world)
    rows = [
        worker(1),
        worker(2, nik="32040517059"),  # bad NIK
        worker(3, district="320401"),  # district that does not exist
        worker(4, birth=date(2099, 1, 1)),  # born in the future
        worker(5),
        worker(5),  # twice in the file
        worker(9),  # already works here
        worker(6),
    ]
    people = Person.objects.count()
    response = _post(client, world.employer_a, csv_bytes(rows))
    assert response.status_code == 302
    upload = WorkerUpload.objects.get()
    assert response["Location"] == reverse("uploads:detail", args=[upload.pk])
    page = client.get(response["Location"]).content.decode()
    assert "Terima 2 baris valid" in page
    assert "6 baris yang ditolak tidak dicatat" in page
    assert "NIK 32040517059 tidak sah: harus 16 angka." in page
    assert "kode kecamatan 320401" in page
    assert "ada di masa depan" in page
    assert "juga di baris 7" in page
    assert "juga di baris 6" in page
    assert "sudah punya kepesertaan PU aktif di PT Bandung Maju" in page
    # Nothing is written before the accept.
    assert Person.objects.count() == people
    assert Membership.objects.count() == 1

    response = client.post(reverse("uploads:accept", args=[upload.pk]))
    assert response.status_code == 302
    page = client.get(response["Location"]).content.decode()
    assert "2 pekerja dicatat ke registri. 6 baris yang ditolak tidak dicatat." in page
    assert f"Unggahan {upload.pk}: sudah dicatat" in page
    assert Membership.objects.count() == 3
    for kpj in Membership.objects.filter(source="bulk_upload").values_list("kpj", flat=True):
        assert kpj in page


def test_the_pages_in_english(client, world):
    _login(client, world)
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    _post(client, world.employer_a, csv_bytes([worker(1), worker(2, upah="0")]))
    upload = WorkerUpload.objects.get()
    page = client.get(reverse("uploads:detail", args=[upload.pk])).content.decode()
    assert "Accept 1 valid row" in page
    assert "Wage must be greater than zero (got 0)." in page


@pytest.mark.parametrize(
    ("content", "name", "message"),
    [
        (b"%PDF-1.5 not a list", "pekerja.pdf", "bukan XLSX atau CSV (dokumen PDF)"),
        (b"", "kosong.csv", "Berkas kosong.csv kosong."),
        (csv_bytes([]), "judul.csv", "hanya berisi judul kolom"),
        (b"nik;nama\n1;2\n", "sedikit.csv", "Kolom wajib tidak ada"),
    ],
)
def test_a_bad_file_is_refused_with_a_clear_message(client, world, content, name, message):
    response = _post(_login(client, world), world.employer_a, content, name)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not WorkerUpload.objects.exists()


def test_a_file_too_big_or_too_long_is_refused(client, world, settings):
    _login(client, world)
    settings.JAMSOS_UPLOAD_MAX_ROWS = 2
    response = _post(client, world.employer_a, xlsx_bytes([worker(1), worker(2), worker(3)]))
    assert "lebih dari 2 baris pekerja" in response.content.decode()
    settings.JAMSOS_UPLOAD_MAX_BYTES = 1024 * 1024
    response = _post(client, world.employer_a, b"nik," + b"x" * (1024 * 1024 + 1))
    assert "lebih dari 1 MB" in response.content.decode()
    assert not WorkerUpload.objects.exists()


def test_missing_fields_and_an_employer_outside_the_scope(client, world):
    _login(client, world)
    response = client.post(reverse("uploads:form"), {"employer": ""})
    page = response.content.decode()
    assert response.status_code == 400
    assert "Pilih pemberi kerja." in page
    assert "Pilih berkas (XLSX atau CSV)." in page
    response = _post(client, world.employer_b, csv_bytes([worker(1)]))
    assert f"Tidak ada pemberi kerja dengan NPP {world.employer_b.npp}" in response.content.decode()
    assert not WorkerUpload.objects.exists()


def test_discard(client, world):
    _login(client, world)
    _post(client, world.employer_a, csv_bytes([worker(1)]))
    upload = WorkerUpload.objects.get()
    response = client.post(reverse("uploads:discard", args=[upload.pk]), follow=True)
    assert "dibuang: tidak ada yang dicatat" in response.content.decode()
    upload.refresh_from_db()
    assert upload.status == UploadStatus.DISCARDED
    response = client.post(reverse("uploads:accept", args=[upload.pk]), follow=True)
    assert "hanya unggahan yang tervalidasi" in response.content.decode()
    assert not Membership.objects.exists()


def test_report_and_template_downloads(client, world):
    _login(client, world)
    _post(client, world.employer_a, csv_bytes([worker(1), worker(2, nik="1")]))
    upload = WorkerUpload.objects.get()
    response = client.get(reverse("uploads:report", args=[upload.pk, "csv"]) + "?baris=ditolak")
    assert response.status_code == 200
    assert response["Content-Disposition"] == (
        f'attachment; filename="laporan-unggahan-{upload.pk}-ditolak.csv"'
    )
    text = response.content.decode("utf-8-sig")
    assert len(text.strip().splitlines()) == 2
    assert "NIK 1 tidak sah" in text
    assert AuditEvent.objects.filter(action=AuditAction.EXPORT).count() == 1
    response = client.get(reverse("uploads:report", args=[upload.pk, "xlsx"]))
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert client.get(reverse("uploads:report", args=[upload.pk, "pdf"])).status_code == 404
    response = client.get(reverse("uploads:template", args=["xlsx"]))
    assert response["Content-Disposition"] == 'attachment; filename="templat-pekerja.xlsx"'
    assert client.get(reverse("uploads:template", args=["doc"])).status_code == 404


@pytest.mark.parametrize("who", ["employer_b", "officer_bulungan", "analyst"])
def test_someone_elses_upload_is_not_found(client, world, who):
    _login(client, world)
    _post(client, world.employer_a, csv_bytes([worker(1)]))
    upload = WorkerUpload.objects.get()
    client.logout()
    _login(client, world, who)
    assert client.get(reverse("uploads:detail", args=[upload.pk])).status_code == 404
    assert client.post(reverse("uploads:accept", args=[upload.pk])).status_code == 404
    assert client.post(reverse("uploads:discard", args=[upload.pk])).status_code == 404
    assert client.get(reverse("uploads:report", args=[upload.pk, "csv"])).status_code == 404
    assert client.get(reverse("uploads:detail", args=[upload.pk + 1])).status_code == 404
    upload.refresh_from_db()
    assert upload.status == UploadStatus.VALIDATED
    assert not Membership.objects.exists()
    page = client.get(reverse("uploads:form")).content.decode()
    assert "pekerja.csv" not in page


def test_the_office_sees_and_accepts_its_employers_upload(client, world):
    _login(client, world)
    _post(client, world.employer_a, csv_bytes([worker(1)]))
    upload = WorkerUpload.objects.get()
    client.logout()
    _login(client, world, "officer_bandung")
    assert "pekerja.csv" in client.get(reverse("uploads:form")).content.decode()
    client.post(reverse("uploads:accept", args=[upload.pk]))
    assert Membership.objects.get().channel == "branch"
