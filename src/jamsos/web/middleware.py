"""Bahasa Indonesia first (pages ignore the browser's language until the user switches), and
no raw input a page cannot store."""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

from jamsos.core.formatting import current_language
from jamsos.core.inputs import request_refusal
from jamsos.web.error_pages import bad_request_page


class IndonesianFirstMiddleware:
    """Drop ``Accept-Language`` for web pages, so they open in Bahasa Indonesia.

    The language switch (a cookie set by ``/i18n/setlang/``) still chooses English. The API keeps
    ``Accept-Language``: a partner's program asks for the language of its error messages.
    Placed before ``LocaleMiddleware``.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if not request.path.startswith("/api/"):
            request.META.pop("HTTP_ACCEPT_LANGUAGE", None)
        return self.get_response(request)


class RawInputGuardMiddleware:
    """Refuse a page request whose query or form holds a control character (NUL, ...) or a
    number beyond 64 bits (:mod:`jamsos.core.inputs`): the 400 page names the field, in the
    page's language, before any form or service reads the input. The API checks the same in
    ``jamsos.api.errors``. Placed after the locale, the session's user and the messages.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if not request.path.startswith("/api/"):
            refused = request_refusal(request)
            if refused is not None:
                return bad_request_page(request, refused.message_in(current_language()))
        return self.get_response(request)
