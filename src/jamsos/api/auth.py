"""Who is calling the API: a bearer token, the browser's session, or (where allowed) nobody.

Two ways to sign in, tried in this order:

- ``Authorization: Bearer jms_...``: a token issued with ``jamsos users token``. A token that is
  presented but unknown, expired or revoked is refused at once (401); it never falls back to
  the session or to anonymous access.
- The Django session cookie of a signed-in browser. Unsafe methods (POST, PATCH, ...) must carry
  the CSRF token (``X-CSRFToken`` header), as every form of the site does.

An operation without any of these answers 401 in the API's error shape. The caller's
:class:`~jamsos.access.scope.Scope` is computed once per request by :func:`caller_scope`; every
operation passes it to the scoped selectors and the services, never deciding visibility itself.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest
from ninja.errors import AuthenticationError
from ninja.security import APIKeyCookie, HttpBearer
from ninja.utils import check_csrf

from jamsos.access.scope import Scope, scope_for_user
from jamsos.access.services import api_token_user
from jamsos.api.errors import ApiError

_SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS", "TRACE"})


class CsrfFailed(ApiError):
    """A signed-in browser sent an unsafe request without a valid CSRF token."""

    code = "csrf_failed"
    http_status = 403
    text = {
        "id": "Permintaan dari sesi peramban harus membawa token CSRF (header X-CSRFToken).",
        "en": "A request from a browser session must carry the CSRF token (X-CSRFToken header).",
    }


class BearerToken(HttpBearer):
    """``Authorization: Bearer jms_...``, a token issued with ``jamsos users token``."""

    openapi_description = (
        "An API token issued with `jamsos users token USERNAME --name NAME`, sent as "
        "`Authorization: Bearer jms_...`."
    )
    openapi_bearerFormat = "jms_..."  # noqa: N815 (the OpenAPI key, read by ninja)

    def authenticate(self, request: HttpRequest, token: str) -> Any | None:
        user = api_token_user(token.strip())
        if user is None:
            # A credential was offered and is not good: say so rather than fall back.
            raise AuthenticationError()
        request.jamsos_auth_method = "token"  # type: ignore[attr-defined]
        return user


class BrowserSession(APIKeyCookie):
    """The signed-in browser's Django session; unsafe methods need the CSRF token."""

    param_name = settings.SESSION_COOKIE_NAME
    openapi_description = (
        "The session of a user signed in to the web site. POST, PATCH and other unsafe "
        "methods must send the CSRF token in the `X-CSRFToken` header."
    )

    def __init__(self) -> None:
        super().__init__(csrf=False)  # checked below, only when the session identifies someone

    def authenticate(self, request: HttpRequest, key: str | None) -> Any | None:
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated:
            return None
        exempt = getattr(request, "_ninja_csrf_exempt", False)
        if request.method not in _SAFE_METHODS and not exempt and check_csrf(request):
            raise CsrfFailed()
        request.jamsos_auth_method = "session"  # type: ignore[attr-defined]
        return user


class Anonymous:
    """Who calls an operation open to everyone without signing in."""

    is_authenticated = False

    def __bool__(self) -> bool:  # ninja accepts any truthy result
        return True


def anonymous(request: HttpRequest) -> Anonymous:
    """The last resort of operations open to anonymous callers (never in the OpenAPI)."""
    request.jamsos_auth_method = "anonymous"  # type: ignore[attr-defined]
    return Anonymous()


#: Signed-in callers only.
SIGNED_IN = [BearerToken(), BrowserSession()]
#: Signed-in callers when they sign in, anybody otherwise.
SIGNED_IN_OR_ANONYMOUS = [*SIGNED_IN, anonymous]
#: Added to the OpenAPI ``security`` of an operation open to anonymous callers: ``{}`` means
#: "no credential" (ninja appends it to the schemes it lists itself).
OPTIONAL_SECURITY: dict[str, Any] = {"security": [{}]}


def caller_scope(request: HttpRequest) -> Scope:
    """The caller's scope, computed once per request."""
    cached = getattr(request, "_jamsos_scope", None)
    if cached is not None:
        return cached
    caller = getattr(request, "auth", None)
    scope = Scope.nobody() if caller is None or isinstance(caller, Anonymous) else None
    if scope is None:
        scope = scope_for_user(caller)
    request._jamsos_scope = scope  # type: ignore[attr-defined]
    return scope


def is_anonymous(request: HttpRequest) -> bool:
    return isinstance(getattr(request, "auth", None), Anonymous)
