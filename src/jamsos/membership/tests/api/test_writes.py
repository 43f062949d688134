"""Changing the registry over the API: corrections of people, ends of memberships, wage
reports and employers; a write to another scope's record is refused and changes nothing."""

# The fixtures come from test_registry_world (this folder's conftest.py is shared), so the
# test functions' parameters shadow the imported names on purpose.

from __future__ import annotations

import pytest

from jamsos.access.models import AuditEvent
from jamsos.membership.identifiers import npwp_make
from jamsos.membership.models import Employer, Membership, MembershipEvent, Person, WageReport


def assert_error(response, status, code):
    assert response.status_code == status, response.content
    body = response.json()
    assert set(body) == {"code", "message", "fields"}
    assert body["code"] == code
    return body


def person_row(person):
    return Person.objects.values("name", "phone", "domicile_id").get(pk=person.pk)


# --- PATCH /people/{id} ----------------------------------------------------------------------


def test_branch_officer_corrects_a_person_of_the_office_and_it_is_audited(api, world):
    # when
    response = api(
        "officer_a",
        "patch",
        f"people/{world.resident_a.pk}",
        {"name": "Dedi  Mulyadi Putra", "phone": "0813 2222 3333", "domicile": "32.73.01.1001"},
        REMOTE_ADDR="192.0.2.10",
    )
    # then
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["name"] == "Dedi Mulyadi Putra"
    assert body["phone"] == "0813****3333"
    assert body["domicile"] == {"code": "32.73.01.1001", "name": "Sukarasa"}
    assert body["masked"] is True
    person = Person.objects.get(pk=world.resident_a.pk)
    assert person.phone == "+6281322223333"
    event = AuditEvent.objects.get(action="update", target_type="membership.person")
    assert event.actor_name == "officer-a"
    assert event.channel == "api"
    assert event.ip == "192.0.2.10"
    assert event.changes["name"] == ["Dedi Mulyadi", "Dedi Mulyadi Putra"]
    assert event.changes["phone"] == ["0812****7890", "0813****3333"]
    assert event.changes["domicile"] == ["32.04.05.2002", "32.73.01.1001"]


def test_an_empty_phone_removes_the_number(api, world):
    response = api("admin", "patch", f"people/{world.worker_b.pk}", {"phone": ""})
    assert response.json()["phone"] is None
    assert Person.objects.get(pk=world.worker_b.pk).phone is None


@pytest.mark.parametrize(
    ("role", "status", "code"),
    [
        ("officer_b", 404, "membership.person_not_found"),
        ("worker_a", 403, "access.not_permitted"),
        ("employer_a", 403, "access.not_permitted"),
        ("partner_a", 403, "access.not_permitted"),
        ("analyst", 403, "access.not_permitted"),
        ("norole", 403, "access.not_permitted"),
        (None, 401, "unauthorized"),
    ],
)
def test_a_correction_outside_the_caller_s_rights_changes_nothing(api, world, role, status, code):
    # given: worker A is office A's and employer A's; the worker may change only their phone
    before = person_row(world.worker_a)
    # when
    response = api(role, "patch", f"people/{world.worker_a.pk}", {"name": "Orang Lain"})
    # then
    assert_error(response, status, code)
    assert person_row(world.worker_a) == before
    assert not AuditEvent.objects.filter(action="update").exists()


def test_a_worker_corrects_their_own_phone_only(api, world):
    own = api("worker_a", "patch", f"people/{world.worker_a.pk}", {"phone": "0857-1234-5678"})
    other = api("worker_a", "patch", f"people/{world.worker_b.pk}", {"phone": "0857-1234-5678"})
    name = api("worker_a", "patch", f"people/{world.worker_a.pk}?lang=en", {"name": "Asep S"})
    assert own.status_code == 200
    assert Person.objects.get(pk=world.worker_a.pk).phone == "+6285712345678"
    assert_error(other, 404, "membership.person_not_found")
    body = assert_error(name, 403, "access.not_permitted")
    assert body["message"].startswith("Your role (worker) may not change a name or domicile")


@pytest.mark.parametrize(
    ("change", "field", "code"),
    [
        ({"phone": "12345"}, "phone", "membership.invalid_phone"),
        ({"name": "   "}, "name", "membership.required"),
        ({"domicile": "99.99.99.9999"}, "domicile", "api.unknown_region"),
        ({"domicile": "32.04"}, "domicile", "membership.region_level"),
    ],
)
def test_bad_corrections_name_the_field_and_change_nothing(api, world, change, field, code):
    before = person_row(world.resident_a)
    body = assert_error(
        api("officer_a", "patch", f"people/{world.resident_a.pk}", change), 400, code
    )
    assert list(body["fields"]) == [field]
    assert person_row(world.resident_a) == before
    assert not AuditEvent.objects.filter(action="update").exists()


# --- POST /memberships/{kpj}/end -------------------------------------------------------------


def test_employer_user_ends_its_worker_s_membership(api, world):
    # when
    response = api(
        "employer_a",
        "post",
        f"memberships/{world.pu_a.kpj}/end",
        {"end_date": "2025-02-28", "reason": "resignation"},
    )
    again = api(
        "employer_a",
        "post",
        f"memberships/{world.pu_a.kpj}/end?lang=en",
        {"end_date": "2025-03-31", "reason": "resignation"},
    )
    # then
    assert response.status_code == 200, response.content
    assert response.json()["status"] == "ended"
    assert response.json()["end_date"] == "2025-02-28"
    event = AuditEvent.objects.get(action="end")
    assert (event.actor_name, event.channel) == ("employer-a", "api")
    body = assert_error(again, 409, "membership.already_ended")
    assert body["message"] == f"Membership KPJ {world.pu_a.kpj} already ended on 2025-02-28."


@pytest.mark.parametrize(
    ("role", "status", "code"),
    [
        ("officer_b", 404, "membership.membership_not_found"),
        ("partner_a", 403, "access.not_permitted"),
        ("worker_a", 403, "access.not_permitted"),
        ("analyst", 403, "access.not_permitted"),
    ],
)
def test_ending_another_scope_s_membership_is_refused(api, world, role, status, code):
    response = api(
        role,
        "post",
        f"memberships/{world.pu_a.kpj}/end",
        {"end_date": "2025-02-28", "reason": "phk"},
    )
    assert_error(response, status, code)
    assert Membership.objects.get(pk=world.pu_a.pk).status == "active"


def test_end_before_start_names_the_field(api, world):
    body = assert_error(
        api(
            "admin",
            "post",
            f"memberships/{world.pu_b.kpj}/end",
            {"end_date": "2020-01-01", "reason": "other"},
        ),
        400,
        "membership.end_before_start",
    )
    assert list(body["fields"]) == ["end_date"]


def test_an_unknown_end_reason_is_a_validation_error(api, world):
    body = assert_error(
        api(
            "admin",
            "post",
            f"memberships/{world.pu_b.kpj}/end",
            {"end_date": "2025-01-01", "reason": "bored"},
        ),
        400,
        "validation_error",
    )
    assert "reason" in body["fields"]


# --- wage reports ----------------------------------------------------------------------------


def test_employer_reports_a_month_and_a_changed_wage_is_history(api, world):
    # when
    response = api(
        "employer_a",
        "post",
        f"memberships/{world.pu_a.kpj}/wage-reports",
        {"period": "2024-02", "wage_idr": 4_800_000},
    )
    listed = api("worker_a", "get", f"memberships/{world.pu_a.kpj}/wage-reports").json()
    # then
    assert response.status_code == 201, response.content
    assert response.json()["source"] == "employer"
    assert [r["period"] for r in listed["items"]] == ["2024-02", "2024-01"]
    assert MembershipEvent.objects.filter(membership=world.pu_a, kind="wage_changed").exists()
    assert AuditEvent.objects.filter(action="update", channel="api").exists()


def test_branch_officer_reports_as_the_branch(api, world):
    response = api(
        "officer_b",
        "post",
        f"memberships/{world.pu_b.kpj}/wage-reports",
        {"period": "2024-03", "wage_idr": 3_900_000},
    )
    assert response.json()["source"] == "branch"


@pytest.mark.parametrize(
    ("role", "kpj", "status", "code"),
    [
        ("employer_a", "pu_b", 404, "membership.membership_not_found"),
        ("officer_a", "pu_b", 404, "membership.membership_not_found"),
        ("partner_a", "pu_a", 403, "access.not_permitted"),
        ("worker_a", "pu_a", 403, "access.not_permitted"),
        ("analyst", "pu_a", 403, "access.not_permitted"),
    ],
)
def test_wage_reports_outside_the_scope_are_refused(api, world, role, kpj, status, code):
    membership = getattr(world, kpj)
    response = api(
        role,
        "post",
        f"memberships/{membership.kpj}/wage-reports",
        {"period": "2024-05", "wage_idr": 9_000_000},
    )
    assert_error(response, status, code)
    assert not WageReport.objects.filter(period="2024-05").exists()


@pytest.mark.parametrize(
    ("body", "status", "code", "field"),
    [
        (
            {"period": "2024-01", "wage_idr": 4_500_000},
            409,
            "membership.wage_already_reported",
            "period",
        ),
        (
            {"period": "2023-12", "wage_idr": 4_500_000},
            400,
            "membership.period_outside_membership",
            "period",
        ),
        ({"period": "Jan 2024", "wage_idr": 4_500_000}, 400, "membership.invalid_period", "period"),
        ({"period": "2024-02", "wage_idr": 0}, 400, "membership.amount_not_positive", "wage_idr"),
    ],
)
def test_bad_wage_reports_name_the_field(api, world, body, status, code, field):
    response = api("employer_a", "post", f"memberships/{world.pu_a.kpj}/wage-reports", body)
    assert list(assert_error(response, status, code)["fields"]) == [field]
    assert WageReport.objects.filter(membership=world.pu_a).count() == 1


def test_a_bpu_membership_takes_no_wage_report(api, world):
    response = api(
        "admin",
        "post",
        f"memberships/{world.bpu_membership.kpj}/wage-reports",
        {"period": "2024-07", "wage_idr": 2_000_000},
    )
    assert_error(response, 400, "membership.wrong_segment")


# --- employers -------------------------------------------------------------------------------

EMPLOYER = {
    "npwp": "01.312.166.0-091.000",
    "legal_name": "CV Tani Makmur",
    "size": "small",
    "sector": "A",
    "risk_class": 2,
    "address_village": "32.04.05.2002",
}


def test_branch_officer_registers_for_their_own_office_whatever_the_body_says(api, world):
    # when: office B registers a Bandung employer and names office A
    response = api("officer_b", "post", "employers", {**EMPLOYER, "branch_office": "KC3204"})
    # then
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["branch_office"] == {"code": "KC6501", "name": "Kantor Cabang Bulungan"}
    assert body["npp"].startswith("32")
    assert body["npwp"] == "0013121660091000"
    assert api("officer_b", "get", f"employers/{body['npp']}").status_code == 200
    assert api("officer_a", "get", f"employers/{body['npp']}").status_code == 404


def test_administrator_names_the_office_or_gets_the_serving_one(api, world):
    named = api("admin", "post", "employers", {**EMPLOYER, "branch_office": "kc6501"})
    default = api(
        "admin",
        "post",
        "employers",
        {**EMPLOYER, "npwp": npwp_make(taxpayer_type=2, serial=1, tax_office=428)},
    )
    unknown = api(
        "admin",
        "post",
        "employers",
        {
            **EMPLOYER,
            "npwp": npwp_make(taxpayer_type=2, serial=2, tax_office=428),
            "branch_office": "KC9999",
        },
    )
    assert named.json()["branch_office"]["code"] == "KC6501"
    assert default.json()["branch_office"]["code"] == "KC3204"
    assert list(assert_error(unknown, 400, "api.unknown_branch_office")["fields"]) == [
        "branch_office"
    ]


@pytest.mark.parametrize("role", ["employer_a", "worker_a", "partner_a", "analyst", "norole"])
def test_only_offices_register_employers(api, world, role):
    before = Employer.objects.count()
    assert_error(api(role, "post", "employers", EMPLOYER), 403, "access.not_permitted")
    assert Employer.objects.count() == before


@pytest.mark.parametrize(
    ("change", "status", "code", "field"),
    [
        ({"npwp": "123"}, 400, "membership.invalid_npwp", "npwp"),
        ({"risk_class": 6}, 400, "membership.out_of_range", "risk_class"),
        ({"size": "huge"}, 400, "membership.invalid_choice", "size"),
        ({"address_village": "32.99.99.9999"}, 400, "api.unknown_region", "address_village"),
        ({"address_village": "65.01.01.1001"}, 201, None, None),
    ],
)
def test_bad_employer_data_names_the_field(api, world, change, status, code, field):
    response = api("officer_a", "post", "employers", {**EMPLOYER, **change})
    if code is None:
        assert response.status_code == status
        return
    assert list(assert_error(response, status, code)["fields"]) == [field]


def test_a_registered_npwp_is_409(api, world):
    response = api("officer_a", "post", "employers", {**EMPLOYER, "npwp": world.employer_a.npwp})
    assert_error(response, 409, "membership.duplicate_npwp")
