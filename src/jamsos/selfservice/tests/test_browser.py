"""The worker's journey on a 390 px wide phone screen in headless Chromium: register, see the
amount, virtual account and QR at once, choose months ahead, create the account with the code,
sign in, see the card. No page scrolls sideways; buttons and inputs are large enough to touch.

Skipped, with the reason, when Playwright or Chromium is missing (see
jamsos.coverage.tests.test_browser).
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from jamsos.membership.models import Membership
from jamsos.notifications.models import Message
from jamsos.selfservice.tests.test_journey import NIK, PASSWORD, public_form

CHROMIUM = os.environ.get("JAMSOS_CHROMIUM") or shutil.which("chromium") or "/usr/bin/chromium"

try:
    from playwright.sync_api import Page, expect, sync_playwright
except ImportError:  # pragma: no cover - depends on the machine
    sync_playwright = None  # type: ignore[assignment]

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(sync_playwright is None, reason="Playwright is not installed"),
    pytest.mark.skipif(not Path(CHROMIUM).exists(), reason=f"no Chromium at {CHROMIUM}"),
]

PHONE = {"width": 390, "height": 844}
#: The smallest touch target accepted, in CSS pixels.
TOUCH = 44


def fits_the_screen(page: Page) -> None:
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"], f"{page.url} scrolls sideways: {width}px"
    small = page.evaluate(
        """(min) => [...document.querySelectorAll(
          'main .worker-page button:not([hidden]), main .worker-page select, '
          + 'main .worker-page input:not([type=radio]):not([type=hidden])')]
        .filter(e => e.getBoundingClientRect().height < min).map(e => e.name || e.textContent)""",
        TOUCH,
    )
    assert small == [], f"{page.url}: too small to touch: {small}"


def test_worker_journey_on_a_phone(transactional_db, live_server, regions) -> None:
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    base = live_server.url
    form = public_form()
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        page = browser.new_context(viewport=PHONE, is_mobile=True).new_page()
        page.goto(f"{base}/daftar-bpu/")
        for name in ("nik", "name", "phone", "domicile", "declared_income"):
            page.fill(f"#id_{name}", str(form[name]))
        page.fill("#id_birth_date", "1988-07-09")
        page.check("input[name=sex][value=F]")
        page.check("#id_agree")
        page.locator("main form button[type=submit]").first.click()
        page.wait_for_url(f"{base}/peserta/")
        expect(page.locator("[data-status=unpaid]")).to_be_visible()
        va = page.locator("[data-va]").inner_text().strip()
        assert va.startswith("88")
        assert len(va) == 16
        expect(page.locator(".worker-qr svg")).to_be_visible()
        fits_the_screen(page)

        page.select_option("#id_months", "3")
        page.locator(".worker-pay form button[type=submit]").click()
        expect(page.locator(".worker-due tbody tr")).to_have_count(3)
        fits_the_screen(page)

        page.goto(f"{base}/peserta/buat-akun/")
        fits_the_screen(page)
        page.fill("#id_nik", NIK)
        page.fill("#id_birth_date", "1988-07-09")
        kpj = Membership.objects.get(person__nik=NIK).kpj
        page.fill("#id_kpj", kpj)
        page.locator("main form button[type=submit]").click()
        page.wait_for_url(f"{base}/peserta/kode/")
        fits_the_screen(page)
        code = Message.objects.filter(kind="access.one_time_code").latest("pk").context["code"]
        page.fill("#id_code", str(code))
        page.fill("#id_password", PASSWORD)
        page.fill("#id_password_again", PASSWORD)
        page.locator("main form button[type=submit]").click()
        page.wait_for_url(f"{base}/peserta/")
        browser.close()
