"""The Jakon and PMI pages on a 390 px phone in headless Chromium: nothing wider than the
screen, empty and after a refused submit (errors under the fields).

Skipped, with the reason, when Playwright or Chromium is not installed (a skip fails under CI,
src/conftest.py)."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from jamsos.access.models import Role
from jamsos.membership.models import BranchOffice
from jamsos.membership.services.accounts import user_access_grant

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


def test_the_jakon_and_pmi_pages_fit_a_390_px_phone(transactional_db, live_server, regions):
    user_access_grant(
        username="seg-browser",
        role=Role.BRANCH_OFFICER,
        branch_office=BranchOffice.objects.get(code="KC3204"),
        password=PASSWORD,
    )
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    base = live_server.url
    widths = {}
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        page = browser.new_context(viewport={"width": 390, "height": 844}).new_page()
        page.goto(f"{base}/masuk/")
        page.fill("#id_username", "seg-browser")
        page.fill("#id_password", PASSWORD)
        page.locator("main form button[type=submit]").first.click()
        page.wait_for_url(lambda url: "/masuk/" not in url)
        for path in ("/kerja/", "/kerja/daftar/jakon/", "/kerja/daftar/pmi/"):
            page.goto(base + path)
            widths[path] = page.evaluate("document.documentElement.scrollWidth")
        # A refused submit: every field's error under it, a long name kept in its box.
        page.goto(base + "/kerja/daftar/jakon/")
        page.fill("#id_name", "Pembangunan-Jembatan-Gantung-Desa-Cileunyi-Kulon-Tahap-Kedua" * 2)
        page.fill("#id_contract_value", "dua miliar rupiah")
        page.locator("main form button[type=submit]").first.click()
        page.wait_for_selector(".field-error")
        widths["jakon refused"] = page.evaluate("document.documentElement.scrollWidth")
        page.goto(base + "/kerja/daftar/pmi/")
        page.fill("#id_destination_country", "X")
        page.locator("main form button[type=submit]").first.click()
        page.wait_for_selector(".field-error")
        widths["pmi refused"] = page.evaluate("document.documentElement.scrollWidth")
        browser.close()
    assert widths == dict.fromkeys(widths, 390)
