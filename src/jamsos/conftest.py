"""Fixtures for every test."""

import pytest


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    """Tests create accounts; the production hasher's cost is not what they test."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
