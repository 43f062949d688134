"""What every registry page shares: the caller's scope, refusals as pages, pagination, links.

A record outside the caller's scope is answered exactly like a record that does not exist (a
404 page); a role that may not do something at all gets a 403 page saying so. Both come from
the scoped selectors and the services' policy checks (:mod:`jamsos.access.policy`), never from
a template.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar

from django.contrib.auth.views import redirect_to_login
from django.core.paginator import Page, Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import NoReverseMatch, reverse

from jamsos.access.models import Role
from jamsos.access.scope import Scope, scope_for_user
from jamsos.core.errors import ApplicationError
from jamsos.core.formatting import current_language

View = TypeVar("View", bound=Callable[..., HttpResponse])

PAGE_PARAM = "halaman"


def scope_of(request: HttpRequest) -> Scope:
    """The signed-in user's scope, read once per request."""
    cached = getattr(request, "_jamsos_scope", None)
    if cached is None:
        cached = scope_for_user(request.user)
        request._jamsos_scope = cached  # type: ignore[attr-defined]
    return cached


def not_found(request: HttpRequest) -> HttpResponse:
    return render(request, "web/registry/not_found.html", status=404)


def forbidden(request: HttpRequest, message: str) -> HttpResponse:
    scope = scope_of(request)
    context = {"message": message, "aggregates_only": scope.role == Role.ANALYST}
    return render(request, "web/registry/forbidden.html", context, status=403)


def signed_in(view: View) -> View:
    """Send anonymous callers to the sign-in page; turn refusals into the site's 404/403 pages."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path(), login_url=reverse("login"))
        try:
            return view(request, *args, **kwargs)
        except ApplicationError as error:
            if error.http_status == 403:
                return forbidden(request, error.message_in(current_language()))
            if error.http_status == 404:
                return not_found(request)
            raise

    return wrapper  # type: ignore[return-value]


def page_of(request: HttpRequest, items: Any, per_page: int = 25) -> Page:
    """One page of an ordered query (``?halaman=N``); a bad number gives the first or last."""
    return Paginator(items, per_page).get_page(request.GET.get(PAGE_PARAM))


def url_or_none(name: str, *args: Any) -> str | None:
    """The address of a page that may not be installed yet (the bulk upload app)."""
    try:
        return reverse(name, args=args)
    except NoReverseMatch:
        return None


def upload_url() -> str | None:
    return url_or_none("uploads:form")
