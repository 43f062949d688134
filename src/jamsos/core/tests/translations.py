"""A session fixture that compiles the .po catalogues, for tests run without `make`.

The .mo files are generated, not committed. Import ``compiled_translations`` into a tests
package's conftest.py to have them before any page or message is rendered.
"""

from __future__ import annotations

import pytest
from django.conf import settings
from django.core.management import call_command
from django.core.signals import setting_changed


@pytest.fixture(scope="session", autouse=True)
def compiled_translations() -> None:
    call_command("compile_translations", verbosity=0)
    # A catalogue read before the .mo existed is cached per process: have Django reload it.
    setting_changed.send(
        sender=None, setting="LOCALE_PATHS", value=settings.LOCALE_PATHS, enter=True
    )
