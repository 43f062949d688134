"""Signing in to the API: bearer tokens, the browser session with CSRF, anonymous callers,
``/me``, and the security schemes in the OpenAPI document."""

# The fixtures come from test_registry_world (this folder's conftest.py is shared), so the
# test functions' parameters shadow the imported names on purpose.

from __future__ import annotations

from datetime import timedelta

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from django.utils import timezone

from jamsos.access.models import ApiToken
from jamsos.access.services import api_token_issue, api_token_revoke
from jamsos.membership.models import Person
from jamsos.membership.tests.api.test_world import new_person_body

REGISTRY_TAGS = {"people", "employers", "memberships", "registration", "me"}
CSRF = "k" * 32


def assert_error(response, status, code):
    assert response.status_code == status, response.content
    body = response.json()
    assert set(body) == {"code", "message", "fields"}
    assert body["code"] == code
    return body


def bearer(raw):
    return Client(HTTP_AUTHORIZATION=f"Bearer {raw}")


# --- tokens ----------------------------------------------------------------------------------


def test_a_token_signs_in(world):
    body = bearer(world.tokens["officer_a"]).get("/api/v1/me").json()
    assert body["username"] == "officer-a"
    assert body["authenticated_by"] == "token"


@pytest.mark.parametrize(
    "header",
    ["Bearer jms_not-a-real-token", "Bearer abc", "Token jms_x", "Bearer "],
)
def test_a_bad_token_is_401(world, header):
    response = Client(HTTP_AUTHORIZATION=header).get("/api/v1/people")
    assert_error(response, 401, "unauthorized")


def test_a_bad_token_is_not_taken_for_an_anonymous_caller(world):
    # given: the BPU registration is open to anonymous callers
    before = Person.objects.count()
    body = {**new_person_body(world.regions), "declared_income_idr": 1_000_000}
    # when
    response = bearer("jms_revoked-or-mistyped").post(
        "/api/v1/registrations/bpu", body, content_type="application/json"
    )
    # then
    assert_error(response, 401, "unauthorized")
    assert Person.objects.count() == before


def test_expired_revoked_and_inactive_tokens_are_refused(world):
    user = get_user_model().objects.get(username="officer-a")
    expired = api_token_issue(user=user, name="old", days=1)
    ApiToken.objects.filter(pk=expired.token.pk).update(
        expires_at=timezone.now() - timedelta(minutes=1)
    )
    revoked = api_token_issue(user=user, name="gone")
    api_token_revoke(token=revoked.token)
    assert_error(bearer(expired.raw).get("/api/v1/me"), 401, "unauthorized")
    assert_error(bearer(revoked.raw).get("/api/v1/me"), 401, "unauthorized")
    user.is_active = False
    user.save(update_fields=["is_active"])
    assert_error(bearer(world.tokens["officer_a"]).get("/api/v1/me"), 401, "unauthorized")


# --- browser session -------------------------------------------------------------------------


@pytest.fixture
def browser(world):
    client = Client(enforce_csrf_checks=True)
    client.force_login(get_user_model().objects.get(username="officer-a"))
    return client


def test_the_session_signs_in_and_reads_without_csrf(browser, world):
    body = browser.get("/api/v1/me").json()
    assert body["authenticated_by"] == "session"
    assert browser.get("/api/v1/people").status_code == 200


def test_a_session_change_without_csrf_token_is_refused(browser, world):
    before = Person.objects.values("phone").get(pk=world.resident_a.pk)
    # when
    response = browser.patch(
        f"/api/v1/people/{world.resident_a.pk}?lang=en",
        {"phone": "0813-0000-1111"},
        content_type="application/json",
    )
    # then
    body = assert_error(response, 403, "csrf_failed")
    assert "CSRF" in body["message"]
    assert Person.objects.values("phone").get(pk=world.resident_a.pk) == before


def test_a_session_change_with_the_csrf_token_goes_through(browser, world):
    browser.cookies["csrftoken"] = CSRF
    response = browser.patch(
        f"/api/v1/people/{world.resident_a.pk}",
        {"phone": "0813-0000-1111"},
        content_type="application/json",
        HTTP_X_CSRFTOKEN=CSRF,
    )
    assert response.status_code == 200, response.content
    assert Person.objects.get(pk=world.resident_a.pk).phone == "+6281300001111"


def test_a_signed_in_browser_cannot_skip_csrf_on_the_open_registration(browser, world):
    body = {**new_person_body(world.regions), "declared_income_idr": 1_000_000}
    response = browser.post("/api/v1/registrations/bpu", body, content_type="application/json")
    assert_error(response, 403, "csrf_failed")


def test_a_token_needs_no_csrf_token(world):
    client = Client(enforce_csrf_checks=True, HTTP_AUTHORIZATION=f"Bearer {world.tokens['admin']}")
    response = client.patch(
        f"/api/v1/people/{world.resident_a.pk}",
        {"phone": "0813-0000-2222"},
        content_type="application/json",
    )
    assert response.status_code == 200, response.content


# --- public endpoints ------------------------------------------------------------------------


def test_public_endpoints_stay_public(world):
    client = Client(enforce_csrf_checks=True)
    assert client.get("/api/v1/health").json() == {"status": "ok"}
    assert client.get("/api/v1/regions/32.04").status_code == 200
    response = client.post(
        "/api/v1/calculations/contribution",
        {"segment": "BPU", "period": "2025-03", "income": 1_000_000},
        content_type="application/json",
    )
    assert response.status_code == 200


# --- /me -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("role", "expected_role", "personal", "register"),
    [
        ("admin", "admin", True, True),
        ("officer_a", "branch_officer", True, True),
        ("employer_a", "employer_user", True, True),
        ("worker_a", "worker", True, False),
        ("partner_a", "partner_user", True, True),
        ("analyst", "analyst", False, False),
        ("norole", None, False, False),
    ],
)
def test_me_says_role_and_rights(api, world, role, expected_role, personal, register):
    body = api(role, "get", "me").json()
    assert body["role"] == expected_role
    assert body["sees_personal_data"] is personal
    assert body["may_register"] is register
    assert body["scope"]["description"]


def test_me_describes_what_the_scope_is_bound_to(api, world):
    officer = api("officer_b", "get", "me?lang=en").json()
    employer = api("employer_a", "get", "me").json()
    worker = api("worker_a", "get", "me").json()
    partner = api("partner_a", "get", "me").json()
    assert officer["role_name"] == "branch officer"
    assert officer["scope"]["branch_office"] == {"code": "KC6501", "name": "Kantor Cabang Bulungan"}
    assert officer["scope"]["regencies"] == [{"code": "65.01", "name": "Kabupaten Bulungan"}]
    assert officer["scope"]["description"].startswith("Memberships and employers served by KC6501")
    assert employer["role_name"] == "pengguna pemberi kerja"
    assert employer["scope"]["employer"]["npp"] == world.employer_a.npp
    assert worker["scope"]["person"]["id"] == world.worker_a.pk
    assert "*" in worker["scope"]["person"]["nik"]
    assert partner["scope"]["partner_ref"] == "MITRA-A"


def test_me_needs_a_caller(api, world):
    assert_error(api(None, "get", "me"), 401, "unauthorized")


# --- OpenAPI ---------------------------------------------------------------------------------


@pytest.fixture
def schema(db):
    response = Client().get("/api/v1/openapi.json")
    assert response.status_code == 200
    return response.json()


def registry_operations(schema):
    for path, item in schema["paths"].items():
        for method, operation in item.items():
            if set(operation.get("tags", [])) & REGISTRY_TAGS:
                yield path, method, operation


def test_the_schema_names_both_security_schemes(schema):
    schemes = schema["components"]["securitySchemes"]
    assert schemes["BearerToken"]["scheme"] == "bearer"
    assert schemes["BrowserSession"] == {**schemes["BrowserSession"], "in": "cookie"}


def test_every_registry_operation_is_typed_documented_and_secured(schema):
    operations = list(registry_operations(schema))
    assert len(operations) >= 15
    for path, method, operation in operations:
        assert operation["summary"], (path, method)
        assert operation["description"], (path, method)
        security = operation["security"]
        assert {"BearerToken": []} in security
        assert {"BrowserSession": []} in security
        open_to_all = path.endswith("/registrations/bpu")
        assert ({} in security) is open_to_all, (path, method)
        assert "401" in operation["responses"], (path, method)
        if method in ("post", "patch"):
            assert "requestBody" in operation, (path, method)


def test_public_operations_carry_no_security(schema):
    for path in ("/api/v1/health", "/api/v1/calculations/contribution", "/api/v1/regions"):
        for operation in schema["paths"][path].values():
            assert "security" not in operation


def test_a_wrong_method_is_405_in_the_error_shape(api, world):
    response = api("admin", "delete", f"people/{world.worker_a.pk}")
    body = assert_error(response, 405, "method_not_allowed")
    assert body["message"]
    assert "PATCH" in response["Allow"]
