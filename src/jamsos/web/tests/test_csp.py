"""The Content Security Policy (config/settings.py, docs/deployment.md) and the templates it
constrains: no inline script, inline style or event-handler attribute in any template, so that
nothing on a page needs 'unsafe-inline'."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.test import Client

SRC = Path(__file__).resolve().parents[2]
TEMPLATES = sorted(p for p in SRC.rglob("templates/**/*.html"))

SCRIPT_TAG = re.compile(r"<script\b([^>]*)>", re.IGNORECASE)
#: What the policy refuses in a page: a <style> element, a style="" attribute, an on...=""
#: handler, a javascript: address.
INLINE = {
    "style element": re.compile(r"<style\b", re.IGNORECASE),
    "style attribute": re.compile(r"""\sstyle\s*=\s*["']""", re.IGNORECASE),
    "event handler": re.compile(r"""\son[a-z]+\s*=\s*["']""", re.IGNORECASE),
    "javascript: address": re.compile(r"javascript:", re.IGNORECASE),
}


def _problems(text: str) -> list[str]:
    found = [
        f"inline script <script{attrs}>"
        for attrs in SCRIPT_TAG.findall(text)
        if "src=" not in attrs and 'type="application/json"' not in attrs
    ]
    found += [name for name, pattern in INLINE.items() if pattern.search(text)]
    return found


def test_the_templates_are_found() -> None:
    assert len(TEMPLATES) > 50
    assert any(p.name == "base.html" for p in TEMPLATES)


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("<script>alert(1)</script>", "inline script <script>"),
        ('<div style="width: 3%">', "style attribute"),
        ("<style>p{}</style>", "style element"),
        ('<button onclick="go()">', "event handler"),
        ('<a href="javascript:go()">', "javascript: address"),
    ],
)
def test_the_check_sees_each_kind_of_inline_code(text: str, problem: str) -> None:
    assert problem in _problems(text)


def test_the_check_lets_script_files_and_json_data_through() -> None:
    assert _problems('<script src="/static/a.js" defer></script>') == []
    assert _problems('<script id="d" type="application/json">{"a": 1}</script>') == []


def test_no_template_has_inline_script_or_style() -> None:
    found = {
        str(path.relative_to(SRC)): problems
        for path in TEMPLATES
        if (problems := _problems(path.read_text(encoding="utf-8")))
    }
    assert found == {}


@pytest.mark.django_db
def test_every_page_carries_the_policy() -> None:
    response = Client().get("/")
    policy = response.headers["Content-Security-Policy"]
    directives = dict(part.strip().split(" ", 1) for part in policy.split(";") if part.strip())
    assert directives["script-src"] == "'self'"
    assert directives["frame-ancestors"] == "'none'"
    assert directives["object-src"] == "'none'"
    assert directives["style-src"].startswith("'self'")
    assert "unsafe" not in directives["style-src"]
    # style attributes only (Plotly draws with them; they run nothing and load nothing)
    assert [d for d, v in directives.items() if "'unsafe-inline'" in v] == ["style-src-attr"]
    assert "'unsafe-eval'" not in policy
    missing = Client().get("/tidak-ada/")
    assert missing.status_code == 404
    assert "Content-Security-Policy" in missing.headers
