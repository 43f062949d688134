"""Contribution periods (one calendar month)."""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date

_PERIOD = re.compile(r"^(\d{4})-(\d{2})$")


@dataclass(frozen=True, order=True)
class Period:
    """A contribution month, e.g. ``Period(2025, 3)`` for March 2025 ("2025-03")."""

    year: int
    month: int

    def __post_init__(self) -> None:
        if not 1 <= self.month <= 12:
            raise ValueError(f"month must be 1..12, got {self.month}")

    @classmethod
    def parse(cls, text: str) -> Period:
        """Parse ``YYYY-MM``; raises ValueError on anything else."""
        match = _PERIOD.match(text.strip()) if isinstance(text, str) else None
        if not match:
            raise ValueError(f"period must look like YYYY-MM, got {text!r}")
        return cls(int(match.group(1)), int(match.group(2)))

    @classmethod
    def from_index(cls, index: int) -> Period:
        """Inverse of :attr:`index`."""
        return cls(index // 12, index % 12 + 1)

    @property
    def index(self) -> int:
        """Months since year 0: consecutive periods have consecutive indexes."""
        return self.year * 12 + self.month - 1

    @property
    def first_day(self) -> date:
        return date(self.year, self.month, 1)

    @property
    def last_day(self) -> date:
        return date(self.year, self.month, calendar.monthrange(self.year, self.month)[1])

    @property
    def legal_date(self) -> date:
        """The date at which a contribution month reads its parameters: its last day.

        A value in force on any day of the month governs that month's contributions (ADR 0002).
        """
        return self.last_day

    def next(self) -> Period:
        return Period.from_index(self.index + 1)

    def __str__(self) -> str:
        return f"{self.year:04d}-{self.month:02d}"


FIRST_PERIOD = Period(2015, 7)
