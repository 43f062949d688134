"""Fixtures for every test, registered the pytest way: the shared ones live in the apps' test
packages and are listed here, so no test imports a fixture from another module."""

import pytest

pytest_plugins = [
    "jamsos.core.tests.translations",
    "jamsos.membership.tests.fixtures",
]


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    """Tests create accounts; the production hasher's cost is not what they test."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
