"""Refusals of the registry API, and the handler that renders them in the caller's language.

The membership services raise :class:`~jamsos.membership.errors.MembershipError` with the
message already rendered in the active language; the handler here renders it again with
``message_in`` in the language the request asks for (``?lang=en`` or ``Accept-Language``), so a
partner's program gets English whatever the server's default. The refusals that only the API
makes (a bad cursor, an unknown region code, a NIK registered already, seen by an anonymous
caller) are :class:`LocalisedError` subclasses with their own id/en texts.
"""

from __future__ import annotations

from typing import Any, ClassVar, Protocol

from django.http import HttpRequest, HttpResponse

from jamsos.api.errors import error_response, request_language
from jamsos.core.errors import ApplicationError
from jamsos.core.formatting import current_language

#: Service field names that the API's bodies spell differently (money fields end in ``_idr``).
API_FIELD_NAMES = {"wage": "wage_idr", "declared_income": "declared_income_idr"}


class LocalisedError(ApplicationError):
    """A refusal of the API itself: a stable ``code``, a field, a message in id and en."""

    code: ClassVar[str] = "api.error"
    http_status: ClassVar[int] = 400
    texts: ClassVar[dict[str, str]] = {}
    default_field: ClassVar[str] = ""

    def __init__(self, *, field: str | None = None, **params: Any) -> None:
        self.field = self.default_field if field is None else field
        self.params = params
        message = self.message_in(current_language())
        super().__init__(message, fields={self.field: [message]} if self.field else None, **params)

    def message_in(self, language: str) -> str:
        template = self.texts.get(language) or self.texts["id"]
        return template.format(**self.params)


class InvalidCursor(LocalisedError):
    code = "api.invalid_cursor"
    default_field = "cursor"
    texts = {
        "id": "Kursor halaman tidak dikenal; mulai lagi dari halaman pertama (tanpa cursor).",
        "en": "The page cursor is not recognised; start again from the first page (no cursor).",
    }


class UnknownRegion(LocalisedError):
    code = "api.unknown_region"
    texts = {
        "id": "Kode wilayah {code!r} tidak ada di daftar wilayah yang berlaku.",
        "en": "Region code {code!r} is not in the current region list.",
    }


class UnknownBranchOffice(LocalisedError):
    code = "api.unknown_branch_office"
    default_field = "branch_office"
    texts = {
        "id": "Tidak ada kantor cabang dengan kode {code!r}.",
        "en": "No branch office has the code {code!r}.",
    }


class AlreadyRegistered(LocalisedError):
    """What an anonymous caller learns about a NIK that exists: no name, no KPJ."""

    code = "registration.already_registered"
    http_status = 409
    default_field = "nik"
    texts = {
        "id": "NIK ini sudah terdaftar. Masuk ke akun Anda atau datang ke kantor cabang "
        "terdekat untuk mendaftar.",
        "en": "This NIK is already registered. Sign in to your account or visit the nearest "
        "branch office to register.",
    }


class PersonDataMismatch(LocalisedError):
    """A signed-in caller named a registered NIK they cannot see, with other data."""

    code = "registration.person_data_mismatch"
    http_status = 409
    default_field = "nik"
    texts = {
        "id": "NIK ini sudah terdaftar, tetapi nama atau tanggal lahir yang diisi tidak sama "
        "dengan data peserta. Periksa datanya, atau minta kantor cabang memeriksanya.",
        "en": "This NIK is already registered, but the name or birth date given differs from "
        "the participant's record. Check the data, or ask a branch office to check it.",
    }


class NotOwnPerson(LocalisedError):
    """A signed-in worker tried to register someone else."""

    code = "registration.not_own_person"
    http_status = 403
    default_field = "nik"
    texts = {
        "id": "Peserta yang masuk hanya dapat mendaftarkan dirinya sendiri (NIK akun ini).",
        "en": "A signed-in worker can register only themselves (this account's NIK).",
    }


class _Localisable(Protocol):
    field: str
    code: str
    http_status: int

    def message_in(self, language: str) -> str: ...


def localised_error(request: HttpRequest, exc: Exception) -> HttpResponse:
    """Render a refusal that knows its message in id and en, in the request's language."""
    refusal: _Localisable = exc  # type: ignore[assignment]
    message = refusal.message_in(request_language(request))
    field = API_FIELD_NAMES.get(refusal.field, refusal.field)
    fields = {field: [message]} if field else {}
    return error_response(request, refusal.http_status, refusal.code, message, fields)
