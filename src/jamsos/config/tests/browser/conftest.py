"""The browser suite's world: a small demo (the demo's builders on a dozen real regions, 150
workers, every role's account), and one headless Chromium for the whole run."""

from __future__ import annotations

import os
from collections.abc import Iterator
from typing import Any

import pytest

from jamsos.config.tests.browser.harness import CHROMIUM, CHROMIUM_ARGS

try:
    from playwright.sync_api import sync_playwright
except ImportError:  # pragma: no cover - depends on the machine
    sync_playwright = None  # type: ignore[assignment]

WORKERS = 150


def world_build() -> None:
    """Regions, an office, the demo population with its partners, billing and coverage (no claims:
    no task here needs them, and they are the slowest part of the demo)."""
    from jamsos.coverage.services.build import coverage_build
    from jamsos.coverage.tests.test_views import square
    from jamsos.demo.billing import PERIODS, demo_billing_build
    from jamsos.demo.partners import demo_partners_build
    from jamsos.demo.population import demo_population_build
    from jamsos.membership.services import branch_office_create
    from jamsos.membership.tests.fixtures import REGIONS
    from jamsos.registry.models import Region, RegionBoundary
    from jamsos.registry.services.editions import edition_get_or_create
    from jamsos.registry.services.regions import region_row, regions_write

    edition, _ = edition_get_or_create(name="test-2025", make_current=True)
    regions_write(edition=edition, rows=[region_row(code, name) for code, name in REGIONS])
    by_code = {r.code: r for r in Region.objects.filter(edition=edition)}
    branch_office_create(
        code="KC3204",
        name="Kantor Cabang Bandung",
        regencies=[by_code["32.04"], by_code["32.73"]],
    )
    demo_population_build(workers=WORKERS, seed=1, progress=False)
    demo_partners_build()
    demo_billing_build()
    coverage_build(PERIODS[0], PERIODS[-1], by="browser-suite")
    for code, x in (("32", 107.0), ("65", 116.0)):
        RegionBoundary.objects.create(region=by_code[code], geometry=square(x, -7.0))


@pytest.fixture(scope="module")
def chromium() -> Iterator[Any]:
    """One headless Chromium for the suite's module; each test opens its own contexts in it.
    Not for the session: Playwright's sync API keeps an event loop in this thread while it runs,
    and the other apps' browser tests start their own."""
    if sync_playwright is None:  # pragma: no cover - depends on the machine
        pytest.skip("Playwright is not installed")
    if not os.path.exists(CHROMIUM):  # pragma: no cover - depends on the machine
        pytest.skip(f"no Chromium at {CHROMIUM}")
    # Playwright's sync API runs an event loop in this thread; the ORM calls of the tests
    # (reading what a page wrote) run beside it.
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            browser.close()
    if previous is None:
        os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
    else:
        os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous
