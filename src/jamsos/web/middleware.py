"""Bahasa Indonesia first: pages ignore the browser's language until the user switches."""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse


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
