"""The coverage API: figures, scoping, errors in the API's shape, target writes, OpenAPI."""

from __future__ import annotations

import types
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import Resolver404, include, path, resolve

from jamsos.access.models import AuditEvent, Role
from jamsos.coverage.models import CoverageTarget
from jamsos.coverage.tests.test_selectors import Cov
from jamsos.membership.services.accounts import user_access_grant

_TEST_API: Any = None


def _mounted() -> bool:
    import jamsos.config.api  # noqa: F401  (attach the routers the project mounts)

    try:
        match = resolve("/api/v1/coverage/offices")
    except Resolver404:
        return False
    return match.url_name == "coverage-offices"  # not the API's catch-all "not-found"


@pytest.fixture
def base(settings) -> str:
    """/api/v1/coverage once the project mounts the router; a test-only mount until then."""
    global _TEST_API
    if _mounted():
        return "/api/v1/coverage"
    if _TEST_API is None:
        from jamsos.api.errors import install_error_handlers
        from jamsos.config.api import JamsosAPI
        from jamsos.coverage.api import router

        _TEST_API = JamsosAPI(title="coverage test", version="t", urls_namespace="covtest")
        install_error_handlers(_TEST_API)
        _TEST_API.add_router("/coverage", router)
    urlconf = types.ModuleType("coverage_test_urls")
    urlconf.urlpatterns = [  # type: ignore[attr-defined]
        path("covtest/", _TEST_API.urls),
        path("", include(settings.ROOT_URLCONF)),
    ]
    settings.ROOT_URLCONF = urlconf
    return "/covtest/coverage"


@pytest.fixture
def users(cov: Cov) -> dict[str, Any]:
    grants = {
        "admin": {"role": Role.ADMIN},
        "cabang": {"role": Role.BRANCH_OFFICER, "branch_office": cov.office},
        "analis": {"role": Role.ANALYST},
    }
    out = {
        name: user_access_grant(username=f"cov-{name}", **grant).user  # type: ignore[arg-type]
        for name, grant in grants.items()
    }
    out["norole"] = get_user_model().objects.create_user(username="cov-norole")
    return out


def client(users: dict[str, Any], name: str) -> Client:
    c = Client()
    c.force_login(users[name])
    return c


def test_anonymous_gets_401(base: str, cov: Cov) -> None:
    response = Client().get(f"{base}/areas/00")
    assert response.status_code == 401
    assert set(response.json()) == {"code", "message", "fields"}


def test_area(base: str, users: dict[str, Any]) -> None:
    body = client(users, "analis").get(f"{base}/areas/32.04").json()
    assert (body["period"], body["name"], body["active"], body["potential"]) == (
        "2025-04",
        "Kabupaten Bandung",
        150,
        500,
    )
    assert body["rate"] == "0.3000"
    assert body["unprotected"] == 350
    assert [c["code"] for c in body["breadcrumbs"]] == ["00", "32", "32.04"]
    assert body["periods"] == ["2025-02", "2025-03", "2025-04"]
    march = client(users, "admin").get(f"{base}/areas/3204?period=2025-03&segment=").json()
    assert march["active"] == 140
    pu = client(users, "admin").get(f"{base}/areas/32.04?segment=PU").json()
    assert (pu["segment"], pu["active"], pu["rate"]) == ("PU", 90, "0.4500")


def test_lists(base: str, users: dict[str, Any]) -> None:
    admin = client(users, "admin")
    kids = admin.get(f"{base}/areas/32/children").json()
    assert [(r["code"], r["active"]) for r in kids["items"]] == [("32.04", 150), ("32.73", 100)]
    series = admin.get(f"{base}/areas/32.04/series?months=2").json()
    assert [(r["period"], r["active"]) for r in series["items"]] == [
        ("2025-03", 140),
        ("2025-04", 150),
    ]
    ranked = admin.get(f"{base}/areas/00/ranking?by=rate").json()
    assert [r["code"] for r in ranked["items"]] == ["65.01", "32.04", "32.73"]
    lapsed = admin.get(f"{base}/areas/00/ranking?by=lapsed&limit=1").json()
    assert [r["code"] for r in lapsed["items"]] == ["32.73"]
    eco = admin.get(f"{base}/areas/00/ecosystems").json()
    assert [(r["ecosystem"], r["active"]) for r in eco["items"]] == [("umkm", 70), ("pasar", 40)]
    offices = admin.get(f"{base}/offices").json()
    assert [(o["office_code"], o["active"], o["potential"]) for o in offices] == [
        ("KC3204", 250, 620),
        ("KC6501", 50, 400),
    ]


def test_scope_and_errors(base: str, users: dict[str, Any]) -> None:
    officer = client(users, "cabang")
    assert officer.get(f"{base}/areas/65").status_code == 200
    refused = officer.get(f"{base}/areas/65.01")
    assert refused.status_code == 403
    assert refused.json()["code"] == "coverage.outside_scope"
    ranked = officer.get(f"{base}/areas/00/ranking").json()
    assert [r["code"] for r in ranked["items"]] == ["32.04", "32.73"]
    assert [o["office_code"] for o in officer.get(f"{base}/offices").json()] == ["KC3204"]
    nobody = client(users, "norole").get(f"{base}/areas/00")
    assert nobody.status_code == 403
    assert nobody.json()["code"] == "access.not_permitted"
    admin = client(users, "admin")
    missing = admin.get(f"{base}/areas/99.99")
    assert missing.status_code == 404
    assert missing.json()["code"] == "coverage.region_not_found"
    bad = admin.get(f"{base}/areas/00?period=April")
    assert bad.status_code == 400
    assert bad.json()["code"] == "coverage.bad_period"
    assert "period" in bad.json()["fields"]
    wrong = admin.get(f"{base}/areas/00/ranking?by=size")
    assert wrong.status_code == 400
    assert wrong.json()["code"] == "validation_error"


def test_targets_write_and_read(base: str, users: dict[str, Any]) -> None:
    officer = client(users, "cabang")
    body = {
        "level": 2,
        "region_code": "32.04",
        "baseline_period": "2025-03",
        "target_period": "2025-10",
        "target_active": 300,
        "source": "rencana cabang",
    }
    created = officer.post(f"{base}/targets", body, content_type="application/json")
    assert created.status_code == 201, created.json()
    made = created.json()
    assert (made["current_active"], made["gap"], made["months_left"], made["monthly_needed"]) == (
        150,
        150,
        6,
        25,
    )
    assert made["monthly_rate_needed"] == "0.1225"
    target_id = made["target_id"]
    again = officer.post(f"{base}/targets", body, content_type="application/json")
    assert again.status_code == 409
    assert again.json()["code"] == "coverage.target_exists"
    far = officer.post(
        f"{base}/targets", {**body, "region_code": "65.01"}, content_type="application/json"
    )
    assert far.status_code == 403
    analyst = client(users, "analis")
    assert (
        analyst.put(
            f"{base}/targets/{target_id}", {"target_active": 1}, content_type="application/json"
        ).status_code
        == 403
    )
    changed = officer.put(
        f"{base}/targets/{target_id}", {"target_active": 200}, content_type="application/json"
    )
    assert changed.status_code == 200
    assert changed.json()["gap"] == 50
    bad = officer.put(
        f"{base}/targets/{target_id}", {"target_period": "2024-01"}, content_type="application/json"
    )
    assert bad.status_code == 400
    assert bad.json()["code"] == "coverage.target_before_baseline"
    listing = analyst.get(f"{base}/targets?code=32.04").json()
    assert [t["target_active"] for t in listing] == [200]
    assert officer.delete(f"{base}/targets/{target_id}").status_code == 204
    assert not CoverageTarget.objects.exists()
    assert officer.delete(f"{base}/targets/{target_id}").status_code == 404
    assert AuditEvent.objects.filter(target_type="coverage.target").count() == 3


def test_published(base: str, users: dict[str, Any]) -> None:
    from jamsos.coverage.services.published import published_load

    published_load()
    rows = client(users, "analis").get(f"{base}/published?code=32").json()
    assert [(r["period"], r["measure"]) for r in rows] == [
        ("2023-12", "active_participants"),
        ("2023-12", "inactive_participants"),
        ("2025-02", "active_participants"),
    ]
    assert {r["period"] for r in rows} == {"2023-12", "2025-02"}
    feb = next(r for r in rows if r["period"] == "2025-02")
    assert feb["value"] == "4960000.0000"
    assert rows[0]["value"] == "4855121.0000"  # Jawa Barat, December 2023
    assert feb["region_name"] == "Jawa Barat"


def test_openapi_lists_the_operations(base: str, users: dict[str, Any]) -> None:
    schema = client(users, "admin").get(f"{base.rsplit('/coverage', 1)[0]}/openapi.json").json()
    paths = schema["paths"]
    prefix = "/api/v1/coverage" if base.startswith("/api/v1") else "/covtest/coverage"
    for suffix in (
        "/areas/{code}",
        "/areas/{code}/children",
        "/areas/{code}/series",
        "/areas/{code}/ranking",
        "/areas/{code}/ecosystems",
        "/offices",
        "/published",
        "/targets",
        "/targets/{target_id}",
    ):
        assert prefix + suffix in paths, suffix
    assert set(paths[prefix + "/targets"]) == {"get", "post"}
    assert set(paths[prefix + "/targets/{target_id}"]) == {"put", "delete"}
    assert "AreaDetailOut" in schema["components"]["schemas"]


def test_the_potential_definition_is_chosen_per_request(base: str, users: dict[str, Any]) -> None:
    analyst = client(users, "analis")
    # The stored potential (BPS employed) unless asked: 500 for Kabupaten Bandung.
    assert analyst.get(f"{base}/areas/32.04").json()["potential"] == 500
    agency = analyst.get(f"{base}/areas/32.04?potential=agency").json()
    assert agency["potential"] == 354  # 500 x 0.7080
    assert agency["rate"] == "0.4237"  # 150 / 354
    assert agency["unprotected"] == 204
    items = analyst.get(f"{base}/areas/32/children?potential=working_age").json()["items"]
    bandung = next(i for i in items if i["code"] == "32.04")
    assert bandung["potential"] == 745  # 500 x 1.4890, half up
    ranked = analyst.get(f"{base}/areas/32/ranking?level=2&potential=agency").json()["items"]
    assert next(r for r in ranked if r["code"] == "32.04")["potential"] == 354
    bad = analyst.get(f"{base}/areas/32.04?potential=everyone")
    assert bad.status_code in (400, 422)
