"""The partner pages: figures on the page, forms, refusals."""

from __future__ import annotations

from datetime import date

from django.test import Client

from jamsos.access.models import Role
from jamsos.membership.models import BranchOffice
from jamsos.membership.services.accounts import user_access_grant
from jamsos.partners.models import Agreement, OutreachEvent, Partner
from jamsos.partners.services.agreements import agreement_target_add
from jamsos.partners.services.attribution import events_attribute
from jamsos.partners.services.events import event_record
from jamsos.partners.tests.agreements.world import OPERATOR, TODAY, World, member


def _login(username: str, role: str, **binding) -> Client:
    access = user_access_grant(username=username, role=role, **binding)
    client = Client(headers={"accept-language": "id"})
    client.force_login(access.user)
    return client


def _officer() -> Client:
    return _login(
        "cabang", Role.BRANCH_OFFICER, branch_office=BranchOffice.objects.get(code="KC3204")
    )


def test_partner_pages_show_figures(world: World) -> None:
    client = _officer()
    page = client.get("/mitra/").content.decode()
    assert "APINDO Kabupaten Bandung" in page
    assert "60%" in page  # paying after 3 months
    assert "Rp3.333.333" in page
    detail = client.get("/mitra/m/apindo-bdg/").content.decode()
    assert "PKS-001/2025" in detail
    assert "Siti Rahma" in detail
    assert "+6281234567890" not in detail
    assert "/cakupan/plotly/basic.js?v=4.1.1" in detail  # bars: the bar bundle
    assert 'class="partners-bars"' in detail


def test_agreement_page_progress_and_forms(world: World) -> None:
    agreement_target_add(
        scope=OPERATOR,
        agreement=world.a1,
        period_from="2025-01",
        period_to="2025-03",
        enrolments=4,
        active=2,
        today=TODAY,
    )
    client = _officer()
    page = client.get(f"/mitra/pks/{world.a1.pk}/").content.decode()
    assert "3 / 4 (75%)" in page
    assert 'aria-valuenow="75"' in page
    assert "2025-01" in page
    assert "2025-02" in page
    r = client.post(
        f"/mitra/pks/{world.a1.pk}/target/",
        {"period_from": "2026-01", "period_to": "2026-02", "enrolments": "5"},
    )
    assert r.status_code == 302
    assert world.a1.targets.count() == 1  # refused: outside the agreement's months
    r = client.post(
        "/mitra/pks/tambah/",
        {
            "number": "PKS-WEB-1",
            "title": "Dari web",
            "partner": "pemkab-bdg",
            "starts_on": "2025-02-01",
            "ends_on": "2025-01-01",
            "branch_office": "KC3204",
        },
    )
    assert r.status_code == 400
    assert "Tanggal berakhir (2025-01-01) tidak boleh sebelum" in r.content.decode()
    r = client.post(
        "/mitra/pks/tambah/",
        {
            "number": "PKS-WEB-1",
            "title": "Dari web",
            "partner": "pemkab-bdg",
            "starts_on": "2025-02-01",
            "ends_on": "2025-09-01",
            "branch_office": "KC3204",
            "segments": ["BPU"],
        },
    )
    assert r.status_code == 302
    assert Agreement.objects.get(number="PKS-WEB-1").segments == "BPU"
    ending = client.get("/mitra/pks/berakhir/").content.decode()
    assert "PKS-WEB-1" not in ending  # a draft is not listed


def test_partner_and_event_forms(world: World) -> None:
    client = _officer()
    r = client.post(
        "/mitra/tambah/",
        {
            "code": "pemdes-x",
            "name": "Pemdes",
            "kind": "regional_government",
            "branch_office": "KC3204",
        },
    )
    assert r.status_code == 400
    assert "Wilayah wajib untuk pemerintah daerah" in r.content.decode()
    r = client.post(
        "/mitra/tambah/",
        {
            "code": "pemdes-x",
            "name": "Pemdes Cileunyi Kulon",
            "kind": "regional_government",
            "region": "32.04.05.2001",
            "branch_office": "KC3204",
            "contact_name": "Pak Lurah",
        },
    )
    assert r.status_code == 302
    assert Partner.objects.get(code="pemdes-x").contacts.count() == 1
    r = client.post(
        "/mitra/acara/tambah/",
        {
            "kind": "talk_show",
            "title": "Talk show radio",
            "held_on": "2025-03-01",
            "region": "32.04.05",
            "branch_office": "KC3204",
            "partners": ["apindo-bdg"],
            "attendance": "120",
        },
    )
    assert r.status_code == 302, r.content.decode()[:2000]
    event = OutreachEvent.objects.get()
    member(world.regions, "cileunyi_kulon", date(2025, 3, 1))
    events_attribute(scope=OPERATOR)
    page = client.get(f"/mitra/acara/{event.pk}/").content.decode()
    assert "120" in page
    assert "1 <small>(1" in page
    assert "Talk show radio" in client.get("/mitra/acara/").content.decode()


def test_refusals(world: World) -> None:
    event_record(
        scope=OPERATOR,
        kind="audience",
        title="Audiensi",
        held_on=date(2025, 3, 1),
        region="32.04",
        branch_office="KC3204",
        today=TODAY,
    )
    worker = _login("peserta", Role.WORKER, person=world.m["m1"].person)
    assert worker.get("/mitra/").status_code == 403
    assert worker.get(f"/mitra/pks/{world.a1.pk}/").status_code == 403
    partner = _login("mitra", Role.PARTNER_USER, partner_ref="pemkab-bdg")
    assert partner.get("/mitra/m/apindo-bdg/").status_code == 404
    assert partner.get(f"/mitra/pks/{world.a1.pk}/").status_code == 404
    assert partner.get("/mitra/tambah/").status_code == 403
    assert partner.post(f"/mitra/pks/{world.a1.pk}/target/", {}).status_code == 404
    analyst = _login("analis", Role.ANALYST)
    page = analyst.get("/mitra/m/apindo-bdg/").content.decode()
    assert "Siti Rahma" not in page
    assert "PKS-001/2025" in page
    assert Client().get("/mitra/").status_code == 302
