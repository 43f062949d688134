"""Sets the audit origin (channel, client address, user agent) for each request."""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

from jamsos.access.audit import Origin, origin


class AuditOriginMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        channel = "api" if request.path.startswith("/api/") else "web"
        ip = request.META.get("REMOTE_ADDR") or None
        client = request.META.get("HTTP_USER_AGENT", "")[:200]
        with origin(Origin(channel=channel, ip=ip, client=client)):
            return self.get_response(request)
