"""The configured logging keeps query strings and NIKs out of request lines and request errors."""

from __future__ import annotations

import io
import logging

import pytest
from django.conf import settings
from django.utils.log import configure_logging

from jamsos.config.logfilters import redact

NIK = "3204015708450001"
MASKED = "3204********0001"


@pytest.fixture
def written():
    """What the configured handlers of django.server and django.request write, in a buffer."""
    # The configuration as Django applies it at start-up (another test may have changed loggers).
    configure_logging(settings.LOGGING_CONFIG, settings.LOGGING)
    buffer = io.StringIO()
    handlers = [
        handler
        for name in ("django.server", "django.request")
        for handler in logging.getLogger(name).handlers
        if handler.name in {"django.server", "errors"}
    ]
    assert len(handlers) == 2, "the loggers have their configured handlers"
    previous = [handler.setStream(buffer) for handler in handlers]
    yield buffer
    for handler, stream in zip(handlers, previous, strict=True):
        handler.setStream(stream)


def test_a_request_line_loses_its_query_string_and_the_nik(written):
    logging.getLogger("django.server").info(
        '"%s" %s %s', f"GET /kerja/cari/?q={NIK}&halaman=2 HTTP/1.1", "200", "5120"
    )
    line = written.getvalue()
    assert '"GET /kerja/cari/?[…] HTTP/1.1" 200 5120' in line
    assert NIK not in line
    assert "halaman" not in line


def test_a_nik_in_the_path_is_masked(written):
    logging.getLogger("django.server").info('"%s" %s %s', f"GET /x/{NIK}/ HTTP/1.1", "404", "1")
    line = written.getvalue()
    assert NIK not in line
    assert f"/x/{MASKED}/" in line


def test_a_request_error_is_redacted_too(written):
    logging.getLogger("django.request").error(
        "Internal Server Error: %s", f"/api/v1/people?q=asep+{NIK}"
    )
    line = written.getvalue()
    assert line.strip() == "Internal Server Error: /api/v1/people?[…]"


def test_a_request_line_that_names_no_one_is_kept():
    assert redact('"GET /kerja/ HTTP/1.1" 200 10') == '"GET /kerja/ HTTP/1.1" 200 10'
    # Longer numbers (17 digits and more) are not read as a NIK; 16 digits among words are.
    assert redact(f"nik {NIK}.") == f"nik {MASKED}."
    assert redact("12345678901234567") == "12345678901234567"


def test_the_runserver_handler_writes_through_the_filter(written):
    """Django's development server logs each request as its handler does."""
    from django.core.servers.basehttp import WSGIRequestHandler

    handler = WSGIRequestHandler.__new__(WSGIRequestHandler)
    handler.request = None
    handler.client_address = ("127.0.0.1", 5000)
    handler.requestline = f"GET /kerja/cari/?q={NIK} HTTP/1.1"
    handler.log_request(200, 1234)
    line = written.getvalue()
    assert NIK not in line
    assert "/kerja/cari/?[…]" in line
