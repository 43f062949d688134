"""A session fixture that compiles the .po catalogues, for tests run without `make`.

The .mo files are generated, not committed. Registered for every test in src/conftest.py, so
they exist before any page or message is rendered.
"""

from __future__ import annotations

import gettext

import pytest
from django.conf import settings
from django.core.management import call_command
from django.core.signals import setting_changed


@pytest.fixture(scope="session", autouse=True)
def compiled_translations() -> None:
    call_command("compile_translations", verbosity=0)
    # A catalogue read before it was (re)compiled is cached per process, by Python's gettext
    # (per file) and by Django (per language): have both read the files again.
    gettext._translations.clear()  # type: ignore[attr-defined]
    setting_changed.send(
        sender=None, setting="LOCALE_PATHS", value=settings.LOCALE_PATHS, enter=True
    )
