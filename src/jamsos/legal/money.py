"""Exact money arithmetic: whole rupiah, rates in millionths, round half up (ADR 0001)."""

from __future__ import annotations

from decimal import Decimal

from jamsos.legal.params import RATE_SCALE

HALF = RATE_SCALE // 2


def rate_ppm(rate: Decimal) -> int:
    """A rate as an integer number of millionths; raises if the rate is finer than that."""
    scaled = rate * RATE_SCALE
    if scaled != scaled.to_integral_value():
        raise ValueError(f"rate {rate} is finer than 1/{RATE_SCALE}")
    return int(scaled)


def apply_rate(base_idr: int, rate: Decimal) -> int:
    """``base x rate`` rounded half up to the rupiah (every operand is non-negative)."""
    return (base_idr * rate_ppm(rate) + HALF) // RATE_SCALE


def discounted(rate: Decimal, *discounts: Decimal) -> Decimal:
    """``rate x (1 - d1) x (1 - d2) ...``, exact."""
    for discount in discounts:
        rate = rate * (Decimal(1) - discount)
    return rate.normalize() if rate else Decimal(0)
