"""The site's error pages with debug off, Bahasa Indonesia first, never a trace or a setting.

Django answers an unknown address, a refused request and a crash with the templates
``404.html``, ``403.html`` and ``500.html`` of ``web/templates``; the first two are rendered with
the request, in the site's layout. Django renders ``400.html`` (a request it refuses itself: an
unknown host, a malformed header) and ``500.html`` with no request, so these two stand alone in
the same look (``web/standalone.html``) and touch no database.

A page that refuses its own input answers :func:`bad_request_page`: the 400 page in the site's
layout, with a message written for the reader. No page shows an exception's text. A page past
an abuse limit (``settings.ABUSE_LIMITS``) answers :func:`too_many_requests_page`, the 429 page
in the layout, with a ``Retry-After`` header; :func:`limited` puts the limit on a page.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from jamsos.access import limits
from jamsos.access.errors import TooManyRequests
from jamsos.core.formatting import current_language

View = TypeVar("View", bound=Callable[..., HttpResponse])


def bad_request_page(request: HttpRequest, message: str, back_url: str = "") -> HttpResponse:
    """The 400 page in the site's layout: ``message`` says what to change; ``back_url`` links
    back to the form (the home page when empty)."""
    context = {"message": message, "back_url": back_url}
    return render(request, "web/bad_request.html", context, status=400)


def too_many_requests_page(
    request: HttpRequest, error: TooManyRequests, back_url: str = ""
) -> HttpResponse:
    """The 429 page in the site's layout, in the page's language, with ``Retry-After``."""
    context = {"message": error.message_in(current_language()), "back_url": back_url}
    response = render(request, "web/too_many_requests.html", context, status=429)
    response["Retry-After"] = str(error.retry_after)
    return response


def limited(route: str, limit: str, *, methods: tuple[str, ...] = ("GET", "POST")) -> Any:
    """Count the requests of callers not signed in per address under ``limit`` (a name in
    ``settings.ABUSE_LIMITS``); past it, the 429 page. ``route`` names the page in the counts
    of refused requests."""

    def decorate(view: View) -> View:
        @wraps(view)
        def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            user = getattr(request, "user", None)
            signed_in = user is not None and user.is_authenticated
            if request.method in methods and not signed_in:
                try:
                    limits.enforce_address(request, route=route, limit=limit)
                except TooManyRequests as error:
                    return too_many_requests_page(request, error, back_url=request.path)
            return view(request, *args, **kwargs)

        wrapper.abuse_limit = limit  # type: ignore[attr-defined]
        return wrapper  # type: ignore[return-value]

    return decorate
