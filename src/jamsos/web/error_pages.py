"""The site's error pages (400, 403, 404, 500) in its own layout, with debug off.

Django answers an unknown address, a refused request and a crash with the templates
``404.html``, ``403.html`` and ``500.html`` of ``web/templates``. Its 400 view renders its
template without the request, so the site's layout (the signed-in user, the language switch)
would be lost; :func:`bad_request` renders it with the request instead. ``500.html`` stands
alone: it is rendered with no request and must not touch the database.

No page shows the exception's text: a message reaches the page only when a view passes one it
wrote for the reader (:func:`bad_request_page`).
"""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render


def bad_request_page(request: HttpRequest, message: str = "", back_url: str = "") -> HttpResponse:
    """The 400 page, with a message written for the reader and a link back to the form."""
    context = {"message": message, "back_url": back_url}
    return render(request, "400.html", context, status=400)


def bad_request(request: HttpRequest, exception: Exception) -> HttpResponse:
    """``handler400``: a request Django refused (``BadRequest``, ``SuspiciousOperation``)."""
    return bad_request_page(request)
