"""Hostile files for the reader's limits: small on the wire, huge once read.

Shared by the tests (``test_limits.py``) and the benchmark (``bench/upload_bombs.py``), so that
what the documentation measures is what the tests refuse.
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Iterable

HEADER_CELLS = (
    "nik",
    "nama",
    "tanggal_lahir",
    "jenis_kelamin",
    "kode_desa",
    "upah",
    "tanggal_mulai",
)

_CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" '
    'ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/xl/workbook.xml" ContentType="application/'
    'vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
    '<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/'
    'vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
    '<Override PartName="/xl/sharedStrings.xml" ContentType="application/'
    'vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/>'
    "</Types>"
)
_RELS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
    'relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>'
)
_WORKBOOK = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
    'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
    '<sheets><sheet name="Sheet1" sheetId="1" r:id="rId1"/></sheets></workbook>'
)
_WORKBOOK_RELS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
    'relationships/worksheet" Target="worksheets/sheet1.xml"/>'
    '<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
    'relationships/sharedStrings" Target="sharedStrings.xml"/></Relationships>'
)
_SHEET_OPEN = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
)
_SHEET_CLOSE = "</sheetData></worksheet>"
_CHUNK = 1 << 20


def _header_row() -> str:
    cells = "".join(f'<c t="inlineStr"><is><t>{name}</t></is></c>' for name in HEADER_CELLS)
    return f'<row r="1">{cells}</row>'


def _repeat(unit: bytes, count: int) -> Iterable[bytes]:
    per = max(1, _CHUNK // len(unit))
    while count > 0:
        step = min(per, count)
        yield unit * step
        count -= step


def xlsx(
    sheet_body: Iterable[bytes],
    *,
    shared_strings: Iterable[bytes] = (),
    extra: dict[str, bytes] | None = None,
) -> bytes:
    """A minimal workbook: one sheet with our header row then ``sheet_body`` (streamed into
    the archive, so a body of hundreds of megabytes costs no memory), shared strings inside
    ``<sst>``, and ``extra`` members as they are."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        archive.writestr("[Content_Types].xml", _CONTENT_TYPES)
        archive.writestr("_rels/.rels", _RELS)
        archive.writestr("xl/workbook.xml", _WORKBOOK)
        archive.writestr("xl/_rels/workbook.xml.rels", _WORKBOOK_RELS)
        with archive.open("xl/sharedStrings.xml", "w", force_zip64=True) as member:
            member.write(
                b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
                b'<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
            )
            for chunk in shared_strings:
                member.write(chunk)
            member.write(b"</sst>")
        with archive.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as member:
            member.write((_SHEET_OPEN + _header_row()).encode())
            for chunk in sheet_body:
                member.write(chunk)
            member.write(_SHEET_CLOSE.encode())
        for name, data in (extra or {}).items():
            archive.writestr(name, data)
    return buffer.getvalue()


def empty_rows_xlsx(rows: int = 30_000_000) -> bytes:
    """A header, then ``rows`` empty ``<row/>`` elements: about 180 KB for 30 million rows."""
    return xlsx(_repeat(b"<row/>", rows))


def shared_strings_xlsx(strings: int = 4_000_000) -> bytes:
    """A header, one data row, and ``strings`` shared strings nobody uses: about 70 KB for
    4 million."""
    return xlsx(
        [b'<row r="2"><c t="s"><v>0</v></c></row>'],
        shared_strings=_repeat(b"<si><t>a</t></si>", strings),
    )


def empty_lines_csv(size: int = 32 * 1024 * 1024) -> bytes:
    """A header, then line breaks up to ``size`` bytes (the whole byte cap by default)."""
    head = (";".join(HEADER_CELLS) + "\n").encode()
    return head + b"\n" * (size - len(head))


def wide_line_csv(size: int = 32 * 1024 * 1024) -> bytes:
    """A header, then one line of nothing but delimiters up to ``size`` bytes."""
    head = (";".join(HEADER_CELLS) + "\n").encode()
    return head + b";" * (size - len(head))


def huge_cell_xlsx(chars: int = 5_000_000) -> bytes:
    """A header, then one row whose name cell holds ``chars`` characters."""
    row = f'<row r="2"><c r="B2" t="inlineStr"><is><t>{"x" * chars}</t></is></c></row>'
    return xlsx([row.encode()])


def nested_zip_xlsx() -> bytes:
    """A workbook carrying another archive inside it."""
    inner = io.BytesIO()
    with zipfile.ZipFile(inner, "w") as archive:
        archive.writestr("a.txt", "a")
    return xlsx([], extra={"xl/embeddings/inner.zip": inner.getvalue()})


def many_members_xlsx(members: int = 5_000) -> bytes:
    """A workbook of ``members`` tiny parts."""
    return xlsx([], extra={f"xl/media/p{i}.xml": b"<a/>" for i in range(members)})
