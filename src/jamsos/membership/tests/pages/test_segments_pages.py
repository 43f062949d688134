"""The branch officer's pages for construction projects (Jakon) and migrant workers (PMI):
Indonesian first, who may open them, what a registration writes and shows, and refusals next
to their field with nothing written."""

from __future__ import annotations

from datetime import date

import pytest

from jamsos.membership.models import ConstructionProject, Membership, Placement
from jamsos.membership.tests.factories import PersonDataFactory
from jamsos.membership.tests.pages.test_pages import client_for, field_error, html

JAKON = "/kerja/daftar/jakon/"
PMI = "/kerja/daftar/pmi/"


def project_form(world, **change):
    form = {
        "npp": world.employer_a.npp,
        "name": "Jembatan Citarum",
        "contract_value": "2.000.000.000",
        "village": world.employer_a.address_village.code,
        "start_date": "2026-06-01",
        "end_date": "2027-05-31",
    }
    form.update(change)
    return form


def pmi_form(world, regions, **change):
    data = PersonDataFactory(domicile=regions.cileunyi_kulon, serial=9301)
    form = {
        "person_mode": "new",
        "nik": data.nik,
        "name": data.name,
        "birth_date": data.birth_date.isoformat(),
        "sex": data.sex,
        "domicile": regions.cileunyi_kulon.code,
        "destination_country": "MY",
        "placement_months": "24",
        "start_date": "2026-06-01",
    }
    form.update(change)
    return form


def test_the_office_home_links_both_pages_in_indonesian(world):
    page = html(client_for(world, "cabang").get("/kerja/"))
    assert JAKON in page
    assert "Daftarkan proyek jasa konstruksi (Jakon)" in page
    assert PMI in page
    assert "Daftarkan pekerja migran (PMI)" in page


@pytest.mark.parametrize("url", [JAKON, PMI])
def test_the_pages_open_for_officers_and_administrators_only(world, url):
    for name in ("admin", "cabang"):
        assert client_for(world, name).get(url).status_code == 200, name
    for name in ("perusahaan", "peserta", "mitra", "analis", "norole"):
        assert client_for(world, name).get(url).status_code == 403, name


def test_the_jakon_page_is_in_indonesian(world):
    page = html(client_for(world, "cabang").get(JAKON))
    for words in ("Nama proyek", "Nilai kontrak (Rp)", "Desa/kelurahan lokasi proyek", "SPK"):
        assert words in page


def test_an_officer_registers_a_project_and_sees_what_is_billed(world):
    client = client_for(world, "cabang")
    response = client.post(JAKON, project_form(world), follow=True)
    page = html(response)
    assert response.redirect_chain[-1][0] == f"/kerja/pemberi-kerja/{world.employer_a.npp}/"
    project = ConstructionProject.objects.get()
    assert project.contract_value_idr == 2_000_000_000
    assert "Terdaftar: proyek Jembatan Citarum" in page
    assert "Rp2.950.000" in page


@pytest.mark.parametrize(
    ("change", "field", "words"),
    [
        ({"contract_value": "dua miliar"}, "contract_value", "rupiah"),
        ({"end_date": "2026-05-01"}, "end_date", "sebelum tanggal mulai"),
        ({"start_date": "2014-01-01", "end_date": "2014-02-01"}, "start_date", "2015"),
        ({"name": ""}, "name", ""),
    ],
)
def test_bad_project_input_is_shown_at_its_field(world, change, field, words):
    page = html(client_for(world, "cabang").post(JAKON, project_form(world, **change)))
    assert field_error(page, field), page
    assert words in field_error(page, field)
    assert not ConstructionProject.objects.exists()


def test_another_offices_contractor_is_refused_at_the_npp(world):
    form = project_form(world, npp=world.employer_b.npp)
    page = html(client_for(world, "cabang").post(JAKON, form))
    assert world.employer_b.npp in field_error(page, "npp")
    assert not ConstructionProject.objects.exists()


def test_an_officer_registers_a_migrant_worker(world, regions):
    client = client_for(world, "cabang")
    response = client.post(PMI, pmi_form(world, regions), follow=True)
    page = html(response)
    membership = Membership.objects.get(segment="PMI")
    assert membership.placement is not None
    assert membership.placement.end_date == date(2028, 6, 1)
    assert f"KPJ {membership.kpj}" in page
    assert "Rp370.000" in page


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"destination_country": "M"}, "destination_country"),
        ({"placement_months": "0"}, "placement_months"),
        ({"placement_months": "dua"}, "placement_months"),
        ({"start_date": "2100-01-01"}, "start_date"),
        ({"name": ""}, "name"),
    ],
)
def test_bad_placement_input_is_shown_at_its_field(world, regions, change, field):
    page = html(client_for(world, "cabang").post(PMI, pmi_form(world, regions, **change)))
    assert field_error(page, field), page
    assert not Placement.objects.exists()
    assert not Membership.objects.filter(segment="PMI").exists()


def test_the_other_office_may_not_register_a_bandung_resident(world, regions):
    page = html(client_for(world, "cabang_b").post(PMI, pmi_form(world, regions)))
    assert "wilayah layanan kantor cabang" in field_error(page, "domicile")
    assert not Placement.objects.exists()
