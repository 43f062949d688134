"""The pages refuse wages, incomes and months outside membership.bounds next to the field, in
the page's language, and write nothing."""

from __future__ import annotations

from django.test import Client

from jamsos.membership.models import WageReport
from jamsos.membership.tests.pages.test_pages import (
    PUBLIC_BPU,
    client_for,
    counts,
    field_error,
    html,
    public_form,
)


def test_public_registration_refuses_an_income_above_the_bound(world):
    before = counts()
    response = Client().post(PUBLIC_BPU, public_form(declared_income="999.999.999.999.999"))
    assert response.status_code == 200
    assert "Rp 1.000.000.000" in field_error(html(response), "declared_income")
    assert counts() == before


def test_the_wage_report_page_refuses_a_far_month_and_a_huge_wage(world):
    client = client_for(world, "cabang")
    url = f"/kerja/kepesertaan/{world.pu_a.kpj}/upah/"
    before = WageReport.objects.count()
    far = client.post(url, {"period": "2099-01", "wage": "5.000.000"})
    assert "2099-01" in field_error(html(far), "period")
    huge = client.post(url, {"period": "2024-02", "wage": "999999999999999"})
    assert "Rp 10.000.000.000" in field_error(html(huge), "wage")
    assert WageReport.objects.count() == before
