"""The public pages on a 390 px wide phone in headless Chromium: none scrolls sideways, the
check answers, and the card stays readable offline after a visit (the service worker).

Skipped, with the reason, when Playwright or Chromium is missing."""

from __future__ import annotations

import os

import pytest

from jamsos.selfservice.tests.test_browser import CHROMIUM, PHONE, fits_the_screen
from jamsos.selfservice.tests.test_journey import public_form

try:
    from playwright.sync_api import expect, sync_playwright
except ImportError:  # pragma: no cover - depends on the machine
    sync_playwright = None  # type: ignore[assignment]

from pathlib import Path

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(sync_playwright is None, reason="Playwright is not installed"),
    pytest.mark.skipif(not Path(CHROMIUM).exists(), reason=f"no Chromium at {CHROMIUM}"),
]

PAGES = [
    "/informasi/",
    "/cek-kepesertaan/",
    "/informasi/program/",
    "/informasi/kantor-cabang/",
    "/informasi/tanya-jawab/",
]


def test_public_pages_fit_a_phone_and_the_card_reads_offline(
    transactional_db, live_server, regions
) -> None:
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    base = live_server.url
    form = public_form()
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        context = browser.new_context(viewport=PHONE, is_mobile=True)
        page = context.new_page()
        errors: list[str] = []
        page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
        for path in PAGES:
            page.goto(f"{base}{path}")
            expect(page.locator("main h1")).to_be_visible()
            fits_the_screen(page)
        page.goto(f"{base}/informasi/tanya-jawab/")
        page.locator("details.faq summary").first.click()
        fits_the_screen(page)

        # Registers (the session then shows the card), then checks the NIK on the public form.
        page.goto(f"{base}/daftar-bpu/")
        for name in ("nik", "name", "phone", "domicile", "declared_income"):
            page.fill(f"#id_{name}", str(form[name]))
        page.fill("#id_birth_date", "1988-07-09")
        page.check("input[name=sex][value=F]")
        page.check("#id_agree")
        page.locator("main form button[type=submit]").first.click()
        page.wait_for_url(f"{base}/peserta/")
        page.goto(f"{base}/cek-kepesertaan/")
        page.fill("#id_nik", str(form["nik"]))
        page.fill("#id_birth_date", "1988-07-09")
        page.locator("main form button[type=submit]").click()
        expect(page.locator("#check-answer")).to_contain_text("aktif sejak")
        assert "nik" not in page.url.lower()
        fits_the_screen(page)

        # The service worker is active; a visit to the card keeps it for reading offline.
        page.evaluate("navigator.serviceWorker.ready.then(() => true)")
        page.goto(f"{base}/peserta/")
        page.wait_for_function("navigator.serviceWorker.controller !== null")
        page.goto(f"{base}/peserta/")
        va = page.locator("[data-va]").inner_text().strip()
        context.set_offline(True)
        page.goto(f"{base}/peserta/")
        expect(page.locator("[data-va]")).to_have_text(va)
        fits_the_screen(page)
        context.set_offline(False)
        assert [e for e in errors if "Content Security Policy" in e] == []
        browser.close()
