"""The message pages on a 390 px phone in headless Chromium: nothing wider than the screen.

Skipped, with the reason, when Playwright or Chromium is not installed (a skip fails under CI,
src/conftest.py)."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from jamsos.access.models import Role
from jamsos.membership.services.accounts import user_access_grant
from jamsos.notifications.models import DeliveryAttempt
from jamsos.notifications.services import Recipient, notify

CHROMIUM = os.environ.get("JAMSOS_CHROMIUM") or shutil.which("chromium") or "/usr/bin/chromium"
PASSWORD = "jamsos-browser-test"

try:
    from playwright.sync_api import sync_playwright
except ImportError:  # pragma: no cover - depends on the machine
    sync_playwright = None  # type: ignore[assignment]

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(sync_playwright is None, reason="Playwright is not installed"),
    pytest.mark.skipif(not Path(CHROMIUM).exists(), reason=f"no Chromium at {CHROMIUM}"),
]


def test_outbox_detail_and_choices_fit_a_390_px_phone(transactional_db, live_server, regions):
    user_access_grant(username="n-browser", role=Role.ADMIN, password=PASSWORD)
    message = notify(
        "partners.enrolment_waiting",
        recipient=Recipient(
            email="petugas.kantor.cabang.kabupaten.bandung@bpjsketenagakerjaan.go.id"
        ),
        context={
            "partner": "Asosiasi Pedagang Pasar Tradisional Kabupaten Bandung",
            "batch": "daftar-pendaftaran-pedagang-pasar-cileunyi-dan-sekitarnya-2025.xlsx",
            "rows": 12345,
            "uploaded_on": "2025-06-01",
            "office": "KC3204",
        },
        idempotency_key="batch:1234567890:user:1234567890:a-rather-long-key-to-wrap",
    )
    DeliveryAttempt.objects.create(
        message=message,
        number=1,
        at=message.created_at,
        outcome="retry",
        provider_status="451",
        answer="p*********************************d@bpjsketenagakerjaan.go.id: 451 4.3.0 "
        "mailbox temporarily unavailable, please try again later",
    )
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    base = live_server.url
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        page = browser.new_context(viewport={"width": 390, "height": 844}).new_page()
        page.goto(f"{base}/masuk/")
        page.fill("#id_username", "n-browser")
        page.fill("#id_password", PASSWORD)
        page.locator("main form button[type=submit]").first.click()
        page.wait_for_url(lambda url: "/masuk/" not in url)
        widths = {}
        for path in ("/pesan/", f"/pesan/{message.pk}/", "/pesan/pilihan/"):
            page.goto(base + path)
            widths[path] = page.evaluate("document.documentElement.scrollWidth")
        browser.close()
    assert widths == dict.fromkeys(widths, 390)
