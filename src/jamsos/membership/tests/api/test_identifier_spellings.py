"""The registry API reads every spelling of a NIK as one person or refuses it: registering a PU
or BPU member with a NIK already registered, spelled with fullwidth digits, spaces or zero-width
characters, finds that person; a digit of another script is refused and writes nothing."""

# The fixtures come from test_registry_world (this folder's conftest.py is shared).

from __future__ import annotations

import pytest

from jamsos.core.tests.identifier_variants import variants
from jamsos.membership.models import Membership, Person
from jamsos.membership.tests.api.test_registrations import BPU, PU, assert_error
from jamsos.membership.tests.api.test_world import new_person_body

NAMES = sorted(variants("3204051705900001"))


def _refused(response, language: str) -> None:
    body = assert_error(response, 400, "membership.invalid_nik")
    assert list(body["fields"]) == ["nik"]
    words = {"id": "hanya boleh memuat angka 0–9", "en": "may hold only the digits 0–9"}
    assert words[language] in body["message"]


@pytest.mark.parametrize("name", NAMES)
def test_pu_registration(api, world, name):
    body = {**new_person_body(world.regions), **PU}
    first = api("employer_a", "post", "registrations/pu", body)
    assert first.status_code == 201, first.content
    people = Person.objects.count()
    spelling, same = variants(body["nik"])[name]
    response = api("employer_a", "post", "registrations/pu?lang=en", {**body, "nik": spelling})
    if same:
        assert_error(response, 409, "membership.already_active")
    else:
        _refused(response, "en")
    assert Person.objects.count() == people


@pytest.mark.parametrize("name", NAMES)
def test_bpu_registration(api, world, name):
    body = {**new_person_body(world.regions), **BPU}
    first = api("officer_a", "post", "registrations/bpu", body)
    assert first.status_code == 201, first.content
    people, memberships = Person.objects.count(), Membership.objects.count()
    spelling, same = variants(body["nik"])[name]
    response = api("officer_a", "post", "registrations/bpu", {**body, "nik": spelling})
    if same:
        assert response.status_code == 409, response.content
    else:
        _refused(response, "id")
    assert (Person.objects.count(), Membership.objects.count()) == (people, memberships)


@pytest.mark.parametrize("name", NAMES)
def test_people_search(api, world, name):
    spelling, same = variants(world.worker_a.nik)[name]
    response = api("admin", "post", "people/search", {"q": spelling})
    if same:
        assert response.status_code == 200, response.content
        assert [p["id"] for p in response.json()["items"]] == [world.worker_a.pk]
    else:
        _refused(response, "id")
