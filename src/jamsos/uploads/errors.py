"""Refusals of the bulk upload: a stable code, the field at fault, a message in id and en.

A refusal concerns the whole file or request (a PDF, an empty file, a missing column, an upload
outside the caller's scope); a single bad row is never a refusal, it is a reason on that row.
"""

from __future__ import annotations

from typing import ClassVar

from jamsos.core.errors import ApplicationError
from jamsos.uploads.messages import FIELD_LABELS, MESSAGES


class UploadError(ApplicationError):
    """Base of the upload refusals; ``reason`` keys :data:`messages.MESSAGES`."""

    code: ClassVar[str] = "uploads.error"
    default_field: ClassVar[str] = "file"
    labels = FIELD_LABELS
    messages = MESSAGES


class WrongFileType(UploadError):
    code = "uploads.wrong_file_type"
    reason = "wrong_file_type"


class EmptyFile(UploadError):
    code = "uploads.empty_file"
    reason = "empty_file"


class NoRows(UploadError):
    code = "uploads.no_rows"
    reason = "no_rows"


class FileTooLarge(UploadError):
    code = "uploads.file_too_large"
    reason = "file_too_large"
    http_status = 413


class TooManyRows(UploadError):
    code = "uploads.too_many_rows"
    reason = "too_many_rows"
    http_status = 413


class TooManyLines(UploadError):
    """More rows or lines than the limit, empty ones counted."""

    code = "uploads.too_many_lines"
    reason = "too_many_lines"
    http_status = 413


class LineTooLong(UploadError):
    code = "uploads.line_too_long"
    reason = "line_too_long"
    http_status = 413


class CellTooLong(UploadError):
    code = "uploads.cell_too_long"
    reason = "cell_too_long"
    http_status = 413


class UnpackedTooLarge(UploadError):
    """A workbook whose parts, decompressed, pass the limit together."""

    code = "uploads.unpacked_too_large"
    reason = "unpacked_too_large"
    http_status = 413


class TooManySharedStrings(UploadError):
    code = "uploads.too_many_shared_strings"
    reason = "too_many_shared_strings"
    http_status = 413


class SuspiciousArchive(UploadError):
    """A workbook's archive no spreadsheet program writes: too many parts, an archive inside
    it, a part compressed past the ratio."""

    code = "uploads.suspicious_archive"
    reason = "suspicious_archive"
    http_status = 413


class MissingColumns(UploadError):
    code = "uploads.missing_columns"
    reason = "missing_columns"


class DuplicateColumn(UploadError):
    code = "uploads.duplicate_column"
    reason = "duplicate_column"


class NotUtf8(UploadError):
    code = "uploads.not_utf8"
    reason = "not_utf8"


class UnreadableWorkbook(UploadError):
    code = "uploads.unreadable_xlsx"
    reason = "unreadable_xlsx"


class UploadNotFound(UploadError):
    """No upload with that number within the caller's scope (outside it looks the same)."""

    code = "uploads.upload_not_found"
    reason = "upload_not_found"
    default_field = ""
    http_status = 404


class UploadNotCommittable(UploadError):
    code = "uploads.not_committable"
    reason = "not_committable"
    default_field = ""
    http_status = 409


class NothingValid(UploadError):
    code = "uploads.nothing_valid"
    reason = "nothing_valid"
    default_field = ""
    http_status = 409


class InvalidReportFormat(UploadError):
    code = "uploads.invalid_report_format"
    reason = "invalid_report_format"
    default_field = "format"
