"""Reading the registry over the API, role by role: lists, details, searches, exports and
guessed ids show what the caller's scope holds and nothing else; masking and full views."""

# The fixtures come from test_registry_world (this folder's conftest.py is shared), so the
# test functions' parameters shadow the imported names on purpose.

from __future__ import annotations

import csv
import io

import pytest

from jamsos.access.models import AuditEvent
from jamsos.membership.tests.api.test_world import username
from jamsos.membership.tests.factories import person_create

ROLES_WITH_DATA = ("admin", "officer_a", "officer_b", "employer_a", "worker_a", "partner_a")

#: What each role may see in the world: people, memberships and employers, by fixture name.
VISIBLE = {
    "admin": (
        {"worker_a", "worker_b", "bpu_a", "resident_a"},
        {"pu_a", "pu_b", "bpu_membership"},
        {"employer_a", "employer_b"},
    ),
    "officer_a": (
        {"worker_a", "bpu_a", "resident_a"},
        {"pu_a", "bpu_membership"},
        {"employer_a"},
    ),
    "officer_b": ({"worker_b"}, {"pu_b"}, {"employer_b"}),
    "employer_a": ({"worker_a"}, {"pu_a"}, {"employer_a"}),
    "worker_a": ({"worker_a"}, {"pu_a"}, {"employer_a"}),
    "partner_a": ({"bpu_a"}, {"bpu_membership"}, set()),
}
PEOPLE = ("worker_a", "worker_b", "bpu_a", "resident_a")
MEMBERSHIPS = ("pu_a", "pu_b", "bpu_membership")
EMPLOYERS = ("employer_a", "employer_b")


def assert_error(response, status, code):
    assert response.status_code == status, response.content
    body = response.json()
    assert set(body) == {"code", "message", "fields"}
    assert body["code"] == code
    assert body["message"]
    return body


def listed(api, role, path):
    response = api(role, "get", path)
    assert response.status_code == 200, response.content
    return response.json()["items"]


# --- lists -----------------------------------------------------------------------------------


@pytest.mark.parametrize("role", ROLES_WITH_DATA)
def test_lists_hold_the_scope_and_nothing_else(api, world, role):
    people, memberships, employers = VISIBLE[role]
    # when
    people_ids = {p["id"] for p in listed(api, role, "people")}
    kpjs = {m["kpj"] for m in listed(api, role, "memberships")}
    npps = {e["npp"] for e in listed(api, role, "employers")}
    # then
    assert people_ids == {getattr(world, name).pk for name in people}
    assert kpjs == {getattr(world, name).kpj for name in memberships}
    assert npps == {getattr(world, name).npp for name in employers}


@pytest.mark.parametrize("path", ["people", "memberships", "employers", "memberships/export.csv"])
def test_analyst_and_account_without_role_are_refused_personal_data(api, world, path):
    for role, name in (("analyst", "analis"), ("norole", "tanpa peran")):
        body = assert_error(api(role, "get", path), 403, "access.not_permitted")
        assert name in body["message"]
    body = assert_error(api("analyst", "get", f"{path}?lang=en"), 403, "access.not_permitted")
    assert body["message"] == "Your role (analyst) may not see participants' personal data."


@pytest.mark.parametrize("path", ["people", "memberships", "employers", "memberships/export.csv"])
def test_anonymous_callers_get_401_in_the_error_shape(api, world, path):
    response = api(None, "get", path)
    body = assert_error(response, 401, "unauthorized")
    assert body["message"] == "Autentikasi diperlukan."
    assert response["WWW-Authenticate"].startswith("Bearer")
    english = assert_error(api(None, "get", f"{path}?lang=en"), 401, "unauthorized")
    assert english["message"] == "Authentication is required."


def test_membership_filters_stay_within_the_scope(api, world):
    # when: office A asks for office B's employer
    foreign = listed(api, "officer_a", f"memberships?employer={world.employer_b.npp}")
    own = listed(api, "officer_a", f"memberships?employer={world.employer_a.npp}")
    bpu = listed(api, "officer_a", "memberships?segment=BPU&status=active")
    ended = listed(api, "admin", "memberships?status=ended")
    # then
    assert foreign == []
    assert [m["kpj"] for m in own] == [world.pu_a.kpj]
    assert [m["kpj"] for m in bpu] == [world.bpu_membership.kpj]
    assert ended == []


def test_bad_filter_values_name_the_parameter(api, world):
    body = assert_error(api("admin", "get", "memberships?segment=XX"), 400, "validation_error")
    assert "segment" in body["fields"]


# --- details and guessed ids -----------------------------------------------------------------


@pytest.mark.parametrize("role", ROLES_WITH_DATA)
def test_detail_of_a_record_outside_the_scope_is_404_like_a_missing_one(api, world, role):
    people, memberships, employers = VISIBLE[role]
    for name in PEOPLE:
        for suffix in ("", "/full"):
            response = api(role, "get", f"people/{getattr(world, name).pk}{suffix}")
            if name in people:
                assert response.status_code == 200
            else:
                assert_error(response, 404, "membership.person_not_found")
    for name in MEMBERSHIPS:
        kpj = getattr(world, name).kpj
        for suffix in ("", "/wage-reports"):
            response = api(role, "get", f"memberships/{kpj}{suffix}")
            if name in memberships:
                assert response.status_code == 200
            else:
                assert_error(response, 404, "membership.membership_not_found")
    for name in EMPLOYERS:
        response = api(role, "get", f"employers/{getattr(world, name).npp}")
        if name in employers:
            assert response.status_code == 200
        else:
            assert_error(response, 404, "membership.employer_not_found")


def test_a_guessed_id_tells_nothing(api, world):
    # given: a number that exists (office B's worker) and one that does not
    hidden = api("officer_a", "get", f"people/{world.worker_b.pk}")
    missing = api("officer_a", "get", "people/987654")
    # then: the same refusal, apart from the number itself
    assert hidden.status_code == missing.status_code == 404
    assert hidden.json()["code"] == missing.json()["code"]
    assert hidden.json()["message"].replace(str(world.worker_b.pk), "N") == missing.json()[
        "message"
    ].replace("987654", "N")
    english = assert_error(
        api("officer_a", "get", "people/987654", HTTP_ACCEPT_LANGUAGE="en"),
        404,
        "membership.person_not_found",
    )
    assert english["message"] == "No person with record number 987654."


def test_unknown_address_under_the_api_is_the_error_shape(api, world):
    assert_error(api("admin", "get", "people/abc"), 404, "not_found")


def test_membership_detail_has_history_and_wage_reports(api, world):
    # when
    body = api("employer_a", "get", f"memberships/{world.pu_a.kpj}").json()
    # then
    assert body["segment"] == "PU"
    assert body["employer"] == {"npp": world.employer_a.npp, "legal_name": "PT Cileunyi Jaya"}
    assert body["branch_office"] == {"code": "KC3204", "name": "Kantor Cabang Bandung"}
    assert body["person"]["nik"].count("*") == 8
    assert [e["kind"] for e in body["events"]] == ["started"]
    assert body["wage_reports"] == [
        {
            "period": "2024-01",
            "wage_idr": 4_500_000,
            "reported_at": body["wage_reports"][0]["reported_at"],
            "source": "employer",
        }
    ]
    assert body["start_date"] == "2024-01-02"


def test_bpu_detail_shows_income_and_partner(api, world):
    body = api("partner_a", "get", f"memberships/{world.bpu_membership.kpj}").json()
    assert body["declared_income_idr"] == 2_000_000
    assert body["partner_ref"] == "MITRA-A"
    assert body["channel"] == "partner"
    assert body["employer"] is None


def test_employer_detail_counts_active_memberships(api, world):
    body = api("officer_a", "get", f"employers/{world.employer_a.npp}").json()
    assert body["active_memberships"] == 1
    assert body["address_village"] == {"code": "32.04.05.2001", "name": "Cileunyi Kulon"}


# --- search ----------------------------------------------------------------------------------


def test_search_by_nik_kpj_and_name_is_scoped(api, world):
    nik_b, kpj_b = world.worker_b.nik, world.pu_b.kpj
    for query, kind in ((nik_b, "nik"), (kpj_b, "kpj"), ("bambang irawan", "name")):
        # when
        hidden = api("officer_a", "post", "people/search", {"q": query}).json()
        found = api("officer_b", "post", "people/search", {"q": query}).json()
        # then
        assert hidden["search"] == found["search"] == kind
        assert hidden["items"] == []
        assert [p["id"] for p in found["items"]] == [world.worker_b.pk]


def test_search_answers_masked_people(api, world):
    body = api("admin", "post", "people/search", {"q": world.worker_a.nik}).json()
    (person,) = body["items"]
    assert person["nik"] == world.worker_a.nik[:4] + "********" + world.worker_a.nik[-4:]
    assert person["phone"] == "0812****7890"
    assert person["masked"] is True


def test_name_search_says_when_more_people_match(api, world):
    for serial in range(3):
        person_create(domicile=world.regions.cileunyi_kulon, name=f"Eko Prasetyo {serial}")
    body = api("officer_a", "get", "people", {"q": "eko", "limit": 2}).json()
    assert len(body["items"]) == 2
    assert body["has_more"] is True
    assert body["next_cursor"] is None


def test_a_nik_in_the_address_is_refused_with_the_way_to_search(api, world):
    nik = world.worker_a.nik
    fullwidth = nik.translate(str.maketrans("0123456789", "０１２３４５６７８９"))
    for query in (nik, f"{nik[:6]} {nik[6:12]} {nik[12:]}", fullwidth, f"asep {nik}"):
        response = api("admin", "get", "people", {"q": query})
        assert response.status_code == 400, query
        body = response.json()
        assert body["code"] == "membership.nik_in_address"
        assert "POST /api/v1/people/search" in body["message"]
        assert "Asep" not in response.content.decode()
    english = api("admin", "get", "people", {"q": nik, "lang": "en"}).json()
    assert english["message"].startswith("A NIK is not searched through the address")


def test_kpj_and_name_searches_still_work_in_the_address(api, world):
    by_kpj = api("officer_a", "get", "people", {"q": world.pu_a.kpj}).json()
    assert by_kpj["search"] == "kpj"
    assert [p["id"] for p in by_kpj["items"]] == [world.worker_a.pk]
    by_name = api("officer_a", "get", "people", {"q": "asep sunandar"}).json()
    assert by_name["search"] == "name"
    assert world.worker_a.pk in [p["id"] for p in by_name["items"]]


def test_search_by_post_takes_a_limit_and_refuses_a_bad_body(api, world):
    for serial in range(3):
        person_create(domicile=world.regions.cileunyi_kulon, name=f"Eko Prasetyo {serial}")
    body = api("officer_a", "post", "people/search", {"q": "eko", "limit": 2}).json()
    assert len(body["items"]) == 2
    assert body["has_more"] is True
    assert api("officer_a", "post", "people/search", {}).status_code == 400
    too_many = api("officer_a", "post", "people/search", {"q": "eko", "limit": 5000})
    assert too_many.status_code == 400


def test_search_by_post_is_refused_to_analysts(api, world):
    response = api("analyst", "post", "people/search", {"q": world.worker_a.nik})
    assert response.status_code == 403


def test_employer_search_by_name_npp_and_npwp(api, world):
    by_name = listed(api, "admin", "employers?q=cileunyi")
    by_npp = listed(api, "admin", f"employers?q={world.employer_b.npp}")
    by_npwp = listed(api, "officer_a", f"employers?q={world.employer_b.npwp}")
    assert [e["npp"] for e in by_name] == [world.employer_a.npp]
    assert [e["npp"] for e in by_npp] == [world.employer_b.npp]
    assert by_npwp == []


# --- masking and full views ------------------------------------------------------------------


def test_lists_and_details_mask_nik_and_phone(api, world):
    listed_people = listed(api, "admin", "people")
    detail = api("admin", "get", f"people/{world.worker_a.pk}").json()
    for person in [*listed_people, detail]:
        assert "*" in person["nik"]
        assert person["masked"] is True
        assert person["phone"] is None or "*" in person["phone"]
    assert not AuditEvent.objects.filter(action="view_full").exists()


def test_full_view_shows_nik_and_phone_and_is_audited_with_the_address(api, world):
    # when
    response = api(
        "officer_a",
        "get",
        f"people/{world.worker_a.pk}/full",
        REMOTE_ADDR="203.0.113.7",
        HTTP_USER_AGENT="curl/8.5",
    )
    # then
    body = response.json()
    assert body["nik"] == world.worker_a.nik
    assert body["phone"] == "+6281234567890"
    assert body["masked"] is False
    event = AuditEvent.objects.get(action="view_full")
    assert event.actor_name == "officer-a"
    assert event.role == "branch_officer"
    assert event.target_type == "membership.person"
    assert event.target_id == str(world.worker_a.pk)
    assert event.channel == "api"
    assert event.ip == "203.0.113.7"
    assert event.client == "curl/8.5"
    assert world.worker_a.nik not in event.target_label


def test_refused_full_views_are_not_audited_as_views(api, world):
    api("officer_b", "get", f"people/{world.worker_a.pk}/full")
    api("analyst", "get", f"people/{world.worker_a.pk}/full")
    assert not AuditEvent.objects.filter(action="view_full").exists()


# --- export ----------------------------------------------------------------------------------


def export_rows(response):
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    text = b"".join(response.streaming_content).decode()
    return list(csv.DictReader(io.StringIO(text)))


@pytest.mark.parametrize("role", ROLES_WITH_DATA)
def test_export_holds_the_scope_and_is_audited_with_its_row_count(api, world, role):
    _, memberships, _ = VISIBLE[role]
    # when
    rows = export_rows(api(role, "get", "memberships/export.csv", REMOTE_ADDR="198.51.100.4"))
    # then
    assert {r["kpj"] for r in rows} == {getattr(world, name).kpj for name in memberships}
    event = AuditEvent.objects.get(action="export")
    assert event.detail["rows"] == len(rows)
    assert event.channel == "api"
    assert event.ip == "198.51.100.4"
    assert event.actor_name == username(role)
    full = role == "admin"
    assert event.detail["nik"] == ("full" if full else "masked")
    for row in rows:
        assert ("*" in row["nik"]) is not full


def test_export_takes_the_list_filters(api, world):
    rows = export_rows(api("admin", "get", "memberships/export.csv?segment=PU"))
    assert {r["kpj"] for r in rows} == {world.pu_a.kpj, world.pu_b.kpj}
    assert AuditEvent.objects.get(action="export").detail["filters"]["segment"] == "PU"


def test_export_neutralises_cells_a_spreadsheet_would_run(api, world):
    from jamsos.membership.models import Person

    Person.objects.filter(pk=world.worker_a.pk).update(name="=HYPERLINK(1)")
    rows = export_rows(api("admin", "get", "memberships/export.csv"))
    assert "'=HYPERLINK(1)" in {r["name"] for r in rows}


# --- pagination ------------------------------------------------------------------------------


@pytest.fixture
def crowd(world):
    """Nine more people in Kabupaten Bandung (office A's area)."""
    return [
        person_create(domicile=world.regions.cileunyi_kulon, name=f"Fajar Nugraha {n}")
        for n in range(9)
    ]


def follow(api, role, path, limit):
    separator = "&" if "?" in path else "?"
    seen, pages, url = [], 0, f"/api/v1/{path}{separator}limit={limit}"
    while url:
        body = api(role, "get", url).json()
        assert len(body["items"]) <= limit
        seen.extend(body["items"])
        pages += 1
        url = body["next"]
        assert body["has_more"] is (url is not None)
    return seen, pages


def test_people_pages_cover_the_list_once_in_order(api, world, crowd):
    # when
    seen, pages = follow(api, "officer_a", "people", limit=4)
    everyone = listed(api, "officer_a", "people")
    # then
    assert [p["id"] for p in seen] == [p["id"] for p in everyone]
    assert len(seen) == 12
    assert pages == 3
    assert [p["id"] for p in seen] == sorted((p["id"] for p in seen), reverse=True)


def test_membership_pages_keep_filters_and_order(api, world):
    from datetime import date

    from jamsos.membership.services import pu_worker_register

    for n in range(5):
        pu_worker_register(
            employer=world.employer_a,
            person=person_create(domicile=world.regions.cileunyi_kulon, name=f"Gita {n}"),
            wage_idr=5_000_000,
            start_date=date(2024, 3, 1),  # the same day: the id breaks the tie
            today=date(2025, 3, 15),
        )
    seen, _ = follow(api, "officer_a", "memberships?segment=PU", limit=2)
    everyone = listed(api, "officer_a", "memberships?segment=PU")
    assert [m["kpj"] for m in seen] == [m["kpj"] for m in everyone]
    assert len(seen) == 6
    assert {m["segment"] for m in seen} == {"PU"}


def test_count_is_given_only_when_asked(api, world, crowd):
    plain = api("officer_a", "get", "people?limit=2").json()
    counted = api("officer_a", "get", "people?limit=2&with_count=true").json()
    assert plain["count"] is None
    assert counted["count"] == 12
    assert counted["count_capped"] is False


@pytest.mark.parametrize("cursor", ["not-a-cursor", "W10", "WyJlbXBsb3llcnMiLFsiMzIiXV0"])
def test_a_bad_cursor_is_refused_naming_the_parameter(api, world, cursor):
    # the last one is a valid cursor of the employers' list
    body = assert_error(
        api("admin", "get", f"people?cursor={cursor}&lang=en"), 400, "api.invalid_cursor"
    )
    assert body["fields"] == {"cursor": [body["message"]]}
    assert body["message"].startswith("The page cursor is not recognised")


@pytest.mark.parametrize("limit", ["0", "201", "many"])
def test_limit_out_of_range_is_refused(api, world, limit):
    body = assert_error(api("admin", "get", f"people?limit={limit}"), 400, "validation_error")
    assert "limit" in body["fields"]


def test_a_cursor_gives_no_access(api, world, crowd):
    # given: a cursor from the administrator's list
    first = api("admin", "get", "people?limit=1").json()
    # when: office B follows it
    body = api("officer_b", "get", f"people?cursor={first['next_cursor']}").json()
    # then: office B still sees only its own worker
    assert [p["id"] for p in body["items"]] == [world.worker_b.pk]


@pytest.mark.parametrize("role", ROLES_WITH_DATA)
def test_walking_the_people_list_gives_exactly_what_the_selector_allows(api, world, crowd, role):
    # given: a commuter (lives in Bulungan, works for employer A) and a Bulungan resident
    from datetime import date

    from jamsos.access.scope import scope_for_user
    from jamsos.access.services import api_token_user
    from jamsos.membership.selectors import people_visible
    from jamsos.membership.services import pu_worker_register

    commuter = person_create(
        domicile=world.regions.tanjung_palas_hulu, district="650101", name="Yusuf Kelana"
    )
    pu_worker_register(
        employer=world.employer_a,
        person=commuter,
        wage_idr=4_000_000,
        start_date=date(2024, 5, 2),
        today=date(2025, 3, 15),
    )
    person_create(domicile=world.regions.tanjung_palas_hulu, district="650101", name="Hana")
    scope = scope_for_user(api_token_user(world.tokens[role]))
    # when: one person per page, so that every page boundary is crossed
    seen, _ = follow(api, role, "people", limit=1)
    # then
    ids = [p["id"] for p in seen]
    assert len(ids) == len(set(ids))
    assert set(ids) == set(people_visible(scope).values_list("id", flat=True))
    assert ids == sorted(ids, reverse=True)
