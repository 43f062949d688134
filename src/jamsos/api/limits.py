"""The abuse limit of the API's public operations (docs/security-abuse.md).

Every operation of a public router (the calculations, the regions; config/api.py names them
with :func:`limit_public_router`) first calls :func:`public_limit`: a caller whose browser
session is not signed in is counted per address under ``settings.ABUSE_LIMITS["public.address"]``;
past it the operation answers 429 ``access.too_many_requests`` through the one refusal handler,
with ``Retry-After``. Anonymous self-registration has limits of its own (per address and per
NIK), set where it is served; the liveness check ``/health`` has none.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.http import HttpRequest
from ninja import Router

from jamsos.access import limits

PUBLIC_LIMIT = "public.address"


def public_limit(request: HttpRequest, route: str) -> None:
    """Count this request against the public limit unless the session is signed in."""
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        return
    limits.enforce_address(request, route=route, limit=PUBLIC_LIMIT)


def limit_public_router(router: Router, route: str) -> None:
    """Put the public limit in front of every operation of ``router`` (counted as ``route``),
    as a django-ninja operation decorator: it runs once the request is read, and a refusal
    raised here reaches the API's one refusal handler like any other."""
    router.add_decorator(_public_limited(route), mode="operation")


def _public_limited(route: str) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    def decorate(view_func: Callable[..., Any]) -> Callable[..., Any]:
        @wraps(view_func)
        def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> Any:
            public_limit(request, route)
            return view_func(request, *args, **kwargs)

        return wrapper

    return decorate
