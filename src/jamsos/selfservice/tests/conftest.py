"""The clock of the workers' tests: 3 March 2026, 10:00 in Jakarta (months ahead are then
limited by the law, not by the end of the known parameters)."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from django.core.cache import cache
from django.utils import timezone

NOW = datetime(2026, 3, 3, 10, 0, tzinfo=ZoneInfo("Asia/Jakarta"))


@pytest.fixture(autouse=True)
def _invoice_at_registration(settings):
    """As in production: registration issues the first invoice at once."""
    settings.BILL_BPU_AT_REGISTRATION = True


@pytest.fixture(autouse=True)
def fixed_clock(monkeypatch):
    monkeypatch.setattr(timezone, "now", lambda: NOW)
    cache.clear()
    yield NOW
    cache.clear()
