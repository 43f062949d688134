"""The reader's limits (:mod:`jamsos.uploads.limits`): each hostile file is refused as a whole,
at once, by the limit meant for it, with a message naming the file and the limit.

Each test asserts the limit that refused the file and, where the reading is streamed, how far it
got (the rows read); the wall-clock guard is generous (the measured times are in
docs/benchmarks.md, "Hostile uploads").
"""

from __future__ import annotations

import functools
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager

import pytest

from jamsos.uploads import errors, parsing
from jamsos.uploads.limits import limits, read_capped, text_lines
from jamsos.uploads.parsing import parse_upload, read_table
from jamsos.uploads.tests import bombs
from jamsos.uploads.tests.conftest import csv_bytes, worker, xlsx_bytes

GUARD_S = 5.0
_shared_strings = functools.cache(bombs.shared_strings_xlsx)


@contextmanager
def within(seconds: float = GUARD_S) -> Iterator[None]:
    started = time.perf_counter()
    yield
    assert time.perf_counter() - started < seconds


@contextmanager
def rows_counted() -> Iterator[list[int]]:
    """How many rows (empty ones included) the reader took from the file."""
    seen = [0]
    original = parsing._rows

    def counting(numbered, keys, *, file_name):  # type: ignore[no-untyped-def]
        def counted():  # type: ignore[no-untyped-def]
            for item in numbered:
                seen[0] += 1
                yield item

        return original(counted(), keys, file_name=file_name)

    parsing._rows = counting
    try:
        yield seen
    finally:
        parsing._rows = original


def _refused(build: Callable[[], bytes], file_name: str) -> Exception:
    content = build()
    with within(), pytest.raises(errors.UploadError) as caught:
        parse_upload(content, file_name=file_name)
    return caught.value


def test_the_defaults_are_documented_values() -> None:
    bounds = limits()
    assert bounds.max_bytes == 32 * 1024 * 1024
    assert bounds.max_rows == 200_000
    assert bounds.max_lines == 250_000
    assert bounds.max_unpacked_bytes == 256 * 1024 * 1024
    assert bounds.max_ratio == 100
    assert bounds.max_members == 1_000
    assert bounds.max_shared_strings == 1_000_000
    assert bounds.max_cell_chars == 4_000
    assert bounds.max_line_chars == 100_000


def test_thirty_million_empty_rows_in_a_small_workbook_are_refused_before_reading() -> None:
    content = bombs.empty_rows_xlsx()
    assert len(content) < 300_000
    with rows_counted() as seen:
        exc = _refused(lambda: content, "bom.xlsx")
    assert isinstance(exc, errors.SuspiciousArchive)
    assert seen[0] == 0
    assert "bom.xlsx" in exc.message_in("id")
    assert "100×" in exc.message_in("id")
    assert "xl/worksheets/sheet1.xml" in exc.message_in("en")


def test_empty_rows_count_towards_the_rows_limit(settings) -> None:
    # given: a workbook the ratio would let through (the rows limit is the one under test)
    settings.JAMSOS_UPLOAD_MAX_RATIO = 10**9
    settings.JAMSOS_UPLOAD_MAX_LINES = 1_000
    content = bombs.empty_rows_xlsx(20_000)
    # when / then
    with rows_counted() as seen:
        exc = _refused(lambda: content, "kosong.xlsx")
    assert isinstance(exc, errors.TooManyLines)
    assert exc.message_in("en") == (
        "File kosong.xlsx has more than 1.000 rows (empty ones included). Delete the empty rows "
        "below the data or split it into several files."
    )
    assert seen[0] <= 1_001  # stopped at the limit, not at the end of the file


def test_millions_of_shared_strings_are_refused_before_they_are_loaded() -> None:
    exc = _refused(_shared_strings, "teks.xlsx")
    assert isinstance(exc, errors.SuspiciousArchive)
    assert "sharedStrings.xml" in exc.message_in("en")


def test_shared_strings_are_counted_when_the_ratio_lets_them_through(settings) -> None:
    settings.JAMSOS_UPLOAD_MAX_RATIO = 10**9
    exc = _refused(_shared_strings, "teks.xlsx")
    assert isinstance(exc, errors.TooManySharedStrings)
    assert "1.000.000" in exc.message_in("id")
    settings.JAMSOS_UPLOAD_MAX_STRINGS_BYTES = 1024 * 1024
    exc = _refused(_shared_strings, "teks.xlsx")
    assert isinstance(exc, errors.TooManySharedStrings)
    assert "1 MB" in exc.message_in("en")


def test_the_decompressed_size_of_all_parts_is_capped(settings) -> None:
    settings.JAMSOS_UPLOAD_MAX_UNPACKED_BYTES = 1024 * 1024
    exc = _refused(lambda: bombs.empty_rows_xlsx(1_000_000), "besar.xlsx")
    assert isinstance(exc, errors.UnpackedTooLarge)
    assert exc.message_in("id").startswith("Lembar kerja besar.xlsx berukuran lebih dari 1 MB")


def test_an_archive_inside_the_workbook_is_refused() -> None:
    exc = _refused(bombs.nested_zip_xlsx, "a.xlsx")
    assert isinstance(exc, errors.SuspiciousArchive)
    assert "xl/embeddings/inner.zip" in exc.message_in("id")


def test_too_many_parts_are_refused() -> None:
    exc = _refused(bombs.many_members_xlsx, "a.xlsx")
    assert isinstance(exc, errors.SuspiciousArchive)
    assert "1.000" in exc.message_in("en")


def test_a_huge_cell_is_refused_naming_its_row_and_column(settings) -> None:
    settings.JAMSOS_UPLOAD_MAX_RATIO = 10**9
    exc = _refused(bombs.huge_cell_xlsx, "sel.xlsx")
    assert isinstance(exc, errors.CellTooLong)
    assert exc.message_in("en") == (
        "The cell in row 2, column 2 of file sel.xlsx is longer than 4.000 characters."
    )


def test_a_long_cell_in_a_csv_is_refused(settings) -> None:
    settings.JAMSOS_UPLOAD_MAX_CELL_CHARS = 50
    content = csv_bytes([worker(1), worker(2, nama="x" * 51)])
    with pytest.raises(errors.CellTooLong) as caught:
        parse_upload(content, file_name="a.csv")
    assert "baris 3, kolom ke-2" in caught.value.message_in("id")


def test_a_csv_of_empty_lines_is_refused_before_it_is_split() -> None:
    with rows_counted() as seen:
        exc = _refused(bombs.empty_lines_csv, "kosong.csv")
    assert isinstance(exc, errors.TooManyLines)
    assert seen[0] == 0
    assert "250.000" in exc.message_in("id")


def test_empty_lines_between_rows_count(settings) -> None:
    settings.JAMSOS_UPLOAD_MAX_LINES = 10
    rows = csv_bytes([worker(1), worker(2)])
    with pytest.raises(errors.TooManyLines):
        parse_upload(rows + b"\r\n" * 9, file_name="a.csv")
    assert len(parse_upload(rows + b"\r\n" * 5, file_name="a.csv").rows) == 2


def test_a_line_of_delimiters_is_refused() -> None:
    exc = _refused(bombs.wide_line_csv, "lebar.csv")
    assert isinstance(exc, errors.LineTooLong)
    assert exc.message_in("en") == "Line 2 of file lebar.csv is longer than 100.000 characters."


def test_a_long_first_line_is_refused_not_crashed() -> None:
    content = b"nik;" + b"a" * 200_000 + b"\n1;2\n"
    with pytest.raises(errors.LineTooLong):
        parse_upload(content, file_name="a.csv")


def test_text_lines_keeps_line_breaks_and_counts_empty_lines(settings) -> None:
    assert list(text_lines("a\r\n\nb", file_name="x")) == ["a\r\n", "\n", "b"]
    settings.JAMSOS_UPLOAD_MAX_LINES = 2
    with pytest.raises(errors.TooManyLines):
        list(text_lines("a\n\n\n", file_name="x"))


def test_read_capped_stops_at_the_cap(settings) -> None:
    class Endless:
        reads = 0

        def read(self, size: int) -> bytes:
            self.reads += 1
            return b"x" * size

    stream = Endless()
    with pytest.raises(errors.FileTooLarge):
        read_capped(stream, file_name="a.csv", limit=3 * 1024 * 1024)
    assert stream.reads == 4


def test_a_workbook_stating_no_size_is_streamed_not_scanned_first(settings) -> None:
    # given: rows past the limit in a sheet without <dimension> (openpyxl's load_workbook would
    # read it to its end before the first row)
    settings.JAMSOS_UPLOAD_MAX_RATIO = 10**9
    settings.JAMSOS_UPLOAD_MAX_LINES = 50_000
    content = bombs.empty_rows_xlsx(3_000_000)
    # when / then: refused at the limit, having read no more than it
    with rows_counted() as seen:
        exc = _refused(lambda: content, "kosong.xlsx")
    assert isinstance(exc, errors.TooManyLines)
    assert seen[0] == 50_001


def test_two_cells_far_apart_are_read_without_filling_the_space_between() -> None:
    # A2 and XFD1048576: a reader that allocates the rectangle between them needs 512 GiB
    row = (
        b'<row r="2"><c r="A2" t="inlineStr"><is><t>3204051705900001</t></is></c>'
        b'<c r="B2" t="inlineStr"><is><t>Siti</t></is></c></row><row r="1048576">'
        b'<c r="XFD1048576" t="inlineStr"><is><t>y</t></is></c></row>'
    )
    with within():
        table = read_table(bombs.xlsx([row]), file_name="a.xlsx", columns=parsing.UPLOAD_COLUMNS)
    assert [r.line for r in table.rows] == [2]
    assert table.rows[0].values["nik"] == "3204051705900001"


def test_a_real_workbook_passes_every_limit() -> None:
    content = xlsx_bytes([worker(n) for n in range(1, 200)])
    table = read_table(content, file_name="a.xlsx", columns=parsing.UPLOAD_COLUMNS)
    assert len(table.rows) == 199
