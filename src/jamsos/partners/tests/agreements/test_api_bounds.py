"""Look-aheads the partner API refuses with a 400 naming the field, not a crash."""

from __future__ import annotations

import pytest
from django.test import Client

from jamsos.access.models import Role
from jamsos.access.services import api_token_issue
from jamsos.membership.services.accounts import user_access_grant
from jamsos.partners.models import Agreement
from jamsos.partners.selectors.partners import ENDING_SOON_DAYS_MAX
from jamsos.partners.services.agreements import BUDGET_MAX_IDR, COUNT_MAX

ENDING = "/api/v1/partners/agreements/ending-soon"


@pytest.fixture
def admin(db) -> Client:
    access = user_access_grant(username="admin", role=Role.ADMIN)
    raw = api_token_issue(user=access.user, name="t").raw
    return Client(headers={"authorization": f"Bearer {raw}"})


@pytest.mark.parametrize("days", [-1, ENDING_SOON_DAYS_MAX + 1, 1_180_760, 10**20])
def test_ending_soon_refuses_a_look_ahead_out_of_range(admin: Client, days: int) -> None:
    response = admin.get(ENDING, {"days": days})
    assert response.status_code == 400, response.content
    body = response.json()
    assert body["code"] in {"partners.days_out_of_range", "input.number_too_large"}
    assert list(body["fields"]) == ["days"]


def test_the_refusal_is_in_the_caller_s_language(admin: Client) -> None:
    indonesian = admin.get(ENDING, {"days": 100_000}).json()
    english = admin.get(ENDING, {"days": 100_000, "lang": "en"}).json()
    assert indonesian["code"] == english["code"] == "partners.days_out_of_range"
    assert indonesian["message"] == "Jumlah hari harus antara 0 dan 3660 (diberikan 100000)."
    assert english["message"] == "Days must be between 0 and 3660 (got 100000)."


def test_ending_soon_answers_within_the_bounds(admin: Client) -> None:
    for days in (0, 90, ENDING_SOON_DAYS_MAX):
        assert admin.get(ENDING, {"days": days}).status_code == 200


AGREEMENT = {
    "number": "PKS-BOUND-1",
    "title": "Bounds",
    "partner": "apindo-bdg",
    "starts_on": "2025-01-01",
    "ends_on": "2030-12-31",
    "branch_office": "KC3204",
    "segments": ["BPU"],
}


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"sponsored_workers": 3_000_000_000}, "sponsored_workers"),
        ({"sponsored_workers": COUNT_MAX + 1}, "sponsored_workers"),
        ({"budget_idr": BUDGET_MAX_IDR + 1}, "budget"),
    ],
)
def test_agreement_figures_above_the_bounds_are_refused(world, admin, change, field):
    before = Agreement.objects.count()
    response = admin.post(
        "/api/v1/partners/agreements", {**AGREEMENT, **change}, content_type="application/json"
    )
    assert response.status_code == 400, response.content
    body = response.json()
    assert (body["code"], list(body["fields"])) == ("partners.too_large", [field])
    assert Agreement.objects.count() == before


def test_a_target_above_the_bound_is_refused(world, admin):
    created = admin.post(
        "/api/v1/partners/agreements", AGREEMENT, content_type="application/json"
    ).json()
    response = admin.post(
        f"/api/v1/partners/agreements/{created['id']}/targets",
        {"period_from": "2025-01", "period_to": "2025-02", "enrolments": 2**40},
        content_type="application/json",
    )
    assert response.status_code == 400, response.content
    assert response.json()["code"] == "partners.too_large"
    assert list(response.json()["fields"]) == ["enrolments"]
