"""Who sees what: every role against every record, by list, detail, search and guessed id."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model

from jamsos.access.models import Role
from jamsos.access.scope import Scope, scope_for_user
from jamsos.membership import errors
from jamsos.membership.selectors import (
    employer_get_by_npp,
    employers_visible,
    membership_events,
    membership_get_by_kpj,
    membership_list,
    memberships_visible,
    people_visible,
    person_get,
    person_get_by_nik,
    person_search,
    wage_reports,
    worker_search,
)

#: Who sees which person (by the World's attribute names).
PEOPLE = {
    "admin": {"worker_a", "worker_b", "commuter", "bpu_partner", "resident"},
    # Office Bandung: its memberships (PU at employer A incl. the commuter, the BPU of a
    # Cileunyi resident) and everyone living in its area (the resident without membership).
    "officer_bandung": {"worker_a", "commuter", "bpu_partner", "resident"},
    "officer_bulungan": {"worker_b", "commuter"},  # commuter lives in Bulungan
    "employer_a": {"worker_a", "commuter"},
    "employer_b": {"worker_b"},
    "worker_a": {"worker_a"},
    "partner": {"bpu_partner"},
    "analyst": set(),
    "nobody": set(),
}
MEMBERSHIPS = {
    "admin": {"pu_a", "pu_b", "pu_commuter", "bpu"},
    "officer_bandung": {"pu_a", "pu_commuter", "bpu"},
    "officer_bulungan": {"pu_b"},
    "employer_a": {"pu_a", "pu_commuter"},
    "employer_b": {"pu_b"},
    "worker_a": {"pu_a"},
    "partner": {"bpu"},
    "analyst": set(),
    "nobody": set(),
}
EMPLOYERS = {
    "admin": {"employer_a", "employer_b"},
    "officer_bandung": {"employer_a"},
    "officer_bulungan": {"employer_b"},
    "employer_a": {"employer_a"},
    "employer_b": {"employer_b"},
    "worker_a": {"employer_a"},
    "partner": set(),
    "analyst": set(),
    "nobody": set(),
}
ROLES = list(PEOPLE)


def _names(world, attrs):
    return {getattr(world, a).pk for a in attrs}


@pytest.mark.parametrize("who", ROLES)
def test_lists_hold_exactly_the_scope(world, scopes, who):
    scope = scopes[who]
    assert set(people_visible(scope).values_list("pk", flat=True)) == _names(world, PEOPLE[who])
    assert set(memberships_visible(scope).values_list("pk", flat=True)) == _names(
        world, MEMBERSHIPS[who]
    )
    assert set(membership_list(scope).values_list("pk", flat=True)) == _names(
        world, MEMBERSHIPS[who]
    )
    assert set(employers_visible(scope).values_list("pk", flat=True)) == _names(
        world, EMPLOYERS[who]
    )


@pytest.mark.parametrize("who", ROLES)
def test_detail_by_nik_id_kpj_and_npp_only_inside_the_scope(world, scopes, who):
    scope = scopes[who]
    for attr in PEOPLE["admin"]:
        person = getattr(world, attr)
        if attr in PEOPLE[who]:
            assert person_get_by_nik(scope, nik=person.nik) == person
            assert person_get(scope, pk=person.pk) == person
        else:
            # A guessed NIK or id outside the scope is reported as not existing.
            with pytest.raises(errors.PersonNotFound) as caught:
                person_get_by_nik(scope, nik=person.nik)
            assert person.name not in caught.value.message
            with pytest.raises(errors.PersonIdNotFound):
                person_get(scope, pk=person.pk)
    for attr in MEMBERSHIPS["admin"]:
        membership = getattr(world, attr)
        if attr in MEMBERSHIPS[who]:
            assert membership_get_by_kpj(scope, kpj=membership.kpj) == membership
            assert membership_events(scope, membership=membership).exists()
        else:
            with pytest.raises(errors.MembershipNotFound):
                membership_get_by_kpj(scope, kpj=membership.kpj)
            # The history of a membership handed in from elsewhere stays closed too.
            assert not membership_events(scope, membership=membership).exists()
            assert not wage_reports(scope, membership=membership).exists()
    for attr in EMPLOYERS["admin"]:
        employer = getattr(world, attr)
        if attr in EMPLOYERS[who]:
            assert employer_get_by_npp(scope, npp=employer.npp) == employer
        else:
            with pytest.raises(errors.EmployerNotFound):
                employer_get_by_npp(scope, npp=employer.npp)


@pytest.mark.parametrize("who", ROLES)
def test_search_by_nik_kpj_and_name_stays_in_the_scope(world, scopes, who):
    scope = scopes[who]
    for attr in PEOPLE["admin"]:
        person = getattr(world, attr)
        expected = [person] if attr in PEOPLE[who] else []
        assert worker_search(scope, text=person.nik).people == expected
        assert [p for p in person_search(scope, name=person.name) if p == person] == expected
    for attr in MEMBERSHIPS["admin"]:
        membership = getattr(world, attr)
        found = worker_search(scope, text=membership.kpj)
        assert found.kind == "kpj"
        assert found.people == ([membership.person] if attr in MEMBERSHIPS[who] else [])


def test_search_reads_nik_kpj_or_name(world, scopes):
    scope = scopes["admin"]
    nik = world.worker_a.nik
    spaced = f"{nik[:4]} {nik[4:8]}.{nik[8:12]}-{nik[12:]}"
    assert worker_search(scope, text=spaced).kind == "nik"
    assert worker_search(scope, text="asep").kind == "name"
    assert worker_search(scope, text="   ").kind == "empty"
    assert worker_search(scope, text="   ").people == []


def test_scope_of_users(db, world):
    users = get_user_model()
    assert scope_for_user(None).role is None
    plain = users.objects.create_user("plain", password="x")
    assert scope_for_user(plain).role is None  # signed in, no role: nothing
    assert not people_visible(scope_for_user(plain)).exists()
    root = users.objects.create_superuser("root", password="x")
    assert scope_for_user(root).is_admin
    root.is_active = False
    assert scope_for_user(root).role is None


def test_branch_officer_scope_carries_the_service_area(scopes):
    assert scopes["officer_bandung"].regency_codes == {"32.04", "32.73"}
    assert scopes["officer_bulungan"].regency_codes == {"65.01"}
    assert scopes["partner"].partner_region_codes == {"32.04"}
    assert scopes["analyst"].sees_aggregates
    assert not scopes["analyst"].sees_personal_data
    assert scopes["worker_a"].sees_personal_data
    assert not scopes["worker_a"].may_register
    assert Scope.operator("ops").is_admin
    assert scopes["partner"].describe()["partner_ref"] == "PKS-3204"
    assert scopes["nobody"].describe() == {"role": None}
    assert Role.ANALYST not in {s.role for s in scopes.values() if s.sees_personal_data}
