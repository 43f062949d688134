"""The bulk row writer on the database the tests run on: SQLite by default, PostgreSQL when
DATABASE_URL names one (the COPY paths). Every test runs on both; what differs between the two
is asserted per database, nothing is skipped.

The table is a model of these tests only (``core`` holds no domain model), created and dropped
around each test.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, date, datetime

import polars as pl
import pytest
from django.db import connection, models, transaction
from django.test.utils import isolate_apps

from jamsos.core import bulkwrite

AT = datetime(2025, 3, 15, 2, 30, tzinfo=UTC)


@pytest.fixture
def thing(transactional_db) -> Iterator[type[models.Model]]:
    with isolate_apps("jamsos.core"):

        class Thing(models.Model):
            code = models.CharField(max_length=20, unique=True)
            day = models.DateField(null=True)
            at = models.DateTimeField(null=True)
            data = models.JSONField(default=dict)
            amount_idr = models.BigIntegerField(null=True)
            note = models.CharField(max_length=40, blank=True)

            class Meta:
                app_label = "core"
                db_table = "core_bulkwrite_test_thing"

            def __str__(self) -> str:
                return self.code

        with connection.schema_editor() as editor:
            editor.create_model(Thing)
        try:
            yield Thing
        finally:
            with connection.schema_editor() as editor:
                editor.delete_model(Thing)


FIELDS = ("code", "day", "at", "data", "amount_idr", "note")


def _rows(count: int, prefix: str = "T", stamp: str = "") -> Iterator[tuple[object, ...]]:
    stamp = stamp or bulkwrite.timestamp_text(AT)
    for n in range(count):
        yield (
            f"{prefix}{n:06d}",
            date(2025, 1, 1 + n % 28).isoformat(),
            stamp,
            bulkwrite.json_text({"n": n, "name": "Ujang Sukmana", "ok": n % 2 == 0}),
            n * 1_000,
            "" if n % 3 else "tiga",
        )


def _content(model: type[models.Model]) -> list[tuple[object, ...]]:
    return list(model.objects.order_by("code").values_list(*FIELDS))


def test_the_method_follows_the_database(thing):
    expected = {"postgresql": "copy", "sqlite": "executemany"}[connection.vendor]
    assert bulkwrite.method() == expected
    assert bulkwrite.method("orm") == "orm"
    with pytest.raises(ValueError, match="unknown write method"):
        bulkwrite.method("fax")
    assert bulkwrite.timestamp_suffix("executemany") == ""
    assert bulkwrite.timestamp_suffix("copy") == "+00:00"
    text = bulkwrite.timestamp_text(AT)
    assert text == ("2025-03-15 02:30:00" if connection.vendor == "sqlite" else str(AT))


def test_insert_writes_every_row_of_a_generator_over_several_batches(thing):
    count = bulkwrite.BATCH * 2 + 7
    with transaction.atomic():
        assert bulkwrite.insert(thing, FIELDS, _rows(count)) == count
    assert thing.objects.count() == count
    first = thing.objects.get(code="T000000")
    assert first.day == date(2025, 1, 1)
    assert first.at == AT
    assert first.data == {"n": 0, "name": "Ujang Sukmana", "ok": True}
    assert (first.amount_idr, first.note) == (0, "tiga")
    assert thing.objects.get(code=f"T{count - 1:06d}").amount_idr == (count - 1) * 1_000
    assert bulkwrite.insert(thing, FIELDS, iter(())) == 0


def test_every_method_writes_the_same_rows(thing):
    methods = ["executemany", "orm"] + (["copy"] if connection.vendor == "postgresql" else [])
    contents = []
    for how in methods:
        with transaction.atomic():
            thing.objects.all().delete()
            # The timestamp as each method reads it (naive UTC text for executemany).
            stamp = "2025-03-15 02:30:00" + bulkwrite.timestamp_suffix(how)
            rows = list(_rows(120, stamp=stamp))
            assert bulkwrite.insert(thing, FIELDS, rows, how=how) == 120
            contents.append(_content(thing))
    assert len(contents[0]) == 120
    assert contents[0][0][2] == AT
    for content in contents[1:]:
        assert content == contents[0]


def test_insert_with_ids_hands_back_the_new_ids_by_key(thing):
    with transaction.atomic():
        bulkwrite.insert(thing, FIELDS, _rows(5, prefix="A"))
        ids = bulkwrite.insert_with_ids(thing, FIELDS, _rows(40, prefix="B"), key="code")
    assert len(ids) == 40
    assert ids == dict(thing.objects.filter(code__startswith="B").values_list("code", "pk"))
    assert min(ids.values()) > max(
        thing.objects.filter(code__startswith="A").values_list("pk", flat=True)
    )
    assert bulkwrite.insert_with_ids(thing, FIELDS, iter(()), key="code") == {}


def test_insert_with_ids_told_the_count_gives_the_same_ids_as_read_back(thing):
    with transaction.atomic():
        bulkwrite.insert(thing, FIELDS, _rows(5, prefix="A"))
        ids = bulkwrite.insert_with_ids(
            thing, FIELDS, (row for row in _rows(40, prefix="B")), key="code", count=40
        )
    assert len(ids) == 40
    assert ids == dict(thing.objects.filter(code__startswith="B").values_list("code", "pk"))
    with pytest.raises(ValueError, match=r"shorter|announced"), transaction.atomic():
        bulkwrite.insert_with_ids(thing, FIELDS, _rows(3, prefix="C"), key="code", count=4)
    assert not thing.objects.filter(code__startswith="C").exists()


def test_reserve_ids_gives_unused_consecutive_keys(thing):
    with transaction.atomic():
        bulkwrite.insert(thing, FIELDS, _rows(3))
        taken = set(thing.objects.values_list("pk", flat=True))
        ids = bulkwrite.reserve_ids(thing, 4)
    assert len(set(ids)) == 4
    assert not taken & set(ids)
    assert min(ids) > max(taken)
    assert bulkwrite.reserve_ids(thing, 0) == []


def test_rows_where_in_reads_the_rows_of_many_keys(thing):
    with transaction.atomic():
        bulkwrite.insert(thing, FIELDS, _rows(bulkwrite.BATCH + 10))
    wanted = [f"T{n:06d}" for n in range(0, bulkwrite.BATCH + 10, 7)] + ["missing"]
    found = bulkwrite.rows_where_in(thing, ("code", "amount_idr"), "code", wanted)
    assert sorted(found) == [(code, int(code[1:]) * 1_000) for code in wanted[:-1]]
    assert bulkwrite.rows_where_in(thing, ("code",), "code", []) == []


def test_update_rows_sets_the_fields_of_many_rows_in_one_statement(thing):
    with transaction.atomic():
        ids = bulkwrite.insert_with_ids(thing, FIELDS, _rows(30), key="code")
        changed = [
            (ids[f"T{n:06d}"], f"baru {n}", bulkwrite.json_text({"v": n}), None)
            for n in range(0, 30, 2)
        ]
        assert bulkwrite.update_rows(thing, ("note", "data", "amount_idr"), changed) == 15
        assert bulkwrite.update_rows(thing, ("note",), []) == 0
    rows = {t.code: t for t in thing.objects.all()}
    assert rows["T000004"].note == "baru 4"
    assert rows["T000004"].data == {"v": 4}
    assert rows["T000004"].amount_idr is None
    assert rows["T000005"].note == ""  # untouched
    assert rows["T000005"].data == {"n": 5, "name": "Ujang Sukmana", "ok": False}
    assert rows["T000005"].amount_idr == 5_000


def test_frames_go_in_and_come_back(thing):
    frame = pl.DataFrame(
        {
            "code": ["F1", "F2", "F3"],
            "day": [date(2025, 1, 31), None, date(2024, 2, 29)],
            "amount_idr": [4_500_000, 0, None],
            "note": ["satu", "", "tiga"],
            "data": ["{}", "{}", '{"a":1}'],
        }
    )
    seen: list[int] = []
    with transaction.atomic():
        assert bulkwrite.write_frame(thing, frame, advance=seen.append) == 3
        assert bulkwrite.write_frame(thing, frame.clear()) == 0
        back = bulkwrite.read_frame(
            f"SELECT code, day, amount_idr, note FROM {bulkwrite.table(thing)} "
            "WHERE amount_idr IS NULL OR amount_idr >= %s ORDER BY code",
            [0],
            {"code": pl.String, "day": pl.Date, "amount_idr": pl.Int64, "note": pl.String},
        )
    assert sum(seen) == 3
    assert back.rows()[0] == ("F1", date(2025, 1, 31), 4_500_000, "satu")
    assert back.rows()[2] == ("F3", date(2024, 2, 29), None, "tiga")
    assert back.rows()[1][:3] == ("F2", None, 0)
    # An empty string is written as one (NULL is spelt \N in the COPY text).
    assert thing.objects.get(code="F2").note == ""
    assert thing.objects.get(code="F3").data == {"a": 1}
    empty = bulkwrite.read_frame(
        f"SELECT code FROM {bulkwrite.table(thing)} WHERE code = %s", ["none"], {"code": pl.String}
    )
    assert empty.is_empty()
    assert list(empty.schema) == ["code"]


def test_execute_and_execute_literal_report_the_rows_touched(thing):
    with transaction.atomic():
        bulkwrite.insert(thing, FIELDS, _rows(10))
        table = bulkwrite.table(thing)
        assert (
            bulkwrite.execute(f"UPDATE {table} SET note = %s WHERE amount_idr < %s", ["x", 3_000])
            == 3
        )
        assert bulkwrite.execute_literal(f"DELETE FROM {table} WHERE note = %s", ["x"]) == 3
    assert thing.objects.count() == 7


def test_statistics_are_refreshed_only_after_a_large_insert_on_postgresql(thing):
    def reltuples() -> float | None:
        if connection.vendor != "postgresql":
            return None
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT reltuples FROM pg_class WHERE relname = %s", [thing._meta.db_table]
            )
            return float(cursor.fetchone()[0])

    with transaction.atomic():
        bulkwrite.insert(thing, FIELDS, _rows(6_000))
        before = reltuples()
        bulkwrite.analyze_if_grown(thing, 10)  # too few new rows to bother
        assert reltuples() == before
        bulkwrite.analyze_if_grown(thing, 6_000)
        after = reltuples()
    if connection.vendor == "postgresql":
        assert before is not None
        assert before <= 0
        assert after == 6_000
    else:  # SQLite plans without statistics gathered here
        assert before is None
        assert after is None
