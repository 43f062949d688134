"""Business-rule refusals the caller can act on. Never used for bugs."""

from __future__ import annotations

from typing import Any, ClassVar


class ApplicationError(Exception):
    """A refusal with a stable ``code``, a translated ``message`` and the offending ``fields``."""

    code: ClassVar[str] = "application_error"
    http_status: ClassVar[int] = 400

    def __init__(self, message: str, *, fields: dict[str, list[str]] | None = None, **extra: Any):
        super().__init__(message)
        self.message = message
        self.fields = fields or {}
        self.extra = extra
