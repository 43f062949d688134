"""Working days in Indonesia: weekends and national public holidays (libur nasional) are off.

Holidays come from libraries, never a hand-typed list (ADR 0003): lokal-id for the years it
carries from the official SKB 3 Menteri, python-holidays for the other years. Cuti bersama
(collective leave) is not a day off for payment deadlines: banks and payment channels stay open.
"""

from __future__ import annotations

import functools
from datetime import date, timedelta

import holidays as python_holidays
from lokal import holidays as lokal_holidays

from jamsos.legal.errors import LegalInputError

#: python-holidays covers Indonesia from these years on; earlier years are not needed here.
FIRST_HOLIDAY_YEAR = 2015
LAST_HOLIDAY_YEAR = 2030


@functools.cache
def public_holidays(year: int) -> frozenset[date]:
    """National public holidays of ``year`` (libur nasional)."""
    if year in lokal_holidays.HOLIDAY_YEARS:
        return frozenset(
            date.fromisoformat(h.date)
            for h in lokal_holidays.get_holidays(year).holidays
            if h.type == "libur_nasional"
        )
    if FIRST_HOLIDAY_YEAR <= year <= LAST_HOLIDAY_YEAR:
        return frozenset(python_holidays.country_holidays("ID", years=year).keys())
    raise LegalInputError("period", "no_holiday_data", year=year)


def is_working_day(day: date) -> bool:
    return day.weekday() < 5 and day not in public_holidays(day.year)


def next_working_day(day: date) -> date:
    """``day`` itself if it is a working day, else the first working day after it."""
    while not is_working_day(day):
        day += timedelta(days=1)
    return day


def previous_working_day(day: date) -> date:
    """``day`` itself if it is a working day, else the last working day before it."""
    while not is_working_day(day):
        day -= timedelta(days=1)
    return day
