"""Registering workers over the API: PU with an employer, BPU by self-registration, a partner
or an office. A new member appears in the right scopes and nowhere else; bad input is refused
naming the field, in Bahasa Indonesia by default and English on request, and writes nothing."""

# The fixtures come from test_registry_world (this folder's conftest.py is shared), so the
# test functions' parameters shadow the imported names on purpose.

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.utils import timezone

from jamsos.access.models import AuditEvent
from jamsos.membership.identifiers import nik_make
from jamsos.membership.models import Membership, Person, WageReport
from jamsos.membership.tests.api.test_world import new_person_body

BPU = {"declared_income_idr": 2_500_000, "programs": ["JHT"], "ecosystem": "pasar"}


def assert_error(response, status, code):
    assert response.status_code == status, response.content
    body = response.json()
    assert set(body) == {"code", "message", "fields"}
    assert body["code"] == code
    return body


@pytest.fixture
def counts(world):
    """The number of people, memberships, wage reports and audit events, to prove nothing was
    written."""

    def snapshot():
        return (
            Person.objects.count(),
            Membership.objects.count(),
            WageReport.objects.count(),
            AuditEvent.objects.count(),
        )

    return snapshot


def visible_to(api, world, kpj, person_id):
    """The roles that see the membership and the person, by list and by detail."""
    roles = set()
    for role in ("admin", "officer_a", "officer_b", "employer_a", "worker_a", "partner_a"):
        in_list = kpj in {m["kpj"] for m in api(role, "get", "memberships").json()["items"]}
        detail = api(role, "get", f"memberships/{kpj}").status_code == 200
        person = api(role, "get", f"people/{person_id}").status_code == 200
        assert in_list == detail
        if in_list:
            roles.add(role)
            assert person
    return roles


# --- BPU -------------------------------------------------------------------------------------


def test_partner_registers_a_bpu_member_seen_by_the_partner_and_the_office_only(api, world):
    # given
    body = {**new_person_body(world.regions), **BPU}
    # when
    response = api("partner_a", "post", "registrations/bpu", body, REMOTE_ADDR="192.0.2.44")
    # then
    assert response.status_code == 201, response.content
    data = response.json()
    membership = data["membership"]
    assert data["person_created"] is True
    assert membership["channel"] == "partner"
    assert membership["partner_ref"] == "MITRA-A"
    assert membership["segment"] == "BPU"
    assert membership["programs"] == ["JKK", "JKM", "JHT"]
    assert membership["branch_office"]["code"] == "KC3204"
    assert membership["person"]["nik"] != body["nik"]
    roles = visible_to(api, world, membership["kpj"], membership["person"]["id"])
    assert roles == {"admin", "partner_a", "officer_a"}
    created = AuditEvent.objects.filter(action="create", actor_name="partner-a")
    assert {e.target_type for e in created} == {"membership.person", "membership.membership"}
    assert {(e.channel, e.ip) for e in created} == {("api", "192.0.2.44")}


def test_anonymous_self_registration(api, world):
    # given: no credential, no CSRF token
    body = {**new_person_body(world.regions), **BPU}
    # when
    response = api(None, "post", "registrations/bpu", body)
    # then
    assert response.status_code == 201, response.content
    membership = response.json()["membership"]
    assert membership["channel"] == "self"
    assert membership["partner_ref"] is None
    roles = visible_to(api, world, membership["kpj"], membership["person"]["id"])
    assert roles == {"admin", "officer_a"}
    assert AuditEvent.objects.filter(action="create", actor_name="anonymous").count() == 2


def test_an_account_without_role_registers_itself_like_an_anonymous_caller(api, world):
    body = {**new_person_body(world.regions), **BPU}
    response = api("norole", "post", "registrations/bpu", body)
    assert response.status_code == 201, response.content
    assert response.json()["membership"]["channel"] == "self"
    assert AuditEvent.objects.filter(action="create", actor_name="norole").count() == 2
    again = {
        **BPU,
        "nik": world.worker_b.nik,
        "name": world.worker_b.name,
        "birth_date": world.worker_b.birth_date.isoformat(),
        "sex": world.worker_b.sex,
        "domicile": world.regions.tanjung_palas_hulu.code,
    }
    assert_error(
        api("norole", "post", "registrations/bpu", again), 409, "registration.already_registered"
    )
    assert_error(
        api("norole", "post", "registrations/bpu", {**again, "name": "Orang Lain"}),
        409,
        "registration.not_confirmed",
    )


def test_anonymous_registration_of_a_registered_nik_names_nobody(api, world, counts):
    # given: worker B's NIK, with worker B's own data
    before = counts()
    body = {
        **BPU,
        "nik": world.worker_b.nik,
        "name": world.worker_b.name,
        "birth_date": world.worker_b.birth_date.isoformat(),
        "sex": "M",
        "domicile": world.regions.tanjung_palas_hulu.code,
    }
    # when
    response = api(None, "post", "registrations/bpu", body)
    english = api(None, "post", "registrations/bpu?lang=en", body)
    # then
    refusal = assert_error(response, 409, "registration.already_registered")
    assert refusal["fields"] == {"nik": [refusal["message"]]}
    for text in (refusal["message"], english.json()["message"]):
        assert world.worker_b.name not in text
        assert world.pu_b.kpj not in text
        assert world.worker_b.nik[-4:] not in text
    assert english.json()["message"].startswith("This NIK is already registered.")
    assert counts() == before


def test_a_partner_registers_a_known_person_by_proving_name_and_birth_date(api, world):
    # given: worker B exists and partner A cannot see them
    body = {
        **BPU,
        "nik": world.worker_b.nik,
        "name": "bambang  IRAWAN",
        "birth_date": world.worker_b.birth_date.isoformat(),
    }
    # when
    response = api("partner_a", "post", "registrations/bpu", body)
    # then
    assert response.status_code == 201, response.content
    assert response.json()["person_created"] is False
    assert response.json()["membership"]["person"]["id"] == world.worker_b.pk
    assert Person.objects.filter(nik=world.worker_b.nik).count() == 1


@pytest.mark.parametrize(
    "change",
    [{"name": "Someone Else"}, {"birth_date": "1991-01-01"}, {"name": None}],
)
def test_a_known_nik_with_other_data_is_refused_without_naming_the_record(
    api, world, counts, change
):
    before = counts()
    body = {
        **BPU,
        "nik": world.worker_b.nik,
        "name": world.worker_b.name,
        "birth_date": world.worker_b.birth_date.isoformat(),
        **change,
    }
    refusal = assert_error(
        api("partner_a", "post", "registrations/bpu", body),
        409,
        "registration.person_data_mismatch",
    )
    assert world.worker_b.name not in refusal["message"]
    assert world.pu_b.kpj not in refusal["message"]
    assert counts() == before


def test_an_office_that_sees_the_person_is_told_whose_nik_it_is(api, world, counts):
    before = counts()
    body = {**BPU, "nik": world.resident_a.nik, "name": "Nama Lain"}
    refusal = assert_error(
        api("officer_a", "post", "registrations/bpu", body), 409, "membership.duplicate_nik"
    )
    assert "Dedi Mulyadi" in refusal["message"]
    assert list(refusal["fields"]) == ["nik"]
    assert counts() == before


def test_an_office_registers_a_person_it_sees_by_nik_alone(api, world):
    response = api("officer_a", "post", "registrations/bpu", {**BPU, "nik": world.resident_a.nik})
    assert response.status_code == 201, response.content
    assert response.json()["membership"]["channel"] == "branch"
    assert response.json()["person_created"] is False


def test_a_second_active_bpu_membership_is_409(api, world):
    body = {**BPU, "nik": world.bpu_a.nik}
    assert_error(
        api("partner_a", "post", "registrations/bpu", body), 409, "membership.already_active"
    )


def test_a_signed_in_worker_registers_only_themselves(api, world):
    own = api("worker_a", "post", "registrations/bpu", {**BPU, "nik": world.worker_a.nik})
    other = api("worker_a", "post", "registrations/bpu", {**BPU, "nik": world.resident_a.nik})
    assert own.status_code == 201, own.content
    assert own.json()["membership"]["channel"] == "self"
    assert_error(other, 403, "registration.not_own_person")


@pytest.mark.parametrize("role", ["employer_a", "analyst"])
def test_employer_users_and_analysts_do_not_register_bpu(api, world, counts, role):
    before = counts()
    body = {**new_person_body(world.regions), **BPU}
    assert_error(api(role, "post", "registrations/bpu", body), 403, "access.not_permitted")
    assert counts() == before


# --- bad input -------------------------------------------------------------------------------


def _future():
    return timezone.localdate() + timedelta(days=400)


BAD_PEOPLE = [
    # (change, code, field, Indonesian start, English start)
    (
        {"nik": "12345"},
        "membership.invalid_nik",
        "nik",
        "NIK 12345 tidak sah: harus 16 angka.",
        "NIK 12345 is not valid: must be 16 digits.",
    ),
    (
        {
            "nik": nik_make(
                district_code_nodot="320401", birth_date=date(1990, 5, 17), sex="M", serial=9
            )
        },
        "membership.nik_region_unknown",
        "nik",
        "NIK 3204********0009: kode kecamatan 320401",
        "NIK 3204********0009: district code 320401",
    ),
    (
        "future",
        "membership.birth_date_in_future",
        "birth_date",
        "Tanggal lahir",
        "Birth date",
    ),
    ({"name": ""}, "membership.required", "name", "Nama wajib diisi.", "Name is required."),
    ({"sex": None}, "membership.required", "sex", "Jenis kelamin wajib", "Sex is required."),
    (
        {"domicile": "32.04.05.9999"},
        "api.unknown_region",
        "domicile",
        "Kode wilayah '32.04.05.9999' tidak ada",
        "Region code '32.04.05.9999' is not in",
    ),
    (
        {"phone": "0000"},
        "membership.invalid_phone",
        "phone",
        "Nomor telepon '0000'",
        "Phone number '0000'",
    ),
]


def _bad_body(world, change):
    if change == "future":
        born = _future()
        nik = nik_make(district_code_nodot="320405", birth_date=born, sex="M", serial=77)
        return new_person_body(world.regions, nik=nik, birth_date=born.isoformat())
    return new_person_body(world.regions, **change)


@pytest.mark.parametrize(("change", "code", "field", "indonesian", "english"), BAD_PEOPLE)
def test_bad_bpu_registration_names_the_field_in_both_languages_and_writes_nothing(
    api, world, counts, change, code, field, indonesian, english
):
    body = {**_bad_body(world, change), **BPU}
    before = counts()
    # when
    in_id = api("partner_a", "post", "registrations/bpu", body)
    in_en = api("partner_a", "post", "registrations/bpu", body, HTTP_ACCEPT_LANGUAGE="en-GB,en")
    anonymous = api(None, "post", "registrations/bpu?lang=en", body)
    # then
    for response, start in ((in_id, indonesian), (in_en, english), (anonymous, english)):
        refusal = assert_error(response, 400, code)
        assert refusal["message"].startswith(start), refusal["message"]
        assert refusal["fields"] == {field: [refusal["message"]]}
    assert counts() == before


def test_a_wrong_date_format_is_a_validation_error_naming_the_field(api, world, counts):
    before = counts()
    body = {**new_person_body(world.regions, birth_date="17-05-1990"), **BPU}
    refusal = assert_error(api(None, "post", "registrations/bpu", body), 400, "validation_error")
    assert "birth_date" in refusal["fields"]
    assert counts() == before


@pytest.mark.parametrize(
    ("change", "code", "field"),
    [
        ({"declared_income_idr": 0}, "membership.amount_not_positive", "declared_income_idr"),
        ({"programs": ["JP"]}, "membership.program_not_allowed", "programs"),
        ({"ecosystem": "mall"}, "membership.invalid_choice", "ecosystem"),
        ({"sponsor_name": "Pemda"}, "membership.sponsor_incomplete", "sponsor"),
    ],
)
def test_bad_bpu_terms_name_the_field(api, world, counts, change, code, field):
    before = counts()
    body = {**new_person_body(world.regions), **BPU, **change}
    refusal = assert_error(api("officer_a", "post", "registrations/bpu", body), 400, code)
    assert list(refusal["fields"]) == [field]
    assert counts() == before


# --- PU --------------------------------------------------------------------------------------

PU = {"wage_idr": 5_200_000, "start_date": "2025-01-06", "programs": []}


def test_employer_user_registers_its_own_worker(api, world):
    # when: no NPP, the account's own employer
    response = api(
        "employer_a", "post", "registrations/pu", {**new_person_body(world.regions), **PU}
    )
    # then
    assert response.status_code == 201, response.content
    membership = response.json()["membership"]
    assert membership["employer"]["npp"] == world.employer_a.npp
    assert membership["channel"] == "employer"
    assert membership["programs"] == ["JKK", "JKM", "JHT", "JP"]
    roles = visible_to(api, world, membership["kpj"], membership["person"]["id"])
    assert roles == {"admin", "officer_a", "employer_a"}
    reports = api("employer_a", "get", f"memberships/{membership['kpj']}/wage-reports").json()
    assert reports["items"][0] == {
        **reports["items"][0],
        "period": "2025-01",
        "wage_idr": 5_200_000,
    }


def test_employer_user_cannot_register_for_another_employer(api, world, counts):
    before = counts()
    body = {**new_person_body(world.regions), **PU, "npp": world.employer_b.npp}
    assert_error(
        api("employer_a", "post", "registrations/pu", body), 404, "membership.employer_not_found"
    )
    assert counts() == before


def test_branch_officer_registers_for_an_employer_of_the_office_only(api, world, counts):
    body = {**new_person_body(world.regions), **PU}
    own = api("officer_b", "post", "registrations/pu", {**body, "npp": world.employer_b.npp})
    assert own.status_code == 201, own.content
    assert own.json()["membership"]["channel"] == "branch"
    before = counts()
    other = {**new_person_body(world.regions), **PU, "npp": world.employer_a.npp}
    assert_error(
        api("officer_b", "post", "registrations/pu", other), 404, "membership.employer_not_found"
    )
    missing = assert_error(
        api("officer_b", "post", "registrations/pu", {**body, "npp": None}),
        400,
        "membership.required",
    )
    assert list(missing["fields"]) == ["npp"]
    assert counts() == before


def test_a_worker_moving_to_a_new_employer_keeps_their_person(api, world):
    # given: worker B (office B) is hired by employer A; employer A cannot see worker B
    body = {
        **PU,
        "nik": world.worker_b.nik,
        "name": world.worker_b.name,
        "birth_date": world.worker_b.birth_date.isoformat(),
    }
    # when
    response = api("employer_a", "post", "registrations/pu", body)
    # then
    assert response.status_code == 201, response.content
    assert response.json()["person_created"] is False
    assert api("employer_a", "get", f"people/{world.worker_b.pk}").status_code == 200
    # the earlier membership with employer B stays out of employer A's sight
    assert api("employer_a", "get", f"memberships/{world.pu_b.kpj}").status_code == 404


def test_pu_refusals(api, world, counts):
    before = counts()
    again = {**PU, "nik": world.worker_a.nik}
    refusal = assert_error(
        api("employer_a", "post", "registrations/pu?lang=en", again),
        409,
        "membership.already_active",
    )
    assert "already has an active PU membership" in refusal["message"]
    wage = assert_error(
        api(
            "employer_a",
            "post",
            "registrations/pu",
            {**new_person_body(world.regions), **PU, "wage_idr": -1},
        ),
        400,
        "membership.amount_not_positive",
    )
    assert list(wage["fields"]) == ["wage_idr"]
    assert counts() == before


@pytest.mark.parametrize("role", ["partner_a", "worker_a", "analyst", "norole"])
def test_pu_registration_is_for_employers_and_offices(api, world, counts, role):
    before = counts()
    body = {**new_person_body(world.regions), **PU, "npp": world.employer_a.npp}
    assert_error(api(role, "post", "registrations/pu", body), 403, "access.not_permitted")
    assert counts() == before


def test_pu_registration_needs_a_signed_in_caller(api, world, counts):
    before = counts()
    body = {**new_person_body(world.regions), **PU, "npp": world.employer_a.npp}
    assert_error(api(None, "post", "registrations/pu", body), 401, "unauthorized")
    assert counts() == before


def test_a_partner_registers_only_people_living_in_its_regions(api, world, counts):
    """A partner whose agreement covers Kabupaten Bandung registers a resident there, and is
    refused (403, naming the domicile) for someone living in Kota Bandung; nothing is written."""
    from jamsos.access.models import Role
    from jamsos.access.services import api_token_issue
    from jamsos.membership.services.accounts import user_access_grant

    access = user_access_grant(
        username="partner-kab",
        role=Role.PARTNER_USER,
        partner_ref="MITRA-KAB",
        partner_regions=[world.regions.kab_bandung],
    )
    world.tokens["partner_kab"] = api_token_issue(user=access.user, name="tests").raw
    inside = new_person_body(world.regions)
    response = api("partner_kab", "post", "registrations/bpu", {**BPU, **inside})
    assert response.status_code == 201, response.content
    before = counts()
    elsewhere = new_person_body(world.regions, domicile=world.regions.sukarasa.code)
    refusal = assert_error(
        api("partner_kab", "post", "registrations/bpu", {**BPU, **elsewhere}),
        403,
        "membership.outside_partner_regions",
    )
    assert refusal["message"].startswith(f"Domisili {world.regions.sukarasa.code} ")
    assert "MITRA-KAB (32.04)" in refusal["message"]
    assert list(refusal["fields"]) == ["domicile"]
    assert counts() == before
