"""Coverage facts and areas by month (ADR 0107): each month's partition is loaded fresh and
swapped in; the rows are exactly those the delete-and-insert path wrote."""

from __future__ import annotations

import pytest
from django.db import connection, transaction

from jamsos.core.bulkwrite import execute, table, write_frame
from jamsos.core.partitions import partition_ensure, partition_name, partitions_of
from jamsos.coverage.models import CoverageArea, CoverageFact
from jamsos.coverage.services import build as build_module
from jamsos.coverage.services.build import coverage_build
from jamsos.coverage.tests.test_build import world  # noqa: F401  (the fixture)

pytestmark = pytest.mark.django_db


class _Rollback(Exception):
    pass


def _plain_write(model, period, frame, *, replace=False, advance=None):
    """The path the partition swap replaces: the month's rows deleted, the new ones inserted
    into the indexed table."""
    partition_ensure(model, period)
    if replace:
        execute(f"DELETE FROM {table(model)} WHERE period = %s", [period])
    return write_frame(model, frame, advance=advance)


def _rows(model) -> list[tuple]:
    fields = [f.attname for f in model._meta.concrete_fields if f.attname != "id"]
    return sorted(model.objects.values_list(*fields))


def test_the_partition_swap_writes_what_delete_and_insert_wrote(world, monkeypatch):  # noqa: F811
    try:
        with transaction.atomic():
            monkeypatch.setattr(build_module, "partition_write", _plain_write)
            coverage_build("2025-01", "2025-06")
            coverage_build("2025-03", "2025-04")  # a re-run replaces months
            slow = (_rows(CoverageFact), _rows(CoverageArea))
            raise _Rollback
    except _Rollback:
        pass
    monkeypatch.undo()
    assert not CoverageArea.objects.exists()
    coverage_build("2025-01", "2025-06")
    coverage_build("2025-03", "2025-04")
    fast = (_rows(CoverageFact), _rows(CoverageArea))
    assert len(fast[0]) > 20
    assert len(fast[1]) > 200
    assert fast == slow


@pytest.mark.skipif(connection.vendor != "postgresql", reason="partitions: PostgreSQL only")
def test_each_month_is_one_partition_and_a_rebuild_replaces_it(world):  # noqa: F811
    coverage_build("2025-01", "2025-06")
    areas = CoverageArea.objects.filter(period="2025-03").count()
    coverage_build("2025-03")
    assert CoverageArea.objects.filter(period="2025-03").count() == areas
    names = partitions_of(CoverageArea)
    for month in range(1, 7):
        period = f"2025-{month:02d}"
        assert names[partition_name(CoverageArea, period)] == f"FOR VALUES IN ('{period}')"
        assert partition_name(CoverageFact, period) in partitions_of(CoverageFact)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT count(*) FROM {CoverageArea._meta.db_table}_default")
        assert cursor.fetchone()[0] == 0
        # The swapped-in partition carries the parent's four indexes and its key.
        cursor.execute(
            "SELECT count(*) FROM pg_indexes WHERE tablename = %s",
            [partition_name(CoverageArea, "2025-03")],
        )
        assert cursor.fetchone()[0] == 5
