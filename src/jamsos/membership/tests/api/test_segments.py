"""``POST /projects`` (Jakon) and ``POST /registrations/pmi`` (PMI): who may, what is written,
what is refused (naming the field, nothing written)."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from jamsos.access.models import AuditEvent
from jamsos.core.clock import today_in_jakarta
from jamsos.membership.models import ConstructionProject, Membership, Person, Placement
from jamsos.membership.tests.api.test_world import new_person_body

START = date(2026, 6, 1)


def project_body(world, **change):
    body = {
        "npp": world.employer_a.npp,
        "name": "Jembatan Citarum",
        "contract_value_idr": 2_000_000_000,
        "village": world.regions.cileunyi_kulon.code,
        "start_date": START.isoformat(),
        "end_date": date(2027, 5, 31).isoformat(),
    }
    body.update(change)
    return body


def refused(response, status, code):
    assert response.status_code == status, response.content
    body = response.json()
    assert body["code"] == code
    return body


def written():
    return (
        ConstructionProject.objects.count(),
        Placement.objects.count(),
        Membership.objects.count(),
        Person.objects.count(),
    )


# --- Jakon projects ---------------------------------------------------------------------------


def test_an_officer_registers_a_project_of_its_offices_contractor(world, api):
    response = api("officer_a", "post", "projects", project_body(world))
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["contractor"]["npp"] == world.employer_a.npp
    assert body["village"]["code"] == "32.04.05.2001"
    # Marginal bands (Permenaker 5/2021): 100 M x 0.24 % + 400 M x 0.19 % + 500 M x 0.15 %
    # + 1 B x 0.12 % = 240.000 + 760.000 + 750.000 + 1.200.000.
    assert body["contribution_idr"] == 2_950_000
    project = ConstructionProject.objects.get(pk=body["id"])
    assert project.contract_value_idr == 2_000_000_000
    event = AuditEvent.objects.get(target_type="membership.constructionproject")
    assert event.action == "create"
    assert event.detail["contractor_npp"] == world.employer_a.npp


def test_another_offices_contractor_is_not_found_and_nothing_is_written(world, api):
    before = written()
    response = api("officer_b", "post", "projects", project_body(world))
    refused(response, 404, "membership.employer_not_found")
    assert written() == before


@pytest.mark.parametrize("role", ["employer_a", "worker_a", "partner_a", "analyst"])
def test_other_roles_may_not_register_a_project(world, api, role):
    refused(api(role, "post", "projects", project_body(world)), 403, "access.not_permitted")
    assert not ConstructionProject.objects.exists()


@pytest.mark.parametrize(
    ("change", "status", "code", "field"),
    [
        ({"end_date": "2026-05-31"}, 400, "membership.end_before_start", "end_date"),
        ({"end_date": "2036-07-01"}, 400, "membership.out_of_range", "end_date"),
        ({"name": "   "}, 400, "membership.required", "name"),
        ({"village": "32.04.05"}, 400, "membership.region_level", "village"),
        ({"village": "99.99.99.9999"}, 400, None, "village"),
        ({"contract_value_idr": 0}, 400, "validation_error", "contract_value_idr"),
        ({"start_date": "2014-01-01"}, 400, "validation_error", "start_date"),
    ],
)
def test_bad_project_input_names_the_field_and_writes_nothing(
    world, api, change, status, code, field
):
    before = written()
    response = api("admin", "post", "projects", project_body(world, **change))
    assert response.status_code == status, response.content
    if code is not None:
        assert response.json()["code"] == code
    assert field in response.content.decode()
    assert written() == before


def test_a_project_starting_more_than_a_year_ahead_is_refused(world, api):
    far = today_in_jakarta() + timedelta(days=400)
    body = project_body(
        world, start_date=far.isoformat(), end_date=(far + timedelta(days=30)).isoformat()
    )
    response = refused(api("admin", "post", "projects", body), 400, "membership.out_of_range")
    assert "start_date" in str(response["fields"])
    assert not ConstructionProject.objects.exists()


# --- PMI placements ---------------------------------------------------------------------------


def pmi_body(world, **change):
    body = new_person_body(world.regions)
    body.update(
        {"destination_country": "my", "placement_months": 24, "start_date": START.isoformat()}
    )
    body.update(change)
    return body


def test_an_officer_registers_a_new_migrant_worker_with_the_package(world, api):
    response = api("officer_a", "post", "registrations/pmi", pmi_body(world))
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["person_created"] is True
    assert body["membership"]["segment"] == "PMI"
    assert body["membership"]["programs"] == ["JKK", "JKM"]
    assert body["placement"] == {
        "destination_country": "MY",
        "placement_months": 24,
        "start_date": "2026-06-01",
        "end_date": "2028-06-01",
    }
    # Permenaker 4/2023 Pasal 18: pre-placement 37.500 + the 24-month package 332.500.
    assert body["package_idr"] == 370_000


def test_months_beyond_the_longest_package_add_the_monthly_extension(world, api):
    response = api("admin", "post", "registrations/pmi", pmi_body(world, placement_months=30))
    assert response.status_code == 201, response.content
    assert response.json()["package_idr"] == 370_000 + 6 * 13_500


def test_a_registered_person_is_found_by_nik(world, api):
    body = {
        "nik": world.resident_a.nik,
        "destination_country": "HK",
        "placement_months": 12,
        "start_date": START.isoformat(),
    }
    response = api("officer_a", "post", "registrations/pmi", body)
    assert response.status_code == 201, response.content
    assert response.json()["person_created"] is False
    assert response.json()["package_idr"] == 37_500 + 189_000


def test_an_officer_may_not_register_someone_outside_its_area(world, api):
    before = written()
    body = pmi_body(world, domicile=world.regions.cileunyi_kulon.code)
    response = api("officer_b", "post", "registrations/pmi", body)
    refused(response, 403, "membership.outside_office_area")
    assert written() == before


@pytest.mark.parametrize(
    ("change", "status", "field"),
    [
        ({"destination_country": "1X"}, 400, "destination_country"),
        ({"destination_country": "MYS"}, 400, "destination_country"),
        ({"placement_months": 0}, 400, "placement_months"),
        ({"placement_months": 121}, 400, "placement_months"),
        ({"name": ""}, 400, "name"),
        ({"start_date": "2100-12-31"}, 400, "start_date"),
    ],
)
def test_bad_pmi_input_names_the_field_and_writes_nothing(world, api, change, status, field):
    before = written()
    response = api("admin", "post", "registrations/pmi", pmi_body(world, **change))
    assert response.status_code == status, response.content
    assert field in response.content.decode()
    assert written() == before


@pytest.mark.parametrize("role", ["employer_a", "worker_a", "partner_a", "analyst"])
def test_other_roles_may_not_register_a_placement(world, api, role):
    response = api(role, "post", "registrations/pmi", pmi_body(world))
    refused(response, 403, "access.not_permitted")
    assert not Placement.objects.exists()


def test_both_operations_are_in_the_openapi_document(world, api):
    paths = api("admin", "get", "/api/v1/openapi.json").json()["paths"]
    assert "post" in paths["/api/v1/projects"]
    assert "post" in paths["/api/v1/registrations/pmi"]
