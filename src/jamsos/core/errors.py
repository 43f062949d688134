"""Business-rule refusals the caller can act on. Never used for bugs."""

from __future__ import annotations

from datetime import date
from typing import Any, ClassVar

from jamsos.core.formatting import current_language


class ApplicationError(Exception):
    """A refusal with a stable ``code``, a translated ``message`` and the offending ``fields``."""

    code: ClassVar[str] = "application_error"
    http_status: ClassVar[int] = 400

    def __init__(self, message: str, *, fields: dict[str, list[str]] | None = None, **extra: Any):
        super().__init__(message)
        self.message = message
        self.fields = fields or {}
        self.extra = extra


def _plain(value: Any) -> Any:
    """A value as it reads in a message: dates in ISO form, the rest unchanged."""
    return value.isoformat() if isinstance(value, date) else value


class BilingualError(ApplicationError):
    """A refusal whose message each subclass states in both languages, next to its code.

    ``text`` holds ``{"id": ..., "en": ...}`` templates with ``str.format`` fields; ``{label}``
    is the field's label in the same language, from ``labels`` (``{field: {"id", "en"}}``,
    shared by the subclasses of one area). The message is rendered in the active language,
    and :meth:`message_in` renders it in the other for reports that need both::

        class BadNik(PartnersError):
            code = "partners.bad_nik"
            default_field = "nik"
            text = {"id": "{label} {value} tidak sah.", "en": "{label} {value} is invalid."}
    """

    text: ClassVar[dict[str, str]] = {"id": "Permintaan ditolak.", "en": "Request refused."}
    labels: ClassVar[dict[str, dict[str, str]]] = {}
    default_field: ClassVar[str] = ""

    def __init__(self, *, field: str | None = None, **params: Any) -> None:
        self.field = self.default_field if field is None else field
        self.params = {key: _plain(value) for key, value in params.items()}
        message = self.message_in(current_language())
        super().__init__(
            message, fields={self.field: [message]} if self.field else None, **self.params
        )

    def message_in(self, language: str) -> str:
        lang = "en" if language.startswith("en") else "id"
        label = self.labels.get(self.field, {}).get(lang, self.field)
        return self.text[lang].format(label=label, **self.params)
