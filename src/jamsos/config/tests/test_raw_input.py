"""Raw input no page or operation may store (jamsos.core.inputs): a 400 naming the field, in
the caller's language, before any schema, form or service reads it; nothing written."""

from __future__ import annotations

import pytest
from django.test import Client

from jamsos.core.inputs import INT64_MAX, input_refusal
from jamsos.membership.models import Membership, Person
from jamsos.membership.tests.api.test_world import new_person_body, world_build

BPU = {"declared_income_idr": 2_500_000, "programs": ["JHT"], "ecosystem": "pasar"}


@pytest.fixture
def world(regions):
    return world_build(regions)


@pytest.mark.parametrize(
    ("change", "field"),
    [({"name": "Neneng\x00Hasanah"}, "name"), ({"phone": "0812\x1b[31m"}, "phone")],
)
def test_a_control_character_in_a_json_text_is_refused_naming_the_field(world, change, field):
    body = {**new_person_body(world.regions), **BPU, **change}
    before = (Person.objects.count(), Membership.objects.count())
    response = Client().post("/api/v1/registrations/bpu", body, content_type="application/json")
    assert response.status_code == 400, response.content
    data = response.json()
    assert data["code"] == "input.control_character"
    assert list(data["fields"]) == [field]
    assert "karakter kendali" in data["message"]
    assert (Person.objects.count(), Membership.objects.count()) == before


def test_the_refusal_speaks_english_on_request(world):
    body = {**new_person_body(world.regions), **BPU, "name": "A\x00"}
    response = Client().post(
        "/api/v1/registrations/bpu?lang=en", body, content_type="application/json"
    )
    assert response.json()["message"] == (
        "Field name holds a control character (such as NUL, code U+0000); remove it."
    )


def test_a_control_character_in_the_query_or_the_path_is_refused(world):
    client = world.client("officer_a")
    listed = client.get("/api/v1/people", {"q": "Asep\x00"})
    assert (listed.status_code, list(listed.json()["fields"])) == (400, ["q"])
    found = client.get("/api/v1/memberships/0001%00")
    assert (found.status_code, list(found.json()["fields"])) == (400, ["kpj"])


@pytest.mark.parametrize(
    ("path", "query", "field"),
    [
        ("/api/v1/regions", {"offset": 10**20}, "offset"),
        ("/api/v1/billing/arrears", {"limit": -(10**19)}, "limit"),
        ("/api/v1/coverage/targets", {"office_id": 2**64}, "office_id"),
        (f"/api/v1/billing/runs/{10**20}", {}, "run_id"),
    ],
)
def test_a_number_beyond_64_bits_in_the_address_is_refused(world, path, query, field):
    response = world.client("admin").get(path, query)
    assert response.status_code == 400, response.content
    data = response.json()
    assert (data["code"], list(data["fields"])) == ("input.number_too_large", [field])


def test_a_number_beyond_64_bits_in_a_json_body_is_refused(world):
    body = {**new_person_body(world.regions), **BPU, "declared_income_idr": 10**20}
    response = world.client("officer_a").post(
        "/api/v1/registrations/bpu", body, content_type="application/json"
    )
    data = response.json()
    assert (response.status_code, data["code"]) == (400, "input.number_too_large")
    assert list(data["fields"]) == ["declared_income_idr"]


def test_a_page_refuses_a_control_character_naming_the_field(world):
    response = Client().post("/daftar-bpu/", {"name": "Neneng\x00", "nik": "1"})
    assert response.status_code == 400
    assert "Isian name memuat karakter kendali" in response.content.decode()
    query = Client().get("/", {"q": "x\x07"})
    assert query.status_code == 400


def test_tabs_line_breaks_and_64_bit_numbers_pass():
    items = [("note", "a\tb\r\nc"), ("n", INT64_MAX), ("m", -INT64_MAX), ("q", str(INT64_MAX))]
    assert input_refusal(items, digits_are_numbers=True) is None
    assert input_refusal([("bank_ref", "9" * 30)], digits_are_numbers=False) is None
