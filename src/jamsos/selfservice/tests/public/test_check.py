""" "Apakah saya terlindungi?": active since when, or one same answer for everything else (no
oracle); limited per address and per NIK; the NIK never in the address."""

from __future__ import annotations

from html import unescape

import pytest
from django.test import Client

from jamsos.membership.models import EndReason, Membership, Status
from jamsos.selfservice.tests.test_journey import NIK, public_form

pytestmark = pytest.mark.django_db

ACTIVE = "kepesertaan aktif sejak"
NOT_FOUND = "Tidak ditemukan kepesertaan aktif"


def check(client: Client, nik: str, birth_date: str, **extra: str):
    return client.post("/cek-kepesertaan/", {"nik": nik, "birth_date": birth_date}, **extra)


def answer(response) -> str:
    page = unescape(response.content.decode())
    start = page.index('id="check-answer"')
    return page[start : page.index("</p>", start)]


@pytest.fixture
def registered(regions) -> Membership:
    assert Client().post("/daftar-bpu/", public_form()).status_code == 302
    return Membership.objects.get(person__nik=NIK)


def test_an_active_member_sees_since_when_and_nothing_else(registered):
    response = check(Client(), NIK, "1988-07-09")
    assert response.status_code == 200
    text = answer(response)
    assert ACTIVE in text
    assert str(registered.start_date.year) in text
    page = unescape(response.content.decode())
    for private in (registered.person.name, registered.kpj, NIK):
        assert private not in page


def test_a_wrong_birth_date_answers_as_an_unknown_nik(registered):
    client = Client()
    wrong = answer(check(client, NIK, "1988-07-10"))
    unknown = answer(check(client, "3204054907880999", "1988-07-09"))
    assert NOT_FOUND in wrong
    assert wrong == unknown


def test_an_ended_membership_answers_as_an_unknown_nik(registered):
    Membership.objects.filter(pk=registered.pk).update(
        status=Status.ENDED, end_date=registered.start_date, end_reason=EndReason.RESIGNATION
    )
    assert answer(check(Client(), NIK, "1988-07-09")) == answer(
        check(Client(), "3204054907880999", "1988-07-09")
    )


def test_in_english_through_the_language_switch(registered):
    client = Client()
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    text = answer(check(client, NIK, "1988-07-09"))
    assert "active membership since" in text


def test_bad_input_names_the_field(db):
    page = unescape(check(Client(), "", "not a date").content.decode())
    assert 'id="id_nik_error"' in page
    assert 'id="id_birth_date_error"' in page
    assert 'id="check-answer"' not in page


def test_the_form_is_posted_so_no_nik_appears_in_urls(db):
    page = Client().get("/cek-kepesertaan/").content.decode()
    assert 'method="post"' in page


def test_limited_per_nik_from_any_address(settings, registered):
    settings.ABUSE_LIMITS = {**settings.ABUSE_LIMITS, "check.nik": "3/1h"}
    for n in range(3):
        response = check(Client(), NIK, "1988-07-09", REMOTE_ADDR=f"10.0.0.{n}")
        assert response.status_code == 200
    refused = check(Client(), NIK, "1988-07-09", REMOTE_ADDR="10.0.0.9")
    assert refused.status_code == 429
    assert refused["Retry-After"]
    other = check(Client(), "3204054907880999", "1988-07-09", REMOTE_ADDR="10.0.0.9")
    assert other.status_code == 200


def test_limited_per_address_whatever_the_nik(settings, db):
    settings.ABUSE_LIMITS = {**settings.ABUSE_LIMITS, "check.address": "2/10m"}
    client = Client(REMOTE_ADDR="10.0.1.1")
    assert check(client, "3204054907880001", "1990-01-01").status_code == 200
    assert check(client, "3204054907880002", "1990-01-01").status_code == 200
    assert check(client, "3204054907880003", "1990-01-01").status_code == 429
    other = Client(REMOTE_ADDR="10.0.1.2")
    assert check(other, "3204054907880003", "1990-01-01").status_code == 200
