"""Wages, incomes and wage months outside what the registry accepts (membership.bounds): a
400 naming the field, in the caller's language, and nothing written."""

from __future__ import annotations

from datetime import date

import pytest

from jamsos.membership.bounds import INCOME_MAX_IDR, WAGE_MAX_IDR, wage_period_last
from jamsos.membership.errors import OutOfRange
from jamsos.membership.models import Membership, WageReport
from jamsos.membership.services import bpu_income_change
from jamsos.membership.tests.api.test_world import new_person_body

BPU = {"programs": ["JHT"], "ecosystem": "pasar"}


def refused(response, field):
    assert response.status_code == 400, response.content
    body = response.json()
    assert body["code"] == "membership.out_of_range"
    assert list(body["fields"]) == [field]
    return body


@pytest.mark.parametrize("income", [INCOME_MAX_IDR + 1, 10**15, 2**63 - 1])
def test_a_declared_income_above_the_bound_is_refused(api, world, income):
    body = {**new_person_body(world.regions), **BPU, "declared_income_idr": income}
    before = Membership.objects.count()
    data = refused(api("officer_a", "post", "registrations/bpu", body), "declared_income_idr")
    assert "Rp 1.000.000.000" in data["message"]
    assert Membership.objects.count() == before


def test_the_largest_declared_income_is_taken(api, world):
    body = {**new_person_body(world.regions), **BPU, "declared_income_idr": INCOME_MAX_IDR}
    assert api("officer_a", "post", "registrations/bpu", body).status_code == 201


def test_an_income_change_above_the_bound_is_refused(world):
    with pytest.raises(OutOfRange) as caught:
        bpu_income_change(
            membership=world.bpu_membership, declared_income_idr=10**20, on=date(2025, 3, 1)
        )
    assert caught.value.field == "declared_income"
    assert caught.value.message_in("en").startswith("Declared income must be between Rp 1 and")
    world.bpu_membership.refresh_from_db()
    assert world.bpu_membership.declared_income_idr == 2_000_000


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"period": "2024-02", "wage_idr": 10**15}, "wage_idr"),
        ({"period": "2024-02", "wage_idr": WAGE_MAX_IDR + 1}, "wage_idr"),
        ({"period": "2099-01", "wage_idr": 4_500_000}, "period"),
        ({"period": "2015-06", "wage_idr": 4_500_000}, "period"),
    ],
)
def test_a_wage_report_out_of_bounds_is_refused(api, world, body, field):
    response = api("employer_a", "post", f"memberships/{world.pu_a.kpj}/wage-reports", body)
    refused(response, field)
    assert WageReport.objects.filter(membership=world.pu_a).count() == 1


def test_the_refusal_names_the_months_in_english(api, world):
    body = {"period": "2099-01", "wage_idr": 4_500_000}
    response = api("employer_a", "post", f"memberships/{world.pu_a.kpj}/wage-reports?lang=en", body)
    message = response.json()["message"]
    assert message == f"Period must be between 2015-07 and {wage_period_last()} (got 2099-01)."


def test_next_month_s_wage_is_taken(api, world):
    body = {"period": str(wage_period_last()), "wage_idr": WAGE_MAX_IDR}
    response = api("employer_a", "post", f"memberships/{world.pu_a.kpj}/wage-reports", body)
    assert response.status_code == 201, response.content


def test_a_pu_registration_with_a_wage_above_the_bound_is_refused(api, world):
    body = {
        **new_person_body(world.regions),
        "npp": world.employer_a.npp,
        "wage_idr": 10**15,
        "start_date": "2025-02-01",
    }
    before = Membership.objects.count()
    refused(api("officer_a", "post", "registrations/pu", body), "wage_idr")
    assert Membership.objects.count() == before
