"""The project's pages plus the upload pages and API, as the project will mount them, for tests
that run before the project's own URLconf includes them."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.urls import include, path
from ninja import NinjaAPI
from ninja.security import HttpBearer, django_auth

from jamsos.access.services import api_token_user
from jamsos.api.errors import install_error_handlers
from jamsos.config import urls as project_urls
from jamsos.uploads.api import router


class BearerToken(HttpBearer):
    def authenticate(self, request: HttpRequest, token: str) -> Any:
        return api_token_user(token)


api = NinjaAPI(
    title="uploads (tests)",
    urls_namespace="uploads-tests-api",
    auth=[django_auth, BearerToken()],
)
install_error_handlers(api)
api.add_router("/uploads", router)

urlpatterns = [
    path("api/v1/", api.urls),
    path("unggah/", include("jamsos.uploads.urls")),
    *project_urls.urlpatterns,
]
