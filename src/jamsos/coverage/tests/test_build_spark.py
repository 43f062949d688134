"""The coverage build on Spark (local mode) against the single-machine build, row for row.

A demo population (the demo's builder, on the tests' regions) is billed for four months on one
machine; its lines are marked paid by a fixed rule that makes members pay, stop, lapse and come
back. The build of three months on one machine and the same build with ``engine="spark"`` write
the same fact, area and office rows (ids aside), and the counts are not all zero.
"""

from __future__ import annotations

from collections import Counter
from datetime import date
from typing import Any

import pytest
from django.db.models import Model

from jamsos.billing.models import InvoiceLine
from jamsos.billing.services.run import billing_run
from jamsos.core.spark import spark_available
from jamsos.coverage.models import CoverageArea, CoverageFact, CoverageOffice, RunStatus
from jamsos.coverage.services.build import coverage_build
from jamsos.demo.population import demo_population_build

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.spark,
    pytest.mark.skipif(bool(spark_available()), reason=f"Spark: {spark_available()}"),
]

BILLED = ("2024-12", "2025-01", "2025-02", "2025-03")


def _rows(model: type[Model]) -> Counter[tuple[Any, ...]]:
    names = [f.attname for f in model._meta.concrete_fields if f.attname != "id"]
    return Counter(model.objects.values_list(*names))


def written() -> dict[str, Counter[tuple[Any, ...]]]:
    return {m.__name__: _rows(m) for m in (CoverageFact, CoverageArea, CoverageOffice)}


def _pays(membership: int, project: int, month: int) -> bool:
    """Who pays which month (0 = December 2024): some never, some stop, some skip three months
    and come back (lapsed, then reactivated), most always."""
    key = membership or project
    habit = key % 6
    if habit == 0:
        return False
    if habit == 1:
        return month == 3
    if habit == 2:
        return month != 1
    return True


@pytest.fixture
def billed(regions):
    demo_population_build(workers=800, seed=4, progress=False)
    for index, period in enumerate(BILLED):
        year, month = int(period[:4]), int(period[5:])
        billing_run(period, as_of=date(year + month // 12, month % 12 + 1, 1))
        lines = InvoiceLine.objects.filter(period=period).values_list(
            "pk", "membership_id", "project_id"
        )
        paid = [pk for pk, m, p in lines if _pays(m or 0, p or 0, index)]
        InvoiceLine.objects.filter(pk__in=paid).update(paid_on=date(2025, 5, 1))


def test_spark_writes_the_facts_of_the_single_machine_build(billed):
    local = coverage_build("2025-01", "2025-03")
    expected = written()
    by_month = local.counts["by_month"]
    assert sum(m["lapsed"] for m in by_month.values()) > 0
    assert sum(m["reactivated"] for m in by_month.values()) > 0
    assert all(m["active"] < m["registered"] for m in by_month.values())

    spark = coverage_build("2025-01", "2025-03", engine="spark")
    assert spark.status == RunStatus.FINISHED
    assert spark.counts["engine"] == "spark"
    assert written() == expected
    assert spark.counts["by_month"] == by_month
