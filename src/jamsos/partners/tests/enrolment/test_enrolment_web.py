"""The enrolment pages: the officer's waiting list, a batch with masked NIKs, approval."""

from __future__ import annotations

from datetime import date

from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from jamsos.membership.models import Membership
from jamsos.partners.models import EnrolmentBatch
from jamsos.partners.tests.enrolment.test_enrolment import (
    BPU_HEADER,
    TODAY,
    World,
    _bpu_rows,
    csv_bytes,
    nik,
)


def test_upload_review_and_approve_in_the_browser(
    client: Client,
    world: World,
    monkeypatch,
) -> None:
    monkeypatch.setattr(
        "jamsos.partners.services.enrolment.today_in_jakarta", lambda now=None: TODAY
    )
    rows, _ = _bpu_rows(world)
    client.force_login(world.users["mitra_baznas"])
    form = client.get("/mitra/pendaftaran/unggah/")
    assert form.status_code == 200
    assert "kode_desa / village_code" in form.content.decode()
    response = client.post(
        "/mitra/pendaftaran/unggah/",
        {
            "kind": "sponsored",
            "key": "web-1",
            "term_from": "2025-03-01",
            "term_until": "2025-12-31",
            "file": SimpleUploadedFile("a.csv", csv_bytes(BPU_HEADER, rows)),
        },
    )
    batch = EnrolmentBatch.objects.get()
    assert response.status_code == 302
    assert response["Location"].endswith(f"/{batch.pk}/")
    page = client.get(f"/mitra/pendaftaran/{batch.pk}/").content.decode()
    assert nik(101) not in page
    assert nik(101)[:4] + "********" + nik(101)[-4:] in page
    assert f"/{batch.pk}/setujui/" not in page  # the uploader gets no approve button

    client.force_login(world.users["petugas_a"])
    waiting = client.get("/mitra/pendaftaran/").content.decode()
    assert f"/mitra/pendaftaran/{batch.pk}/" in waiting
    assert f"/{batch.pk}/setujui/" in client.get(f"/mitra/pendaftaran/{batch.pk}/").content.decode()
    client.post(f"/mitra/pendaftaran/{batch.pk}/setujui/", {"note": ""})
    batch.refresh_from_db()
    assert batch.status == "enrolled"
    assert Membership.objects.filter(partner_ref="baznas-bandung").count() == 3
    download = client.get(f"/mitra/pendaftaran/{batch.pk}/hasil.xlsx")
    assert download.status_code == 200
    assert download.content.startswith(b"PK")

    client.force_login(world.users["petugas_bulungan"])
    assert client.get(f"/mitra/pendaftaran/{batch.pk}/").status_code == 404


def test_wrong_columns_on_the_page(client: Client, world: World) -> None:
    client.force_login(world.users["mitra_baznas"])
    response = client.post(
        "/mitra/pendaftaran/unggah/",
        {
            "kind": "sponsored",
            "key": "web-2",
            "term_from": "2025-03-01",
            "term_until": "2025-12-31",
            "file": SimpleUploadedFile("a.csv", csv_bytes(["nik", "nama"], [[nik(1), "A"]])),
        },
    )
    assert response.status_code == 400
    assert "kode_desa / village_code" in response.content.decode()
    assert not EnrolmentBatch.objects.exists()
    assert date(2025, 3, 1)
