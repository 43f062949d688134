"""The calendar as Jamsos reads it: dates in Indonesia's western time zone (settings.TIME_ZONE)."""

from __future__ import annotations

from datetime import date, datetime

from django.utils import timezone


def today_in_jakarta(now: datetime | None = None) -> date:
    """The calendar date in Indonesia's western time zone (settings.TIME_ZONE)."""
    return timezone.localdate(now or timezone.now())
