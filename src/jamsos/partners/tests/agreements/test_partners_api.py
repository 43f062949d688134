"""The partner API: reads with real figures, creation by authorised roles, refusals."""

from __future__ import annotations

import pytest
from django.test import Client

from jamsos.access.models import Role
from jamsos.access.services import api_token_issue
from jamsos.membership.models import BranchOffice
from jamsos.membership.services.accounts import user_access_grant
from jamsos.partners.tests.agreements.world import World

BASE = "/api/v1/partners"


def _client(username: str, role: str, **binding) -> Client:
    access = user_access_grant(username=username, role=role, **binding)
    raw = api_token_issue(user=access.user, name="t").raw
    return Client(headers={"authorization": f"Bearer {raw}", "accept-language": "en"})


@pytest.fixture
def admin(world: World) -> Client:
    return _client("admin", Role.ADMIN)


def test_partner_detail_and_scorecard(world: World, admin: Client) -> None:
    body = admin.get(f"{BASE}/partners/apindo-bdg").json()
    assert body["scorecard"]["enrolled"] == 5
    assert body["scorecard"]["paying_rate_3m"] == "0.6000"
    assert body["scorecard"]["cost_per_enrolment_idr"] == 3_333_333
    assert body["contacts"][0]["phone"] != "+6281234567890"  # masked
    assert body["agreements"][0]["attributed"] == 3
    cards = {c["code"]: c for c in admin.get(f"{BASE}/scorecards").json()}
    assert cards["apindo-bdg"]["active"] == 3


def test_agreement_create_sign_target(world: World, admin: Client) -> None:
    created = admin.post(
        f"{BASE}/agreements",
        {
            "number": "PKS-API-1",
            "title": "Via API",
            "partner": "apindo-bdg",
            "starts_on": "2025-01-01",
            "ends_on": "2030-12-31",
            "branch_office": "KC3204",
            "segments": ["BPU"],
            "budget_idr": 6_000_000,
        },
        content_type="application/json",
    )
    assert created.status_code == 201, created.content
    body = created.json()
    assert (body["status"], body["attributed"]) == ("draft", 3)
    pk = body["id"]
    signed = admin.post(
        f"{BASE}/agreements/{pk}/sign", {"signed_on": "2025-01-02"}, content_type="application/json"
    )
    assert signed.json()["status"] == "active"
    target = admin.post(
        f"{BASE}/agreements/{pk}/targets",
        {"period_from": "2025-01", "period_to": "2025-02", "enrolments": 6},
        content_type="application/json",
    )
    assert target.status_code == 201
    assert target.json()["targets"][0]["enrolled_so_far"] == 3
    bad = admin.post(
        f"{BASE}/agreements/{pk}/targets",
        {"period_from": "2024-01", "period_to": "2025-02", "enrolments": 6},
        content_type="application/json",
    )
    assert bad.status_code == 400
    assert bad.json()["code"] == "partners.target_outside_agreement"


def test_partner_create_refusals(world: World, admin: Client) -> None:
    r = admin.post(
        f"{BASE}/partners",
        {
            "code": "pemprov-jabar",
            "name": "Pemprov Jabar",
            "kind": "regional_government",
            "branch_office": "KC3204",
        },
        content_type="application/json",
    )
    assert r.status_code == 400
    assert r.json()["code"] == "partners.region_required"
    assert "regional government" in r.json()["message"]
    ok = admin.post(
        f"{BASE}/partners",
        {
            "code": "pemprov-jabar",
            "name": "Pemprov Jabar",
            "kind": "regional_government",
            "region": "32",
            "branch_office": "KC3204",
            "contacts": [{"name": "Dewi", "phone": "081311112222"}],
        },
        content_type="application/json",
    )
    assert ok.status_code == 201
    assert ok.json()["region"] == "32"


def test_scoping(world: World) -> None:
    partner = _client("mitra", Role.PARTNER_USER, partner_ref="pemkab-bdg")
    assert [p["code"] for p in partner.get(f"{BASE}/partners").json()] == ["pemkab-bdg"]
    assert partner.get(f"{BASE}/partners/apindo-bdg").status_code == 404
    assert partner.get(f"{BASE}/agreements/{world.a1.pk}").status_code == 404
    refused = partner.post(
        f"{BASE}/partners",
        {"code": "x-1", "name": "X", "kind": "union"},
        content_type="application/json",
    )
    assert refused.status_code == 403
    worker = _client("peserta", Role.WORKER, person=world.m["m1"].person)
    assert worker.get(f"{BASE}/partners").status_code == 403
    assert worker.get(f"{BASE}/scorecards").status_code == 403
    analyst = _client("analis", Role.ANALYST)
    body = analyst.get(f"{BASE}/partners/apindo-bdg").json()
    assert body["contacts"] == []  # aggregates only
    assert body["scorecard"]["enrolled"] == 5
    officer = _client(
        "cabang", Role.BRANCH_OFFICER, branch_office=BranchOffice.objects.get(code="KC3204")
    )
    ending = officer.get(f"{BASE}/agreements/ending-soon?days=400")
    assert ending.status_code == 200
    assert Client().get(f"{BASE}/partners").status_code == 401


def test_openapi_lists_the_endpoints(world: World) -> None:
    paths = Client().get("/api/v1/openapi.json").json()["paths"]
    for p in (
        "/api/v1/partners/partners",
        "/api/v1/partners/scorecards",
        "/api/v1/partners/agreements/ending-soon",
        "/api/v1/partners/events",
    ):
        assert p in paths
