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

from collections.abc import Iterable, Mapping
from datetime import date
from typing import Any

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
_TEMP_BATCH = 5000


JHT_REFERENCE = "Iuran JHT dibayar (paid JHT contribution)"


def invoices_settle(invoice_ids: Iterable[int], on: date) -> None:
    """Bring the invoices ``invoice_ids``, their lines and the JHT accounts up to their items:
    a few invoices (a payment's) by three statements on their ids, more than a batch (credit
    applied by a billing run) in one pass (:func:`invoices_settle_many`, every invoice and
    line taking ``on``), not one correlated statement per batch."""
    ids = sorted(set(invoice_ids))
    if len(ids) > _BATCH:
        invoices_settle_many(dict.fromkeys(ids, (on, on)), {})
    elif ids:
        _settle_batch(ids, on)


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


# ---------------------------------------------------------------------------------------------
# Many payments at once: one pass for a whole statement
# ---------------------------------------------------------------------------------------------

_TOUCH = "billing_settle_touch"
_DONE = "billing_settle_done"


def invoices_settle_many(
    touched: Mapping[int, tuple[date, date]], completed: Mapping[tuple[int, str], date]
) -> None:
    """Settle at once the invoices of many payments, as :func:`invoices_settle` called after
    each payment in turn with its value date would: ``touched`` is ``{invoice id: (value date
    of the first payment allocated to it, of the last)}``, ``completed`` ``{(invoice id,
    segment): value date of the payment that paid the segment's last open contribution item}``.

    An invoice takes the value date of the last payment (it raised ``paid_idr`` each time); a
    line of a segment completed here that of the completing payment, a line of a segment that
    was complete before (its items were all paid) that of the invoice's first payment; a JHT
    entry the date of its line. Both maps go to temporary tables and three statements do the
    rest (one UPDATE ... FROM an aggregate of the items per invoice, one of the lines, one
    INSERT ... SELECT of the JHT entries), whatever the number of invoices.
    """
    if not touched:
        return
    invoice, item, line = (
        Invoice._meta.db_table,
        InvoiceItem._meta.db_table,
        InvoiceLine._meta.db_table,
    )
    with connection.cursor() as cursor:
        _temp_table(
            cursor,
            _TOUCH,
            "invoice_id bigint PRIMARY KEY, first_on date NOT NULL, last_on date NOT NULL",
            [(pk, first.isoformat(), last.isoformat()) for pk, (first, last) in touched.items()],
        )
        _temp_table(
            cursor,
            _DONE,
            "invoice_id bigint NOT NULL, segment varchar(5) NOT NULL, paid_on date NOT NULL, "
            "PRIMARY KEY (invoice_id, segment)",
            [(pk, segment, on.isoformat()) for (pk, segment), on in completed.items()],
        )
        sums = (
            f"SELECT t.invoice_id, t.last_on, COALESCE(SUM(i.paid_idr), 0) AS paid "
            f"FROM {_TOUCH} t LEFT JOIN {item} i ON i.invoice_id = t.invoice_id "
            f"GROUP BY t.invoice_id, t.last_on"
        )
        cursor.execute(
            f"UPDATE {invoice} SET paid_idr = s.paid, "
            f"status = CASE WHEN s.paid >= {invoice}.total_idr AND {invoice}.total_idr > 0 "
            f"THEN %s WHEN s.paid > 0 THEN %s ELSE %s END, "
            f"paid_on = CASE WHEN s.paid > {invoice}.paid_idr THEN s.last_on "
            f"ELSE {invoice}.paid_on END "
            f"FROM ({sums}) s WHERE {invoice}.id = s.invoice_id AND {invoice}.paid_idr <> s.paid",
            [InvoiceStatus.PAID, InvoiceStatus.PARTIAL, InvoiceStatus.OPEN],
        )
        contribution_items = (
            f"FROM {item} i WHERE i.invoice_id = {line}.invoice_id "
            f"AND i.segment = {line}.segment AND i.kind = %s"
        )
        cursor.execute(
            f"UPDATE {line} SET paid_on = COALESCE((SELECT d.paid_on FROM {_DONE} d "
            f"WHERE d.invoice_id = {line}.invoice_id AND d.segment = {line}.segment), t.first_on) "
            f"FROM {_TOUCH} t WHERE {line}.invoice_id = t.invoice_id AND {line}.paid_on IS NULL "
            f"AND EXISTS (SELECT 1 {contribution_items}) "
            f"AND NOT EXISTS (SELECT 1 {contribution_items} AND i.paid_idr < i.amount_idr)",
            [ItemKind.CONTRIBUTION.value, ItemKind.CONTRIBUTION.value],
        )
        marked = cursor.rowcount
        if marked:
            jht = JhtEntry._meta.db_table
            amount = " + ".join(f"l.{c}" for c in program_line_columns(Program.JHT.value))
            cursor.execute(
                f"INSERT INTO {jht} (person_id, kind, period, line_id, amount_idr, booked_on, "
                f"reference) SELECT l.person_id_copy, %s, l.period, l.id, {amount}, l.paid_on, %s "
                f"FROM {line} l JOIN {_TOUCH} t ON t.invoice_id = l.invoice_id "
                f"WHERE l.paid_on IS NOT NULL AND l.person_id_copy IS NOT NULL AND {amount} > 0 "
                f"AND NOT EXISTS (SELECT 1 FROM {jht} j WHERE j.line_id = l.id) ORDER BY l.id",
                [JhtKind.CONTRIBUTION.value, JHT_REFERENCE],
            )
        cursor.execute(f"DROP TABLE {_TOUCH}")
        cursor.execute(f"DROP TABLE {_DONE}")


def _temp_table(cursor: Any, name: str, definition: str, rows: list[tuple[Any, ...]]) -> None:
    """A temporary table ``name`` holding ``rows`` (COPY on PostgreSQL, then ANALYZE so that
    the planner knows its size; ``executemany`` elsewhere)."""
    cursor.execute(f"DROP TABLE IF EXISTS {name}")
    cursor.execute(f"CREATE TEMP TABLE {name} ({definition})")
    if not rows:
        return
    if connection.vendor == "postgresql":
        with cursor.copy(f"COPY {name} FROM STDIN") as copy:
            for row in rows:
                copy.write_row(row)
        cursor.execute(f"ANALYZE {name}")
        return
    marks = ", ".join(["%s"] * len(rows[0]))
    for start in range(0, len(rows), _TEMP_BATCH):
        cursor.executemany(
            f"INSERT INTO {name} VALUES ({marks})", rows[start : start + _TEMP_BATCH]
        )
