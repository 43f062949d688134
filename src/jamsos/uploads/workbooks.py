"""Reading a workbook's sheets with calamine (``python-calamine``, a maintained reader written
in Rust), after a scan of the sheets' XML that makes sure calamine cannot be made to allocate
more than the rows and columns an upload may have.

Why the scan: calamine builds a sheet as one rectangle from its first to its last cell, so a
1.9 KB workbook holding only ``A2`` and ``XFD1048576`` makes it allocate 512 GiB and abort the
process (an abort, not an exception: nothing can catch it). The limits of
:mod:`jamsos.uploads.limits` bound the bytes, not where the cells sit.

:func:`calamine_may_read` reads each part of the archive once (its size is already bounded by
:func:`~jamsos.uploads.limits.open_workbook_archive`) and lets calamine read the workbook only
when every cell names its place (``r="B7"``, no cell placed by counting), every place is
within the first :data:`MAX_COLUMNS` columns and the first rows the line limit allows, and no
element name has a namespace prefix (``x:c``) and no cell holds an error (``#N/A``, which
calamine reads as empty). Any other workbook, well-formed or not, is read
by the streaming reader of :mod:`jamsos.uploads.parsing`, which keeps only the first
:data:`MAX_COLUMNS` columns and stops at the first limit passed, as before. Numbers of 16
digits or more go to the streaming reader too: calamine reads every number as a 64-bit float,
which cannot hold such a number exactly (a NIK typed as a number), and the streaming reader
reads the digits as written.
"""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Iterator
from datetime import date, datetime
from typing import Any

#: Columns read from a sheet (the streaming reader ignores the cells past it).
MAX_COLUMNS = 60
_CHUNK = 1 << 20
_TAIL = 64
#: Cell places past column BH (60), or with lowercase letters: never read by calamine.
_WIDE = rb'<c r="(?:[A-Z]{3}|[C-Z][A-Z]|B[I-Z]|[A-Z]*[a-z])'
_LONG_NUMBER = rb"<v>-?\d{16}"
SHARED_STRINGS = "xl/sharedStrings.xml"
#: A cell without a place (``<c>``), a prefixed name (``x:c``), an error cell (``#N/A``: calamine
#: gives no text for it, the streaming reader its text).
_ODD = (b"<c>", b"<c/>", b":c ", b":c>", b't="e"')


def _rows_pattern(limit: int) -> bytes:
    """A pattern matching a cell place whose row number is past a round bound at or above
    ``limit``: ``250010`` -> rows of 7 digits or more, or of 6 digits starting with 3 to 9
    (so rows up to 299,999 pass)."""
    digits = str(max(limit, 1))
    width, lead = len(digits), int(digits[0])
    longer = rf"\d{{{width + 1},}}"
    if lead < 9:
        later = rf"[{lead + 1}-9]\d{{{width - 1}}}" if width > 1 else rf"[{lead + 1}-9]"
        return rf'<c r="[A-Z]+(?:{longer}|{later})"'.encode()
    return rf'<c r="[A-Z]+{longer}"'.encode()


def row_bound(limit: int) -> int:
    """The largest row number :func:`calamine_may_read` lets through for ``limit``."""
    digits = str(max(limit, 1))
    width, lead = len(digits), int(digits[0])
    if lead < 9:
        return (lead + 1) * 10 ** (width - 1) - 1
    return 10**width - 1


def calamine_may_read(archive: zipfile.ZipFile, *, max_rows: int) -> bool:
    """Whether every part of ``archive`` (its shared strings aside) keeps calamine within
    ``max_rows`` rows (rounded up, :func:`row_bound`) and :data:`MAX_COLUMNS` columns; see the
    module's description."""
    far = re.compile(_WIDE + b"|" + _rows_pattern(max_rows) + b"|" + _LONG_NUMBER)
    for member in archive.infolist():
        if member.filename == SHARED_STRINGS or member.is_dir():
            continue
        try:
            if not _part_fits(archive, member, far, max_rows=max_rows):
                return False
        except (zipfile.BadZipFile, ValueError, OSError, EOFError, NotImplementedError):
            return False  # the streaming reader says what is wrong
    return True


def _part_fits(
    archive: zipfile.ZipFile, member: zipfile.ZipInfo, far: re.Pattern[bytes], *, max_rows: int
) -> bool:
    cells = placed = rows = 0
    tail = b""
    with archive.open(member) as stream:
        while chunk := stream.read(_CHUNK):
            window = tail + chunk
            if far.search(window):
                return False
            if any(token in window for token in _ODD):
                return False
            # Tokens ending in this chunk: those of the window less those wholly in the tail.
            cells += window.count(b"<c ") - tail.count(b"<c ")
            placed += window.count(b'<c r="') - tail.count(b'<c r="')
            rows += window.count(b"<row") - tail.count(b"<row")
            if rows > max_rows or cells - placed > 1:  # one may be cut by the chunk's end
                return False
            tail = window[-_TAIL:]
    return cells == placed


def _cell(value: Any) -> Any:
    """A calamine cell as the streaming reader gives it: empty -> None, a whole number -> int,
    a date -> a datetime at midnight (what ``openpyxl.utils.datetime.from_excel`` returns)."""
    kind = value.__class__
    if kind is str:
        return value or None
    if kind is float:
        return int(value) if value.is_integer() else value
    if kind is date:
        return datetime(value.year, value.month, value.day)  # noqa: DTZ001 - a naive cell value
    return value


def calamine_sheets(content: bytes) -> Iterator[Iterator[tuple[int, list[object]]]] | None:
    """The worksheets of ``content`` in the workbook's order, each as (row number, cells); None
    when calamine cannot open the workbook (the streaming reader then says why)."""
    from python_calamine import CalamineError, CalamineWorkbook, SheetTypeEnum

    try:
        workbook = CalamineWorkbook.from_filelike(io.BytesIO(content))
        indexes = [
            index
            for index, sheet in enumerate(workbook.sheets_metadata)
            if sheet.typ == SheetTypeEnum.WorkSheet
        ]
    except (CalamineError, ValueError, OSError):
        return None

    def rows(index: int) -> Iterator[tuple[int, list[object]]]:
        grid = workbook.get_sheet_by_index(index).to_python(skip_empty_area=False)
        cell = _cell
        for line, values in enumerate(grid, start=1):
            yield line, [cell(v) for v in values]

    return (rows(index) for index in indexes)
