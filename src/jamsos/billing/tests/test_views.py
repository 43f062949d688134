"""Billing pages, role by role: what each one sees, and 404 for what is out of scope."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest
from django.test import Client

from jamsos.access.models import AuditEvent
from jamsos.billing.models import BillingRun, JhtEntry, JhtKind
from jamsos.billing.tests.conftest import Site
from jamsos.core.clock import today_in_jakarta
from jamsos.core.masking import mask_nik


def text(response: Any) -> str:
    return response.content.decode()


def test_anonymous_is_sent_to_sign_in(site: Site) -> None:
    response = Client().get("/iuran/")
    assert response.status_code == 302
    assert "/masuk/" in response["Location"]


def test_home_for_each_role(site: Site) -> None:
    admin = text(site.client("admin").get("/iuran/"))
    assert "/iuran/tunggakan/" in admin
    assert f"/iuran/penagihan/{site.run.pk}/" in admin
    assert "PT Kaltara Jaya" not in admin  # the national list is a page of its own
    assert "PT Kaltara Jaya" in text(site.client("admin").get("/iuran/tunggakan/"))
    office = site.client("cabang").get("/iuran/")
    assert office.status_code == 200
    assert "PT Maju Bersama" in text(office)
    assert "PT Kaltara Jaya" not in text(office)
    employer = site.client("perusahaan").get("/iuran/")
    assert employer.status_code == 302
    assert employer["Location"] == f"/iuran/pembayar/{site.home.pk}/"
    worker = text(site.client("peserta").get("/iuran/"))
    assert "/iuran/jht/" in worker
    assert f"/iuran/pembayar/{site.person_payer.pk}/" in worker
    analyst = site.client("analis").get("/iuran/")
    assert analyst.status_code == 200
    assert "PT Maju Bersama" not in text(analyst)
    assert "Rp77.777" in text(analyst)  # the national total of the over-90 bucket
    assert site.client("norole").get("/iuran/").status_code == 200
    assert site.client("mitra").get("/iuran/").status_code == 200


def test_runs_pages(site: Site) -> None:
    listing = site.client("admin").get("/iuran/penagihan/")
    assert listing.status_code == 200
    assert f"/iuran/penagihan/{site.run.pk}/" in text(listing)
    page = text(site.client("analis").get(f"/iuran/penagihan/{site.run.pk}/"))
    assert 'http-equiv="refresh"' in page
    assert "no_wage" in page
    assert 'aria-valuenow="30"' in page
    BillingRun.objects.filter(pk=site.run.pk).update(status="finished")
    finished = text(site.client("admin").get(f"/iuran/penagihan/{site.run.pk}/"))
    assert 'http-equiv="refresh"' not in finished
    assert site.client("cabang").get("/iuran/penagihan/").status_code == 403
    assert site.client("admin").get("/iuran/penagihan/999999/").status_code == 404


def test_payer_page_in_and_out_of_scope(site: Site) -> None:
    page = site.client("cabang").get(f"/iuran/pembayar/{site.home.pk}/")
    assert page.status_code == 200
    body = text(page)
    assert site.invoice.number in body
    assert "Rp1.200.000" in body
    case_link = f'href="/iuran/tunggakan/{site.home.pk}/"'
    assert case_link in page.content.decode()
    employer_view = site.client("perusahaan").get(f"/iuran/pembayar/{site.home.pk}/")
    assert case_link not in employer_view.content.decode()
    assert site.client("cabang").get(f"/iuran/pembayar/{site.far.pk}/").status_code == 404
    assert site.client("cabang_b").get(f"/iuran/pembayar/{site.home.pk}/").status_code == 404
    assert site.client("perusahaan").get(f"/iuran/pembayar/{site.home.pk}/").status_code == 200
    assert site.client("perusahaan").get(f"/iuran/pembayar/{site.far.pk}/").status_code == 404
    assert site.client("analis").get(f"/iuran/pembayar/{site.home.pk}/").status_code == 403


def test_invoice_page_and_pdf(site: Site) -> None:
    url = f"/iuran/tagihan/{site.invoice.number}/"
    page = site.client("perusahaan").get(url)
    assert page.status_code == 200
    body = text(page)
    assert site.world.worker_a.kpj in body
    assert mask_nik(site.world.worker_a.person.nik) in body
    assert site.world.worker_a.person.nik not in body
    assert "satu juta dua ratus ribu rupiah" in body
    pdf = site.client("cabang").get(url + "pdf")
    assert pdf.status_code == 200
    assert pdf["Content-Type"] == "application/pdf"
    assert pdf.content.startswith(b"%PDF")
    assert site.client("cabang_b").get(url).status_code == 404
    assert site.client("cabang_b").get(url + "pdf").status_code == 404
    assert site.client("peserta").get(url).status_code == 404
    assert site.client("cabang").get("/iuran/tagihan/NOPE/").status_code == 404


def test_invoice_page_in_english(site: Site) -> None:
    client = site.client("admin")
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    body = text(client.get(f"/iuran/tagihan/{site.invoice.number}/"))
    assert "Rp1,200,000" in body
    assert "What is due" in body


def test_page_speaks_indonesian_first(site: Site) -> None:
    body = text(site.client("admin").get(f"/iuran/tagihan/{site.invoice.number}/"))
    assert "Rincian tagihan" in body
    assert "Jatuh tempo" in body


def test_arrears_list_and_csv_are_scoped(site: Site) -> None:
    office = site.client("cabang").get("/iuran/tunggakan/")
    assert office.status_code == 200
    body = text(office)
    assert "PT Maju Bersama" in body
    assert "PT Kaltara Jaya" not in body
    far = text(site.client("cabang_b").get("/iuran/tunggakan/"))
    assert "PT Kaltara Jaya" in far
    assert "PT Maju Bersama" not in far
    response = site.client("cabang").get("/iuran/tunggakan/csv")
    assert response.status_code == 200
    rows = b"".join(response.streaming_content).decode().splitlines()
    # The column titles are in the reader's language (Bahasa Indonesia first).
    assert rows[0].startswith("ID pembayar,Nama,Jenis,")
    assert len(rows) == 2
    assert "1200000" in rows[1]
    assert AuditEvent.objects.filter(action="export", target_type="billing.arrears").exists()
    assert site.client("perusahaan").get("/iuran/tunggakan/").status_code == 403
    assert site.client("analis").get("/iuran/tunggakan/csv").status_code == 403


@pytest.mark.parametrize("value", ["0001-01-01", "9999-12-31", "2015-06-30", "kemarin"])
def test_arrears_date_out_of_bounds_is_a_400_never_a_500(site: Site, value: str) -> None:
    client = site.client("cabang")
    client.raise_request_exception = True  # a crash fails the test instead of becoming a page
    response = client.get("/iuran/tunggakan/", {"tanggal": value})
    assert response.status_code == 400
    body = text(response)
    assert "Pilih tanggal dari 1 Juli 2015 sampai" in body
    assert f"(diterima: {value})" in body
    assert 'href="/iuran/tunggakan/"' in body  # back to today's list
    assert "Traceback" not in body
    csv = client.get("/iuran/tunggakan/csv", {"tanggal": value})
    assert csv.status_code == 400
    assert not AuditEvent.objects.filter(target_type="billing.arrears").exists()


def test_arrears_date_bounds_and_english(site: Site) -> None:
    client = site.client("cabang")
    assert client.get("/iuran/tunggakan/", {"tanggal": "2015-07-01"}).status_code == 200
    ahead = today_in_jakarta() + timedelta(days=366)
    assert client.get("/iuran/tunggakan/", {"tanggal": ahead.isoformat()}).status_code == 200
    too_far = (ahead + timedelta(days=1)).isoformat()
    assert client.get("/iuran/tunggakan/", {"tanggal": too_far}).status_code == 400
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    body = text(client.get("/iuran/tunggakan/", {"tanggal": "0001-01-01"}))
    assert "Choose a date from 1 July 2015 to" in body
    assert "Bad request" in body


def test_jht_pages(site: Site) -> None:
    person = site.world.bpu_person
    JhtEntry.objects.create(
        person=person,
        kind=JhtKind.CONTRIBUTION,
        period="2025-03",
        amount_idr=20_000,
        booked_on=date(2025, 4, 2),
    )
    own = site.client("peserta").get("/iuran/jht/")
    assert own.status_code == 200
    assert "Rp20.000" in text(own)
    assert "dua puluh ribu rupiah" in text(own)
    pdf = site.client("peserta").get("/iuran/jht/pdf?tahun=2025")
    assert pdf.content.startswith(b"%PDF")
    officer = site.client("cabang").get(f"/iuran/jht/{person.pk}/")
    assert officer.status_code == 200
    assert mask_nik(person.nik) in text(officer)
    assert person.nik not in text(officer)
    assert site.client("cabang").get(f"/iuran/jht/{person.pk}/pdf").status_code == 200
    assert site.client("cabang_b").get(f"/iuran/jht/{person.pk}/").status_code == 404
    assert site.client("cabang_b").get(f"/iuran/jht/{person.pk}/pdf").status_code == 404
    assert site.client("pekerja_pu").get(f"/iuran/jht/{person.pk}/").status_code == 404
    assert site.client("cabang").get("/iuran/jht/").status_code == 403
    assert site.client("analis").get(f"/iuran/jht/{person.pk}/").status_code == 403
