"""The site's anonymous forms and public routes: the self-registration form tells nothing of a
registered NIK without its name and birth date, and every anonymous form, page and public API
route stops at its limit per address with a 429 in the caller's language; administrators see
the refusals counted (docs/security-abuse.md)."""

from __future__ import annotations

import json
import re
from datetime import date

import pytest
from django.test import Client

from jamsos.access.models import RefusalCount, RefusalReason
from jamsos.core.masking import mask_nik
from jamsos.membership.identifiers import nik_make
from jamsos.membership.models import Person
from jamsos.membership.tests.pages.test_pages import (
    PUBLIC_BPU,
    client_for,
    counts,
    field_error,
    html,
    public_form,
)

SIMULATOR = "/simulasi-iuran/"
SIGN_IN = "/masuk/"
REFUSALS = "/kerja/penolakan/"


@pytest.fixture
def low_limits(settings):
    settings.ABUSE_LIMITS = {
        "register.address": "3/1h",
        "register.nik": "2/1h",
        "public.address": "3/1m",
        "signin.address": "3/10m",
    }


def registered_form(world, **changes):
    """The public form filled with worker B's own NIK, name, birth date and sex."""
    person = world.worker_b
    data = public_form(
        nik=person.nik,
        name=person.name,
        birth_date=person.birth_date.isoformat(),
        sex=person.sex,
        domicile="65.01.01.1001",
    )
    data.update(changes)
    return data


def unregistered_twin(world) -> str:
    person = world.worker_b
    nik = nik_make(
        district_code_nodot=person.nik[:6],
        birth_date=person.birth_date,
        sex=person.sex,
        serial=4321,
    )
    assert not Person.objects.filter(nik=nik).exists()
    return nik


def errors_of(page: str, nik: str) -> dict[str, str]:
    """Every field's error and the form's own, with the NIK (as sent or masked) replaced."""
    found = {
        name: re.sub(r"<[^>]+>", " ", text).strip()
        for name, text in re.findall(
            r'<div class="field-error" id="id_(\w+)_error">(.*?)</div>', page, re.S
        )
    }
    found["form"] = " ".join(re.findall(r'role="alert"[^>]*>(.*?)<', page, re.S)).strip()
    return {k: v.replace(nik, "<NIK>").replace(mask_nik(nik), "<NIK>") for k, v in found.items()}


# --- the public form is no NIK oracle ---------------------------------------------------------


@pytest.mark.parametrize(
    "change",
    [
        pytest.param({"birth_date": "1990-02-03"}, id="wrong-birth-date"),
        pytest.param({"birth_date": "1990-02-03", "name": "Orang Lain"}, id="wrong-both"),
        pytest.param({"declared_income": "0"}, id="no-income"),
    ],
)
def test_public_form_answers_a_registered_nik_with_wrong_data_like_an_unknown_one(world, change):
    # given
    registered = registered_form(world, **change)
    unknown = {**registered, "nik": unregistered_twin(world)}
    # when
    on_registered = Client().post(PUBLIC_BPU, registered)
    on_unknown = Client().post(PUBLIC_BPU, unknown)
    # then
    assert on_registered.status_code == on_unknown.status_code == 200
    shown = errors_of(html(on_registered), registered["nik"])
    assert shown == errors_of(html(on_unknown), unknown["nik"])
    assert "sudah terdaftar" not in html(on_registered)


def test_public_form_with_another_name_says_nothing_of_the_record(world):
    before = counts()
    page = html(Client().post(PUBLIC_BPU, registered_form(world, name="Orang Lain")))
    assert "Pendaftaran mandiri tidak dapat diselesaikan dengan data ini" in page
    assert "sudah terdaftar" not in page
    assert field_error(page, "nik") == ""
    assert world.pu_b.kpj not in page
    assert counts() == before
    row = RefusalCount.objects.get(route="web:daftar-bpu")
    assert (row.reason, row.count) == (RefusalReason.NIK_UNPROVEN, 1)


def test_public_form_with_the_record_s_name_and_birth_date_says_already_registered(world):
    page = html(Client().post(PUBLIC_BPU, registered_form(world)))
    assert "NIK ini sudah terdaftar" in field_error(page, "nik")
    row = RefusalCount.objects.get(route="web:daftar-bpu")
    assert (row.reason, row.count) == (RefusalReason.NIK_PROVEN, 1)


# --- limits on the pages ----------------------------------------------------------------------


def test_public_form_is_limited_per_address_with_the_site_s_429_page(world, low_limits):
    client = Client()
    for number in range(3):
        nik = nik_make(
            district_code_nodot="320405", birth_date=date(1988, 7, 9), sex="F", serial=500 + number
        )
        assert client.post(PUBLIC_BPU, public_form(nik=nik, agree="")).status_code == 200
    before = counts()
    # when
    response = client.post(PUBLIC_BPU, public_form())
    # then
    assert response.status_code == 429
    page = html(response)
    assert "Terlalu banyak permintaan" in page
    assert 'class="site-header' in page or "<nav" in page  # the site's layout
    assert 1 <= int(response["Retry-After"]) <= 3600
    assert counts() == before
    # in English after the switch
    client.post("/i18n/setlang/", {"language": "en", "next": PUBLIC_BPU})
    english = html(client.post(PUBLIC_BPU, public_form()))
    assert "Too many requests from you in a short time" in english
    assert RefusalCount.objects.get(reason=RefusalReason.LIMIT_ADDRESS).count == 2


def test_public_form_is_limited_per_nik_from_any_address(world, low_limits):
    target = registered_form(world, name="Tebakan")
    for number, guess in enumerate(["1990-01-01", "1991-01-01"]):
        Client().post(
            PUBLIC_BPU, {**target, "birth_date": guess}, REMOTE_ADDR=f"203.0.113.{number}"
        )
    response = Client().post(PUBLIC_BPU, registered_form(world), REMOTE_ADDR="203.0.113.50")
    assert response.status_code == 429
    assert RefusalCount.objects.get(reason=RefusalReason.LIMIT_NIK).count == 1


def test_simulator_is_limited_per_address_for_callers_not_signed_in(world, low_limits):
    anonymous = Client()
    for _ in range(3):
        assert anonymous.get(SIMULATOR).status_code == 200
    response = anonymous.get(SIMULATOR)
    assert response.status_code == 429
    assert "Terlalu banyak permintaan" in html(response)
    assert Client().get(SIMULATOR, REMOTE_ADDR="198.51.100.9").status_code == 200
    staff = client_for(world, "cabang")
    for _ in range(5):
        assert staff.get(SIMULATOR).status_code == 200


def test_sign_in_is_limited_per_address_whatever_the_account_name(world, low_limits):
    client = Client()
    for number in range(3):
        response = client.post(SIGN_IN, {"username": f"orang-{number}", "password": "salah-semua"})
        assert response.status_code == 200
    response = client.post(SIGN_IN, {"username": "t-admin", "password": "salah-semua"})
    assert response.status_code == 429
    assert "Terlalu banyak permintaan" in html(response)
    assert client.get(SIGN_IN).status_code == 200  # the form itself still shows


def test_public_api_routes_are_limited_per_address(world, low_limits):
    client = Client()
    body = json.dumps({"segment": "PU", "period": "2025-03", "wage": 5000000, "risk_class": 1})
    for _ in range(3):
        response = client.post(
            "/api/v1/calculations/contribution", body, content_type="application/json"
        )
        assert response.status_code == 200
    refused = client.post(
        "/api/v1/calculations/contribution", body, content_type="application/json"
    )
    regions = client.get("/api/v1/regions", {"q": "bandung"})
    for response in (refused, regions):
        assert response.status_code == 429
        assert response.json()["code"] == "access.too_many_requests"
        assert set(response.json()) == {"code", "message", "fields"}
        assert int(response["Retry-After"]) >= 1
    routes = set(RefusalCount.objects.values_list("route", flat=True))
    assert routes == {"api:calculations", "api:regions"}
    assert client.get("/api/v1/health").status_code == 200


# --- what administrators see ------------------------------------------------------------------


def test_administrators_see_the_refusals_and_no_one_else_does(world, low_limits):
    # given: refusals of each kind
    anonymous = Client()
    for _ in range(4):
        anonymous.get(SIMULATOR)
    Client().post(PUBLIC_BPU, registered_form(world, name="Orang Lain"), REMOTE_ADDR="192.0.2.9")
    # when
    page = html(client_for(world, "admin").get(REFUSALS))
    # then
    assert "Permintaan ditolak" in page
    assert "web:simulasi-iuran" in page
    assert "Batas per alamat tercapai (429)" in page
    assert "web:daftar-bpu" in page
    assert "NIK terdaftar dengan nama atau tanggal lahir lain" in page
    assert world.worker_b.nik not in page
    assert "Permintaan ditolak" in html(client_for(world, "admin").get("/kerja/"))
    for name in ("cabang", "analis", "peserta", "mitra", "perusahaan", "norole"):
        response = client_for(world, name).get(REFUSALS)
        assert response.status_code == 403, name
        assert "web:simulasi-iuran" not in html(response)
    assert Client().get(REFUSALS).status_code == 302
