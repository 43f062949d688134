"""Property tests of the reader: whatever the bytes, encoding, delimiter or cell contents
(formulas, digits of other scripts, huge cells), :func:`read_table` answers a table or refuses
the file with an :class:`~jamsos.core.errors.ApplicationError`, never anything else; and every
non-empty row of a readable file comes back with its line number and its cells unchanged.

Bounded: few examples, a deadline, small files (the limits are set low to reach them).
"""

from __future__ import annotations

import contextlib
import csv
import io

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import Workbook
from openpyxl.utils.exceptions import IllegalCharacterError

from jamsos.core.errors import ApplicationError
from jamsos.membership.models import Membership, Person
from jamsos.uploads.models import RowStatus, WorkerUploadRow
from jamsos.uploads.parsing import UPLOAD_COLUMNS, cell_text, read_table
from jamsos.uploads.services import upload_validate
from jamsos.uploads.tests.conftest import HEADER, TODAY, csv_bytes, worker

BOUNDED = settings(
    max_examples=40,
    deadline=2_000,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)

#: Cell texts people and programs put in files: formulas, digits of other scripts (Arabic-Indic,
#: Devanagari, full-width), control characters, quotes and delimiters, long runs.
CELL = st.one_of(
    st.text(max_size=30),
    st.sampled_from(
        [
            "=1+1",
            '=HYPERLINK("http://x")',
            "+62812",
            "-1",
            "@SUM(A1)",
            "٣٢٠٤٠٥١٧٠٥٩٠٠٠٠١",
            "३२०४",
            "３２０４０５",
            "0032",
            "'3204051705900001",
            "a;b,c\t|d",
            '"quoted"',
            "line\nbreak",
            "\x00\x01",
        ]
    ),
    st.text(alphabet="x", min_size=90, max_size=120),
)
ROW = st.lists(CELL, min_size=0, max_size=len(HEADER) + 2)


def _csv(rows: list[list[str]], delimiter: str) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=delimiter, lineterminator="\r\n")
    writer.writerow(HEADER)
    writer.writerows(rows)
    return buffer.getvalue()


def _limits(django_settings) -> None:  # type: ignore[no-untyped-def]
    django_settings.JAMSOS_UPLOAD_MAX_CELL_CHARS = 100
    django_settings.JAMSOS_UPLOAD_MAX_LINES = 30
    django_settings.JAMSOS_UPLOAD_MAX_LINE_CHARS = 2_000


@BOUNDED
@given(content=st.binary(max_size=2_000))
def test_any_bytes_are_read_or_refused(settings, content: bytes) -> None:
    _limits(settings)
    with contextlib.suppress(ApplicationError):
        read_table(content, file_name="acak.csv", columns=UPLOAD_COLUMNS)


@BOUNDED
@given(
    rows=st.lists(ROW, max_size=25),
    delimiter=st.sampled_from([";", ",", "\t", "|"]),
    encoding=st.sampled_from(["utf-8", "utf-8-sig", "utf-16", "cp1252"]),
    blank_lines=st.integers(min_value=0, max_value=10),
)
def test_csv_rows_come_back_or_the_file_is_refused(
    settings, rows: list[list[str]], delimiter: str, encoding: str, blank_lines: int
) -> None:
    _limits(settings)
    text = _csv(rows, delimiter) + "\r\n" * blank_lines
    try:
        content = text.encode(encoding)
    except UnicodeEncodeError:
        content = text.encode("utf-8")
    try:
        table = read_table(content, file_name="a.csv", columns=UPLOAD_COLUMNS)
    except ApplicationError:
        return
    width = len(table.keys)
    for row in table.rows:
        assert any(row.raw)
        assert len(row.raw) == width
    if "\n" not in "".join(c for r in rows for c in r) and "\r" not in "".join(
        c for r in rows for c in r
    ):
        expected = [
            (n, [cell_text(c) for c in (r + [""] * width)[:width]])
            for n, r in enumerate(rows, start=2)
            if any(cell_text(c) for c in r[:width])
        ]
        assert [(r.line, r.raw) for r in table.rows] == expected


@BOUNDED
@given(
    rows=st.lists(st.lists(st.one_of(CELL, st.integers(), st.floats()), max_size=10), max_size=15)
)
def test_workbook_rows_come_back_or_the_file_is_refused(settings, rows: list[list[object]]) -> None:
    _limits(settings)
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(HEADER)
    try:
        for row in rows:
            sheet.append(row)
    except (
        ValueError,
        IllegalCharacterError,
    ):  # openpyxl refuses control characters: not a file anyone can send
        return
    buffer = io.BytesIO()
    workbook.save(buffer)
    try:
        table = read_table(buffer.getvalue(), file_name="a.xlsx", columns=UPLOAD_COLUMNS)
    except ApplicationError:
        return
    assert all(any(r.raw) for r in table.rows)
    assert [r.line for r in table.rows] == sorted({r.line for r in table.rows})


# --- the service: every row judged, nothing written before acceptance --------------------------

#: What a worker row's cells may hold when they are wrong.
BAD_CELL = st.sampled_from(["=1+1", "٣٢٠٤", "３２", "", "x" * 90, "@A1", "-1", "0" * 20])


@pytest.mark.django_db
@BOUNDED
@given(
    bad=st.lists(
        st.tuples(
            st.integers(min_value=0, max_value=4),
            st.sampled_from(["nik", "tanggal_lahir", "kode_desa", "upah", "tanggal_mulai"]),
            BAD_CELL,
        ),
        max_size=4,
    )
)
def test_every_bad_worker_row_is_reported_and_nothing_is_written(
    world, regions, bad: list[tuple[int, str, str]]
) -> None:
    # given: five good rows, some cells made bad
    rows = [worker(n) for n in range(1, 6)]
    broken: set[int] = set()
    for index, column, value in bad:
        rows[index][column] = value
        broken.add(index + 2)  # the header is row 1
    people, memberships = Person.objects.count(), Membership.objects.count()
    # when
    upload = upload_validate(
        scope=world.scopes["employer_a"],
        employer_npp=world.employer_a.npp,
        file_name="pekerja.csv",
        content=csv_bytes(rows),
        today=TODAY,
    )
    # then: every row has a verdict, each broken one refused with a reason, nothing written
    verdicts = {r.line: r for r in WorkerUploadRow.objects.filter(upload=upload)}
    assert set(verdicts) == set(range(2, 7))
    for line in broken:
        assert verdicts[line].status == RowStatus.REJECTED
        assert verdicts[line].reasons
    assert (Person.objects.count(), Membership.objects.count()) == (people, memberships)
