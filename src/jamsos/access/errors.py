"""The refusal every app raises when the caller's role may not do something at all (403).

It lives in access, below the apps, so that :mod:`jamsos.access.policy` can raise it for every
app; ``jamsos.membership.errors.NotPermitted`` is the same class.
"""

from __future__ import annotations

from typing import Any, ClassVar

from jamsos.core.errors import ApplicationError
from jamsos.core.formatting import current_language

TEXT = {
    "id": "Peran Anda ({role}) tidak boleh {action}.",
    "en": "Your role ({role}) may not {action}.",
}


def _in(value: Any, language: str) -> Any:
    """A parameter given in both languages (``{"id": ..., "en": ...}``) in the one asked."""
    return value[language] if isinstance(value, dict) and language in value else value


class NotPermitted(ApplicationError):
    """The caller's role may not do this at all (a record outside the scope is "not found").

    ``role`` and ``action`` are ``{"id": ..., "en": ...}`` pairs; the message is rendered in
    the active language and :meth:`message_in` renders it in another.
    """

    code: ClassVar[str] = "access.not_permitted"
    reason: ClassVar[str] = "not_permitted"
    default_field: ClassVar[str] = ""
    http_status: ClassVar[int] = 403

    def __init__(self, *, field: str | None = None, **params: Any) -> None:
        self.field = self.default_field if field is None else field
        self.params = params
        message = self.message_in(current_language())
        super().__init__(
            message,
            fields={self.field: [message]} if self.field else None,
            **{key: _in(value, "en") for key, value in params.items()},
        )

    def message_in(self, language: str) -> str:
        lang = language if language in ("id", "en") else "id"
        return TEXT[lang].format(**{key: _in(value, lang) for key, value in self.params.items()})
