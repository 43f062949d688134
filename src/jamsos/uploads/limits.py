"""The limits every uploaded file is read within, checked before the work they bound.

A file small on the wire can be huge once read: a 200 KB workbook of thirty million empty rows,
one of four million shared strings, 32 MB of empty lines. Each limit below bounds what is
decompressed or read, not only what was sent, and a file past one is refused as a whole, at once,
with a message naming the file and the limit (:mod:`jamsos.uploads.errors`). Every reader of an
uploaded table (workers, partners' enrolment lists and door-to-door data, bank statements) reads
through :func:`jamsos.uploads.parsing.read_table` or, for a format of its own, through
:func:`read_capped`, :func:`text_lines` and :func:`open_workbook_archive` here.

Settings (each has a default; ``docs/registry/bulk-upload.md`` "Limits" lists them):

=====================================  =============  ==============================================
setting                                default        bounds
=====================================  =============  ==============================================
``JAMSOS_UPLOAD_MAX_BYTES``            32 MiB         the file as sent
``JAMSOS_UPLOAD_MAX_ROWS``             200,000        data rows (non-empty)
``JAMSOS_UPLOAD_MAX_LINES``            rows + 25 %    rows or lines read, empty ones included
``JAMSOS_UPLOAD_MAX_UNPACKED_BYTES``   256 MiB        a workbook's parts, decompressed, together
``JAMSOS_UPLOAD_MAX_RATIO``            100            decompressed / compressed size of a part
``JAMSOS_UPLOAD_MAX_MEMBERS``          1,000          parts in a workbook's archive
``JAMSOS_UPLOAD_MAX_SHARED_STRINGS``   1,000,000      a workbook's shared strings
``JAMSOS_UPLOAD_MAX_STRINGS_BYTES``    64 MiB         its ``xl/sharedStrings.xml``, decompressed
``JAMSOS_UPLOAD_MAX_CELL_CHARS``       4,000          one cell's text
``JAMSOS_UPLOAD_MAX_LINE_CHARS``       100,000        one line of a CSV file
=====================================  =============  ==============================================

The ratio is checked only on parts larger than :data:`RATIO_FLOOR` decompressed (a small part
may compress a lot without harm). An archive inside the archive (``.zip``, ``.xlsx`` and their
kin) is refused whatever its size. The decompressed sizes are the ones the archive declares:
Python's :mod:`zipfile` never returns more than a member declares, so they bound the reading.
"""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from django.conf import settings

from jamsos.uploads.errors import (
    CellTooLong,
    FileTooLarge,
    LineTooLong,
    SuspiciousArchive,
    TooManyLines,
    TooManySharedStrings,
    UnpackedTooLarge,
    UnreadableWorkbook,
)

MIB = 1024 * 1024
#: Parts smaller than this (decompressed) are not held to the ratio.
RATIO_FLOOR = 1 * MIB
#: Names of parts that are archives themselves (refused: nothing we read nests them).
NESTED_ARCHIVES = (".zip", ".xlsx", ".xlsm", ".xltx", ".docx", ".pptx", ".ods", ".jar", ".gz")
SHARED_STRINGS = "xl/sharedStrings.xml"
_SI = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?si[\s/>]")


def _setting(name: str, default: int) -> int:
    return int(getattr(settings, name, default))


@dataclass(frozen=True)
class Limits:
    """The limits in force (read from the settings by :func:`limits`)."""

    max_bytes: int
    max_rows: int
    max_lines: int
    max_unpacked_bytes: int
    max_ratio: int
    max_members: int
    max_shared_strings: int
    max_strings_bytes: int
    max_cell_chars: int
    max_line_chars: int


def limits() -> Limits:
    """The limits in force now (settings are read on each call, so tests may override them)."""
    max_rows = _setting("JAMSOS_UPLOAD_MAX_ROWS", 200_000)
    return Limits(
        max_bytes=_setting("JAMSOS_UPLOAD_MAX_BYTES", 32 * MIB),
        max_rows=max_rows,
        max_lines=_setting("JAMSOS_UPLOAD_MAX_LINES", max_rows + max(max_rows // 4, 1_000)),
        max_unpacked_bytes=_setting("JAMSOS_UPLOAD_MAX_UNPACKED_BYTES", 256 * MIB),
        max_ratio=_setting("JAMSOS_UPLOAD_MAX_RATIO", 100),
        max_members=_setting("JAMSOS_UPLOAD_MAX_MEMBERS", 1_000),
        max_shared_strings=_setting("JAMSOS_UPLOAD_MAX_SHARED_STRINGS", 1_000_000),
        max_strings_bytes=_setting("JAMSOS_UPLOAD_MAX_STRINGS_BYTES", 64 * MIB),
        max_cell_chars=_setting("JAMSOS_UPLOAD_MAX_CELL_CHARS", 4_000),
        max_line_chars=_setting("JAMSOS_UPLOAD_MAX_LINE_CHARS", 100_000),
    )


def number(value: int) -> str:
    """``200000`` → ``200.000`` (as the messages write counts)."""
    return f"{value:,}".replace(",", ".")


def megabytes(value: int) -> int:
    return value // MIB or 1


# --- bytes as sent ------------------------------------------------------------------------------


def read_capped(stream: Any, *, file_name: str, limit: int | None = None) -> bytes:
    """Read an uploaded file (Django's ``UploadedFile`` or any binary stream), refusing it as
    soon as it passes the byte cap: never more than the cap and one chunk is held."""
    limit = limits().max_bytes if limit is None else limit
    chunks: list[bytes] = []
    size = 0
    reader = (
        stream.chunks() if hasattr(stream, "chunks") else iter(lambda: stream.read(1 << 20), b"")
    )
    for chunk in reader:
        size += len(chunk)
        if size > limit:
            raise FileTooLarge(file_name=file_name, limit_mb=megabytes(limit))
        chunks.append(chunk)
    return b"".join(chunks)


def check_size(content: bytes, *, file_name: str) -> None:
    """Refuse ``content`` past the byte cap."""
    cap = limits().max_bytes
    if len(content) > cap:
        raise FileTooLarge(file_name=file_name, limit_mb=megabytes(cap))


# --- archives (XLSX, ODS) -----------------------------------------------------------------------


def open_workbook_archive(content: bytes, *, file_name: str) -> zipfile.ZipFile:
    """The archive of a workbook, its table of contents checked before a byte of any part is
    decompressed: not too many parts, none an archive itself, none compressed past the ratio,
    all of them together not past the decompressed cap, the shared strings not past theirs
    (size, then count)."""
    bounds = limits()
    try:
        archive = zipfile.ZipFile(io.BytesIO(content))
        members = archive.infolist()
    except (zipfile.BadZipFile, ValueError, OSError, EOFError) as exc:
        raise UnreadableWorkbook(file_name=file_name, problem=str(exc)[:200]) from None
    if len(members) > bounds.max_members:
        raise SuspiciousArchive(
            file_name=file_name,
            problem={
                "id": f"lebih dari {number(bounds.max_members)} bagian",
                "en": f"more than {number(bounds.max_members)} parts",
            },
        )
    total = 0
    for member in members:
        name = member.filename
        if name.lower().endswith(NESTED_ARCHIVES):
            raise SuspiciousArchive(
                file_name=file_name,
                problem={
                    "id": f"berisi arsip lain ({name})",
                    "en": f"holds another archive ({name})",
                },
            )
        size = member.file_size
        total += size
        if total > bounds.max_unpacked_bytes:
            raise UnpackedTooLarge(
                file_name=file_name, limit_mb=megabytes(bounds.max_unpacked_bytes)
            )
        if size > RATIO_FLOOR and size > bounds.max_ratio * max(member.compress_size, 1):
            raise SuspiciousArchive(
                file_name=file_name,
                problem={
                    "id": f"bagian {name} dimampatkan lebih dari {bounds.max_ratio}×",
                    "en": f"part {name} is compressed more than {bounds.max_ratio}×",
                },
            )
    _check_shared_strings(archive, file_name=file_name, bounds=bounds)
    return archive


def _check_shared_strings(archive: zipfile.ZipFile, *, file_name: str, bounds: Limits) -> None:
    try:
        member = archive.getinfo(SHARED_STRINGS)
    except KeyError:
        return
    if member.file_size > bounds.max_strings_bytes:
        raise TooManySharedStrings(
            file_name=file_name,
            limit=number(bounds.max_shared_strings),
            limit_mb=megabytes(bounds.max_strings_bytes),
        )
    count, tail = 0, b""
    try:
        with archive.open(member) as stream:
            while chunk := stream.read(1 << 20):
                window = tail + chunk
                count += sum(1 for m in _SI.finditer(window) if m.end() > len(tail))
                if count > bounds.max_shared_strings:
                    raise TooManySharedStrings(
                        file_name=file_name,
                        limit=number(bounds.max_shared_strings),
                        limit_mb=megabytes(bounds.max_strings_bytes),
                    )
                tail = window[-32:]
    except (zipfile.BadZipFile, ValueError, OSError, EOFError, NotImplementedError) as exc:
        raise UnreadableWorkbook(file_name=file_name, problem=str(exc)[:200]) from None


# --- text (CSV) ---------------------------------------------------------------------------------


def check_line_count(text: str, *, file_name: str) -> None:
    """Refuse ``text`` with more lines (empty ones included) than the limit, before splitting
    it: counting line breaks costs milliseconds on the largest file."""
    cap = limits().max_lines
    breaks = max(text.count("\n"), text.count("\r"))
    if breaks > cap:
        raise TooManyLines(file_name=file_name, limit=number(cap))


def text_lines(text: str, *, file_name: str) -> Iterator[str]:
    """The lines of ``text`` with their line breaks (what :func:`csv.reader` reads), refusing
    the file at the first line past the length limit or past the count limit, empty lines
    counted."""
    bounds = limits()
    check_line_count(text, file_name=file_name)
    cap, width = bounds.max_lines, bounds.max_line_chars
    for count, line in enumerate(io.StringIO(text, newline=""), start=1):
        if count > cap:
            raise TooManyLines(file_name=file_name, limit=number(cap))
        if len(line) > width:
            raise LineTooLong(file_name=file_name, line=count, limit=number(width))
        yield line


def check_cells(cells: list[str], *, line: int, file_name: str, cap: int) -> None:
    """Refuse the file when one of ``cells`` (a row's texts) is longer than ``cap``."""
    for position, text in enumerate(cells, start=1):
        if len(text) > cap:
            raise CellTooLong(file_name=file_name, line=line, column=position, limit=number(cap))
