"""The workbook reader: calamine behind the scan of :mod:`jamsos.uploads.workbooks`, the
streaming reader for every other workbook, and the two giving the same table.

The equivalence is checked on generated workbooks (hypothesis): text with leading zeros,
whole and decimal numbers, 16-digit numbers (a NIK typed as a number), real dates and times,
booleans, formulas, empty cells and gaps, a title above the header, a sheet before the list.
The hostile workbook that made calamine allocate 512 GiB is read in a separate process with
its address space capped, so that a crash could not take the test run down with it.
"""

from __future__ import annotations

import io
import subprocess
import sys
import zipfile
from datetime import date, datetime, time
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import Workbook
from openpyxl.utils.exceptions import IllegalCharacterError

from jamsos.uploads import parsing, workbooks
from jamsos.uploads.parsing import UPLOAD_COLUMNS, Table, read_table
from jamsos.uploads.tests import bombs
from jamsos.uploads.tests.conftest import HEADER, worker, xlsx_bytes

BOUNDED = settings(
    max_examples=60,
    deadline=4_000,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)

NAIVE_MIN = datetime(1900, 3, 1)  # noqa: DTZ001 - cells have no time zone
NAIVE_MAX = datetime(2100, 1, 1)  # noqa: DTZ001
CELL = st.one_of(
    st.none(),
    st.text(alphabet=st.characters(blacklist_categories=("Cs", "Cc")), max_size=20),
    st.sampled_from(["0032", "3204051705900001", "  spasi  ", "=1+1", "#N/A", "4.500.000"]),
    st.integers(min_value=-(10**15), max_value=10**15),
    st.integers(min_value=10**15, max_value=10**16 - 1),
    st.floats(allow_nan=False, allow_infinity=False, width=32),
    st.dates(min_value=date(1900, 3, 1), max_value=date(2100, 1, 1)),
    st.datetimes(min_value=NAIVE_MIN, max_value=NAIVE_MAX).map(lambda d: d.replace(microsecond=0)),
    st.booleans(),
)
ROW = st.lists(CELL, min_size=0, max_size=len(HEADER) + 3)


def _workbook(rows: list[list[object]], *, title: bool, sheet_before: bool) -> bytes:
    book = Workbook()
    sheet = book.active
    if sheet_before:
        sheet.title = "Catatan"
        sheet.append(["Bukan daftar"])
        sheet = book.create_sheet("Pekerja")
    if title:
        sheet.append(["Daftar pekerja PT Contoh"])
        sheet.append([])
    sheet.append(HEADER)
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _both(content: bytes) -> tuple[Table, Table]:
    kwargs = {"file_name": "a.xlsx", "spec": UPLOAD_COLUMNS}
    return (
        parsing._parse_xlsx(content, reader="stream", **kwargs),
        parsing._parse_xlsx(content, reader="calamine", **kwargs),
    )


def _same(old: Table, new: Table) -> None:
    assert (new.file_format, new.columns, new.keys, new.ignored) == (
        old.file_format,
        old.columns,
        old.keys,
        old.ignored,
    )
    assert [(r.line, r.raw, r.values) for r in new.rows] == [
        (r.line, r.raw, r.values) for r in old.rows
    ]


@BOUNDED
@given(rows=st.lists(ROW, max_size=12), title=st.booleans(), sheet_before=st.booleans())
def test_calamine_reads_what_the_streaming_reader_reads(
    rows: list[list[object]], title: bool, sheet_before: bool
) -> None:
    try:
        content = _workbook(rows, title=title, sheet_before=sheet_before)
    except IllegalCharacterError:
        return
    old, new = _both(content)
    _same(old, new)


def test_the_worker_file_reads_the_same_and_through_calamine(monkeypatch) -> None:
    rows = [worker(n) for n in range(1, 300)]
    rows[3]["nik"] = "0" + rows[3]["nik"][1:]  # a leading zero kept (text cell)
    rows[4]["upah"] = 4_500_000
    content = xlsx_bytes(rows)
    called = []
    original = workbooks.calamine_sheets
    monkeypatch.setattr(parsing, "calamine_sheets", lambda c: called.append(1) or original(c))
    old, new = _both(content)
    _same(old, new)
    assert called == [1]
    assert new.rows[3].values["nik"].startswith("0")
    assert new.rows[4].values["wage"] == 4_500_000


def test_dates_times_and_numbers_keep_their_types() -> None:
    content = _workbook(
        [["3204051705900001", "Siti", date(1990, 5, 17), "P", 812, "3204052001", 4500000.0,
          datetime(2025, 3, 1, 8, 30), time(10, 30)]],  # noqa: DTZ001
        title=False,
        sheet_before=False,
    )  # fmt: skip
    old, new = _both(content)
    _same(old, new)
    values = new.rows[0].values
    assert values["birth_date"] == datetime(1990, 5, 17)  # noqa: DTZ001
    assert values["wage"] == 4_500_000
    assert isinstance(values["wage"], int)
    assert values["phone"] == 812


def _placed_header() -> bytes:
    cells = "".join(
        f'<c r="{chr(65 + i)}1" t="inlineStr"><is><t>{name}</t></is></c>'
        for i, name in enumerate(bombs.HEADER_CELLS)
    )
    return f'<row r="1">{cells}</row>'.encode()


def _placed(body: bytes) -> zipfile.ZipFile:
    """A workbook whose header cells name their places (bombs.xlsx's header does not)."""
    content = bombs.xlsx([body])
    source = zipfile.ZipFile(io.BytesIO(content))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for name in source.namelist():
            data = source.read(name)
            if name == "xl/worksheets/sheet1.xml":
                start = data.index(b"<row")
                end = data.index(b"</row>") + len(b"</row>")
                data = data[:start] + _placed_header() + data[end:]
            target.writestr(name, data)
    return zipfile.ZipFile(io.BytesIO(out.getvalue()))


@pytest.mark.parametrize(
    ("body", "allowed"),
    [
        (b'<row r="2"><c r="A2" t="inlineStr"><is><t>x</t></is></c></row>', True),
        (b'<row r="2"><c r="BH2"><v>1</v></c></row>', True),  # column 60
        (b'<row r="2"><c r="BI2"><v>1</v></c></row>', False),  # column 61
        (b'<row r="2"><c r="XFD2"><v>1</v></c></row>', False),
        (b'<row r="2"><c r="a2"><v>1</v></c></row>', False),
        (b'<row r="299999"><c r="A299999"><v>1</v></c></row>', True),
        (b'<row r="300000"><c r="A300000"><v>1</v></c></row>', False),
        (b'<row r="1048576"><c r="A1048576"><v>1</v></c></row>', False),
        (b'<row r="2"><c><v>1</v></c></row>', False),  # no place
        (b'<row r="2"><c t="n"><v>1</v></c></row>', False),  # no place
        (b'<row r="2"><x:c r="A2"><x:v>1</x:v></x:c></row>', False),  # prefixed
        (b'<row r="2"><c r="A2"><v>3204051705900001</v></c></row>', False),  # 16 digits
        (b'<row r="2"><c r="A2"><v>320405170590000</v></c></row>', True),  # 15 digits
        (b'<row r="2"><c r="A2" t="e"><v>#N/A</v></c></row>', False),  # an error
    ],
)
def test_the_scan_lets_calamine_read_only_bounded_sheets(body: bytes, allowed: bool) -> None:
    archive = _placed(body)
    assert workbooks.calamine_may_read(archive, max_rows=250_010) is allowed


def test_the_row_bound_rounds_the_line_limit_up() -> None:
    assert workbooks.row_bound(250_010) == 299_999
    assert workbooks.row_bound(40) == 49
    assert workbooks.row_bound(95) == 99
    assert workbooks.row_bound(7) == 7
    assert workbooks.calamine_may_read(
        _placed(b'<row r="49"><c r="A49"><v>1</v></c></row>'), max_rows=40
    )
    assert not workbooks.calamine_may_read(
        _placed(b'<row r="50"><c r="A50"><v>1</v></c></row>'), max_rows=40
    )


def test_more_rows_than_the_limit_go_to_the_streaming_reader(settings) -> None:
    settings.JAMSOS_UPLOAD_MAX_LINES = 20
    body = b"".join(f'<row r="{n}"/>'.encode() for n in range(2, 40))
    assert not workbooks.calamine_may_read(_placed(body), max_rows=30)


def test_a_cell_split_across_read_chunks_is_counted_once(monkeypatch) -> None:
    monkeypatch.setattr(workbooks, "_CHUNK", 7)
    body = b"".join(
        f'<row r="{n}"><c r="A{n}"><v>{n}</v></c><c r="B{n}" t="b"><v>1</v></c></row>'.encode()
        for n in range(2, 30)
    )
    assert workbooks.calamine_may_read(_placed(body), max_rows=250_010)
    assert not workbooks.calamine_may_read(
        _placed(body + b'<row r="31"><c t="n"><v>1</v></c></row>'), max_rows=250_010
    )


SPARSE_ROW = (
    b'<row r="2"><c r="A2" t="inlineStr"><is><t>3204051705900001</t></is></c>'
    b'<c r="B2" t="inlineStr"><is><t>Siti</t></is></c></row><row r="1048576">'
    b'<c r="XFD1048576" t="inlineStr"><is><t>y</t></is></c></row>'
)

_CHILD = """
import os, resource, sys
resource.setrlimit(resource.RLIMIT_AS, (2 * 1024**3, 2 * 1024**3))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "jamsos.config.settings")
import django
django.setup()
from jamsos.uploads.parsing import UPLOAD_COLUMNS, read_table
table = read_table(
    open(sys.argv[1], "rb").read(), file_name="jarang.xlsx", columns=UPLOAD_COLUMNS
)
print([r.line for r in table.rows], table.rows[0].values["nik"])
"""


def test_the_sparse_workbook_is_read_without_crashing_the_process(tmp_path: Path) -> None:
    # given: the 1.9 KB workbook with A2 and XFD1048576 (calamine alone aborts on it)
    path = tmp_path / "jarang.xlsx"
    path.write_bytes(bombs.xlsx([SPARSE_ROW]))
    assert path.stat().st_size < 3_000
    # when: read in a process of its own, its address space capped at 2 GiB
    done = subprocess.run(
        [sys.executable, "-c", _CHILD, str(path)],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    # then: it ends normally, with the one row of the file
    assert done.returncode == 0, done.stderr[-2000:]
    assert done.stdout.strip() == "[2] 3204051705900001"


def test_the_sparse_workbook_never_reaches_calamine(monkeypatch) -> None:
    def refuse(content: bytes) -> None:
        raise AssertionError("calamine must not read this workbook")

    monkeypatch.setattr(parsing, "calamine_sheets", refuse)
    table = read_table(bombs.xlsx([SPARSE_ROW]), file_name="a.xlsx", columns=UPLOAD_COLUMNS)
    assert [r.line for r in table.rows] == [2]
