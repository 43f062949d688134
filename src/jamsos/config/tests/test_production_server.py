"""The production profile as it is served: ``make serve-production`` (gunicorn and the task
worker, settings from the environment only) on a free loopback port, probed over HTTP as the
reverse proxy would forward (``X-Forwarded-Proto: https``).

It runs on PostgreSQL when ``JAMSOS_TEST_DATABASE_URL`` names a server (in a database of its own
beside the test database, dropped afterwards), else on a SQLite file in a temporary folder.
"""

from __future__ import annotations

import http.client
import os
import re
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import dj_database_url
import pytest

from jamsos.config.tests.test_settings import LONG_KEY

pytestmark = pytest.mark.production

REPOSITORY = Path(__file__).resolve().parents[4]
NIK = "3201010101900001"


@dataclass
class Server:
    port: int
    process: subprocess.Popen[str]
    log_path: Path

    def stop(self) -> str:
        """Stops gunicorn and the task worker (the whole process group); the server's output."""
        try:
            os.killpg(self.process.pid, signal.SIGTERM)
            self.process.wait(timeout=30)
        except ProcessLookupError:
            pass
        except subprocess.TimeoutExpired:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait(timeout=10)
        return self.log_path.read_text(encoding="utf-8")

    def get(self, path: str, *, https: bool = True) -> tuple[int, dict[str, str], str]:
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=20)
        headers = {"Host": "127.0.0.1", "Accept-Encoding": "identity"}
        if https:
            headers["X-Forwarded-Proto"] = "https"
        connection.request("GET", path, headers=headers)
        response = connection.getresponse()
        body = response.read().decode("utf-8", "replace")
        connection.close()
        return response.status, {k.lower(): v for k, v in response.getheaders()}, body


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture
def database_url(tmp_path: Path) -> Iterator[str]:
    test_url = os.environ.get("JAMSOS_TEST_DATABASE_URL", "")
    if not test_url.startswith(("postgres://", "postgresql://")):
        yield f"sqlite:///{tmp_path / 'production.sqlite3'}"
        return
    import psycopg

    config = dj_database_url.parse(test_url)
    name = f"{config['NAME']}_serve"
    admin = test_url.rsplit("/", 1)[0] + "/postgres"
    with psycopg.connect(admin, autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}"')
        connection.execute(f'CREATE DATABASE "{name}"')
    try:
        yield test_url.rsplit("/", 1)[0] + "/" + name
    finally:
        with psycopg.connect(admin, autocommit=True) as connection:
            connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture
def server(tmp_path: Path, database_url: str) -> Iterator[Server]:
    port = _free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith(("JAMSOS_", "DJANGO_"))}
    env.update(
        {
            "DATABASE_URL": database_url,
            "JAMSOS_SECRET_KEY": LONG_KEY,
            "JAMSOS_ALLOWED_HOSTS": "127.0.0.1",
            "JAMSOS_TRUSTED_ORIGINS": f"https://127.0.0.1:{port}",
            "JAMSOS_VAR_DIR": str(tmp_path / "var"),
            "JAMSOS_BIND": f"127.0.0.1:{port}",
            "JAMSOS_WEB_WORKERS": "1",
            "PYTHONPATH": str(REPOSITORY / "src"),
        }
    )
    log_path = tmp_path / "server.log"
    log = log_path.open("w", encoding="utf-8")
    process = subprocess.Popen(
        ["make", "-s", "serve-production", f"BIN={Path(sys.executable).parent}"],
        cwd=REPOSITORY,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
        text=True,
        start_new_session=True,
    )
    running = Server(port, process, log_path)
    try:
        deadline = time.monotonic() + 240  # a loaded machine
        while True:
            assert process.poll() is None, log_path.read_text(encoding="utf-8")
            try:
                with socket.create_connection(("127.0.0.1", port), timeout=1):
                    break
            except OSError:
                assert time.monotonic() < deadline, log_path.read_text(encoding="utf-8")
                time.sleep(0.2)
        yield running
    finally:
        running.stop()
        log.close()


def _csp(headers: dict[str, str]) -> dict[str, str]:
    policy = headers.get("content-security-policy", "")
    return {
        part.strip().split(" ", 1)[0]: part.strip().partition(" ")[2]
        for part in policy.split(";")
        if part.strip()
    }


def test_the_production_server_answers_with_its_headers_static_files_and_error_pages(
    server: Server,
) -> None:
    # a page: 200 with the policy and the security headers
    status, headers, home = server.get("/")
    assert status == 200, home
    csp = _csp(headers)
    assert csp["default-src"] == "'self'"
    assert csp["script-src"] == "'self'"
    assert csp["frame-ancestors"] == "'none'"
    assert csp["object-src"] == "'none'"
    assert [d for d, v in csp.items() if "unsafe-inline" in v] == ["style-src-attr"]
    assert "unsafe-eval" not in headers["content-security-policy"]
    assert headers["strict-transport-security"] == "max-age=31536000; includeSubDomains; preload"
    assert headers["x-content-type-options"] == "nosniff"
    assert headers["referrer-policy"] == "same-origin"
    assert headers["x-frame-options"] == "DENY"
    assert "secure" in headers.get("set-cookie", "secure").lower()

    # plain HTTP is sent to HTTPS
    status, headers, _ = server.get("/", https=False)
    assert status == 301
    assert headers["location"].startswith("https://")

    # the style sheet: collected with a hashed name, cached for long, compressed beside
    css = re.search(r'href="(/static/web/jamsos\.[0-9a-f]{12}\.css)"', home)
    assert css, "the page links the collected, hashed style sheet"
    status, headers, body = server.get(css.group(1))
    assert status == 200
    assert headers["content-type"].startswith("text/css")
    assert "immutable" in headers["cache-control"]
    assert int(re.search(r"max-age=(\d+)", headers["cache-control"]).group(1)) >= 31_536_000
    assert ".w-37{width:37%}" in body

    # an unknown address: the site's 404 page in Bahasa Indonesia, nothing of the server
    status, headers, page = server.get(f"/tidak-ada/?nik={NIK}")
    assert status == 404
    assert "Halaman tidak ditemukan" in page
    assert '<html lang="id">' in page
    for debug in ("Traceback", "URLconf", "DEBUG", "settings.py", "Page not found (404)"):
        assert debug not in page
    assert "content-security-policy" in headers

    # the API docs: loaded from the site's own files, under the same policy
    status, headers, docs = server.get("/api/v1/docs")
    assert status == 200
    assert _csp(headers)["script-src"] == "'self'"
    scripts = re.findall(r"<script([^>]*)>", docs)
    assert scripts
    for attributes in scripts:
        assert 'src="/static/' in attributes or 'type="application/json"' in attributes
    status, _, spec = server.get("/api/v1/openapi.json")
    assert status == 200
    assert '"openapi"' in spec

    # the access log names requests without their query strings
    server.get(f"/?q={NIK}")
    log = server.stop()
    assert '"GET / HTTP/1.1" 200' in log
    assert '"GET /tidak-ada/ HTTP/1.1" 404' in log
    assert NIK not in log
