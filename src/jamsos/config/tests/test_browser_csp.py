"""The Content Security Policy in headless Chromium: pages that run scripts (the API docs, the
contribution simulator) work under it, and the browser reports no refusal. The coverage
dashboard's map and charts are checked the same way in coverage/tests/test_browser.py.
"""

from __future__ import annotations

import os

from jamsos.coverage.tests.test_browser import CHROMIUM
from jamsos.coverage.tests.test_browser import pytestmark as browser_marks

pytestmark = browser_marks

try:
    from playwright.sync_api import expect, sync_playwright
except ImportError:  # pragma: no cover - depends on the machine
    sync_playwright = None  # type: ignore[assignment]


def test_api_docs_and_simulator_run_under_the_policy(transactional_db, live_server) -> None:
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    base = live_server.url
    refused: list[str] = []
    errors: list[str] = []
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        page = browser.new_page()
        page.on(
            "console",
            lambda message: (
                refused.append(message.text) if "Content Security Policy" in message.text else None
            ),
        )
        page.on("pageerror", lambda error: errors.append(str(error)))

        # the API docs: Swagger UI draws the operations from the site's own files
        response = page.goto(f"{base}/api/v1/docs")
        assert response is not None
        assert "script-src 'self'" in response.headers["content-security-policy"]
        expect(page.locator(".swagger-ui .info .title")).to_contain_text(
            "Jamsos API", timeout=20_000
        )
        expect(page.locator(".opblock").first).to_be_visible()

        # the simulator: its script (a file now) shows the fields of the chosen segment only
        page.goto(f"{base}/simulasi-iuran/")
        expect(page.locator("html.js")).to_have_count(1)
        hidden = page.locator("#simulator [data-segments][hidden]")
        assert hidden.count() > 0
        browser.close()
    assert refused == []
    assert errors == []
