"""Every page a caller who is not signed in can open is behind an abuse limit per address
(docs/security-abuse.md), but for the few that read nothing and write nothing, listed here
with the reason. A new public page without a limit fails this test."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver

# Public pages that are allowed without a limit, and why.
UNLIMITED = {
    "/": "the home page: text and links, no database read per input",
    "/i18n/setlang/": "the language switch: sets a cookie",
}


def _paths(patterns: list[Any], prefix: str = "") -> list[tuple[str, Any]]:
    found: list[tuple[str, Any]] = []
    for pattern in patterns:
        route = str(pattern.pattern)
        if isinstance(pattern, URLResolver):
            found += _paths(pattern.url_patterns, prefix + route)
        elif isinstance(pattern, URLPattern):
            if "<" in route or "(" in route or "^" in route:
                continue
            found.append(("/" + prefix + route, pattern.callback))
    return found


@pytest.mark.django_db
def test_every_public_page_has_an_abuse_limit() -> None:
    client = Client()
    unlimited = []
    paths = _paths(get_resolver().url_patterns)
    # An exemption names a page that exists (a stale one would hide nothing, but mislead).
    assert set(UNLIMITED) <= {path for path, _ in paths}
    for path, view in paths:
        if path.startswith(("/api/", "/static/", "/admin/")):
            continue  # the API's public routers are limited in config/api.py; admin needs staff
        response = client.get(path)
        if response.status_code != 200:
            continue  # signed-in pages send the caller to sign in
        if getattr(view, "abuse_limit", None) is None and path not in UNLIMITED:
            unlimited.append(path)
    assert unlimited == []


def test_the_benefit_simulator_is_limited() -> None:
    from jamsos.calculator import views

    assert views.benefit_simulator.abuse_limit == "public.address"  # type: ignore[attr-defined]
