"""Refusals the caller can act on (never bugs): the one base every app's errors build on.

A refusal has a stable ``code`` (for programs), an ``http_status``, the ``field`` at fault (empty
when it is about the whole request) and a message in Bahasa Indonesia and English. Each app
declares its own subclasses, message texts and field labels; the message is rendered in the
active language when the error is raised (``message``, ``fields``) and :meth:`message_in`
renders it in any language for reports, files and API callers that ask for another one::

    class PartnersError(ApplicationError):
        code = "partners.error"          # an app's base: labels, no text, never raised
        labels = FIELD_LABELS

    class BadNik(PartnersError):
        code = "partners.bad_nik"
        default_field = "nik"
        text = {"id": "{label} {value} tidak sah.", "en": "{label} {value} is invalid."}

    raise BadNik(value="123")            # message: "NIK 123 tidak sah."

The texts are ``str.format`` templates. ``{label}`` (and ``{label_lower}``) is the field's label
in the same language, from the app's ``labels``; every keyword given when raising is a
placeholder, a date reads in ISO form and a value given as ``{"id": ..., "en": ...}`` is shown
in the message's language. An app that keeps its texts in a table sets ``messages`` on its base
and ``reason`` (the table's key) on each class instead of ``text``.

The API renders every refusal through one handler (:func:`jamsos.api.errors.refusal`), in the
caller's language; pages put one on a form with :func:`refusal_on_form`. See the "Errors"
section of docs/architecture.md.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import TYPE_CHECKING, Any, ClassVar

from jamsos.core.formatting import current_language, language_of

if TYPE_CHECKING:
    from django import forms

#: Texts more than one app words the same way (each app keeps its own code and labels).
REQUIRED: Mapping[str, str] = {"id": "{label} wajib diisi.", "en": "{label} is required."}
BAD_PERIOD: Mapping[str, str] = {
    "id": "{label} harus berbentuk TTTT-BB, misalnya 2025-03 (diterima: {value}).",
    "en": "{label} must be YYYY-MM, for example 2025-03 (got: {value}).",
}


def _in_language(value: Any, language: str) -> Any:
    """A parameter as it reads in a message of ``language``."""
    if isinstance(value, Mapping) and language in value:
        return value[language]
    if isinstance(value, date):
        return value.isoformat()
    return value


def _plain(value: Any) -> Any:
    """A parameter as programs read it (``extra``): dates in ISO form, id/en pairs in English."""
    if isinstance(value, Mapping) and "en" in value:
        return value["en"]
    return value.isoformat() if isinstance(value, date) else value


class ApplicationError(Exception):
    """A refusal with a stable ``code``, an ``http_status``, a field and an id/en message.

    An app's base sets ``code`` (``"<app>.error"``), ``labels`` and, for table-kept texts,
    ``messages``; it has no text and is never raised. Its subclasses set ``code``, ``text`` (or
    ``reason``), and where they differ from the defaults ``default_field`` and ``http_status``.
    An app that needs placeholders derived from the parameters overrides :meth:`values`.
    """

    code: ClassVar[str] = "application_error"
    http_status: ClassVar[int] = 400
    default_field: ClassVar[str] = ""
    #: ``{"id": template, "en": template}``; empty on a base that is never raised.
    text: ClassVar[Mapping[str, str]] = {}
    #: ``{field: {"id": label, "en": label}}``, one table per app.
    labels: ClassVar[Mapping[str, Mapping[str, str]]] = {}
    #: An app's table of texts ``{reason: {"id", "en"}}``, for subclasses that name a ``reason``.
    messages: ClassVar[Mapping[str, Mapping[str, str]]] = {}
    reason: ClassVar[str] = ""

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        if "reason" in cls.__dict__ and "text" not in cls.__dict__ and cls.reason:
            cls.text = cls.messages[cls.reason]

    def __init__(self, *, field: str | None = None, **params: Any) -> None:
        self.field: str = self.default_field if field is None else field
        self.params: dict[str, Any] = params
        self.message: str = self.message_in(current_language())
        self.fields: dict[str, list[str]] = {self.field: [self.message]} if self.field else {}
        self.extra: dict[str, Any] = {key: _plain(value) for key, value in params.items()}
        super().__init__(self.message)

    def label(self, language: str) -> str:
        """The label of the field at fault in ``language`` (the field's name when it has none)."""
        return self.labels.get(self.field, {}).get(language_of(language), self.field)

    def values(self, language: str) -> dict[str, Any]:
        """The placeholders of the message in ``language``."""
        label = self.label(language)
        values: dict[str, Any] = {"label": label, "label_lower": label.lower()}
        values.update({key: _in_language(value, language) for key, value in self.params.items()})
        return values

    def message_in(self, language: str) -> str:
        """The message in ``language`` (``id`` or ``en``; anything else reads as ``id``)."""
        language = language_of(language)
        return self.text[language].format(**self.values(language))


class NotPermitted(ApplicationError):
    """The caller's role may not do this at all (a record outside the scope is "not found").

    The apps that refuse this way subclass it together with their own base, so that
    ``except NotPermitted`` catches every such refusal and ``except <App>Error`` theirs.
    """

    code = "access.not_permitted"
    http_status = 403
    text = {
        "id": "Peran Anda ({role}) tidak boleh {action}.",
        "en": "Your role ({role}) may not {action}.",
    }


def refusal_on_form(
    form: forms.Form, error: ApplicationError, aliases: Mapping[str, str] | None = None
) -> None:
    """Put a refusal next to the form field it names, or on the whole form, in the page's language.

    ``aliases`` maps the service's field names to the form's where they differ.
    """
    name = (aliases or {}).get(error.field, error.field)
    form.add_error(name if name in form.fields else None, error.message_in(current_language()))
