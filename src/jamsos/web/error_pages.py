"""The site's error pages with debug off, Bahasa Indonesia first, never a trace or a setting.

Django answers an unknown address, a refused request and a crash with the templates
``404.html``, ``403.html`` and ``500.html`` of ``web/templates``; the first two are rendered with
the request, in the site's layout. Django renders ``400.html`` (a request it refuses itself: an
unknown host, a malformed header) and ``500.html`` with no request, so these two stand alone in
the same look (``web/standalone.html``) and touch no database.

A page that refuses its own input answers :func:`bad_request_page`: the 400 page in the site's
layout, with a message written for the reader. No page shows an exception's text.
"""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render


def bad_request_page(request: HttpRequest, message: str, back_url: str = "") -> HttpResponse:
    """The 400 page in the site's layout: ``message`` says what to change; ``back_url`` links
    back to the form (the home page when empty)."""
    context = {"message": message, "back_url": back_url}
    return render(request, "web/bad_request.html", context, status=400)
