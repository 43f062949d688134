"""The billing read API: scoped like the pages, errors in the API's shape."""

from __future__ import annotations

from datetime import date

from django.test import Client

from jamsos.billing.models import BillingRun, JhtEntry, JhtKind
from jamsos.billing.tests.conftest import Site
from jamsos.core.masking import mask_nik

API = "/api/v1/billing"


def test_anonymous_gets_401(site: Site) -> None:
    response = Client().get(f"{API}/arrears")
    assert response.status_code == 401


def test_runs(site: Site) -> None:
    listing = site.client("analis").get(f"{API}/runs").json()
    ids = [r["id"] for r in listing["items"]]
    assert ids[0] == site.run.pk
    assert ids == sorted(BillingRun.objects.values_list("pk", flat=True), reverse=True)
    detail = site.client("admin").get(f"{API}/runs/{site.run.pk}").json()
    assert detail["rejects"] == [{"field": "wage", "code": "no_wage", "count": 1}]
    assert detail["progress_done"] == 300
    missing = site.client("admin").get(f"{API}/runs/999999")
    assert missing.status_code == 404
    assert missing.json()["code"] == "billing.run_not_found"
    refused = site.client("cabang").get(f"{API}/runs")
    assert refused.status_code == 403


def test_payer_and_invoices_are_scoped(site: Site) -> None:
    officer = site.client("cabang")
    payer = officer.get(f"{API}/payers/{site.home.pk}").json()
    assert payer["virtual_account"] == site.home.virtual_account
    assert payer["arrears"]["d31_60_idr"] == 1_200_000
    far = officer.get(f"{API}/payers/{site.far.pk}")
    assert far.status_code == 404
    assert far.json()["code"] == "billing.payer_not_found"
    listing = officer.get(f"{API}/invoices").json()
    assert [i["number"] for i in listing["items"]] == [site.invoice.number]
    filtered = site.client("admin").get(f"{API}/invoices?payer={site.far.pk}&period=2025-03")
    assert [i["number"] for i in filtered.json()["items"]] == [site.far_invoice.number]
    bad = site.client("admin").get(f"{API}/invoices?period=March")
    assert bad.status_code == 400
    assert bad.json()["code"] == "billing.bad_period"
    assert officer.get(f"{API}/invoices?payer={site.far.pk}").status_code == 404


def test_invoice_detail_and_pdf(site: Site) -> None:
    officer = site.client("cabang")
    body = officer.get(f"{API}/invoices/{site.invoice.number}?lines_limit=1").json()
    assert body["total_idr"] == 1_200_000
    assert [i["program"] for i in body["items"]] == ["JKK", "JHT"]
    assert len(body["lines"]) == 1
    assert body["lines"][0]["nik"] == mask_nik(site.world.worker_a.person.nik)
    pdf = officer.get(f"{API}/invoices/{site.invoice.number}.pdf")
    assert pdf.status_code == 200
    assert pdf.content.startswith(b"%PDF")
    other = site.client("cabang_b")
    assert other.get(f"{API}/invoices/{site.invoice.number}").status_code == 404
    assert other.get(f"{API}/invoices/{site.invoice.number}.pdf").status_code == 404


def test_arrears(site: Site) -> None:
    office = site.client("cabang").get(f"{API}/arrears").json()
    assert [r["payer"]["id"] for r in office["items"]] == [site.home.pk]
    assert office["totals"]["total_idr"] == 1_200_000
    every = site.client("admin").get(f"{API}/arrears?limit=1").json()
    assert every["payers"] == 3
    assert every["items"][0]["payer"]["id"] == site.far.pk  # the oldest first
    assert site.client("perusahaan").get(f"{API}/arrears").status_code == 403
    bad = site.client("admin").get(f"{API}/arrears?as_of=yesterday")
    assert bad.status_code == 400
    assert bad.json()["code"] == "billing.bad_date"


def test_arrears_filters_as_on_the_page(site: Site) -> None:
    admin = site.client("admin")

    def ids(query: str) -> list[int]:
        body = admin.get(f"{API}/arrears?{query}").json()
        assert body["payers"] == len(body["items"])
        return sorted(r["payer"]["id"] for r in body["items"])

    assert ids("kind=bpu") == [site.person_payer.pk]
    assert ids("kind=pemberi_kerja") == sorted([site.home.pk, site.far.pk])
    assert ids("age=d90_plus") == [site.far.pk]
    assert ids("min_idr=1.000.000") == [site.home.pk]
    assert ids("max_idr=77777") == sorted([site.far.pk, site.person_payer.pk])
    assert ids("office=KC6501") == [site.far.pk]
    assert ids("mine=true") == []
    for query, field in (
        ("kind=koperasi", "payer_kind"),
        ("age=old", "age_band"),
        ("min_idr=lots", "min_amount"),
        ("min_idr=5&max_idr=4", "max_amount"),
        ("office=KC0000", "office"),
    ):
        refused = admin.get(f"{API}/arrears?{query}")
        assert refused.status_code == 400, query
        assert field in refused.json()["fields"], query


def test_jht_statement(site: Site) -> None:
    person = site.world.bpu_person
    JhtEntry.objects.create(
        person=person,
        kind=JhtKind.CONTRIBUTION,
        period="2025-03",
        amount_idr=20_000,
        booked_on=date(2025, 4, 2),
    )
    own = site.client("peserta").get(f"{API}/jht/{person.pk}?year=2025").json()
    assert (own["opening_idr"], own["closing_idr"]) == (0, 20_000)
    assert own["nik"] == mask_nik(person.nik)
    assert site.client("cabang").get(f"{API}/jht/{person.pk}").status_code == 200
    assert site.client("cabang_b").get(f"{API}/jht/{person.pk}").status_code == 404
    assert site.client("analis").get(f"{API}/jht/{person.pk}").status_code == 403
