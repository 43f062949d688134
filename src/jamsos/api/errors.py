"""One error shape for the whole API, in the caller's language.

Every refusal is ``{"code": "...", "message": "...", "fields": {"wage": ["..."]}}``. ``code`` is
stable and meant for programs; ``message`` is for people, in Bahasa Indonesia unless the request
asks for English (``?lang=en`` or an ``Accept-Language: en`` header); ``fields`` names the inputs
at fault (empty when the refusal is about the whole request).

Every refusal, an :class:`~jamsos.core.errors.ApplicationError` of any app or the legal engine's
:class:`~jamsos.legal.errors.LegalInputError`, goes through one handler, :func:`refusal`; the
other handlers shape what is not a refusal (invalid bodies, unknown addresses, HTTP errors of the
framework, crashes). :func:`install_error_handlers` is the only place that installs them.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable, Mapping
from functools import wraps
from typing import Any, ClassVar

from django.http import Http404, HttpRequest, HttpResponse, HttpResponseNotAllowed, JsonResponse
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from ninja import NinjaAPI, Schema
from ninja.errors import HttpError, ValidationError

from jamsos.core.errors import ApplicationError
from jamsos.core.formatting import LANGUAGES, language_of
from jamsos.core.inputs import request_refusal
from jamsos.legal.errors import LegalInputError

logger = logging.getLogger("jamsos.api")

#: Service field names that the API's bodies spell differently (money fields end in ``_idr``).
API_FIELD_NAMES = {"wage": "wage_idr", "declared_income": "declared_income_idr"}


class ApiError(ApplicationError):
    """Base of the refusals the API itself makes (a bad cursor, a missing CSRF token, ...)."""

    code: ClassVar[str] = "api.error"


class ErrorOut(Schema):
    """The body of every error response."""

    code: str
    message: str
    fields: dict[str, list[str]]


def request_language(request: HttpRequest) -> str:
    """``?lang=`` when it names a known language, else the negotiated one (default id)."""
    asked = request.GET.get("lang", "").strip().lower().replace("_", "-").split("-")[0]
    if asked in LANGUAGES:
        return asked
    negotiated = getattr(request, "LANGUAGE_CODE", None) or translation.get_language()
    return language_of(negotiated)


def error_response(
    request: HttpRequest,
    status: int,
    code: str,
    message: str,
    fields: Mapping[str, Iterable[str]] | None = None,
) -> JsonResponse:
    body = {
        "code": code,
        "message": message,
        "fields": {name: list(messages) for name, messages in (fields or {}).items()},
    }
    response = JsonResponse(
        body,
        status=status,
        content_type="application/json; charset=utf-8",
        json_dumps_params={"ensure_ascii": False},
    )
    response["Content-Language"] = request_language(request)
    return response


def _translated(request: HttpRequest, text: Callable[[], str]) -> str:
    with translation.override(request_language(request)):
        return text()


def refusal(request: HttpRequest, exc: ApplicationError | LegalInputError) -> HttpResponse:
    """The one handler of refusals: the message and the field in the caller's language."""
    language = request_language(request)
    if isinstance(exc, LegalInputError):
        message = exc.message(language)
        return error_response(request, 400, "invalid_input", message, {exc.field: [message]})
    message = exc.message_in(language)
    field = API_FIELD_NAMES.get(exc.field, exc.field)
    fields = {field: [message]} if field else {}
    response = error_response(request, exc.http_status, exc.code, message, fields)
    if exc.http_status == 429 and "retry_after" in exc.extra:
        response["Retry-After"] = str(exc.extra["retry_after"])
    return response


def _field_name(loc: Iterable[Any]) -> str:
    """``("body", "payload", "wage")`` -> ``"wage"``; the source ("body") when no field is named."""
    parts = [str(part) for part in loc]
    source, rest = (parts[0], parts[1:]) if parts else ("body", [])
    if rest and rest[0] == "payload":
        rest = rest[1:]
    return ".".join(rest) or source


def validation_error(request: HttpRequest, exc: ValidationError) -> HttpResponse:
    fields: dict[str, list[str]] = {}
    for error in exc.errors:
        fields.setdefault(_field_name(error.get("loc", ())), []).append(str(error.get("msg", "")))
    message = _translated(request, lambda: _("The request is not valid; see the fields."))
    return error_response(request, 400, "validation_error", message, fields)


def not_found(request: HttpRequest, exc: Exception | None = None) -> HttpResponse:
    message = _translated(request, lambda: _("Nothing here: check the address and the method."))
    return error_response(request, 404, "not_found", message)


HTTP_CODES = {
    400: ("bad_request", lambda: _("The request could not be read (is the body valid JSON?).")),
    401: ("unauthorized", lambda: _("Authentication is required.")),
    403: ("forbidden", lambda: _("You are not allowed to do this.")),
    405: ("method_not_allowed", lambda: _("This address does not accept that method.")),
    429: ("throttled", lambda: _("Too many requests; try again later.")),
}


def http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
    """An HTTP error of the framework; a 401 says which scheme to use."""
    code, text = HTTP_CODES.get(exc.status_code, ("http_error", lambda: str(exc)))
    response = error_response(request, exc.status_code, code, _translated(request, text))
    if exc.status_code == 401:
        response["WWW-Authenticate"] = 'Bearer realm="jamsos"'
    return response


def server_error(request: HttpRequest, exc: Exception) -> HttpResponse:
    logger.exception("Unexpected error on %s %s", request.method, request.path, exc_info=exc)
    message = _translated(
        request, lambda: _("Something went wrong on our side. It has been logged; try again later.")
    )
    return error_response(request, 500, "server_error", message)


def install_error_handlers(api: NinjaAPI) -> None:
    """Replace django-ninja's default handlers with the shaped ones above."""
    api.add_exception_handler(ApplicationError, refusal)
    api.add_exception_handler(LegalInputError, refusal)
    api.add_exception_handler(ValidationError, validation_error)
    api.add_exception_handler(Http404, not_found)
    api.add_exception_handler(HttpError, http_error)
    api.add_exception_handler(Exception, server_error)


@csrf_exempt
def unknown_path(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
    """Any address under the API that no operation serves."""
    return not_found(request)


def shaped_not_allowed(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Wrap an operation's view so that a wrong method gets the error shape, ``Allow`` kept,
    and raw input no schema should read (:func:`jamsos.core.inputs.request_refusal`) is
    refused first."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        refused = request_refusal(request, kwargs)
        if refused is not None:
            return refusal(request, refused)
        response = view(request, *args, **kwargs)
        if isinstance(response, HttpResponseNotAllowed):
            allowed = response["Allow"]
            code, text = HTTP_CODES[405]
            response = error_response(request, 405, code, _translated(request, text))
            response["Allow"] = allowed
        return response

    return csrf_exempt(wrapper)
