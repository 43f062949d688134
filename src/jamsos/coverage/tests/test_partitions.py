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
        # The swapped-in partition carries the parent's two indexes and its key.
        cursor.execute(
            "SELECT count(*) FROM pg_indexes WHERE tablename = %s",
            [partition_name(CoverageArea, "2025-03")],
        )
        assert cursor.fetchone()[0] == 3


def _in_id_order(rows_of_month, fields: list[str]) -> list[tuple]:
    rows = list(rows_of_month.order_by("id").values_list(*fields))
    return [tuple("" if v is None else v for v in row) for row in rows]


def test_rows_are_written_in_the_order_of_their_index(world):  # noqa: F811
    """The facts go in village order and the areas in level, parent and region order: the
    order of their indexes' columns, so that each index sort finds its input sorted."""
    coverage_build("2025-01", "2025-03")
    for period in ("2025-01", "2025-03"):
        facts = CoverageFact.objects.filter(period=period)
        keys = ["village_code", "segment", "ecosystem", "channel", "branch_office_id"]
        written = _in_id_order(facts, keys)
        assert len(written) >= 5
        assert written == sorted(written, key=lambda r: (*r[:4], r[4] == "", r[4]))
        areas = CoverageArea.objects.filter(period=period)
        keys = ["level", "parent_code", "region_code", "segment", "ecosystem", "channel"]
        written = _in_id_order(areas, keys)
        assert len(written) > 50
        assert written == sorted(written)


def test_children_by_level_and_parent_are_the_rows_by_parent(world):  # noqa: F811
    """The children query adds the level (one below the parent) to use the level index: the
    same rows, row for row, as by the parent code alone, for every parent and slice."""
    coverage_build("2025-01", "2025-03")
    fields = [f.attname for f in CoverageArea._meta.concrete_fields if f.attname != "id"]
    parents = CoverageArea.objects.filter(level__lt=4).values_list("period", "region_code", "level")
    compared = 0
    for period, code, level in sorted(set(parents)):
        by_parent = CoverageArea.objects.filter(period=period, parent_code=code)
        by_level = by_parent.filter(level=level + 1)
        assert sorted(by_level.values_list(*fields)) == sorted(by_parent.values_list(*fields))
        compared += by_parent.count()
    assert compared == CoverageArea.objects.filter(level__gt=0).count()


def test_the_packed_sort_orders_as_the_sort_over_the_columns():
    """``_sorted`` (ranks packed into one integer) gives, row for row, what ``sort`` gives:
    text and integer keys, nulls last, values that sort differently as text and as numbers."""
    import random

    import polars as pl

    from jamsos.coverage.services.build import _sorted

    pick = random.Random(17)
    codes = ["00", "32", "32.04", "32.04.05", "32.04.05.2001", "32.73", "9", "10", ""]
    rows = {
        (pick.randint(0, 4), pick.choice(codes), pick.choice(["", "PU", "BPU", "PMI"]),
         pick.choice([None, 1, 2, 10, 300]))
        for _ in range(400)
    }  # fmt: skip
    frame = pl.DataFrame(
        sorted(rows, key=repr),
        schema={"level": pl.Int16, "code": pl.String, "segment": pl.String, "office": pl.Int64},
        orient="row",
    ).with_columns(registered=pl.int_range(pl.len()))
    keys = ["level", "code", "segment", "office"]
    expected = frame.sort(keys, nulls_last=True)
    assert _sorted(frame.reverse(), keys).equals(expected)
    assert _sorted(frame, keys).equals(expected)
    assert expected["office"].null_count() > 0


def test_a_run_of_months_writes_what_each_month_alone_writes(world, regions):  # noqa: F811
    """The denominators are worked out once for the months sharing their latest figures: a
    run of months writes, row for row, what a run of each month alone writes, also when a
    newer figure starts in the middle of the run."""
    from jamsos.registry.models import WorkforceFigure

    common = {"source": "BPS Sakernas", "confidence": "medium", "estimated": True}
    WorkforceFigure.objects.create(
        region=regions.kab_bandung, kind="employed", count=1001, period="2024-08", **common
    )
    WorkforceFigure.objects.create(
        region=regions.kab_bandung, kind="employed", count=1203, period="2025-03", **common
    )
    WorkforceFigure.objects.create(
        region=regions.jabar, kind="informal_employed", count=900, period="2025-02", **common
    )
    coverage_build("2025-01", "2025-05")
    together = _rows(CoverageArea)
    for month in range(1, 6):
        coverage_build(f"2025-{month:02d}")
    alone = _rows(CoverageArea)
    assert together == alone
    potentials = {r[-4] for r in together if r[-4] is not None}  # the potential column
    assert {1001, 1203} <= potentials
