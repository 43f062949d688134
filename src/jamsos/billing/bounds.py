"""The money and dates billing accepts, in one place (docs/billing/payments.md "Bounds").

Every entry path (API, command line, statement files in a dry run and for real, the services)
checks against these; anything outside is refused with a billing refusal naming the field.
"""

from __future__ import annotations

from datetime import date, timedelta

from jamsos.core.clock import today_in_jakarta

#: The programs' contributions start on 1 July 2015, when PP 44, 45 and 46 of 2015 (JKK and JKM,
#: JHT, JP) take effect: nothing is billed before it, so no payment, arrears or JHT entry is.
PROGRAMS_START = date(2015, 7, 1)

#: The earliest value date of a payment. A later payment dated earlier would reverse the
#: penalties its rupiah bore; a date before any invoice can exist is a slip.
PAID_ON_FIRST = PROGRAMS_START

#: The smallest payment, in whole rupiah.
AMOUNT_MIN_IDR = 1

#: The largest single payment, in whole rupiah: Rp 100.000.000.000 (a hundred billion). The
#: largest employer's monthly contributions are a small part of it; a bank transfer above it is
#: not a contribution payment. It keeps every sum of payments far inside a 64-bit integer.
AMOUNT_MAX_IDR = 100_000_000_000

#: The dates a reading "as of" may ask for: from :data:`PROGRAMS_START` to a year ahead of
#: today in Jakarta (a date further ahead is a slip, not a question).
AS_OF_FIRST = PROGRAMS_START
AS_OF_DAYS_AHEAD = 366

#: The first year of a JHT statement; the last is this year in Jakarta.
JHT_FIRST_YEAR = PROGRAMS_START.year


def as_of_last(today: date | None = None) -> date:
    """The latest date a reading "as of" may ask for."""
    return (today or today_in_jakarta()) + timedelta(days=AS_OF_DAYS_AHEAD)


def jht_last_year(today: date | None = None) -> int:
    """The latest year a JHT statement may ask for."""
    return (today or today_in_jakarta()).year


def rupiah_text(amount: int) -> str:
    """``Rp 100.000.000.000``: an amount as a message names a bound."""
    return "Rp " + f"{amount:,}".replace(",", ".")
