"""The upload API: create, status, report, commit, discard, template; auth, scope, errors."""

from __future__ import annotations

from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from jamsos.access.models import AuditAction, AuditEvent
from jamsos.access.services import api_token_issue
from jamsos.membership.models import Membership, Person
from jamsos.membership.tests.factories import person_create
from jamsos.uploads.models import UploadStatus, WorkerUpload
from jamsos.uploads.tests.conftest import csv_bytes, worker, xlsx_bytes

# The project URLconf mounts the pages at /unggah/ and the router at /api/v1/uploads.

BASE = "/api/v1/uploads"


def _send(client, employer, content, name="pekerja.csv", **extra):
    return client.post(
        BASE, {"employer": employer.npp, "file": SimpleUploadedFile(name, content)}, **extra
    )


@pytest.fixture
def signed_in(client, world):
    client.force_login(world.users["employer_a"])
    return client


def test_upload_check_status_and_commit(signed_in, world, regions):
    person_create(domicile=regions.cileunyi_kulon, serial=7)
    rows = [
        worker(1),
        worker(2, nik="32040517059"),  # bad NIK
        worker(3, district="320401"),  # district that does not exist
        worker(4, birth=date(2099, 1, 1)),  # born in the future
        worker(5),
        worker(5),  # twice in the file
        worker(7),  # registered already: accepted as that person
    ]
    people = Person.objects.count()
    response = _send(signed_in, world.employer_a, csv_bytes(rows))
    assert response.status_code == 201, response.content
    body = response.json()
    assert (body["rows"], body["valid"], body["rejected"], body["existing_people"]) == (7, 2, 5, 1)
    assert body["status"] == "validated"
    assert body["employer_npp"] == world.employer_a.npp
    by_row = {r["row"]: r for r in body["rejected_rows"]}
    assert [r["code"] for r in by_row[3]["reasons"]] == ["membership.invalid_nik"]
    assert by_row[3]["reasons"][0]["message"] == "NIK 32040517059 tidak sah: harus 16 angka."
    assert [r["code"] for r in by_row[4]["reasons"]] == ["membership.nik_region_unknown"]
    assert "membership.birth_date_in_future" in [r["code"] for r in by_row[5]["reasons"]]
    assert [r["code"] for r in by_row[6]["reasons"]] == ["uploads.duplicate_in_file"]
    assert [r["code"] for r in by_row[7]["reasons"]] == ["uploads.duplicate_in_file"]
    assert body["report_xlsx"].endswith(f"/uploads/{body['id']}/report?format=xlsx")
    assert Person.objects.count() == people  # nothing written before the commit
    assert not Membership.objects.exists()

    status = signed_in.get(f"{BASE}/{body['id']}?lang=en").json()
    assert status["rejected_rows"][0]["reasons"][0]["message"] == (
        "NIK 32040517059 is not valid: must be 16 digits."
    )

    committed = signed_in.post(f"{BASE}/{body['id']}/commit")
    assert committed.status_code == 200
    assert committed.json()["status"] == "committed"
    assert committed.json()["written"] == 2
    assert Membership.objects.count() == 2
    again = signed_in.post(f"{BASE}/{body['id']}/commit")
    assert again.status_code == 409
    assert again.json()["code"] == "uploads.not_committable"


def test_bearer_token_and_the_report(client, world):
    token = api_token_issue(user=world.users["officer_bandung"], name="hr-sync").raw
    auth = {"HTTP_AUTHORIZATION": f"Bearer {token}"}
    response = _send(
        client, world.employer_a, xlsx_bytes([worker(1), worker(2, upah="x")]), "w.xlsx", **auth
    )
    assert response.status_code == 201
    upload_id = response.json()["id"]
    report = client.get(f"{BASE}/{upload_id}/report?format=csv&rows=rejected&lang=en", **auth)
    assert report.status_code == 200
    assert report["Content-Disposition"] == (
        f'attachment; filename="upload-report-{upload_id}-rejected.csv"'
    )
    text = report.content.decode("utf-8-sig")
    assert "Wage 'x' is not a whole rupiah amount" in text
    assert AuditEvent.objects.filter(action=AuditAction.EXPORT).count() == 1
    assert client.get(f"{BASE}/{upload_id}/report?format=pdf", **auth).status_code == 400


def test_no_credentials_is_refused(client, world):
    response = _send(client, world.employer_a, csv_bytes([worker(1)]))
    assert response.status_code == 401
    assert response.json()["code"] == "unauthorized"
    assert not WorkerUpload.objects.exists()


@pytest.mark.parametrize(
    ("content", "name", "status", "code"),
    [
        (b"%PDF-1.4 renamed", "pekerja.csv", 400, "uploads.wrong_file_type"),
        (b"", "kosong.csv", 400, "uploads.empty_file"),
        (csv_bytes([]), "judul.csv", 400, "uploads.no_rows"),
        (b"nik,nama\n1,2\n", "kolom.csv", 400, "uploads.missing_columns"),
    ],
)
def test_bad_files_get_the_error_shape(signed_in, world, content, name, status, code):
    response = _send(signed_in, world.employer_a, content, name)
    assert response.status_code == status
    body = response.json()
    assert body["code"] == code
    assert body["fields"]["file"] == [body["message"]]
    assert not WorkerUpload.objects.exists()


def test_too_big_and_too_long(signed_in, world, settings):
    settings.JAMSOS_UPLOAD_MAX_ROWS = 1
    response = _send(signed_in, world.employer_a, csv_bytes([worker(1), worker(2)]))
    assert (response.status_code, response.json()["code"]) == (413, "uploads.too_many_rows")
    settings.JAMSOS_UPLOAD_MAX_BYTES = 1024 * 1024
    response = _send(
        signed_in, world.employer_a, b"a" * (1024 * 1024 + 10), HTTP_ACCEPT_LANGUAGE="en"
    )
    assert (response.status_code, response.json()["code"]) == (413, "uploads.file_too_large")
    assert response.json()["message"].endswith("is larger than 1 MB. Split it into several files.")
    assert not WorkerUpload.objects.exists()


def test_scope_of_the_employer_and_of_the_role(client, world):
    client.force_login(world.users["employer_b"])
    response = _send(client, world.employer_a, csv_bytes([worker(1)]))
    assert (response.status_code, response.json()["code"]) == (
        404,
        "membership.employer_not_found",
    )
    client.force_login(world.users["analyst"])
    response = _send(client, world.employer_a, csv_bytes([worker(1)]))
    assert (response.status_code, response.json()["code"]) == (403, "access.not_permitted")
    assert not WorkerUpload.objects.exists()


@pytest.mark.parametrize("who", ["employer_b", "officer_bulungan"])
def test_someone_elses_upload_is_404_everywhere(signed_in, world, who):
    upload_id = _send(signed_in, world.employer_a, csv_bytes([worker(1)])).json()["id"]
    signed_in.force_login(world.users[who])
    for method, path in [
        ("get", f"{BASE}/{upload_id}"),
        ("get", f"{BASE}/{upload_id}/report?format=xlsx"),
        ("post", f"{BASE}/{upload_id}/commit"),
        ("post", f"{BASE}/{upload_id}/discard"),
        ("get", f"{BASE}/{upload_id + 1}"),
    ]:
        response = getattr(signed_in, method)(path)
        assert response.status_code == 404, path
        assert response.json()["code"] == "uploads.upload_not_found"
    assert WorkerUpload.objects.get().status == UploadStatus.VALIDATED
    assert not Membership.objects.exists()


def test_discard_and_template(signed_in, world):
    upload_id = _send(signed_in, world.employer_a, csv_bytes([worker(1)])).json()["id"]
    response = signed_in.post(f"{BASE}/{upload_id}/discard")
    assert response.json()["status"] == "discarded"
    commit = signed_in.post(f"{BASE}/{upload_id}/commit?lang=en")
    assert commit.status_code == 409
    assert "only a validated upload can be accepted" in commit.json()["message"]
    template = signed_in.get(f"{BASE}/template?format=csv&lang=en")
    assert template.status_code == 200
    assert template.content.decode("utf-8-sig").startswith("nik,name,birth_date")


def test_a_browser_session_must_send_the_csrf_token(world):
    from django.test import Client

    browser = Client(enforce_csrf_checks=True)
    browser.force_login(world.users["employer_a"])
    response = _send(browser, world.employer_a, csv_bytes([worker(1)]))
    assert response.status_code == 403
    assert response.json()["code"] == "csrf_failed"
    assert not WorkerUpload.objects.exists()
