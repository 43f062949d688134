"""Test helper: the ledger entry a billing run would post for an invoice written by
``invoice_make`` (which writes none), so that ``ledger_check`` can hold in payment tests."""

from __future__ import annotations

from jamsos.billing.models import Account, Invoice, JournalEntry, JournalKind
from jamsos.billing.services.ledger import entry_post


def billed(invoice: Invoice) -> JournalEntry:
    """Dr 1100 (payer) / Cr 4100 for the invoice's contributions."""
    return entry_post(
        JournalKind.BILLING,
        invoice.issued_on,
        [
            (Account.CONTRIBUTION_RECEIVABLE, invoice.payer_id, invoice.contribution_idr, 0),
            (Account.CONTRIBUTION_INCOME, None, 0, invoice.contribution_idr),
        ],
        memo=f"test billing {invoice.number}",
    )
