"""Fixtures for every test, registered the pytest way: the shared ones live in the apps' test
packages and are listed here, so no test imports a fixture from another module."""

import os
import uuid

import pytest

pytest_plugins = [
    "jamsos.core.tests.translations",
    "jamsos.membership.tests.fixtures",
]


@pytest.fixture(scope="session", autouse=True)
def _static_files_indexed_once():
    """Every test client builds the middleware chain again, and WhiteNoise's middleware lists and
    stats every static file when it is built (about three quarters of a simple page request in a
    test). The list is the same for the whole run: build it once and hand it to each new chain."""
    from whitenoise.middleware import WhiteNoiseMiddleware

    original = WhiteNoiseMiddleware.add_files_from_finders
    indexed: dict[tuple[object, ...], dict[str, object]] = {}

    def add_files_once(self: WhiteNoiseMiddleware) -> None:
        key = (self.static_prefix, self.max_age, self.allow_all_origins, self.index_file)
        if key not in indexed:
            original(self)
            indexed[key] = dict(self.files)
        self.files.update(indexed[key])

    WhiteNoiseMiddleware.add_files_from_finders = add_files_once  # type: ignore[method-assign]
    yield
    WhiteNoiseMiddleware.add_files_from_finders = original  # type: ignore[method-assign]


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    """Tests create accounts; the production hasher's cost is not what they test."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _own_cache_keys(settings):
    """Each test counts its abuse limits under keys of its own, in the configured cache (the
    database's table, which a test that commits, such as a browser test, does not empty)."""
    settings.CACHES = {
        name: {**config, "KEY_PREFIX": f"test-{uuid.uuid4().hex[:12]}"}
        for name, config in settings.CACHES.items()
    }


@pytest.fixture(autouse=True)
def _no_invoice_at_registration(settings):
    """Tests build their invoices by the billing run or by hand: a BPU registration does not
    issue its first invoice at once (jamsos.selfservice's tests turn it back on)."""
    settings.BILL_BPU_AT_REGISTRATION = False


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    """Under CI a skipped browser or Spark test is a failure: CI must have Chromium, and the
    ``spark`` extra with Java (.ci/run installs them)."""
    outcome = yield
    report = outcome.get_result()
    if not (report.skipped and os.environ.get("CI")):
        return
    for kind in ("browser", "spark"):
        if item.get_closest_marker(kind):
            reason = report.longrepr[2] if isinstance(report.longrepr, tuple) else report.longrepr
            report.outcome = "failed"
            report.longrepr = f"{kind} test skipped under CI: {reason}"
            return


def pytest_terminal_summary(terminalreporter, exitstatus, config):
    """Name the folder of the browser suite's screenshots when the run took any."""
    import sys

    harness = sys.modules.get("jamsos.config.tests.browser.harness")
    if harness is not None and harness.SAVED:
        terminalreporter.write_line(
            f"browser screenshots: {len(harness.SAVED)} in {harness.artifacts_dir()}"
        )
