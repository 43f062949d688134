"""What the coverage-read commands add to the shared ones: Indonesian-style counts and rates."""

from __future__ import annotations

from decimal import Decimal

from jamsos.core.formatting import format_number, format_rate


def num(value: int | None, lang: str) -> str:
    return "–" if value is None else format_number(value, lang)


def pct(value: Decimal | None, lang: str) -> str:
    return "–" if value is None else format_rate(value, lang)
