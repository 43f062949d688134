"""Partners: validation in both languages, kind rules, scoping of reads and writes."""

from __future__ import annotations

import pytest
from django.utils import translation

from jamsos.access.models import AuditEvent, Role
from jamsos.membership.errors import NotPermitted
from jamsos.partners.models import Partner, PartnerContact
from jamsos.partners.selectors.partners import partner_get, partners_visible
from jamsos.partners.services.partners import (
    BadContact,
    DuplicateCode,
    OutsideOffice,
    PartnerNotFound,
    RegionRequired,
    RegionUnknown,
    partner_create,
    partner_update,
)
from jamsos.partners.tests.agreements.world import (
    OPERATOR,
    World,
    branch_scope,
    other_branch_scope,
    scope_of,
)


def test_partner_created_with_contacts_and_audited(world: World) -> None:
    contact = world.apindo.contacts.get()
    assert (contact.name, contact.phone, contact.is_primary) == (
        "Siti Rahma",
        "+6281234567890",
        True,
    )
    assert world.apindo.region.code == "32.04"
    assert AuditEvent.objects.filter(
        action="create", target_type="partners.partner", target_id=str(world.apindo.pk)
    ).exists()


def test_regional_government_needs_a_region(regions) -> None:
    with translation.override("id"), pytest.raises(RegionRequired) as error:
        partner_create(
            scope=OPERATOR,
            code="pemprov",
            name="Pemprov",
            kind="regional_government",
            branch_office="KC3204",
        )
    assert "Wilayah wajib untuk pemerintah daerah" in error.value.message
    assert error.value.fields == {"region": [error.value.message]}
    with translation.override("en"), pytest.raises(RegionRequired) as error:
        partner_create(
            scope=OPERATOR,
            code="pemprov",
            name="Pemprov",
            kind="regional_government",
            branch_office="KC3204",
            region="00",
        )
    assert error.value.message.startswith("Region with code '00'") or "Region is required" in (
        error.value.message
    )
    assert not Partner.objects.filter(code="pemprov").exists()


def test_unknown_region_bad_contact_duplicate_write_nothing(world: World) -> None:
    with translation.override("en"), pytest.raises(RegionUnknown) as error:
        partner_create(
            scope=OPERATOR,
            code="x-1",
            name="X",
            kind="union",
            region="99.99",
            branch_office="KC3204",
        )
    assert error.value.message == "Region with code '99.99' is not in the current list of regions."
    with translation.override("id"), pytest.raises(BadContact) as error:
        partner_create(
            scope=OPERATOR,
            code="x-2",
            name="X",
            kind="union",
            branch_office="KC3204",
            contacts=[{"name": "A", "phone": "12"}],
        )
    assert error.value.message.startswith("Kontak ke-1: Nomor HP '12' tidak sah")
    with pytest.raises(DuplicateCode):
        partner_create(
            scope=OPERATOR, code="apindo-bdg", name="X", kind="union", branch_office="KC3204"
        )
    assert Partner.objects.count() == 2
    assert PartnerContact.objects.count() == 1


def test_update_replaces_contacts_and_checks_kind(world: World) -> None:
    partner_update(
        scope=OPERATOR,
        partner=world.apindo,
        name="APINDO Kab. Bandung",
        contacts=[{"name": "Budi", "phone": "081398765432"}],
    )
    world.apindo.refresh_from_db()
    assert world.apindo.name == "APINDO Kab. Bandung"
    assert [c.name for c in world.apindo.contacts.all()] == ["Budi"]
    with pytest.raises(RegionRequired):
        partner_update(scope=OPERATOR, partner=world.pemkab, region=None)


def test_scoping_of_partner_reads(world: World) -> None:
    partner_scope = scope_of("mitra", Role.PARTNER_USER, partner_ref="apindo-bdg")
    assert [p.code for p in partners_visible(partner_scope)] == ["apindo-bdg"]
    with pytest.raises(PartnerNotFound):
        partner_get(partner_scope, "pemkab-bdg")
    assert {p.code for p in partners_visible(branch_scope())} == {"apindo-bdg", "pemkab-bdg"}
    assert list(partners_visible(other_branch_scope(world.regions))) == []
    analyst = scope_of("analis", Role.ANALYST)
    assert partners_visible(analyst).count() == 2
    employer = scope_of("pekerja", Role.WORKER, person=world.m["m1"].person)
    with pytest.raises(NotPermitted):
        partners_visible(employer)


def test_writes_refused_outside_scope(world: World) -> None:
    other = other_branch_scope(world.regions)
    with pytest.raises(NotPermitted):
        partner_update(scope=other, partner=world.apindo, name="Ganti")
    with pytest.raises(OutsideOffice):
        partner_create(scope=other, code="x-3", name="X", kind="union", branch_office="KC3204")
    partner_scope = scope_of("mitra", Role.PARTNER_USER, partner_ref="apindo-bdg")
    with pytest.raises(NotPermitted):
        partner_update(scope=partner_scope, partner=world.apindo, name="Ganti")
    world.apindo.refresh_from_db()
    assert world.apindo.name == "APINDO Kabupaten Bandung"
    # A branch officer records for their own office by default.
    own = partner_create(scope=branch_scope(), code="spsi-bdg", name="SPSI", kind="union")
    assert own.branch_office.code == "KC3204"
