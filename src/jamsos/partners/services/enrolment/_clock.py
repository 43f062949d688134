"""Today in Jakarta for every stage, read through the package's ``today_in_jakarta`` so that
one replacement of it (a test's fixed date) holds for staging and approval alike."""

from __future__ import annotations

import sys
from datetime import date, datetime


def today(now: datetime | None = None) -> date:
    package = sys.modules[__name__.rpartition(".")[0]]
    return package.today_in_jakarta(now)  # type: ignore[no-any-return]
