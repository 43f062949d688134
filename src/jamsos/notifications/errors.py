"""Refusals of the notifications app (codes ``notifications.*``)."""

from __future__ import annotations

from typing import ClassVar

from jamsos.core.errors import ApplicationError, NotPermitted

__all__ = [
    "EmailInvalid",
    "LanguageUnknown",
    "MessageNotFound",
    "NotPermitted",
    "NotificationsError",
    "UnknownKind",
]

FIELD_LABELS: dict[str, dict[str, str]] = {
    "kind": {"id": "Jenis pesan", "en": "Message kind"},
    "language": {"id": "Bahasa", "en": "Language"},
    "email": {"id": "Surel", "en": "E-mail"},
    "channels": {"id": "Saluran", "en": "Channels"},
    "message": {"id": "Pesan", "en": "Message"},
}


class NotificationsError(ApplicationError):
    """Base of the notifications refusals."""

    code: ClassVar[str] = "notifications.error"
    labels: ClassVar[dict[str, dict[str, str]]] = FIELD_LABELS


class UnknownKind(NotificationsError):
    code = "notifications.unknown_kind"
    default_field = "kind"
    text = {
        "id": "{label} '{value}' tidak dikenal.",
        "en": "{label} '{value}' is not known.",
    }


class LanguageUnknown(NotificationsError):
    code = "notifications.language_unknown"
    default_field = "language"
    text = {
        "id": "{label} harus Bahasa Indonesia (id) atau English (en).",
        "en": "{label} must be Bahasa Indonesia (id) or English (en).",
    }


class EmailInvalid(NotificationsError):
    code = "notifications.email_invalid"
    default_field = "email"
    text = {
        "id": "{label} bukan alamat surel yang sah.",
        "en": "{label} is not a valid e-mail address.",
    }


class MessageNotFound(NotificationsError):
    code = "notifications.message_not_found"
    http_status = 404
    default_field = "message"
    text = {"id": "{label} tidak ditemukan.", "en": "{label} not found."}
