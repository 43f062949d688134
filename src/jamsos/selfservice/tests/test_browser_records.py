"""The worker's records on a 390 px wide phone in headless Chromium: signed in, the page of
contributions, JHT, JP, JKP and claims fits the screen, every table cell shows its label, the
card's check page opens and fits too.

Skipped, with the reason, when Playwright or Chromium is missing (see test_browser.py).
"""

from __future__ import annotations

import os

import pytest

from jamsos.selfservice.tests.test_browser import CHROMIUM, PHONE, fits_the_screen, sync_playwright
from jamsos.selfservice.tests.test_records import world  # noqa: F401  (the fixture)

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(sync_playwright is None, reason="Playwright is not installed"),
    pytest.mark.skipif(not os.path.exists(CHROMIUM), reason=f"no Chromium at {CHROMIUM}"),
]

PASSWORD = "Sawah-Hijau-2026!"


def test_records_on_a_phone(transactional_db, live_server, world) -> None:  # noqa: F811
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    world.user.set_password(PASSWORD)
    world.user.save()
    base = live_server.url
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        page = browser.new_context(viewport=PHONE, is_mobile=True).new_page()
        page.goto(f"{base}/peserta/masuk/")
        page.fill("#id_identifier", world.membership.kpj)
        page.fill("#id_password", PASSWORD)
        page.locator("main form button[type=submit]").click()
        page.wait_for_url(f"{base}/peserta/")
        page.goto(f"{base}/peserta/ringkasan/")
        assert page.locator("h1").inner_text() == "Data saya"
        fits_the_screen(page)
        assert page.locator("[data-gaps]").is_visible()
        assert page.locator("[data-arrears]").is_visible()
        assert page.locator("[data-no-opening]").is_visible()
        assert page.locator("[data-rate-unknown]").count() == 1
        assert page.locator(".worker-qr svg").is_visible()
        # On a phone each row is a card: every cell shows its label before its value.
        unlabelled = page.evaluate(
            """() => [...document.querySelectorAll('.data-table tbody td, .data-table tbody th')]
            .filter(c => !c.dataset.label
                || getComputedStyle(c, '::before').content.replaceAll('"', '') !== c.dataset.label)
            .map(c => c.textContent)"""
        )
        assert unlabelled == []
        header_hidden = page.evaluate(
            "() => document.querySelector('.data-table thead').getBoundingClientRect().height"
        )
        assert header_hidden <= 1
        page.locator("[data-verify-link]").click()
        page.wait_for_url(f"{base}/verifikasi/**")
        assert page.locator("[data-active=yes]").is_visible()
        fits_the_screen(page)
        browser.close()
