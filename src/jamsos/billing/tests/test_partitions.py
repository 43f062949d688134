"""Invoice lines by month (ADR 0107): the run makes the month's partition, then writes its
lines through the partition writer; the rows are exactly those of the plain insert."""

from __future__ import annotations

from datetime import date

import pytest
from django.db import connection, transaction

from jamsos.billing.models import InvoiceLine, JhtEntry
from jamsos.billing.services import run as run_module
from jamsos.billing.services.integrity import references_check
from jamsos.billing.services.run import billing_run
from jamsos.core.bulkwrite import write_frame
from jamsos.core.partitions import (
    partition_ensure,
    partition_name,
    partitioned,
    partitions_of,
)

pytestmark = pytest.mark.django_db

AS_OF = date(2025, 4, 1)
PG = pytest.mark.skipif(connection.vendor != "postgresql", reason="partitions: PostgreSQL only")


class _Rollback(Exception):
    pass


def _plain_write(model, period, frame, *, replace=False, advance=None):
    """The slow path the partition load replaces: rows inserted into the indexed table."""
    partition_ensure(model, period)
    return write_frame(model, frame, advance=advance)


def _lines(period: str) -> list[tuple]:
    """Every column of the month's lines but the ids (the invoice by its payer and kind)."""
    fields = [
        f.attname
        for f in InvoiceLine._meta.concrete_fields
        if f.attname not in {"id", "invoice_id"}
    ]
    return sorted(
        InvoiceLine.objects.filter(period=period).values_list(
            "invoice__payer__kind",
            "invoice__payer__employer_id",
            "invoice__payer__person_id",
            "invoice__payer__sponsor_ref",
            "invoice__kind",
            *fields,
        )
    )


def test_the_partitioned_write_writes_what_the_plain_insert_wrote(wages, monkeypatch):
    try:
        with transaction.atomic():
            monkeypatch.setattr(run_module, "partition_write", _plain_write)
            billing_run("2025-03", as_of=AS_OF)
            slow = _lines("2025-03")
            raise _Rollback
    except _Rollback:
        pass
    monkeypatch.undo()
    assert not InvoiceLine.objects.exists()
    billing_run("2025-03", as_of=AS_OF)
    fast = _lines("2025-03")
    assert len(fast) == 4
    assert fast == slow
    billing_run("2025-03", as_of=AS_OF)  # a re-run: drafts replaced within the partition
    assert _lines("2025-03") == fast
    assert references_check("2025-03").ok


@PG
def test_a_month_lives_in_its_own_partition(wages):
    assert partitioned(InvoiceLine)
    billing_run("2025-03", as_of=AS_OF)
    name = partition_name(InvoiceLine, "2025-03")
    assert partitions_of(InvoiceLine)[name] == "FOR VALUES IN ('2025-03')"
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT tableoid::regclass::text, count(*) FROM billing_invoiceline GROUP BY 1"
        )
        assert dict(cursor.fetchall()) == {name: 4}
        # The partition got the parent's indexes when it was attached.
        cursor.execute("SELECT count(*) FROM pg_indexes WHERE tablename = %s", [name])
        assert cursor.fetchone()[0] == 5  # key (id, period), unique, invoice, paid, project


@PG
def test_rows_written_before_their_partition_move_into_it(wages):
    billing_run("2025-03", as_of=AS_OF)
    line = InvoiceLine.objects.filter(period="2025-03").first()
    line.pk = None
    line.period = "2025-01"  # no partition yet: lands in the default partition
    line.save()
    default = f"{InvoiceLine._meta.db_table}_default"
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT count(*) FROM {default}")
        assert cursor.fetchone()[0] == 1
        assert partition_ensure(InvoiceLine, "2025-01") is True
        assert partition_ensure(InvoiceLine, "2025-01") is False
        cursor.execute(f"SELECT count(*) FROM {default}")
        assert cursor.fetchone()[0] == 0
    assert InvoiceLine.objects.get(pk=line.pk).period == "2025-01"


def test_a_jht_entry_pointing_at_a_missing_line_is_found(wages):
    billing_run("2025-03", as_of=AS_OF)
    line = InvoiceLine.objects.filter(period="2025-03", jht_worker_idr__gt=0).first()
    JhtEntry.objects.create(
        person_id=line.person_id_copy,
        kind="contribution",
        period="2025-03",
        line_id=line.pk + 1_000_000,
        amount_idr=1,
        booked_on=AS_OF,
    )
    dangling = references_check("2025-03")
    assert dangling.counts["jht.line"] == 1
    assert not dangling.ok
