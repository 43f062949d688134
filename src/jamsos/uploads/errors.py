"""Refusals of the bulk upload: a stable code, the field at fault, a message in id and en.

A refusal concerns the whole file or request (a PDF, an empty file, a missing column, an upload
outside the caller's scope); a single bad row is never a refusal, it is a reason on that row.
"""

from __future__ import annotations

from datetime import date
from typing import Any, ClassVar

from jamsos.core.errors import ApplicationError
from jamsos.core.formatting import current_language
from jamsos.uploads.messages import render


def _plain(value: Any) -> Any:
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, dict):
        return value.get("en")
    return value


class UploadError(ApplicationError):
    """Base of the upload refusals; ``reason`` keys :data:`messages.MESSAGES`."""

    code: ClassVar[str] = "uploads.error"
    reason: ClassVar[str] = ""
    default_field: ClassVar[str] = "file"

    def __init__(self, *, field: str | None = None, **params: Any) -> None:
        self.field = self.default_field if field is None else field
        self.params = params
        message = self.message_in(current_language())
        super().__init__(
            message,
            fields={self.field: [message]} if self.field else None,
            **{key: _plain(value) for key, value in params.items()},
        )

    def message_in(self, language: str) -> str:
        return render(self.reason, language, **self.params)


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
