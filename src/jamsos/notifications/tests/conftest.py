"""Servers the notification tests talk to: a real SMTP server (aiosmtpd) and an HTTP server
playing the SMS and WhatsApp providers, each on a free loopback port, started and stopped by
the test that uses it. Nothing leaves the machine."""

from __future__ import annotations

import json
import socket
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest
from aiosmtpd.controller import Controller


@dataclass
class SmtpHandler:
    """Keeps what the server accepted; ``refuse`` answers RCPT with that reply instead."""

    received: list[Any] = field(default_factory=list)
    refuse: list[str] = field(default_factory=list)

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):  # noqa: N802
        if self.refuse:
            return self.refuse.pop(0)
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):  # noqa: N802
        self.received.append(envelope)
        return "250 Message accepted for delivery"


@dataclass
class Smtp:
    host: str
    port: int
    handler: SmtpHandler


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture
def smtp_server(settings) -> Iterator[Smtp]:
    handler = SmtpHandler()
    port = _free_port()
    controller = Controller(handler, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
        settings.EMAIL_HOST = "127.0.0.1"
        settings.EMAIL_PORT = port
        settings.EMAIL_USE_TLS = False
        settings.EMAIL_USE_SSL = False
        settings.EMAIL_HOST_USER = ""
        settings.EMAIL_HOST_PASSWORD = ""
        settings.EMAIL_TIMEOUT = 5
        yield Smtp("127.0.0.1", port, handler)
    finally:
        controller.stop()


@dataclass
class Provider:
    """The fake provider: the requests it got, and the answers it gives next (status, body)."""

    url: str
    requests: list[dict[str, Any]] = field(default_factory=list)
    answers: list[tuple[int, Any]] = field(default_factory=list)


@pytest.fixture
def provider(settings, tmp_path) -> Iterator[Provider]:
    state = Provider(url="")

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self):
            length = int(self.headers.get("Content-Length", 0))
            body = self.rfile.read(length).decode()
            state.requests.append({"path": self.path, "headers": dict(self.headers), "body": body})
            if state.answers:
                status, answer = state.answers.pop(0)
            elif "/Messages.json" in self.path:
                status, answer = 201, {"sid": f"SM{len(state.requests):032d}", "status": "queued"}
            else:
                to = json.loads(body).get("to", "")
                status, answer = (
                    200,
                    {
                        "messaging_product": "whatsapp",
                        "contacts": [{"input": to, "wa_id": to}],
                        "messages": [{"id": f"wamid.TEST{len(state.requests)}"}],
                    },
                )
            data = answer.encode() if isinstance(answer, str) else json.dumps(answer).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    state.url = f"http://127.0.0.1:{server.server_address[1]}"
    settings.NOTIFICATIONS = {
        **settings.NOTIFICATIONS,
        "SMS_PROVIDER": "twilio",
        "SMS_URL": state.url,
        "SMS_ACCOUNT": "AC0123456789",
        "SMS_TOKEN": "secret-token",
        "SMS_FROM": "+15005550006",
        "WHATSAPP_PROVIDER": "cloud_api",
        "WHATSAPP_URL": state.url + "/v21.0",
        "WHATSAPP_PHONE_NUMBER_ID": "106540352242922",
        "WHATSAPP_TOKEN": "wa-token",
        "HTTP_TIMEOUT": 5,
        "FILE_DIR": str(tmp_path / "messages"),
    }
    try:
        yield state
    finally:
        server.shutdown()
        server.server_close()


@pytest.fixture(autouse=True)
def _files_under_tmp(settings, tmp_path):
    """Whatever a test sends without a provider is written under its own folder."""
    settings.NOTIFICATIONS = {**settings.NOTIFICATIONS, "FILE_DIR": str(tmp_path / "messages")}
    settings.EMAIL_FILE_PATH = str(tmp_path / "mail")
