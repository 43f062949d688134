"""The registry's web pages, role by role: what each one sees, may do, and what is audited."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from datetime import date, timedelta
from html import unescape

import pytest
from django.contrib.auth import get_user_model
from django.test import Client

from jamsos.access.models import AuditEvent, Role
from jamsos.core.clock import today_in_jakarta
from jamsos.core.masking import mask_nik, mask_phone
from jamsos.membership.identifiers import nik_make
from jamsos.membership.models import (
    BranchOffice,
    Employer,
    Membership,
    MembershipEvent,
    Person,
    WageReport,
)
from jamsos.membership.services import (
    bpu_self_register,
    branch_office_create,
    pu_worker_register,
)
from jamsos.membership.services.accounts import user_access_grant
from jamsos.membership.tests.factories import employer_create, person_create
from jamsos.membership.tests.fixtures import TODAY, Regions
from jamsos.web.common import url_or_none

WORK = "/kerja/"
SEARCH = "/kerja/cari/"
PUBLIC_BPU = "/daftar-bpu/"
CARD = "/peserta/"  # the worker's card with what to pay (jamsos.selfservice)
OLD_CARD = "/daftar-bpu/kartu/"
AUDIT = "/kerja/audit/"
REGISTER_PU = "/kerja/daftar/pu/"
REGISTER_BPU = "/kerja/daftar/bpu/"


@dataclass
class World:
    bandung: BranchOffice
    bulungan: BranchOffice
    employer_a: Employer  # Kota Bandung, office KC3204
    employer_b: Employer  # Bulungan, office KC6501
    worker_a: Person  # PU at employer A, lives in Cileunyi Kulon (Bandung)
    worker_b: Person  # PU at employer B, lives in Bulungan
    member: Person  # BPU registered by partner PKS-3204, lives in Cileunyi Wetan
    pu_a: Membership
    pu_b: Membership
    bpu: Membership
    users: dict[str, object]


def world_build(regions: Regions) -> World:
    """The ``world`` fixture (membership/tests/pages/conftest.py)."""
    bandung = BranchOffice.objects.get(code="KC3204")
    bulungan = branch_office_create(
        code="KC6501", name="Kantor Cabang Bulungan", regencies=[regions.bulungan]
    )
    employer_a = employer_create(village=regions.sukarasa, legal_name="PT Bandung Maju")
    employer_b = employer_create(
        village=regions.tanjung_palas_hulu, legal_name="PT Kaltara Sejahtera"
    )
    worker_a = person_create(domicile=regions.cileunyi_kulon, name="Asep Sunandar", serial=11)
    worker_b = person_create(
        domicile=regions.tanjung_palas_hulu,
        district="650101",
        name="Rina Wati",
        sex="F",
        serial=12,
    )
    member = person_create(domicile=regions.cileunyi_wetan, name="Siti Aminah", sex="F", serial=14)

    def pu(employer: Employer, person: Person) -> Membership:
        return pu_worker_register(
            employer=employer,
            person=person,
            wage_idr=5_000_000,
            start_date=date(2024, 1, 1),
            today=TODAY,
        )

    bpu = bpu_self_register(
        person=member,
        declared_income_idr=1_000_000,
        channel="partner",
        partner_ref="PKS-3204",
        start_date=date(2025, 1, 1),
        today=TODAY,
    )
    grants = {
        "admin": {"role": Role.ADMIN},
        "cabang": {"role": Role.BRANCH_OFFICER, "branch_office": bandung},
        "cabang_b": {"role": Role.BRANCH_OFFICER, "branch_office": bulungan},
        "perusahaan": {"role": Role.EMPLOYER_USER, "employer": employer_a},
        "peserta": {"role": Role.WORKER, "person": worker_a},
        "mitra": {
            "role": Role.PARTNER_USER,
            "partner_ref": "PKS-3204",
            "partner_regions": [regions.jabar],
        },
        "analis": {"role": Role.ANALYST},
    }
    users = {
        name: user_access_grant(username=f"t-{name}", **grant).user  # type: ignore[arg-type]
        for name, grant in grants.items()
    }
    users["norole"] = get_user_model().objects.create_user(username="t-norole")
    return World(
        bandung=bandung,
        bulungan=bulungan,
        employer_a=employer_a,
        employer_b=employer_b,
        worker_a=worker_a,
        worker_b=worker_b,
        member=member,
        pu_a=pu(employer_a, worker_a),
        pu_b=pu(employer_b, worker_b),
        bpu=bpu,
        users=users,
    )


def client_for(world: World, name: str) -> Client:
    client = Client()
    client.force_login(world.users[name])
    return client


def html(response) -> str:
    return unescape(response.content.decode())


def field_error(page: str, field: str) -> str:
    """The text of the error block shown under a field (empty when there is none)."""
    match = re.search(rf'<div class="field-error" id="id_{field}_error">(.*?)</div>', page, re.S)
    return re.sub(r"<[^>]+>", " ", match.group(1)).strip() if match else ""


def counts() -> tuple[int, int, int, int]:
    return (
        Person.objects.count(),
        Membership.objects.count(),
        WageReport.objects.count(),
        AuditEvent.objects.count(),
    )


def worker_url(person: Person) -> str:
    return f"/kerja/peserta/{person.pk}/"


# --- every role gets its pages -------------------------------------------------------------------


def test_work_home_for_each_role(world):
    expectations = {
        "admin": ["Jejak audit", "Kepesertaan menurut segmen dan status", "Asep Sunandar"],
        "cabang": ["Kantor Cabang Bandung", "Pendaftaran terbaru kantor Anda", "Asep Sunandar"],
        "cabang_b": ["Kantor Cabang Bulungan", "Rina Wati"],
        "perusahaan": ["PT Bandung Maju", "Laporkan upah bulan ini", "Asep Sunandar"],
        "peserta": ["Data saya", world.pu_a.kpj, "PT Bandung Maju", "Rp5.000.000"],
        "mitra": ["Pendaftaran yang Anda buat", "Siti Aminah"],
        "analis": ["Agregat saja", "BPU (pekerja mandiri)"],
        "norole": ["belum punya peran"],
    }
    for name, words in expectations.items():
        # when
        response = client_for(world, name).get(WORK)
        # then
        assert response.status_code == 200, name
        page = html(response)
        for word in words:
            assert word in page, (name, word)
    # The other office's worker is not on the Bandung officer's page, nor Bandung's on Bulungan's.
    assert "Rina Wati" not in html(client_for(world, "cabang").get(WORK))
    assert "Asep Sunandar" not in html(client_for(world, "cabang_b").get(WORK))


def test_pages_render_for_the_roles_that_use_them(world):
    a, npp_a = world.worker_a, world.employer_a.npp
    pages = {
        "admin": [SEARCH, worker_url(a), f"/kerja/pemberi-kerja/{npp_a}/", AUDIT, REGISTER_PU],
        "cabang": [
            SEARCH + "?q=asep",
            worker_url(a),
            f"/kerja/peserta/{a.pk}/koreksi/",
            f"/kerja/kepesertaan/{world.pu_a.kpj}/akhiri/",
            f"/kerja/kepesertaan/{world.pu_a.kpj}/upah/",
            f"/kerja/pemberi-kerja/{npp_a}/",
            f"/kerja/pemberi-kerja/{npp_a}/upah/",
            REGISTER_PU,
            REGISTER_BPU,
        ],
        "perusahaan": [
            worker_url(a),
            f"/kerja/pemberi-kerja/{npp_a}/",
            f"/kerja/pemberi-kerja/{npp_a}/upah/",
            REGISTER_PU,
        ],
        "peserta": [worker_url(a)],
        "mitra": [worker_url(world.member), REGISTER_BPU, SEARCH + "?q=siti"],
    }
    for name, urls in pages.items():
        client = client_for(world, name)
        for url in urls:
            response = client.get(url)
            assert response.status_code == 200, (name, url)
            assert '<html lang="id">' in html(response)


def test_roles_that_may_not_get_a_403_page_in_the_site_style(world):
    refusals = {
        "peserta": [SEARCH, REGISTER_PU, REGISTER_BPU, AUDIT],
        "mitra": [REGISTER_PU, f"/kerja/kepesertaan/{world.bpu.kpj}/akhiri/"],
        "perusahaan": [REGISTER_BPU, AUDIT],
        "cabang": [AUDIT],
        "analis": [SEARCH, worker_url(world.worker_a), REGISTER_PU],
        "norole": [SEARCH, worker_url(world.worker_a)],
    }
    for name, urls in refusals.items():
        client = client_for(world, name)
        for url in urls:
            response = client.get(url)
            assert response.status_code == 403, (name, url)
            page = html(response)
            assert "<h1>Tidak diizinkan</h1>" in page
            assert "Peran Anda" in page
            assert "/static/web/jamsos.css" in page


def test_anonymous_callers_are_sent_to_sign_in_except_for_the_public_form(world):
    client = Client()
    for url in [
        WORK,
        SEARCH,
        worker_url(world.worker_a),
        REGISTER_PU,
        REGISTER_BPU,
        AUDIT,
        f"/kerja/pemberi-kerja/{world.employer_a.npp}/",
        f"/kerja/kepesertaan/{world.pu_a.kpj}/akhiri/",
    ]:
        response = client.get(url)
        assert response.status_code == 302, url
        assert response["Location"].startswith("/masuk/?next="), url
    public = client.get(PUBLIC_BPU)
    assert public.status_code == 200
    assert "Daftar sebagai peserta bukan penerima upah (BPU)" in html(public)
    assert client.get("/masuk/").status_code == 200


def test_sign_in_leads_to_the_work_home_and_sign_out_ends_the_session(world):
    # given
    user = world.users["cabang"]
    user.set_password("rahasia-kantor-1")
    user.save()
    client = Client()
    # when
    response = client.post("/masuk/", {"username": "t-cabang", "password": "rahasia-kantor-1"})
    # then
    assert response.status_code == 302
    assert response["Location"] == WORK
    page = html(client.get(WORK))
    assert "t-cabang" in page
    assert "petugas kantor cabang" in page
    assert 'action="/keluar/"' in page
    # when
    client.post("/keluar/")
    # then
    assert client.get(WORK).status_code == 302


def test_wrong_password_is_refused_in_indonesian(world):
    response = Client().post("/masuk/", {"username": "t-cabang", "password": "salah"})
    assert response.status_code == 200
    assert "Nama pengguna atau kata sandi salah." in html(response)


# --- scope: a record outside it is a 404 ---------------------------------------------------------


def test_out_of_scope_records_are_not_found(world):
    cabang_b = client_for(world, "cabang_b")
    perusahaan = client_for(world, "perusahaan")
    peserta = client_for(world, "peserta")
    guessed = Person.objects.order_by("-pk").first().pk + 1000
    cases = [
        (cabang_b, worker_url(world.worker_a)),
        (cabang_b, f"/kerja/peserta/{world.worker_a.pk}/koreksi/"),
        (cabang_b, f"/kerja/kepesertaan/{world.pu_a.kpj}/akhiri/"),
        (cabang_b, f"/kerja/kepesertaan/{world.pu_a.kpj}/upah/"),
        (cabang_b, f"/kerja/pemberi-kerja/{world.employer_a.npp}/"),
        (perusahaan, worker_url(world.worker_b)),
        (perusahaan, f"/kerja/pemberi-kerja/{world.employer_b.npp}/"),
        (perusahaan, f"/kerja/pemberi-kerja/{world.employer_b.npp}/upah/"),
        (peserta, worker_url(world.worker_b)),
        (client_for(world, "admin"), f"/kerja/peserta/{guessed}/"),
        (client_for(world, "cabang"), "/kerja/kepesertaan/99999999999/akhiri/"),
    ]
    for client, url in cases:
        response = client.get(url)
        assert response.status_code == 404, url
        page = html(response)
        assert "<h1>Tidak ditemukan</h1>" in page
        assert "Rina Wati" not in page
        assert "Asep Sunandar" not in page


def test_a_guessed_nik_or_kpj_in_the_search_box_finds_nothing(world):
    client = client_for(world, "cabang_b")
    for text in (world.worker_a.nik, world.pu_a.kpj, "Asep"):
        page = html(client.post(SEARCH, {"q": text}))
        assert "Tidak ada yang ditemukan" in page, text
        assert "Asep Sunandar" not in page


def test_search_shows_masked_nik_birth_year_and_domicile(world):
    page = html(client_for(world, "cabang").post(SEARCH, {"q": world.worker_a.nik}))
    results = page[page.index('id="results-title"') :]
    assert "Asep Sunandar" in results
    assert mask_nik(world.worker_a.nik) in results
    assert world.worker_a.nik not in results
    assert "1990" in page
    assert "Cileunyi Kulon, Kabupaten Bandung" in page
    by_kpj = html(client_for(world, "cabang").post(SEARCH, {"q": world.pu_a.kpj}))
    assert "Asep Sunandar" in by_kpj


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "Ketik NIK (16 angka)"),
        ("12345", "5 angka: NIK terdiri dari 16 angka"),
        ("a", "Ketik paling sedikit dua huruf nama."),
    ],
)
def test_search_explains_input_it_cannot_use(world, text, message):
    response = client_for(world, "cabang").post(SEARCH, {"q": text})
    assert response.status_code == 200
    assert message in field_error(html(response), "q")


# --- the analyst sees no personal data -----------------------------------------------------------


def test_analyst_gets_counts_and_no_personal_data(world):
    client = client_for(world, "analis")
    page = html(client.get(WORK))
    for person in (world.worker_a, world.worker_b, world.member):
        assert person.name not in page
        assert mask_nik(person.nik) not in page
    for membership in (world.pu_a, world.pu_b, world.bpu):
        assert membership.kpj not in page
    assert "tidak melihat data pribadi" in page
    search = html(client.post(SEARCH, {"q": "Asep"}))
    assert "Asep Sunandar" not in search
    assert "agregat" in search


# --- full view and corrections are audited -------------------------------------------------------


def test_worker_page_masks_nik_and_phone_until_shown_in_full(world):
    client = client_for(world, "cabang")
    person = world.worker_a
    # when
    page = html(client.get(worker_url(person)))
    # then
    assert mask_nik(person.nik) in page
    assert person.nik not in page
    assert mask_phone(person.phone) in page
    assert person.phone not in page
    assert not AuditEvent.objects.filter(action="view_full").exists()
    # when
    response = client.post(worker_url(person), {"action": "reveal"}, REMOTE_ADDR="10.1.2.3")
    # then
    full = html(response)
    assert person.nik in full
    assert person.phone in full
    event = AuditEvent.objects.get(action="view_full")
    assert event.channel == "web"
    assert event.ip == "10.1.2.3"
    assert event.actor_name == "t-cabang"
    assert event.role == "branch_officer"
    assert event.target_type == "membership.person"
    assert event.target_id == str(person.pk)
    assert person.nik not in event.target_label


def test_worker_page_lists_memberships_history_and_wages(world):
    wage_report = world.pu_a.wage_reports.get()
    page = html(client_for(world, "perusahaan").get(worker_url(world.worker_a)))
    assert world.pu_a.kpj in page
    assert "PU (penerima upah)" in page
    assert "Riwayat (1)" in page
    assert "Laporan upah (1)" in page
    assert "Rp5.000.000" in page
    assert wage_report.period == "2024-01"
    assert "Laporkan upah" in page
    assert "Akhiri kepesertaan ini" in page


def test_person_correction_writes_a_masked_audit_event(world, regions):
    client = client_for(world, "cabang")
    person = world.worker_a
    old_phone = person.phone
    # when
    response = client.post(
        f"/kerja/peserta/{person.pk}/koreksi/",
        {"name": "Asep Sunandar Putra", "phone": "0813 2222 3333", "domicile": "32.04.05.2002"},
        REMOTE_ADDR="10.9.8.7",
    )
    # then
    assert response.status_code == 302
    person.refresh_from_db()
    assert person.name == "Asep Sunandar Putra"
    assert person.phone == "+6281322223333"
    assert person.domicile == regions.cileunyi_wetan
    event = AuditEvent.objects.get(action="update", target_type="membership.person")
    assert event.channel == "web"
    assert event.ip == "10.9.8.7"
    assert event.changes["phone"] == [mask_phone(old_phone), mask_phone("+6281322223333")]
    assert event.changes["name"] == ["Asep Sunandar", "Asep Sunandar Putra"]
    stored = json.dumps(event.changes)
    assert old_phone not in stored
    assert "+6281322223333" not in stored
    assert "Koreksi disimpan" in html(client.get(worker_url(person)))


def test_employer_and_partner_users_correct_no_one(world):
    """The API's rule on the pages too: the person's data is the person's, not the employer's
    or the partner's (docs/registry/api.md); no link, and the address answers 403."""
    before = counts()
    cases = [("perusahaan", world.worker_a), ("mitra", world.member)]
    for name, person in cases:
        client = client_for(world, name)
        page = html(client.get(worker_url(person)))
        assert person.name in page, name
        assert f"/kerja/peserta/{person.pk}/koreksi/" not in page, name
        assert client.get(f"/kerja/peserta/{person.pk}/koreksi/").status_code == 403, name
        response = client.post(
            f"/kerja/peserta/{person.pk}/koreksi/",
            {"name": "Nama Lain", "phone": "0813 2222 3333", "domicile": "32.04.05.2001"},
        )
        assert response.status_code == 403, name
        assert "Peran Anda" in html(response)
    assert counts() == before
    # The officer still gets the full correction.
    page = html(client_for(world, "cabang").get(worker_url(world.worker_a)))
    assert "Koreksi nama, telepon atau desa" in page


def test_a_worker_corrects_their_own_phone_only(world):
    client = client_for(world, "peserta")
    person = world.worker_a
    page = html(client.get(worker_url(person)))
    assert "Koreksi nomor telepon saya" in page
    assert f"/kerja/peserta/{person.pk}/koreksi/" in page
    form = html(client.get(f"/kerja/peserta/{person.pk}/koreksi/"))
    assert 'name="phone"' in form
    assert 'name="name"' not in form
    assert 'name="domicile"' not in form
    assert "datang ke kantor cabang" in form
    # when: a name and a village sent along are not fields of the worker's form
    response = client.post(
        f"/kerja/peserta/{person.pk}/koreksi/",
        {"name": "Nama Lain", "phone": "0813 2222 3333", "domicile": "32.04.05.2002"},
    )
    # then
    assert response.status_code == 302
    person.refresh_from_db()
    assert person.phone == "+6281322223333"
    assert person.name == "Asep Sunandar"
    event = AuditEvent.objects.get(action="update", target_type="membership.person")
    assert set(event.changes) == {"phone"}
    # Someone else's record stays out of reach (404, as outside the scope).
    other = client.get(f"/kerja/peserta/{world.worker_b.pk}/koreksi/")
    assert other.status_code == 404


def test_person_correction_refuses_an_unknown_village_and_writes_nothing(world):
    before = counts()
    response = client_for(world, "cabang").post(
        f"/kerja/peserta/{world.worker_a.pk}/koreksi/",
        {"name": "Asep", "phone": "", "domicile": "32.04.05.9999"},
    )
    assert response.status_code == 200
    assert "32.04.05.9999" in field_error(html(response), "domicile")
    assert counts() == before


def test_person_correction_refuses_a_bad_phone_next_to_the_field(world):
    response = client_for(world, "cabang").post(
        f"/kerja/peserta/{world.worker_a.pk}/koreksi/",
        {"name": "Asep", "phone": "12", "domicile": "32.04.05.2001"},
    )
    assert "Nomor telepon" in field_error(html(response), "phone")
    world.worker_a.refresh_from_db()
    assert world.worker_a.name == "Asep Sunandar"


# --- registering ---------------------------------------------------------------------------------


def public_form(**changes: object) -> dict[str, object]:
    nik = nik_make(district_code_nodot="320405", birth_date=date(1988, 7, 9), sex="F", serial=321)
    data = {
        "nik": nik,
        "name": "Neneng Hasanah",
        "birth_date": "1988-07-09",
        "sex": "F",
        "phone": "0812 7777 1234",
        "domicile": "32.04.05.2001",
        "declared_income": "2.000.000",
        "ecosystem": "pasar",
        "jht": "on",
        "agree": "on",
    }
    data.update(changes)
    return data


def test_public_self_registration_shows_the_card_and_the_right_office_sees_it(world):
    anonymous = Client()
    # when
    response = anonymous.post(PUBLIC_BPU, public_form())
    # then
    assert response.status_code == 302
    assert response["Location"] == CARD
    membership = Membership.objects.get(person__name="Neneng Hasanah")
    assert membership.segment == "BPU"
    assert membership.channel == "self"
    assert membership.programs == "JKK,JKM,JHT"
    assert membership.declared_income_idr == 2_000_000
    assert membership.branch_office == world.bandung
    card = html(anonymous.get(CARD))
    assert membership.kpj in card
    assert "Neneng Hasanah" in card
    assert mask_nik(membership.person.nik) in card
    created = AuditEvent.objects.filter(action="create", target_type="membership.person").get(
        target_id=str(membership.person_id)
    )
    assert created.channel == "web"
    assert created.actor_name == "anonymous"
    # The Bandung officer finds the new member; the Bulungan officer does not.
    nik = membership.person.nik
    found = html(client_for(world, "cabang").post(SEARCH, {"q": nik}))
    assert "Neneng Hasanah" in found
    assert "Neneng Hasanah" in html(client_for(world, "cabang").get(WORK))
    cabang_b = client_for(world, "cabang_b")
    assert "Neneng Hasanah" not in html(cabang_b.post(SEARCH, {"q": nik}))
    assert cabang_b.get(worker_url(membership.person)).status_code == 404
    # The old address of the card leads to it.
    assert anonymous.get(OLD_CARD)["Location"] == CARD
    # Another browser does not see the card.
    assert Client().get(OLD_CARD)["Location"] == PUBLIC_BPU
    assert Client().get(CARD)["Location"] == "/peserta/masuk/"


@pytest.mark.parametrize(
    ("changes", "field", "words"),
    [
        ({"nik": "32040549078800"}, "nik", "harus 16 angka"),
        (
            {
                "nik": nik_make(
                    district_code_nodot="320401",
                    birth_date=date(1988, 7, 9),
                    sex="F",
                    serial=5,
                )
            },
            "nik",
            "kode kecamatan 320401",
        ),
        ({"birth_date": "1988-07-10"}, "birth_date", "menyatakan lahir 09-07-88"),
        ({"sex": "M"}, "sex", "jenis kelamin perempuan"),
        ({"name": ""}, "name", "Bidang ini tidak boleh kosong."),
        ({"domicile": "99.99.99.9999"}, "domicile", "99.99.99.9999"),
        ({"domicile": "cileunyi"}, "domicile", "32.04.05.2001 Cileunyi Kulon"),
        ({"domicile": "32.04.05"}, "domicile", "bukan desa/kelurahan"),
        ({"declared_income": "dua juta"}, "declared_income", "bilangan bulat rupiah"),
        ({"declared_income": "0"}, "declared_income", "lebih dari nol"),
        ({"agree": ""}, "agree", "Centang kotak ini"),
    ],
)
def test_public_form_shows_each_refusal_next_to_its_field_and_writes_nothing(
    world, changes, field, words
):
    before = counts()
    response = Client().post(PUBLIC_BPU, public_form(**changes))
    assert response.status_code == 200
    assert words in field_error(html(response), field)
    assert counts() == before


def test_public_form_refuses_a_village_that_no_office_serves(world):
    world.bulungan.service_area.clear()
    before = counts()
    response = Client().post(PUBLIC_BPU, public_form(domicile="65.01.01.1001"))
    assert "Tidak ada kantor cabang yang melayani 65.01" in field_error(html(response), "domicile")
    assert counts() == before


def test_public_form_refuses_a_future_birth_date_next_to_the_field(world):
    future = today_in_jakarta() + timedelta(days=40)
    nik = nik_make(district_code_nodot="320405", birth_date=future, sex="F", serial=77)
    before = counts()
    response = Client().post(PUBLIC_BPU, public_form(nik=nik, birth_date=future.isoformat()))
    assert "ada di masa depan" in field_error(html(response), "birth_date")
    assert counts() == before


def test_public_form_says_nothing_about_an_already_registered_nik(world):
    before = counts()
    person = world.worker_b
    response = Client().post(
        PUBLIC_BPU,
        public_form(
            nik=person.nik,
            name=person.name,
            birth_date=person.birth_date.isoformat(),
            sex=person.sex,
        ),
    )
    page = html(response)
    assert "NIK ini sudah terdaftar" in field_error(page, "nik")
    assert "Rina Wati" not in page.replace(f'value="{person.name}"', "")
    assert world.pu_b.kpj not in page
    assert counts() == before


def test_public_form_is_in_english_after_switching(world):
    client = Client()
    client.post("/i18n/setlang/", {"language": "en", "next": PUBLIC_BPU})
    response = client.post(PUBLIC_BPU, public_form(nik="123"))
    page = html(response)
    assert '<html lang="en">' in page
    assert "must be 16 digits" in field_error(page, "nik")


def pu_form(world: World, **changes: object) -> dict[str, object]:
    nik = nik_make(district_code_nodot="327301", birth_date=date(1995, 2, 3), sex="M", serial=41)
    data = {
        "npp": world.employer_a.npp,
        "person_mode": "new",
        "nik": nik,
        "name": "Ujang Permana",
        "birth_date": "1995-02-03",
        "sex": "M",
        "phone": "",
        "domicile": "32.73.01.1001",
        "wage": "Rp 4.500.000",
        "start_date": "2025-02-01",
        "jp": "on",
    }
    data.update(changes)
    return data


def test_employer_registers_a_pu_worker_for_its_own_company(world, regions):
    client = client_for(world, "perusahaan")
    # when: the NPP posted is another company's; the employer user's own is used
    response = client.post(REGISTER_PU, pu_form(world, npp=world.employer_b.npp))
    # then
    assert response.status_code == 302
    membership = Membership.objects.get(person__name="Ujang Permana")
    assert membership.employer == world.employer_a
    assert membership.channel == "employer"
    assert membership.programs == "JKK,JKM,JHT,JP"
    assert membership.wage_reports.get().wage_idr == 4_500_000
    assert response["Location"] == worker_url(membership.person)
    detail = html(client.get(response["Location"]))
    assert f"KPJ {membership.kpj}" in detail
    audit = AuditEvent.objects.get(
        target_type="membership.membership", target_id=str(membership.pk), action="create"
    )
    assert audit.actor_name == "t-perusahaan"
    assert audit.channel == "web"


def test_branch_officer_registers_only_for_the_office_employers(world):
    client = client_for(world, "cabang")
    before = counts()
    response = client.post(REGISTER_PU, pu_form(world, npp=world.employer_b.npp))
    assert "Tidak ada pemberi kerja dengan NPP" in field_error(html(response), "npp")
    assert counts() == before
    form_page = html(client.get(REGISTER_PU))
    assert f'<option value="{world.employer_a.npp}">PT Bandung Maju</option>' in form_page
    assert "PT Kaltara Sejahtera" not in form_page
    ok = client.post(REGISTER_PU, pu_form(world))
    assert ok.status_code == 302
    assert Membership.objects.get(person__name="Ujang Permana").channel == "branch"


def test_staff_form_refuses_a_duplicate_nik_in_scope_by_name(world):
    before = counts()
    person = world.worker_a
    response = client_for(world, "cabang").post(
        REGISTER_PU, pu_form(world, nik=person.nik, name="Orang Lain", birth_date="1990-05-17")
    )
    message = field_error(html(response), "nik")
    assert "sudah terdaftar atas nama Asep Sunandar" in message
    assert "Sudah terdaftar" in message
    assert counts() == before


def test_staff_form_names_nobody_outside_the_scope(world):
    before = counts()
    person = world.worker_b
    response = client_for(world, "perusahaan").post(
        REGISTER_PU,
        pu_form(world, nik=person.nik, name="Orang Lain", birth_date="1990-05-17", sex="F"),
    )
    page = html(response)
    assert "nama atau tanggal lahir lain" in field_error(page, "nik")
    assert "Rina Wati" not in page
    assert counts() == before


def test_staff_who_know_name_and_birth_date_add_a_membership_to_the_existing_person(world):
    person = world.worker_b
    people = Person.objects.count()
    response = client_for(world, "perusahaan").post(
        REGISTER_PU,
        pu_form(
            world,
            nik=person.nik,
            name="rina  WATI",
            birth_date=person.birth_date.isoformat(),
            sex="F",
            domicile="32.73.01.1001",
        ),
    )
    assert response.status_code == 302
    assert Person.objects.count() == people
    membership = Membership.objects.get(person=person, employer=world.employer_a)
    person.refresh_from_db()
    assert person.domicile.code == "65.01.01.1001"  # kept
    assert membership.status == "active"


def test_existing_person_by_nik_must_be_in_scope(world):
    client = client_for(world, "cabang")
    outside = client.post(
        REGISTER_PU, {**pu_form(world), "person_mode": "existing", "nik": world.worker_b.nik}
    )
    assert "Tidak ada peserta dengan NIK" in field_error(html(outside), "nik")
    resident = person_create(
        domicile=Person.objects.get(pk=world.worker_a.pk).domicile, name="Dadang", serial=90
    )
    inside = client.post(
        REGISTER_PU,
        {"npp": world.employer_a.npp, "person_mode": "existing", "nik": resident.nik}
        | {"wage": "4000000", "start_date": "2025-02-01"},
    )
    assert inside.status_code == 302
    assert Membership.objects.filter(person=resident, employer=world.employer_a).exists()


def test_partner_registers_bpu_members_it_then_sees(world):
    client = client_for(world, "mitra")
    data = {k: v for k, v in public_form().items() if k != "agree"}
    data |= {"person_mode": "new", "start_date": "2025-03-01", "sponsor_kind": "csr"}
    # when: a sponsor kind without the sponsor's name
    refused = client.post(REGISTER_BPU, data)
    # then
    assert "Penyandang iuran harus punya nama dan jenis" in field_error(
        html(refused), "sponsor_name"
    )
    # when
    response = client.post(REGISTER_BPU, data | {"sponsor_name": "PT Peduli Sesama"})
    # then
    assert response.status_code == 302
    membership = Membership.objects.get(person__name="Neneng Hasanah")
    assert membership.partner_ref == "PKS-3204"
    assert membership.channel == "partner"
    assert membership.sponsor_kind == "csr"
    assert "Neneng Hasanah" in html(client.get(WORK))


def test_branch_officer_registers_bpu_members_of_the_service_area_only(world):
    client = client_for(world, "cabang_b")
    data = {k: v for k, v in public_form().items() if k != "agree"}
    data |= {"person_mode": "new", "start_date": "2025-03-01"}
    before = counts()
    response = client.post(REGISTER_BPU, data)
    assert "di luar wilayah layanan kantor Anda" in field_error(html(response), "domicile")
    assert counts() == before


# --- memberships: end, wages ---------------------------------------------------------------------


def test_ending_a_membership_with_reason_and_date(world):
    client = client_for(world, "perusahaan")
    url = f"/kerja/kepesertaan/{world.pu_a.kpj}/akhiri/"
    # when: a date before the start
    refused = client.post(url, {"reason": "phk", "end_date": "2023-12-31"})
    # then
    assert "sebelum tanggal mulai" in field_error(html(refused), "end_date")
    world.pu_a.refresh_from_db()
    assert world.pu_a.status == "active"
    # when
    response = client.post(url, {"reason": "phk", "end_date": "2025-02-28"})
    # then
    assert response.status_code == 302
    world.pu_a.refresh_from_db()
    assert (world.pu_a.status, world.pu_a.end_reason) == ("ended", "phk")
    assert world.pu_a.end_date == date(2025, 2, 28)
    assert MembershipEvent.objects.filter(membership=world.pu_a, kind="ended").exists()
    page = html(client.get(worker_url(world.worker_a)))
    assert "PHK" in page
    assert "Berakhir" in page
    assert "sudah berakhir" in html(client.get(url))


def test_reporting_one_wage_and_refusing_the_same_month_twice(world):
    client = client_for(world, "cabang")
    url = f"/kerja/kepesertaan/{world.pu_a.kpj}/upah/"
    response = client.post(url, {"period": "2024-02", "wage": "5.250.000"})
    assert response.status_code == 302
    report = WageReport.objects.get(membership=world.pu_a, period="2024-02")
    assert (report.wage_idr, report.source) == (5_250_000, "branch")
    assert MembershipEvent.objects.filter(membership=world.pu_a, kind="wage_changed").exists()
    again = client.post(url, {"period": "2024-02", "wage": "6000000"})
    assert "sudah dilaporkan" in field_error(html(again), "period")
    bad = client.post(url, {"period": "Februari", "wage": "6000000"})
    assert "TTTT-BB" in field_error(html(bad), "period") or "YYYY-MM" in field_error(
        html(bad), "period"
    )


def test_monthly_wage_report_of_an_employer_is_all_or_nothing(world):
    second = person_create(domicile=world.worker_a.domicile, name="Bambang", serial=31)
    pu_worker_register(
        employer=world.employer_a,
        person=second,
        wage_idr=4_000_000,
        start_date=date(2024, 6, 1),
        today=TODAY,
    )
    client = client_for(world, "perusahaan")
    url = f"/kerja/pemberi-kerja/{world.employer_a.npp}/upah/?period=2024-03"
    page = html(client.get(url))
    assert "Asep Sunandar" in page
    assert "Bambang" in page
    assert 'value="5.000.000"' in page  # the last wage, ready to confirm
    kpjs = {m.person.name: m.kpj for m in Membership.objects.filter(employer=world.employer_a)}
    before = WageReport.objects.count()
    # when: Bambang's membership starts in June, so March cannot be reported for him
    refused = client.post(
        url,
        {
            "period": "2024-03",
            f"wage-{kpjs['Asep Sunandar']}": "5000000",
            f"wage-{kpjs['Bambang']}": "4000000",
        },
    )
    # then
    assert refused.status_code == 200
    assert "di luar masa kepesertaan" in html(refused)
    assert WageReport.objects.count() == before
    # when
    done = client.post(url, {"period": "2024-03", f"wage-{kpjs['Asep Sunandar']}": "5.100.000"})
    # then
    assert done.status_code == 302
    report = WageReport.objects.get(membership__kpj=kpjs["Asep Sunandar"], period="2024-03")
    assert report.source == "employer"
    assert "1 upah dilaporkan" in html(client.get(done["Location"]))


def test_employer_page_lists_active_workers_with_masked_nik_and_upload_link(world):
    page = html(client_for(world, "cabang").get(f"/kerja/pemberi-kerja/{world.employer_a.npp}/"))
    assert world.employer_a.npwp in page
    assert "III: sedang" in page
    assert mask_nik(world.worker_a.nik) in page
    assert world.worker_a.nik not in page
    upload = url_or_none("uploads:form")
    if upload:
        assert f'href="{upload}"' in page
    assert url_or_none("no-such-page") is None


# --- the audit trail -----------------------------------------------------------------------------


def test_audit_trail_filters_by_action_target_and_actor(world):
    client_for(world, "cabang").post(worker_url(world.worker_a), {"action": "reveal"})
    admin = client_for(world, "admin")
    page = html(admin.post(AUDIT, {"action": "view_full"}, follow=True))
    assert "t-cabang" in page
    assert "Lihat lengkap" in page
    assert world.worker_a.nik not in page
    by_nik = html(
        admin.post(AUDIT, {"target": world.worker_a.nik, "action": "view_full"}, follow=True)
    )
    assert "t-cabang" in by_nik
    other = html(
        admin.post(AUDIT, {"target": world.worker_b.nik, "action": "view_full"}, follow=True)
    )
    assert "Tidak ada kejadian yang cocok" in other
    nobody = html(admin.post(AUDIT, {"actor": "t-mitra", "action": "view_full"}, follow=True))
    assert "Tidak ada kejadian yang cocok" in nobody
    bad_dates = admin.post(AUDIT, {"date_from": "2025-03-02", "date_to": "2025-03-01"}, follow=True)
    assert "sebelum tanggal awal" in field_error(html(bad_dates), "date_to")


def test_audit_trail_search_keeps_the_nik_out_of_every_address(world):
    # given: a full view of worker A, and of worker B, in the trail
    cabang = client_for(world, "cabang")
    cabang.post(worker_url(world.worker_a), {"action": "reveal"})
    cabang.post(worker_url(world.worker_b), {"action": "reveal"})
    admin = client_for(world, "admin")
    nik = world.worker_b.nik
    # when: a NIK is put in the address, it is not read (addresses reach server logs)
    from_address = html(admin.get(AUDIT, {"target": nik}))
    assert f">#{world.worker_a.pk}<" in from_address.replace(" ", "")
    # then: the search is sent by POST; its pages name it by an opaque key
    searched = admin.post(AUDIT, {"target": nik}, follow=True)
    page = html(searched)
    assert f">#{world.worker_b.pk}<" in page.replace(" ", "")
    assert f">#{world.worker_a.pk}<" not in page.replace(" ", "")
    assert not [href for href in re.findall(r'(?:href|action)="([^"]*)"', page) if nik in href]
    [(address, _status)] = searched.redirect_chain
    key = re.fullmatch(r"\?saring=([\w-]+)", address.removeprefix(AUDIT))
    assert key, address
    assert nik not in address
    again = html(admin.get(AUDIT, {"saring": key.group(1)}))
    assert f">#{world.worker_a.pk}<" not in again.replace(" ", "")
    assert f">#{world.worker_b.pk}<" in again.replace(" ", "")
    # a key of another session, or an old one, shows the whole trail with a notice
    stale = html(client_for(world, "admin").get(AUDIT, {"saring": "tidak-ada"}))
    assert "Pencarian itu tidak disimpan lagi" in stale


def test_audit_trail_pages_backwards_without_counting(world, django_assert_max_num_queries):
    admin = client_for(world, "admin")
    for _ in range(55):
        admin.post(worker_url(world.worker_a), {"action": "reveal"})
    first = html(admin.post(AUDIT, {"action": "view_full"}, follow=True))
    older = re.search(r'href="(\?saring=[\w-]+&(?:amp;)?sebelum=\d+)" rel="next"', first)
    assert older
    with django_assert_max_num_queries(8):
        second = admin.get(AUDIT + older.group(1).replace("&amp;", "&"))
    assert second.status_code == 200
    assert "Terbaru" in html(second)


# --- language ------------------------------------------------------------------------------------


def test_pages_are_in_indonesian_by_default_and_in_english_after_switching(world):
    client = client_for(world, "cabang")
    page = html(client.get(WORK, HTTP_ACCEPT_LANGUAGE="en"))
    assert '<html lang="id">' in page
    assert "<h1>Beranda kerja</h1>" in page
    assert "Cari peserta" in page
    client.post("/i18n/setlang/", {"language": "en", "next": WORK})
    english = html(client.get(WORK))
    assert '<html lang="en">' in english
    assert "<h1>Work home</h1>" in english
    assert "Find a worker" in english
    assert "branch officer" in english
    detail = html(client.get(worker_url(world.worker_a)))
    assert "Show in full" in detail
    assert "Memberships" in detail
    assert "PU (wage earner)" in detail


# --- cost: the number of queries does not grow with the rows shown ------------------------------


def test_lists_cost_the_same_number_of_queries_whatever_their_length(
    world, django_assert_max_num_queries
):
    client = client_for(world, "cabang")
    for serial in range(40, 60):
        person = person_create(
            domicile=world.worker_a.domicile, name=f"Asep Pekerja {serial}", serial=serial
        )
        pu_worker_register(
            employer=world.employer_a,
            person=person,
            wage_idr=4_000_000,
            start_date=date(2024, 2, 1),
            today=TODAY,
        )
    pages = [
        WORK,
        SEARCH + "?q=asep",
        f"/kerja/pemberi-kerja/{world.employer_a.npp}/",
        f"/kerja/pemberi-kerja/{world.employer_a.npp}/upah/?period=2024-03",
        worker_url(world.worker_a),
    ]
    for url in pages:
        with django_assert_max_num_queries(14):
            assert client.get(url).status_code == 200


def test_a_village_name_that_matches_one_village_is_enough(world):
    response = Client().post(PUBLIC_BPU, public_form(domicile="Cileunyi Kulon"))
    assert response.status_code == 302
    person = Person.objects.get(name="Neneng Hasanah")
    assert person.domicile.code == "32.04.05.2001"


def test_staff_form_refusals_are_in_english_after_switching(world):
    client = client_for(world, "cabang")
    client.post("/i18n/setlang/", {"language": "en", "next": REGISTER_PU})
    response = client.post(REGISTER_PU, pu_form(world, wage="0", start_date="2014-01-01"))
    page = html(response)
    assert "must be greater than zero" in field_error(page, "wage")
    assert "Nothing was saved" in page


def test_an_active_membership_outside_the_scope_is_not_named(world, regions):
    # given: a BPU member registered by another partner, whom partner PKS-3204 cannot see
    person = person_create(
        domicile=regions.cileunyi_kulon, name="Euis Komariah", sex="F", serial=61
    )
    other = bpu_self_register(
        person=person,
        declared_income_idr=1_500_000,
        channel="partner",
        partner_ref="PKS-9999",
        start_date=date(2025, 1, 1),
        today=TODAY,
    )
    data = {k: v for k, v in public_form().items() if k != "agree"}
    data |= {
        "person_mode": "new",
        "start_date": "2025-03-01",
        "nik": person.nik,
        "name": person.name,
        "birth_date": person.birth_date.isoformat(),
    }
    before = counts()
    # when
    response = client_for(world, "mitra").post(REGISTER_BPU, data)
    # then
    page = html(response)
    assert "sudah punya kepesertaan aktif jenis ini" in page
    assert other.kpj not in page
    assert counts() == before
