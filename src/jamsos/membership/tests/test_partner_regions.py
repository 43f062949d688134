"""A partner registers only people living in its agreement's regions, and registering never
widens what it sees: its view of people (full NIK and phone) stays within those regions."""

from __future__ import annotations

from datetime import date

import pytest

from jamsos.access.models import Role
from jamsos.access.scope import Scope
from jamsos.membership.errors import OutsidePartnerRegions, PersonNotFound
from jamsos.membership.models import Membership, Person
from jamsos.membership.selectors import (
    memberships_visible,
    people_visible,
    person_get_by_nik,
)
from jamsos.membership.services import PersonData, bpu_self_register, branch_office_create
from jamsos.membership.tests.factories import person_create
from jamsos.membership.tests.fixtures import Regions

pytestmark = pytest.mark.django_db

TODAY = date(2025, 3, 15)


def _partner(*codes: str) -> Scope:
    return Scope(
        role=Role.PARTNER_USER,
        actor_name="mitra-jabar",
        partner_ref="MITRA-JABAR",
        partner_region_codes=frozenset(codes),
    )


def _register(person: Person | PersonData, scope: Scope | None) -> Membership:
    return bpu_self_register(
        person=person,
        declared_income_idr=2_000_000,
        channel="partner",
        partner_ref="MITRA-JABAR",
        by=scope,
        today=TODAY,
    )


def test_a_partner_registering_someone_outside_its_regions_is_refused(regions: Regions) -> None:
    outsider = person_create(
        domicile=regions.tanjung_palas_hulu, district="650101", name="Bambang Irawan"
    )
    with pytest.raises(OutsidePartnerRegions) as refused:
        _register(outsider, _partner("32"))
    error = refused.value
    assert error.code == "membership.outside_partner_regions"
    assert error.field == "domicile"
    assert error.http_status == 403
    assert error.message_in("id").startswith("Domisili 65.01.01.1001 Tanjung Palas Hulu berada")
    assert "MITRA-JABAR (32)" in error.message_in("id")
    assert error.message_in("en").startswith("Domicile 65.01.01.1001 Tanjung Palas Hulu lies")
    assert not Membership.objects.filter(person=outsider).exists()


def test_a_partner_without_regions_registers_nobody(regions: Regions) -> None:
    person = person_create(domicile=regions.cileunyi_kulon, name="Asep Sunandar")
    with pytest.raises(OutsidePartnerRegions):
        _register(person, _partner())
    assert not Membership.objects.filter(person=person).exists()


def test_a_new_person_outside_the_regions_is_not_written(regions: Regions) -> None:
    data = PersonData(
        nik="6501015705900021",
        name="Dewi Lestari",
        birth_date=date(1990, 5, 17),
        sex="F",
        domicile=regions.tanjung_palas_hulu,
    )
    people = Person.objects.count()
    with pytest.raises(OutsidePartnerRegions):
        _register(data, _partner("32.04", "32.73"))
    assert Person.objects.count() == people


@pytest.mark.parametrize("codes", [("32",), ("32.04",), ("32.04.05",), ("32.73", "32.04")])
def test_a_partner_registers_people_in_its_regions(regions: Regions, codes: tuple[str]) -> None:
    person = person_create(domicile=regions.cileunyi_kulon, name="Asep Sunandar")
    membership = _register(person, _partner(*codes))
    assert membership.partner_ref == "MITRA-JABAR"
    scope = _partner(*codes)
    assert person_get_by_nik(scope, nik=person.nik).pk == person.pk
    assert memberships_visible(scope).filter(pk=membership.pk).exists()


def test_registering_never_widens_what_a_partner_sees(regions: Regions) -> None:
    """A membership carrying the partner's reference for someone outside its regions (written by
    an officer, or before this rule) shows the partner neither the person nor the membership."""
    branch_office_create(code="KC6501", name="Kantor Cabang Bulungan", regencies=[regions.bulungan])
    inside = person_create(domicile=regions.cileunyi_kulon, name="Asep Sunandar")
    outside = person_create(
        domicile=regions.tanjung_palas_hulu, district="650101", name="Bambang Irawan"
    )
    own = _register(inside, _partner("32"))
    elsewhere = _register(outside, None)  # not by the partner: no region rule
    assert elsewhere.partner_ref == "MITRA-JABAR"
    scope = _partner("32")
    assert list(people_visible(scope)) == [inside]
    assert list(memberships_visible(scope)) == [own]
    with pytest.raises(PersonNotFound):
        person_get_by_nik(scope, nik=outside.nik)
    assert not people_visible(_partner()).exists()  # no regions: nobody
