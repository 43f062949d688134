"""Error pages with debug off: the site's layout, Bahasa Indonesia first (English by the
language switch), and never a stack trace, a setting or the list of URL patterns."""

from __future__ import annotations

from typing import Any
from unittest import mock

import pytest
from django.core.exceptions import PermissionDenied
from django.test import Client, RequestFactory
from django.utils import translation
from django.views.defaults import permission_denied, server_error

UNKNOWN = "/tidak-ada-halaman-ini/"
#: What Django's debug pages show and an error page must not (the URL patterns among them).
DEBUG_MARKERS = (
    "URLconf",
    "jamsos.config.urls",
    "tugas/",
    "Traceback",
    "DATABASE",
    "SECRET_KEY",
    "settings.py",
)


def text(response: Any) -> str:
    return response.content.decode()


def assert_nothing_leaks(html: str) -> None:
    for marker in DEBUG_MARKERS:
        assert marker not in html


def english_client() -> Client:
    client = Client()
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    return client


@pytest.mark.django_db
def test_unknown_address_is_the_sites_404_in_bahasa_indonesia() -> None:
    response = Client().get(UNKNOWN)
    assert response.status_code == 404
    html = text(response)
    assert '<html lang="id">' in html
    assert "Halaman tidak ditemukan" in html
    assert f"Tidak ada halaman di alamat {UNKNOWN}." in html
    assert 'class="site-header"' in html  # the site's layout
    assert 'href="/masuk/"' in html  # signed out: the layout's sign-in link
    assert_nothing_leaks(html)


@pytest.mark.django_db
def test_unknown_address_in_english_after_the_language_switch() -> None:
    html = text(english_client().get(UNKNOWN))
    assert '<html lang="en">' in html
    assert "Page not found" in html
    assert f"There is no page at the address {UNKNOWN}." in html
    assert_nothing_leaks(html)


def test_a_request_for_another_host_is_the_sites_400() -> None:
    """Django refuses it before any view, and renders 400.html without the request."""
    response = Client(HTTP_HOST="bukan-jamsos.example").get("/")
    assert response.status_code == 400
    html = text(response)
    assert "Permintaan tidak valid" in html
    assert 'class="brand"' in html  # the site's look
    assert "bukan-jamsos.example" not in html  # the exception's text stays in the log
    assert_nothing_leaks(html)


@pytest.mark.django_db
def test_a_page_refusing_its_input_answers_400_in_the_sites_layout() -> None:
    from jamsos.web.error_pages import bad_request_page

    request = RequestFactory().get("/iuran/tunggakan/?tanggal=0001-01-01")
    with translation.override("id"):  # no LocaleMiddleware here
        response = bad_request_page(request, "Pilih tanggal lain.", back_url="/iuran/tunggakan/")
    html = text(response)
    assert "Permintaan tidak valid" in html
    assert "Pilih tanggal lain." in html
    assert 'href="/iuran/tunggakan/">Kembali</a>' in html
    assert 'class="language-switch"' in html  # rendered with the request: the layout is whole


@pytest.mark.django_db
def test_403_page_in_the_sites_layout() -> None:
    request = RequestFactory().get("/rahasia/")
    with translation.override("id"):  # no LocaleMiddleware here
        html = text(permission_denied(request, PermissionDenied("internal reason")))
    assert "Tidak diizinkan" in html
    assert "internal reason" not in html
    assert 'class="site-header"' in html


@pytest.mark.django_db
def test_a_form_without_its_token_is_the_sites_page() -> None:
    response = Client(enforce_csrf_checks=True).post("/i18n/setlang/", {"language": "en"})
    assert response.status_code == 403
    html = text(response)
    assert "Formulir kedaluwarsa" in html
    assert "CSRF" not in html
    assert 'class="brand"' in html


def test_500_page_renders_without_a_request_context_or_database(settings) -> None:
    """No ``db`` fixture: any query here would fail the test."""
    settings.DEBUG = False
    with translation.override("id"):
        response = server_error(RequestFactory().get("/iuran/tunggakan/"))
    assert response.status_code == 500
    html = text(response)
    assert "Kesalahan server" in html
    assert "/static/web/jamsos.css" in html  # the site's look
    assert 'href="/"' in html
    assert_nothing_leaks(html)


def test_500_page_in_english(settings) -> None:
    settings.DEBUG = False
    with translation.override("en"):
        html = text(server_error(RequestFactory().get("/")))
    assert "Server error" in html
    assert '<html lang="en">' in html


@pytest.mark.django_db
def test_a_crash_answers_the_500_page_not_a_trace(settings) -> None:
    settings.DEBUG = False
    client = Client(raise_request_exception=False)
    with mock.patch("jamsos.web.views.render", side_effect=RuntimeError("boom in the home page")):
        response = client.get("/")
    assert response.status_code == 500
    html = text(response)
    assert "Kesalahan server" in html
    assert "boom in the home page" not in html
    assert_nothing_leaks(html)


@pytest.mark.django_db
def test_static_files_are_served_by_the_application_with_debug_off(settings) -> None:
    assert settings.DEBUG is False
    response = Client().get("/static/web/jamsos.css")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/css")
    assert b"--green-900" in b"".join(response.streaming_content)
