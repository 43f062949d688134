"""The billing models in the admin: administrators read them, nobody edits money there."""

from __future__ import annotations

import pytest
from django.contrib import admin

from jamsos.billing import models
from jamsos.billing.tests.conftest import Site

READ_ONLY = [
    models.BillingRun,
    models.RunReject,
    models.Payer,
    models.Invoice,
    models.InvoiceItem,
    models.Payment,
    models.Allocation,
    models.PenaltyCharge,
    models.JournalEntry,
    models.JhtEntry,
    models.Sponsorship,
    models.StatementFile,
    models.ArrearsCase,
    models.CaseContact,
    models.PaymentPromise,
]


@pytest.mark.parametrize("model", READ_ONLY, ids=lambda m: m.__name__)
def test_admin_lists_and_refuses_changes(site: Site, model) -> None:
    assert model in admin.site._registry
    client = site.client("admin")
    name = f"/admin/billing/{model._meta.model_name}/"
    assert client.get(name).status_code == 200
    assert client.get(name + "add/").status_code == 403


def test_invoice_detail_page_is_read_only(site: Site) -> None:
    client = site.client("admin")
    url = f"/admin/billing/invoice/{site.invoice.pk}/change/"
    page = client.get(url)
    assert page.status_code == 200
    assert 'name="_save"' not in page.content.decode()
    assert client.post(url, {"total_idr": 1}).status_code == 403


def test_other_roles_are_refused(site: Site) -> None:
    response = site.client("cabang").get("/admin/billing/invoice/")
    assert response.status_code == 302
