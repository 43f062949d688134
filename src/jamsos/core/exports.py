"""The one writer of CSV and XLSX files given out (reports, exports, result files, templates).

Every table Jamsos hands out goes through here, so that no cell a person typed can run in a
spreadsheet (CSV or formula injection, OWASP "CSV Injection"):

- **CSV**: a text cell that starts with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return
  is written with a single quote in front (``=1+1`` → ``'=1+1``). Nothing else changes, so the
  value is kept whole: :func:`restore_cell` takes the quote off again for a reader of such a
  file. Numbers (``int``, ``float``, ``Decimal``) are written as numbers, unquoted: an amount
  of ``-5000`` in a numeric column stays ``-5000``; the *text* ``-5000+cmd`` is quoted.
- **XLSX**: every text cell is written as a string cell, never as a formula (openpyxl would
  otherwise take a text starting with ``=`` for one); the value is kept exactly as it is, with
  no quote, since a string cell is never evaluated. Numbers, dates and booleans keep their
  types.

Phone numbers are text: ``+6281234567890`` is written as ``'+6281234567890`` in a CSV (and as
the plain string ``+6281234567890`` in an XLSX). It is not rewritten as ``0812…``: an export
gives the value as stored or as sent, and the quote is the only change, one
:func:`restore_cell` undoes.

The formats are the callers' own: delimiter, byte order mark (Excel opens a UTF-8 CSV as such
only with it), the line ending (``\\r\\n``, as :mod:`csv` writes it), sheet names and styles.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time
from decimal import Decimal
from typing import IO, Any

#: What makes a spreadsheet read a text cell as a formula (OWASP's list).
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")

CSV_TYPE = "text/csv; charset=utf-8"
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

_NUMBERS = (int, float, Decimal)

#: The banner header: bold white on Jamsos green.
BANNER_FILL = "0F6B4F"


def safe_text(text: str) -> str:
    """``text`` with a single quote in front when a spreadsheet would run it as a formula."""
    return "'" + text if text.startswith(FORMULA_TRIGGERS) else text


def safe_cell(value: object) -> object:
    """A value as a CSV cell: empty for None, numbers (and booleans) as they are, dates and
    times in ISO form, anything else as text made safe by :func:`safe_text`."""
    if isinstance(value, Cell):
        value = value.value
    if value is None:
        return ""
    if isinstance(value, (bool, *_NUMBERS)):
        return value
    if isinstance(value, (date, time)):  # a datetime is a date
        return value.isoformat()
    return safe_text(str(value))


def restore_cell(text: str) -> str:
    """The inverse of :func:`safe_text`, for a file read back: a single quote in front of a
    formula trigger is taken off (``'+62812…`` → ``+62812…``); any other text is unchanged."""
    if text.startswith("'") and text[1:2] and text[1:].startswith(FORMULA_TRIGGERS):
        return text[1:]
    return text


# --- CSV -----------------------------------------------------------------------------------------


class _Echo:
    """A file whose ``write`` gives back what it is given (one CSV line at a time)."""

    def write(self, text: str) -> str:
        return text


def csv_lines(
    rows: Iterable[Sequence[object]],
    header: Sequence[object] | None = None,
    *,
    delimiter: str = ",",
) -> Iterator[str]:
    """The lines (each ending in ``\\r\\n``) of a CSV of ``header`` then ``rows``, every cell
    made safe; for a streamed response."""
    writer = csv.writer(_Echo(), delimiter=delimiter, lineterminator="\r\n")
    if header is not None:
        yield writer.writerow([safe_cell(v) for v in header])
    for row in rows:
        yield writer.writerow([safe_cell(v) for v in row])


def write_csv(
    rows: Iterable[Sequence[object]],
    header: Sequence[object] | None = None,
    *,
    delimiter: str = ",",
    bom: bool = False,
) -> bytes:
    """A CSV file (UTF-8, with a byte order mark when ``bom``) of ``header`` then ``rows``."""
    text = "".join(csv_lines(rows, header, delimiter=delimiter))
    return (("\ufeff" if bom else "") + text).encode("utf-8")


def write_csv_to(
    handle: IO[str],
    rows: Iterable[Sequence[object]],
    header: Sequence[object] | None = None,
    *,
    delimiter: str = ",",
) -> int:
    """Write a CSV of ``header`` then ``rows`` to an open text file (or standard output), a
    line at a time; the number of rows written (the header not counted)."""
    count = -1 if header is not None else 0
    for line in csv_lines(rows, header, delimiter=delimiter):
        handle.write(line)
        count += 1
    return max(count, 0)


class Counted:
    """Rows passed through, counted: ``rows = Counted(lines()); write_csv(rows); rows.count``."""

    def __init__(self, rows: Iterable[Sequence[object]]) -> None:
        self._rows = iter(rows)
        self.count = 0

    def __iter__(self) -> Iterator[Sequence[object]]:
        return self

    def __next__(self) -> Sequence[object]:
        row = next(self._rows)
        self.count += 1
        return row


# --- XLSX ----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Cell:
    """A value with its look in an XLSX (in a CSV only the value counts): a number format
    (``"0.0%"``, ``"@"`` for text), a background colour (hex ``RRGGBB``), bold, wrapped."""

    value: object = None
    number_format: str | None = None
    fill: str | None = None
    bold: bool = False
    wrap: bool = False


@dataclass(frozen=True)
class Sheet:
    """One worksheet: its title, a header row, the rows (values or :class:`Cell`), and how it
    looks: ``header_style`` ``"bold"``, ``"banner"`` (bold white on green) or ``None``; the
    header row frozen; column widths from the first column on."""

    title: str
    header: Sequence[object]
    rows: Iterable[Sequence[object]]
    header_style: str | None = "bold"
    freeze_header: bool = False
    widths: Sequence[float] = field(default_factory=tuple)


def write_xlsx(*sheets: Sheet) -> bytes:
    """An XLSX workbook of ``sheets`` in order, written a row at a time (openpyxl write-only);
    text is always a string cell, never a formula."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter

    fonts = {"bold": Font(bold=True), "banner": Font(bold=True, color="FFFFFF")}
    fills: dict[str, PatternFill] = {}
    wrap = Alignment(wrap_text=True, vertical="top")

    def fill_of(colour: str) -> PatternFill:
        if colour not in fills:
            fills[colour] = PatternFill("solid", fgColor=colour)
        return fills[colour]

    workbook = Workbook(write_only=True)
    for spec in sheets:
        sheet = workbook.create_sheet(spec.title)
        if spec.freeze_header:
            sheet.freeze_panes = "A2"
        for index, width in enumerate(spec.widths, start=1):
            sheet.column_dimensions[get_column_letter(index)].width = width

        def cell_of(item: object, sheet: Any = sheet) -> Any:
            style = item if isinstance(item, Cell) else None
            value = style.value if style is not None else item
            if isinstance(value, Decimal):
                value = float(value)
            elif value is not None and not isinstance(
                value, (bool, int, float, date, datetime, time)
            ):
                value = str(value)
            cell = WriteOnlyCell(sheet, value=value)
            if isinstance(value, str):
                cell.data_type = "s"  # text, never a formula
            if style is not None:
                if style.number_format:
                    cell.number_format = style.number_format
                if style.fill:
                    cell.fill = fill_of(style.fill)
                if style.bold:
                    cell.font = fonts["bold"]
                if style.wrap:
                    cell.alignment = wrap
            return cell

        head = []
        for title in spec.header:
            cell = cell_of(title)
            if spec.header_style:
                cell.font = fonts[spec.header_style]
                if spec.header_style == "banner":
                    cell.fill = fill_of(BANNER_FILL)
            head.append(cell)
        sheet.append(head)
        for row in spec.rows:
            sheet.append([cell_of(item) for item in row])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
