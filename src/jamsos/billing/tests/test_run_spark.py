"""The billing run on Spark (local mode) against the single-machine run, row for row.

A demo population (the demo's builder, on the tests' regions) is billed for March 2025 on one
machine, then the same month again with ``engine="spark"`` (every unpaid draft replaced), then
once more on Spark: every line, invoice, item, reject and posting equals the single-machine
run's (ids and invoice numbers aside, which a replacement renews), the ledger balances, and
the re-run writes nothing twice.
"""

from __future__ import annotations

from collections import Counter
from datetime import date
from typing import Any

import pytest
from django.db.models import Model

from jamsos.billing.models import (
    BillingRun,
    Invoice,
    InvoiceItem,
    InvoiceLine,
    JournalKind,
    Posting,
    RunReject,
    RunStatus,
)
from jamsos.billing.services.ledger import ledger_check
from jamsos.billing.services.run import billing_run
from jamsos.core.spark import spark_available
from jamsos.demo.population import demo_population_build
from jamsos.membership.models import Membership, WageReport

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.spark,
    pytest.mark.skipif(bool(spark_available()), reason=f"Spark: {spark_available()}"),
]

PERIOD = "2025-03"
AS_OF = date(2025, 4, 1)
#: Counts that differ between a first run and a re-run, and the engine's own.
RUN_ONLY = {
    "payers_new",
    "replaced_invoices",
    "kept_invoices",
    "penalties_accrued",
    "engine",
    "spark_master",
    "spark_seconds",
    "spark_bytes",
}


def _rows(model: type[Model], skip: set[str], **related: str) -> Counter[tuple[Any, ...]]:
    """Every row of ``model`` as a tuple of its columns but ``skip`` (ids a replacement renews),
    with ``related`` lookups instead (the payer of a line's invoice)."""
    names = [
        f.attname
        for f in model._meta.concrete_fields
        if f.attname not in skip and f.attname != "id"
    ]
    return Counter(model.objects.values_list(*names, *related.values()))


def billed() -> dict[str, Counter[tuple[Any, ...]]]:
    """What a run of the month wrote, without the ids and numbers a replacement renews."""
    entry = {"entry__kind": JournalKind.BILLING, "entry__run__status": RunStatus.FINISHED}
    latest = BillingRun.objects.filter(period=PERIOD).order_by("-pk").first()
    return {
        "lines": _rows(InvoiceLine, {"invoice_id"}, payer="invoice__payer_id"),
        "invoices": _rows(Invoice, {"number", "run_id"}),
        "items": _rows(InvoiceItem, {"invoice_id"}, payer="invoice__payer_id"),
        "rejects": Counter(
            RunReject.objects.filter(run=latest).values_list("membership_id", "field", "code")
        ),
        "postings": Counter(
            Posting.objects.filter(**entry, entry__run=latest).values_list(
                "account", "payer_id", "debit_idr", "credit_idr"
            )
        ),
    }


@pytest.fixture
def population(regions):
    demo_population_build(workers=800, seed=3, progress=False)
    # One PU worker without a wage report: a reject with its reason.
    worker = Membership.objects.filter(segment="PU").order_by("pk").first()
    WageReport.objects.filter(membership=worker).delete()
    return worker


def test_spark_bills_the_month_as_the_single_machine_run(population):
    local = billing_run(PERIOD, as_of=AS_OF)
    expected = billed()
    assert local.counts["lines"] > 300
    assert set(InvoiceLine.objects.values_list("segment", flat=True)) >= {"PU", "BPU"}
    assert expected["rejects"] == Counter({(population.pk, "wage", "required"): 1})

    spark = billing_run(PERIOD, as_of=AS_OF, engine="spark")
    assert spark.status == RunStatus.FINISHED
    assert spark.counts["engine"] == "spark"
    assert spark.counts["replaced_invoices"] == local.counts["invoices"]
    assert billed() == expected
    assert spark.totals == local.totals
    assert {k: v for k, v in spark.counts.items() if k not in RUN_ONLY} == {
        k: v for k, v in local.counts.items() if k not in RUN_ONLY
    }
    assert ledger_check().ok

    # A re-run on Spark writes nothing twice: one line per membership and project.
    again = billing_run(PERIOD, as_of=AS_OF, engine="spark")
    assert billed() == expected
    assert again.counts["lines"] == InvoiceLine.objects.filter(period=PERIOD).count()
    assert ledger_check().ok
