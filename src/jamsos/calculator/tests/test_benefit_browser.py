"""The benefit simulator in headless Chromium at 390 px: no sideways scroll, the form follows
the chosen program, and a result shows each line with its regulation.

Skipped, with the reason, when Playwright or Chromium (``/usr/bin/chromium``, or
``JAMSOS_CHROMIUM``) is not installed; under CI a skipped browser test fails (src/conftest.py).
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

CHROMIUM = os.environ.get("JAMSOS_CHROMIUM") or shutil.which("chromium") or "/usr/bin/chromium"

try:
    from playwright.sync_api import expect, sync_playwright
except ImportError:  # pragma: no cover - depends on the machine
    sync_playwright = None  # type: ignore[assignment]

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(sync_playwright is None, reason="Playwright is not installed"),
    pytest.mark.skipif(not Path(CHROMIUM).exists(), reason=f"no Chromium at {CHROMIUM}"),
]

RESULT = (
    "/simulasi-manfaat/?program=JKM&case=death&date=2025-03-10&contribution_months=48"
    "&child=SD&child=PT"
)
NO_SIDEWAYS_SCROLL = "document.documentElement.scrollWidth <= window.innerWidth"


def test_benefit_simulator_at_390_px(transactional_db, live_server) -> None:
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    base = live_server.url
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        page = browser.new_context(viewport={"width": 390, "height": 844}).new_page()
        errors: list[str] = []
        page.on("pageerror", lambda error: errors.append(str(error)))

        # given: the empty form
        page.goto(f"{base}/simulasi-manfaat/")
        assert page.evaluate(NO_SIDEWAYS_SCROLL)
        # when: JKP is chosen, only its cases and fields are offered
        page.select_option("#id_program", "JKP")
        expect(page.locator("#id_case")).to_have_value("job_loss")
        expect(page.locator("#id_wage")).to_be_visible()
        expect(page.locator("#id_average_wage")).to_be_hidden()
        page.fill("#id_wage", "4.000.000")
        page.fill("#id_date", "2025-03-10")
        page.locator("main form button[type=submit]").click()
        # then: the PP 6/2025 benefit, without sideways scroll
        expect(page.locator(".grand-total dd")).to_have_text("Rp14.400.000")
        assert page.evaluate(NO_SIDEWAYS_SCROLL)

        # and: a result with scholarships fits too, each line naming its regulation
        page.goto(base + RESULT)
        rows = page.locator("table.benefits tbody tr")
        expect(rows).to_have_count(5)
        for index in range(5):
            expect(rows.nth(index).locator("td.reference")).to_contain_text("PP 82/2019")
        assert page.evaluate(NO_SIDEWAYS_SCROLL)
        page.locator("details.more summary").last.click()
        assert page.evaluate(NO_SIDEWAYS_SCROLL)
        assert errors == []
        browser.close()
