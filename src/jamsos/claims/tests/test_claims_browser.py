"""The claims pages in headless Chromium at 390 px (a phone) and 1,366 px (a laptop): the
worker's "Klaim saya", the officer's queue and a claim with its trace. No sideways scroll,
every table cell labelled for the phone, no English words on the Indonesian page (a legal
parameter's identifier, shown as code, is a name and not checked).

Skipped, with the reason, when Playwright or Chromium (``/usr/bin/chromium``, or
``JAMSOS_CHROMIUM``) is not installed; under CI a skipped browser test fails (src/conftest.py).
"""

from __future__ import annotations

import os
import re
import shutil
from datetime import date
from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client

from jamsos.claims.rules import DOCUMENTS
from jamsos.claims.services.documents import document_add
from jamsos.claims.services.intake import ClaimInput, claim_submit
from jamsos.claims.services.payment import claim_pay
from jamsos.claims.services.workflow import claim_approve, claim_verify
from jamsos.claims.tests.conftest import PDF, TODAY

CHROMIUM = os.environ.get("JAMSOS_CHROMIUM") or shutil.which("chromium") or "/usr/bin/chromium"

try:
    from playwright.sync_api import sync_playwright
except ImportError:  # pragma: no cover - depends on the machine
    sync_playwright = None  # type: ignore[assignment]

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(sync_playwright is None, reason="Playwright is not installed"),
    pytest.mark.skipif(not Path(CHROMIUM).exists(), reason=f"no Chromium at {CHROMIUM}"),
]

NO_SIDEWAYS_SCROLL = "document.documentElement.scrollWidth <= document.documentElement.clientWidth"
#: Table cells a phone shows as label + value: every one needs its label.
UNLABELLED_CELLS = (
    "Array.from(document.querySelectorAll('main td'))"
    ".filter(td => !(td.getAttribute('data-label') || '').trim()).length"
)
#: English labels and raw codes that must not show on the Indonesian pages.
ENGLISH = (
    "My claims",
    "Claims queue",
    "Insured person",
    "Amount",
    "Decision due",
    "Submitted",
    "Approved",
    "Paid",
    "Wage replacement",
    "wage_replacement",
    "temporary_disability",
    "partial_10",
    "lump_sum",
    "How the amount was computed",
    "confidence",
    "high",
    "submitted",
    "approved",
    "Documents",
    "History",
)
WIDTHS = (390, 1366)
#: The page's words; a legal parameter's identifier (``<code>``) is a name, not a word.
MAIN_TEXT_WITHOUT_CODE = """(() => {
  const main = document.querySelector('main').cloneNode(true);
  main.querySelectorAll('code').forEach(c => c.remove());
  document.body.appendChild(main);
  const text = main.innerText;
  main.remove();
  return text;
})()"""


def _stmb_paid(cw):
    officer = cw.scope("officer")
    claim = claim_submit(
        officer,
        ClaimInput(
            nik=cw.young.person.nik,
            program="JKK",
            case="temporary_disability",
            event_date=date(2026, 10, 5),
            months_unable=18,
            claimant_name="Agus Pratama",
            bank_code="009",
            account_number="0123456789",
            account_name="Agus Pratama",
        ),
        today=TODAY,
    )
    for kind in DOCUMENTS[("JKK", "temporary_disability")]:
        document_add(officer, claim.number, kind=kind, name="d.pdf", content=PDF)
    claim_verify(officer, claim.number)
    if claim_approve(officer, claim.number).status != "approved":
        claim_approve(cw.scope("officer2"), claim.number)
    claim_pay(officer, claim.number, idempotency_key="browser-stmb")
    return claim


def _open_claim(cw):
    return claim_submit(
        cw.scope("worker"),
        ClaimInput(
            nik=cw.person.nik,
            program="JHT",
            case="partial_10",
            event_date=TODAY,
            bank_code="008",
            account_number="1234567890123",
            account_name="Siti Rahayu",
        ),
        today=TODAY,
    )


def _session(cw, name: str) -> str:
    client = Client()
    client.force_login(cw.users[name])
    return client.cookies[settings.SESSION_COOKIE_NAME].value


def _english_words(text: str) -> list[str]:
    return [word for word in ENGLISH if re.search(rf"\b{re.escape(word)}\b", text)]


def test_claims_pages_at_390_and_1366_px(transactional_db, cw, live_server) -> None:
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    stmb = _stmb_paid(cw)
    _open_claim(cw)
    base = live_server.url
    visits = [
        ("young", "/klaim/", "Klaim saya"),
        ("officer", "/klaim/antrean/", "Antrean klaim"),
        ("officer", f"/klaim/{stmb.number}/", stmb.number),
    ]
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        errors: list[str] = []
        for width in WIDTHS:
            for who, path, heading in visits:
                context = browser.new_context(viewport={"width": width, "height": 844})
                context.add_cookies(
                    [
                        {
                            "name": settings.SESSION_COOKIE_NAME,
                            "value": _session(cw, who),
                            "url": base,
                        },
                        {"name": settings.LANGUAGE_COOKIE_NAME, "value": "id", "url": base},
                    ]
                )
                page = context.new_page()
                page.on("pageerror", lambda error: errors.append(str(error)))
                response = page.goto(base + path)
                assert response is not None
                assert response.status == 200, (width, path)
                where = f"{path} at {width} px"
                assert heading in page.locator("main h1").inner_text(), where
                assert page.evaluate(NO_SIDEWAYS_SCROLL), where
                assert page.evaluate(UNLABELLED_CELLS) == 0, where
                text = page.evaluate(MAIN_TEXT_WITHOUT_CODE)
                assert _english_words(text) == [], where
                if path.startswith(f"/klaim/{stmb.number}"):
                    # the trace: both STMB rates with their regulation, in Indonesian
                    lines = page.locator(".trace-line")
                    assert lines.count() == 2, where
                    assert "PP 82/2019" in lines.first.inner_text(), where
                context.close()
        assert errors == []
        browser.close()
