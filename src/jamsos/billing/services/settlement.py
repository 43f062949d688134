"""Settlement: what allocations mean for invoices, active months and JHT accounts.

Called after allocations (payments, credit applied) with the invoices they touched. It derives
everything from the items, so calling it twice changes nothing:

- ``Invoice.paid_idr``/``status``/``paid_on`` from its items;
- ``InvoiceLine.paid_on`` (the *active month* marker, ADR 0104) for the lines of every segment
  whose contribution items on the invoice are all fully paid: one UPDATE per segment and batch;
- a :class:`JhtEntry` per newly paid line with JHT (both PU shares, or the BPU participant's):
  one INSERT ... SELECT, never twice (``JhtEntry.line`` is one-to-one and the SELECT skips lines
  that already have one).
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from django.db import connection

from jamsos.billing.lines import program_line_columns
from jamsos.billing.models import (
    Invoice,
    InvoiceItem,
    InvoiceLine,
    InvoiceStatus,
    ItemKind,
    JhtEntry,
    JhtKind,
)
from jamsos.legal import Program

_BATCH = 2000


JHT_REFERENCE = "Iuran JHT dibayar (paid JHT contribution)"


def invoices_settle(invoice_ids: Iterable[int], on: date) -> None:
    """Bring the invoices ``invoice_ids``, their lines and the JHT accounts up to their items."""
    ids = sorted(set(invoice_ids))
    for start in range(0, len(ids), _BATCH):
        _settle_batch(ids[start : start + _BATCH], on)


def _settle_batch(ids: list[int], on: date) -> None:
    """Three statements for the batch: invoices, lines, JHT (raw SQL: this runs per payment)."""
    invoice, item, line = (
        Invoice._meta.db_table,
        InvoiceItem._meta.db_table,
        InvoiceLine._meta.db_table,
    )
    marks = ", ".join(["%s"] * len(ids))
    paid = f"(SELECT COALESCE(SUM(i.paid_idr), 0) FROM {item} i WHERE i.invoice_id = {invoice}.id)"
    # Every SET expression reads the row as it was, so paid_idr in the CASE is the old value.
    invoices_sql = (
        f"UPDATE {invoice} SET paid_idr = {paid}, "
        f"status = CASE WHEN {paid} >= total_idr AND total_idr > 0 THEN %s "
        f"WHEN {paid} > 0 THEN %s ELSE %s END, "
        f"paid_on = CASE WHEN {paid} > paid_idr THEN %s ELSE paid_on END "
        f"WHERE id IN ({marks}) AND paid_idr <> {paid}"
    )
    contribution_items = (
        f"FROM {item} i WHERE i.invoice_id = {line}.invoice_id AND i.segment = {line}.segment "
        f"AND i.kind = %s"
    )
    lines_sql = (
        f"UPDATE {line} SET paid_on = %s WHERE invoice_id IN ({marks}) AND paid_on IS NULL "
        f"AND EXISTS (SELECT 1 {contribution_items}) "
        f"AND NOT EXISTS (SELECT 1 {contribution_items} AND i.paid_idr < i.amount_idr)"
    )
    with connection.cursor() as cursor:
        cursor.execute(
            invoices_sql,
            [InvoiceStatus.PAID, InvoiceStatus.PARTIAL, InvoiceStatus.OPEN, on, *ids],
        )
        cursor.execute(
            lines_sql, [on, *ids, ItemKind.CONTRIBUTION.value, ItemKind.CONTRIBUTION.value]
        )
        marked = cursor.rowcount
    if marked:
        _jht_credit(ids, on)


def _jht_credit(invoice_ids: list[int], on: date) -> None:
    """INSERT ... SELECT the JHT of the paid lines of ``invoice_ids`` that have no entry yet."""
    line = InvoiceLine._meta.db_table
    jht = JhtEntry._meta.db_table
    marks = ", ".join(["%s"] * len(invoice_ids))
    # The JHT columns of the slot registry (employer and worker shares, BPU's own JHT).
    amount = " + ".join(f"l.{column}" for column in program_line_columns(Program.JHT.value))
    sql = (
        f"INSERT INTO {jht} (person_id, kind, period, line_id, amount_idr, booked_on, reference) "
        f"SELECT l.person_id_copy, %s, l.period, l.id, {amount}, "
        f"%s, %s FROM {line} l "
        f"WHERE l.invoice_id IN ({marks}) AND l.paid_on IS NOT NULL "
        f"AND l.person_id_copy IS NOT NULL "
        f"AND {amount} > 0 "
        f"AND NOT EXISTS (SELECT 1 FROM {jht} j WHERE j.line_id = l.id)"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [JhtKind.CONTRIBUTION.value, on, JHT_REFERENCE, *invoice_ids])
