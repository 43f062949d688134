"""The Jamsos API (django-ninja): OpenAPI at /api/v1/openapi.json, Swagger UI at /api/v1/docs.

The Swagger UI assets come from django-ninja's static files: nothing is loaded from a CDN.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.urls import URLPattern, URLResolver, re_path
from ninja import NinjaAPI

from jamsos.api.errors import install_error_handlers, shaped_not_allowed, unknown_path
from jamsos.api.limits import limit_public_router
from jamsos.calculator.api import router as calculations_router
from jamsos.membership.api.routes import router as registry_router
from jamsos.registry.api import router as regions_router

DESCRIPTION = """\
Employment social security under Indonesian law: contribution calculations, each figure with the
regulation that sets it (public), and the registry of people, employers and memberships (signed
in: a bearer token from `jamsos users token`, or the web site's session).

Registry lists are scoped to the caller (a record outside the scope is 404, like one that does
not exist), paginated with cursors (`next_cursor`, `next`), and mask NIK and phone numbers; full
views, changes and exports are written to the audit trail.

Errors share one shape: `{"code", "message", "fields"}`; messages are in Bahasa Indonesia unless
the request asks for English (`?lang=en` or `Accept-Language: en`). See docs/registry/api.md.
"""


class JamsosAPI(NinjaAPI):
    """Adds the error shape to unknown addresses and wrong methods under the API's prefix."""

    @property
    def urls(self) -> tuple[list[URLResolver | URLPattern], str, str]:
        patterns, app_name, namespace = super().urls
        shaped: list[URLResolver | URLPattern] = []
        for pattern in patterns:
            if isinstance(pattern, URLPattern):
                # The root keeps its name (ninja reverses it) but answers with the error shape.
                view = unknown_path if pattern.name == "api-root" else pattern.callback
                pattern = URLPattern(
                    pattern.pattern, shaped_not_allowed(view), pattern.default_args, pattern.name
                )
            shaped.append(pattern)
        shaped.append(re_path(r"^.*$", unknown_path, name="not-found"))
        return shaped, app_name, namespace


api = JamsosAPI(
    title="Jamsos API",
    version="1",
    description=DESCRIPTION,
    openapi_url="/openapi.json",
    docs_url="/docs",
)
install_error_handlers(api)
# The operations open to everyone, limited per address (docs/security-abuse.md); anonymous
# self-registration (POST /registrations/bpu) sets its own limits.
limit_public_router(calculations_router, "api:calculations")
limit_public_router(regions_router, "api:regions")
api.add_router("", calculations_router)
api.add_router("/regions", regions_router)
api.add_router("", registry_router)
api.add_router("/uploads", "jamsos.uploads.api.router")
api.add_router("/billing", "jamsos.billing.api.router")
api.add_router("/claims", "jamsos.claims.api.router")
api.add_router("/coverage", "jamsos.coverage.api.router")
api.add_router("/partners", "jamsos.partners.api.router")
api.add_router("/workers", "jamsos.selfservice.api.router")
api.add_router("/employer-applications", "jamsos.employer_signup.api.router")


@api.get("/health", summary="Liveness check", tags=["health"], url_name="health")
def health(request: HttpRequest) -> dict[str, Any]:
    return {"status": "ok"}
