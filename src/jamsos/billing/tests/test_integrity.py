"""The references of a billed month, checked as sets in place of row-by-row constraints."""

from __future__ import annotations

import pytest
from django.db import connection

from jamsos.billing.models import (
    Allocation,
    BillingRun,
    Invoice,
    InvoiceItem,
    InvoiceLine,
    RunStatus,
)
from jamsos.billing.services import run as run_module
from jamsos.billing.services.integrity import Dangling, references_check
from jamsos.billing.services.ledger import ledger_check
from jamsos.billing.tests.test_run import bill, snapshot
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
        run_module, "references_check", lambda period, **_: Dangling({"line.invoice": 3})
    )
    with pytest.raises(RuntimeError, match=r"line\.invoice: 3"):
        bill()
    assert not Invoice.objects.filter(period="2025-03").exists()
    assert not InvoiceLine.objects.filter(period="2025-03").exists()
    assert BillingRun.objects.get(period="2025-03").status == RunStatus.FAILED


def test_a_re_run_refuses_to_delete_a_draft_item_an_allocation_points_at(
    wages: object, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Allocations and penalty charges point at items with no database constraint (ADR 0105,
    amended): the re-run checks, as one set, that nothing points at the drafts it deletes.
    A payment is locked out by the run's payer locks; an allocation written all the same (here
    by the test, where the lock would have made the payment wait) fails the run, and the
    first run's invoices stay as they were."""
    bill()
    before = snapshot()
    item = InvoiceItem.objects.filter(invoice__period="2025-03").first()
    assert item is not None
    checked = run_module._Month._drafts_unreferenced

    def allocation_slipped_in(self: run_module._Month) -> None:
        with connection.cursor() as cursor:
            cursor.execute(
                f"INSERT INTO {table(Allocation)} (payment_id, item_id, amount_idr, applied_on, "
                "from_credit) VALUES (NULL, %s, 1, %s, %s)",
                [item.pk, "2025-04-02", True],
            )
        checked(self)

    monkeypatch.setattr(run_module._Month, "_drafts_unreferenced", allocation_slipped_in)
    with pytest.raises(RuntimeError, match=r"referenced \(allocations: 1, penalty charges: 0\)"):
        bill()
    assert snapshot() == before
    assert not Allocation.objects.exists()
    assert ledger_check().ok
