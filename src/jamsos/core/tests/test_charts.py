"""Plotly's own style texts, named by hash in the policy of the pages that load it."""

from __future__ import annotations

from django.conf import settings
from django.http import HttpResponse
from django.test import RequestFactory

from jamsos.core.charts import allows_plotly_styles, plotly_style_hashes, style_hash


def test_the_empty_style_hash_of_the_settings_is_the_hash_of_no_text() -> None:
    assert style_hash("") == settings.EMPTY_STYLE_HASH


def test_the_installed_bundle_writes_style_texts_and_each_has_its_hash() -> None:
    hashes = plotly_style_hashes()
    assert hashes
    assert all(h.startswith("'sha256-") and h.endswith("='") for h in hashes)


def test_a_view_that_loads_plotly_names_the_hashes_in_its_policy(client) -> None:
    @allows_plotly_styles
    def view(request):
        return HttpResponse("<p>chart</p>")

    from csp.middleware import CSPMiddleware

    request = RequestFactory().get("/")
    response = CSPMiddleware(view)(request)
    policy = response.headers["Content-Security-Policy"]
    style = next(p for p in policy.split(";") if p.strip().startswith("style-src "))
    for digest in plotly_style_hashes():
        assert digest in style
    assert settings.EMPTY_STYLE_HASH in style
    assert "'unsafe-inline'" not in style


def test_each_vendored_bundle_is_the_version_named_and_writes_style_texts() -> None:
    from jamsos.core.charts import PLOTLY_BUNDLES, PLOTLY_VERSION, plotly_bundle_path

    for name in PLOTLY_BUNDLES:
        head = plotly_bundle_path(name).read_text(encoding="utf-8")[:200]
        assert f"({name} - minified) v{PLOTLY_VERSION}" in head
    # The hashes cover both bundles' style texts (the same library: the same texts).
    assert len(plotly_style_hashes()) >= 1
