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
            cursor.execute(f"TRUNCATE {names}")
        else:
            for model in order:
                cursor.execute(f"DELETE FROM {connection.ops.quote_name(model._meta.db_table)}")
        # The runs' job rows (state, progress, process: ADR 0106).
        cursor.execute(
            f"DELETE FROM {connection.ops.quote_name(Job._meta.db_table)} WHERE kind = %s",
            [m.BillingRun.JOB_KIND],
        )
