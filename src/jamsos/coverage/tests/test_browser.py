"""The dashboard in headless Chromium: sign in, see the map, click down to a village, come back
by the breadcrumbs, download an export.

Skipped, with the reason, when Playwright or Chromium (``/usr/bin/chromium``, or
``JAMSOS_CHROMIUM``) is not installed; under CI (``CI`` set) a skipped browser test fails
(src/conftest.py), and ``.ci/run`` installs Chromium when it is absent.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from jamsos.access.models import Role
from jamsos.coverage.tests.test_views import Dash
from jamsos.membership.services.accounts import user_access_grant

CHROMIUM = os.environ.get("JAMSOS_CHROMIUM") or shutil.which("chromium") or "/usr/bin/chromium"
PASSWORD = "jamsos-browser-test"

try:
    from playwright.sync_api import expect, sync_playwright
except ImportError:  # pragma: no cover - depends on the machine
    sync_playwright = None  # type: ignore[assignment]

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(sync_playwright is None, reason="Playwright is not installed"),
    pytest.mark.skipif(not Path(CHROMIUM).exists(), reason=f"no Chromium at {CHROMIUM}"),
]


def test_dashboard_map_drill_down_breadcrumbs_and_export(
    transactional_db,
    live_server,
    dash: Dash,
    tmp_path: Path,
) -> None:
    user_access_grant(username="c-browser", role=Role.ANALYST, password=PASSWORD)
    # Playwright's sync API runs an event loop in this thread; the ORM is done by now.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    base = live_server.url
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        context = browser.new_context(
            accept_downloads=True, viewport={"width": 1280, "height": 900}
        )
        page = context.new_page()
        errors: list[str] = []
        page.on("pageerror", lambda error: errors.append(str(error)))
        # the Content Security Policy (config/settings.py) lets the map and charts draw
        refused: list[str] = []
        page.on(
            "console",
            lambda message: (
                refused.append(message.text) if "Content Security Policy" in message.text else None
            ),
        )
        outside: list[str] = []
        page.on(
            "request",
            lambda request: None if request.url.startswith(base) else outside.append(request.url),
        )
        # given: signed in through the sign-in form (not the language buttons)
        page.goto(f"{base}/masuk/")
        page.fill("#id_username", "c-browser")
        page.fill("#id_password", PASSWORD)
        page.locator("main form button[type=submit]").first.click()
        page.wait_for_url(lambda url: "/masuk/" not in url)

        # when: the nation's dashboard opens, the map shows both provinces with boundaries
        page.goto(f"{base}/cakupan/")
        regions_on_map = page.locator("#coverage-map path.choroplethlocation")
        expect(regions_on_map).to_have_count(2, timeout=20_000)
        expect(page.locator('[data-figure="active"]')).to_have_text("45.870.123")
        expect(page.locator("#coverage-tiles")).to_be_hidden()  # the map replaces the tiles

        # then: a click on Jawa Barat on the map opens the province
        page.locator("#coverage-map").scroll_into_view_if_needed()
        box = regions_on_map.first.bounding_box()
        assert box is not None
        # (Plotly reports a click on the region under the pointer: hover first, then click.)
        x, y = box["x"] + box["width"] / 2, box["y"] + box["height"] / 2
        for step in range(6):
            page.mouse.move(x - 3 + step, y - 3 + step)
            page.wait_for_timeout(60)
        expect(page.locator("#coverage-map .hovertext")).to_contain_text("Jawa Barat")
        page.mouse.click(x + 2, y + 2)
        page.wait_for_url("**/cakupan/?wilayah=32*")
        expect(page.locator("h1")).to_contain_text("Jawa Barat")
        # regencies have no boundaries here: the bar chart and the tiles stand in for the map
        expect(page.locator("#coverage-bars .main-svg").first).to_be_visible(timeout=20_000)
        expect(page.locator("#coverage-tiles")).to_be_visible()

        # down to a village through the table
        for name in ("Kabupaten Bandung", "Cileunyi", "Cileunyi Kulon"):
            page.locator("#anak-wilayah tbody th a", has_text=name).first.click()
            expect(page.locator("h1")).to_contain_text(name)
        expect(page.locator('[data-figure="active"]')).to_have_text("6.000")
        # 6,000 / (20,000 x 0.7080): the agency's potential, the default reading
        expect(page.locator('[data-figure="rate"]')).to_have_text("42,4%")
        expect(page.locator("#coverage-series .main-svg").first).to_be_visible()

        # and back up by the breadcrumbs
        page.locator(".coverage-crumbs a", has_text="Kabupaten Bandung").click()
        expect(page.locator("h1")).to_contain_text("Kabupaten Bandung")
        page.locator(".coverage-crumbs a").first.click()
        expect(page.locator('[data-figure="active"]')).to_have_text("45.870.123")

        # an export downloads as a file
        page.goto(f"{base}/cakupan/?wilayah=32")
        with page.expect_download() as info:
            page.locator("#anak-wilayah a", has_text="CSV").first.click()
        download = info.value
        saved = tmp_path / download.suggested_filename
        download.save_as(saved)
        content = saved.read_text(encoding="utf-8")
        assert download.suggested_filename == "cakupan-32-2025-04.csv"
        assert "32.04,Kabupaten Bandung" in content
        assert "560000" in content

        context.close()
        browser.close()
    assert errors == []
    assert refused == []
    assert outside == []  # nothing fetched from elsewhere (no CDN)


@pytest.mark.parametrize("path", ["/cakupan/prioritas/", "/cakupan/", "/cakupan/?wilayah=32"])
def test_pages_fit_a_390_px_phone(transactional_db, live_server, dash: Dash, path: str) -> None:
    """No sideways scroll at 390 px: the document is no wider than the viewport."""
    user_access_grant(username="c-phone", role=Role.ANALYST, password=PASSWORD)
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    base = live_server.url
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        context = browser.new_context(viewport={"width": 390, "height": 844})
        page = context.new_page()
        page.goto(f"{base}/masuk/")
        page.fill("#id_username", "c-phone")
        page.fill("#id_password", PASSWORD)
        page.locator("main form button[type=submit]").first.click()
        page.wait_for_url(lambda url: "/masuk/" not in url)
        page.goto(base + path)
        page.wait_for_load_state("networkidle")
        width = page.evaluate("document.documentElement.scrollWidth")
        context.close()
        browser.close()
    assert width <= 390, width
