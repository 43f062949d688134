"""Plotly under the Content Security Policy (config/settings.py, docs/deployment.md).

Plotly's bundle writes a few style sheets of its own as ``<style>`` elements with fixed text (the
map library's rules); the policy lets a ``<style>`` element apply only when its text has a hash
the page names. :func:`plotly_style_hashes` reads those texts from the installed bundle once and
:func:`allows_plotly_styles` adds their hashes to the policy of a page that loads Plotly; no
other page and no other inline style gains anything.
"""

from __future__ import annotations

import base64
import hashlib
import re
from collections.abc import Callable
from functools import cache
from pathlib import Path
from typing import Any, TypeVar

from csp.decorators import csp_update

View = TypeVar("View", bound=Callable[..., Any])

#: A style element Plotly creates and fills with a literal text:
#: ``createElement("style");e.id="...",e.textContent='...'``.
_STYLE_TEXT = re.compile(
    r"""createElement\("style"\);[^;]{0,200}?\.textContent=(?P<q>['"])(?P<text>.*?)(?<!\\)(?P=q)""",
    re.DOTALL,
)


#: The vendored partial bundles (core/static/core/plotly/README.md): name -> traces they draw.
PLOTLY_VERSION = "4.1.1"
PLOTLY_BUNDLES = {
    "geo": ("choropleth", "scatter", "scattergeo"),
    "basic": ("bar", "pie", "scatter"),
}


def plotly_bundle_path(name: str = "geo") -> Path:
    """A vendored partial Plotly bundle (``geo``: maps and lines; ``basic``: bars and lines)."""
    if name not in PLOTLY_BUNDLES:
        raise KeyError(name)
    return (
        Path(__file__).parent
        / "static"
        / "core"
        / "plotly"
        / f"plotly-{name}-{PLOTLY_VERSION}.min.js"
    )


def style_hash(text: str) -> str:
    """The CSP source that lets a ``<style>`` element with exactly ``text`` apply."""
    digest = hashlib.sha256(text.encode("utf-8")).digest()
    return f"'sha256-{base64.b64encode(digest).decode('ascii')}'"


@cache
def plotly_style_hashes() -> tuple[str, ...]:
    """The hashes of the style texts the Plotly bundles write as ``<style>`` (both bundles:
    a page loads one of them)."""
    hashes = set()
    for name in PLOTLY_BUNDLES:
        source = plotly_bundle_path(name).read_text(encoding="utf-8")
        texts = (m.group("text") for m in _STYLE_TEXT.finditer(source))
        hashes |= {style_hash(_unescaped(t)) for t in texts if t}
    return tuple(sorted(hashes))


def _unescaped(literal: str) -> str:
    """The text of a JavaScript string literal's body (the bundle's are ASCII when escaped)."""
    return literal.encode("ascii").decode("unicode_escape") if "\\" in literal else literal


def allows_plotly_styles(view: View) -> View:
    """A page view that loads Plotly: its policy also names Plotly's own style texts."""
    return csp_update({"style-src": list(plotly_style_hashes())})(view)  # type: ignore[no-any-return]
