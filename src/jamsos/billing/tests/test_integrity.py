"""The references of a billed month, checked as sets in place of row-by-row constraints."""

from __future__ import annotations

import pytest
from django.db import connection

from jamsos.billing.models import BillingRun, Invoice, InvoiceLine, RunStatus
from jamsos.billing.services import run as run_module
from jamsos.billing.services.integrity import Dangling, references_check
from jamsos.billing.tests.test_run import bill
from jamsos.core.bulkwrite import table

pytestmark = pytest.mark.django_db


def test_a_billed_month_has_no_dangling_reference(wages) -> None:
    bill()
    found = references_check("2025-03")
    assert found.ok, str(found)
    assert set(found.counts) == {
        "invoice.payer",
        "invoice.run",
        "item.invoice",
        "line.invoice",
        "line.membership",
        "line.project",
        "jht.line",
        "posting.payer",
    }


def test_a_line_pointing_nowhere_is_found(wages) -> None:
    bill()
    line = InvoiceLine.objects.filter(period="2025-03").first()
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {table(InvoiceLine)} SET membership_id = %s WHERE id = %s",
            [10**12, line.pk],
        )
    found = references_check("2025-03")
    assert not found.ok
    assert found.counts["line.membership"] == 1
    assert str(found) == "line.membership: 1"


def test_a_run_with_a_dangling_reference_writes_nothing(wages, monkeypatch) -> None:
    monkeypatch.setattr(
        run_module, "references_check", lambda period: Dangling({"line.invoice": 3})
    )
    with pytest.raises(RuntimeError, match=r"line\.invoice: 3"):
        bill()
    assert not Invoice.objects.filter(period="2025-03").exists()
    assert not InvoiceLine.objects.filter(period="2025-03").exists()
    assert BillingRun.objects.get(period="2025-03").status == RunStatus.FAILED
