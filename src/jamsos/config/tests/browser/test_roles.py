"""Each role's main task in headless Chromium, at 1,366 x 768 and 390 x 844, with every page
on the way checked (harness.py: no sideways scroll, figures named, no English on an Indonesian
page, a one-line header on a wide screen, labels on phone cards) and a screenshot of it kept.

One test over a small demo world built once (conftest.py); each role is a subtest, so a role's
failure names it and the other roles still run. Skipped, with the reason, when Playwright or
Chromium is missing; under CI (``CI`` set) a skipped browser test fails (src/conftest.py), and
``.ci/run`` installs Chromium when it is absent.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.contrib.auth import get_user_model

from jamsos.access.services import DEMO_PASSWORD
from jamsos.billing.models import CaseContact
from jamsos.config.tests.browser.conftest import world_build
from jamsos.config.tests.browser.harness import DESKTOP, PHONE, Visit
from jamsos.membership.models import Membership, WageReport

try:
    from playwright.sync_api import Page, expect
except ImportError:  # pragma: no cover - depends on the machine
    Page = Any  # type: ignore[assignment,misc]

pytestmark = [pytest.mark.browser]


def open_as(chromium: Any, site: str, username: str | None, size: dict[str, int], state: Any):
    """A page in a new context of ``size``, signed in as ``username`` (through the form the
    first time, then with the same session cookie)."""
    context = chromium.new_context(
        viewport=size,
        is_mobile=size is PHONE,
        has_touch=size is PHONE,
        locale="id-ID",
        storage_state=state,
    )
    page = context.new_page()
    page.set_default_timeout(30_000)
    if username and state is None:
        page.goto(f"{site}/masuk/")
        page.fill("#id_username", username)
        page.fill("#id_password", DEMO_PASSWORD)
        page.locator("main form button[type=submit]").first.click()
        page.wait_for_url(lambda url: "/masuk/" not in url)
    return page


# --- each role's main task: (page, site, visit, size name) --------------------------------------


def anonymous(page: Page, site: str, visit: Visit, size: str) -> None:
    """Anyone: the home page, then "Am I protected?" with a member's NIK and birth date."""
    page.goto(site + "/")
    visit.check(page, "home")
    person = Membership.objects.filter(status="active", segment="PU").first().person
    page.goto(site + "/cek-kepesertaan/")
    visit.check(page, "check")
    page.fill("#id_nik", person.nik)
    page.fill("#id_birth_date", person.birth_date.isoformat())
    page.locator("main form button[type=submit]").click()
    expect(page.locator("#check-answer")).to_contain_text("Ya")
    visit.check(page, "check-answer")


def worker(page: Page, site: str, visit: Visit, size: str) -> None:
    """A worker: the card, then the summary of their membership and payments."""
    page.goto(site + "/peserta/")
    visit.check(page, "card")
    page.goto(site + "/peserta/ringkasan/")
    expect(page.locator("main h1")).to_be_visible()
    visit.check(page, "summary")


def employer(page: Page, site: str, visit: Visit, size: str) -> None:
    """An employer: its company's bills, then a worker's wage reported for the month."""
    page.goto(site + "/iuran/")
    visit.check(page, "bills")
    user = get_user_model().objects.get(username="demo-perusahaan")
    # one worker on the desktop, another on the phone: a month's wage is reported once
    membership = Membership.objects.filter(
        employer=user.jamsos_access.employer, status="active", segment="PU"
    ).order_by("pk")[0 if size == "desktop" else 1]
    before = WageReport.objects.filter(membership=membership).count()
    page.goto(f"{site}/kerja/kepesertaan/{membership.kpj}/upah/")
    visit.check(page, "wage-form")
    page.fill("#id_wage", "5250000")
    page.locator("main form button[type=submit]").first.click()
    expect(page.locator(".messages")).to_contain_text("5.250.000")
    visit.check(page, "wage-reported")
    assert WageReport.objects.filter(membership=membership).count() >= before


def officer(page: Page, site: str, visit: Visit, size: str) -> None:
    """A branch officer: the office's arrears, one payer's case, a call logged on it."""
    page.goto(site + "/iuran/tunggakan/")
    visit.check(page, "arrears")
    page.locator("main table a[href*='/iuran/tunggakan/']").first.click()
    page.wait_for_url("**/iuran/tunggakan/*/")
    visit.check(page, "case")
    before = CaseContact.objects.count()
    form = page.locator("main form:has(input[name=action][value=contact])")
    form.locator("select[name=channel]").select_option(index=0)
    form.locator("select[name=outcome]").select_option(index=0)
    form.locator("[name=note]").fill(f"Telepon dari uji peramban ({size})")
    form.locator("button[type=submit]").click()
    page.wait_for_load_state()
    assert CaseContact.objects.count() == before + 1
    visit.check(page, "case-logged")


def partner(page: Page, site: str, visit: Visit, size: str) -> None:
    """A partner user: its scorecard on the partner list, then its enrolment batches."""
    page.goto(site + "/mitra/")
    expect(page.locator("main table tbody tr").first).to_be_visible()
    visit.check(page, "scorecard")
    page.goto(site + "/mitra/pendaftaran/")
    visit.check(page, "batches")
    page.goto(site + "/mitra/pendaftaran/unggah/")
    visit.check(page, "upload-form")


def sponsor(page: Page, site: str, visit: Visit, size: str) -> None:
    """A sponsor (BAZNAS): its sponsored list's batch and the people it pays for."""
    page.goto(site + "/mitra/pendaftaran/")
    visit.check(page, "batches")
    page.locator("main table a[href*='/mitra/pendaftaran/']").first.click()
    page.wait_for_url("**/mitra/pendaftaran/*/")
    visit.check(page, "batch")


def analyst(page: Page, site: str, visit: Visit, size: str) -> None:
    """An analyst: the coverage dashboard with its map, then the priorities."""
    page.goto(site + "/cakupan/")
    expect(page.locator("#coverage-map .main-svg").first).to_be_visible(timeout=20_000)
    visit.check(page, "dashboard")
    page.goto(site + "/cakupan/prioritas/")
    visit.check(page, "priorities")


def admin(page: Page, site: str, visit: Visit, size: str) -> None:
    """An administrator: the work home, the billing runs, the audit trail, the outbox."""
    for name, path in (
        ("work", "/kerja/"),
        ("runs", "/iuran/penagihan/"),
        ("audit", "/kerja/audit/"),
        ("outbox", "/pesan/"),
    ):
        page.goto(site + path)
        visit.check(page, name)


TASKS: dict[str, tuple[str | None, Callable[..., None]]] = {
    "anonymous": (None, anonymous),
    "peserta": ("demo-peserta", worker),
    "perusahaan": ("demo-perusahaan", employer),
    "cabang": ("demo-cabang", officer),
    "mitra": ("demo-mitra", partner),
    "baznas": ("demo-baznas", sponsor),
    "analis": ("demo-analis", analyst),
    "admin": ("demo-admin", admin),
}


def test_each_role_does_its_main_task_on_a_desktop_and_a_phone(
    transactional_db, live_server, chromium: Any, subtests
) -> None:
    world_build()
    site = live_server.url
    for role, (username, task) in TASKS.items():
        with subtests.test(msg=role):
            visit = Visit(role)
            state = None
            for size_name, size in (("desktop", DESKTOP), ("phone", PHONE)):
                page = open_as(chromium, site, username, size, state)
                try:
                    task(page, site, visit, size_name)
                    state = page.context.storage_state()
                finally:
                    page.context.close()
            visit.assert_clean()
