"""Anonymous BPU self-registration over the API is no NIK oracle: a registered NIK sent without
its record's name and birth date is answered like any NIK that is not registered, and the route
is limited per client address and per NIK (docs/security-abuse.md)."""

# The fixtures come from test_registry_world (this folder's conftest.py is shared), so the
# test functions' parameters shadow the imported names on purpose.

from __future__ import annotations

from datetime import date

import pytest
from django.db import connection

from jamsos.access.models import RefusalCount, RefusalReason
from jamsos.core.masking import mask_nik
from jamsos.membership.identifiers import nik_make
from jamsos.membership.models import Membership, Person
from jamsos.membership.tests.api.test_world import new_person_body

URL = "registrations/bpu"
ROUTE = "api:registrations/bpu"
BPU = {"declared_income_idr": 2_500_000, "programs": ["JHT"]}


@pytest.fixture
def low_limits(settings):
    settings.ABUSE_LIMITS = {
        **settings.ABUSE_LIMITS,
        "register.address": "3/1h",
        "register.nik": "2/1h",
    }


def registered_body(world, **change):
    """Worker B's own NIK, name, birth date, sex and domicile (what the person can prove)."""
    person = world.worker_b
    body = {
        **BPU,
        "nik": person.nik,
        "name": person.name,
        "birth_date": person.birth_date.isoformat(),
        "sex": person.sex,
        "domicile": world.regions.tanjung_palas_hulu.code,
    }
    body.update(change)
    return body


def unregistered_twin(world) -> str:
    """A NIK of worker B's district, birth date and sex that nobody holds."""
    person = world.worker_b
    nik = nik_make(
        district_code_nodot=person.nik[:6],
        birth_date=person.birth_date,
        sex=person.sex,
        serial=4321,
    )
    assert not Person.objects.filter(nik=nik).exists()
    return nik


def answer(response, nik):
    """Status and body with the NIK itself (as sent or masked) replaced."""
    text = response.content.decode()
    for shown in (nik, mask_nik(nik)):
        text = text.replace(shown, "<NIK>")
    return response.status_code, text


@pytest.mark.parametrize(
    "change",
    [
        pytest.param({"birth_date": "1990-02-03"}, id="wrong-birth-date"),
        pytest.param({"birth_date": "1990-02-03", "name": "Orang Lain"}, id="wrong-both"),
        pytest.param({"sex": "other"}, id="wrong-sex"),
        pytest.param({"declared_income_idr": 0}, id="no-income"),
        pytest.param({"programs": ["JP"]}, id="jp-refused"),
        pytest.param({"start_date": "1960-01-01"}, id="start-before-birth"),
    ],
)
def test_a_registered_nik_with_wrong_data_gets_the_answer_of_an_unknown_nik(api, world, change):
    # given: worker B's NIK, and a NIK nobody holds, each sent with the same wrong data
    if change.get("sex") == "other":
        change = {"sex": "F" if world.worker_b.sex == "M" else "M"}
    registered = registered_body(world, **change)
    unknown = {**registered, "nik": unregistered_twin(world)}
    # when
    on_registered = api(None, "post", URL, registered)
    on_unknown = api(None, "post", URL, unknown)
    # then: the same status and the same body, word for word
    assert on_registered.status_code == 400, on_registered.content
    assert answer(on_registered, registered["nik"]) == answer(on_unknown, unknown["nik"])
    assert on_registered.json()["code"] != "registration.already_registered"


def test_a_village_that_no_office_serves_is_refused_before_the_nik_is_looked_up(api, world):
    # given: no office serves Bulungan any more
    world.office_b.service_area.clear()
    registered = registered_body(world, name="Orang Lain")
    unknown = {**registered, "nik": unregistered_twin(world)}
    # when
    on_registered = api(None, "post", URL, registered)
    on_unknown = api(None, "post", URL, unknown)
    # then
    assert on_registered.json()["code"] == "membership.no_branch_office"
    assert answer(on_registered, registered["nik"]) == answer(on_unknown, unknown["nik"])


def test_a_registered_nik_with_another_name_is_refused_without_naming_anything(api, world):
    # given
    before = (Person.objects.count(), Membership.objects.count())
    # when
    response = api(None, "post", URL, registered_body(world, name="Orang Lain"))
    english = api(None, "post", f"{URL}?lang=en", registered_body(world, name="Orang Lain"))
    # then
    assert response.status_code == 409
    body = response.json()
    assert body["code"] == "registration.not_confirmed"
    assert body["fields"] == {}
    for text in (body["message"], english.json()["message"]):
        assert "terdaftar" not in text
        assert "registered" not in text
        assert world.worker_b.name not in text
        assert world.worker_b.nik[-4:] not in text
    assert english.json()["message"].startswith("Self-registration cannot be completed")
    assert (Person.objects.count(), Membership.objects.count()) == before
    counted = RefusalCount.objects.get(route=ROUTE, reason=RefusalReason.NIK_UNPROVEN)
    assert counted.count == 2


def test_the_record_s_own_name_and_birth_date_are_told_it_is_registered(api, world):
    # when: the name spelled another way, still the record's
    spelled = "  " + world.worker_b.name.upper().replace(" ", "  ") + " "
    response = api(None, "post", URL, registered_body(world, name=spelled))
    # then
    assert response.status_code == 409
    assert response.json()["code"] == "registration.already_registered"
    assert world.pu_b.kpj not in response.content.decode()
    counted = RefusalCount.objects.get(route=ROUTE, reason=RefusalReason.NIK_PROVEN)
    assert counted.count == 1


def test_one_address_is_limited(api, world, low_limits):
    # given: three attempts allowed per address
    for _ in range(3):
        body = new_person_body(world.regions, birth_date="1990-02-03")
        assert api(None, "post", URL, {**BPU, **body}).status_code == 400
    # when: a fourth, with another NIK
    body = {**BPU, **new_person_body(world.regions)}
    response = api(None, "post", URL, body)
    english = api(None, "post", f"{URL}?lang=en", body)
    # then
    assert response.status_code == 429
    refusal = response.json()
    assert set(refusal) == {"code", "message", "fields"}
    assert refusal["code"] == "access.too_many_requests"
    assert refusal["message"].startswith("Terlalu banyak permintaan")
    assert english.json()["message"].startswith("Too many requests")
    assert 1 <= int(response["Retry-After"]) <= 3600
    assert not Person.objects.filter(nik=body["nik"]).exists()
    # another address is not
    other = api(None, "post", URL, body, REMOTE_ADDR="198.51.100.7")
    assert other.status_code == 201, other.content
    counted = RefusalCount.objects.get(route=ROUTE, reason=RefusalReason.LIMIT_ADDRESS)
    assert counted.count == 2


def test_one_nik_is_limited_whatever_the_address(api, world, low_limits):
    # given: a NIK tried from two addresses, with guessed birth dates
    target = registered_body(world, name="Tebakan")
    for number, guess in enumerate(["1990-01-01", "1991-01-01"]):
        response = api(
            None, "post", URL, {**target, "birth_date": guess}, REMOTE_ADDR=f"203.0.113.{number}"
        )
        assert response.status_code == 400
    # when: a third address tries the same NIK (even with the right data)
    response = api(None, "post", URL, registered_body(world), REMOTE_ADDR="203.0.113.99")
    # then
    assert response.status_code == 429
    assert response.json()["code"] == "access.too_many_requests"
    # another NIK from that address is not limited
    fresh = {**BPU, **new_person_body(world.regions)}
    assert api(None, "post", URL, fresh, REMOTE_ADDR="203.0.113.99").status_code == 201
    counted = RefusalCount.objects.get(route=ROUTE, reason=RefusalReason.LIMIT_NIK)
    assert counted.count == 1


def test_an_ipv6_subscriber_is_counted_by_its_network(api, world, low_limits):
    for host in range(1, 4):
        body = {**BPU, **new_person_body(world.regions, birth_date="1990-02-03")}
        assert api(None, "post", URL, body, REMOTE_ADDR=f"2001:db8:1:2::{host}").status_code == 400
    body = {**BPU, **new_person_body(world.regions)}
    assert api(None, "post", URL, body, REMOTE_ADDR="2001:db8:1:2::ff").status_code == 429
    assert api(None, "post", URL, body, REMOTE_ADDR="2001:db8:1:3::1").status_code == 201


def test_signed_in_staff_are_not_limited(api, world, low_limits):
    for _ in range(5):
        body = {**BPU, **new_person_body(world.regions)}
        assert api("officer_a", "post", URL, body).status_code == 201


def test_no_nik_is_kept_by_the_limits_or_the_counts(api, world, low_limits):
    # given
    nik = world.worker_b.nik
    for _ in range(4):
        api(None, "post", URL, registered_body(world, name="Orang Lain"))
    # then: neither the cache's keys and values nor the counts hold the NIK
    with connection.cursor() as cursor:
        cursor.execute("SELECT cache_key, value FROM jamsos_cache")
        stored = " ".join(f"{key} {value}" for key, value in cursor.fetchall())
    assert "limit:register.nik:" in stored
    assert nik not in stored
    assert nik[6:] not in stored
    for row in RefusalCount.objects.values():
        assert nik not in " ".join(str(value) for value in row.values())


def test_a_wrong_birth_date_probe_counts_like_any_other(api, world, low_limits):
    """Today's code answered 409 to a registered NIK whatever the birth date: one request told
    it apart. Now the answers are the same and the probing stops at the limit."""
    answers = set()
    for birth in ["1990-01-01", "1991-01-01", "1992-01-01", date(1993, 1, 1).isoformat()]:
        response = api(None, "post", URL, registered_body(world, birth_date=birth))
        answers.add(response.status_code)
    assert answers == {400, 429}
