"""What the benchmark scripts share: Django against a given database, and a billing reset."""

from __future__ import annotations

import os


def django_setup(database: str) -> None:
    """Point Django at ``database`` (a DATABASE_URL) and set it up."""
    os.environ["DATABASE_URL"] = database
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "jamsos.config.settings")
    import django

    django.setup()


def billing_reset() -> None:
    """Remove every billing row, children first (TRUNCATE on PostgreSQL)."""
    from django.db import connection, transaction

    from jamsos.billing import models as m
    from jamsos.core.partitions import partitions_of
    from jamsos.jobs.models import Job

    order = [
        m.PaymentPromise,
        m.CaseContact,
        m.ArrearsCase,
        m.JhtEntry,
        m.Allocation,
        m.Posting,
        m.JournalEntry,
        m.PenaltyCharge,
        m.Payment,
        m.StatementFile,
        m.InvoiceLine,
        m.InvoiceItem,
        m.Invoice,
        m.RunReject,
        m.BillingRun,
        m.Sponsorship.memberships.through,
        m.Sponsorship,
        m.Payer,
    ]
    with transaction.atomic(), connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            names = ", ".join(connection.ops.quote_name(x._meta.db_table) for x in order)
            cursor.execute(f"TRUNCATE {names} CASCADE")  # arrears cases and the like too
            # The months' partitions go too, so that a first run loads its month fresh
            # (ADR 0107), as a month billed for the first time does.
            for name in partitions_of(m.InvoiceLine):
                if not name.endswith("_default"):
                    cursor.execute(f"DROP TABLE {connection.ops.quote_name(name)}")
        else:
            for model in order:
                cursor.execute(f"DELETE FROM {connection.ops.quote_name(model._meta.db_table)}")
        # The runs' job rows (state, progress, process: ADR 0106).
        cursor.execute(
            f"DELETE FROM {connection.ops.quote_name(Job._meta.db_table)} WHERE kind = %s",
            [m.BillingRun.JOB_KIND],
        )


def plain_partition_write(model, period, frame, *, replace=False, advance=None):  # type: ignore[no-untyped-def]
    """The write that ``jamsos.core.partitions.partition_write`` replaces, for comparison
    (``--plain-write``): the month's rows inserted into the indexed table (its partition made
    first), after deleting the month's rows when ``replace``."""
    from django.db import connection

    from jamsos.core.bulkwrite import write_frame
    from jamsos.core.partitions import partition_ensure

    partition_ensure(model, period)
    if replace:
        with connection.cursor() as cursor:
            table = connection.ops.quote_name(model._meta.db_table)
            cursor.execute(f"DELETE FROM {table} WHERE period = %s", [period])
    return write_frame(model, frame, advance=advance)
