"""Numbers, money and rates for people: the Indonesian way in id, the English way in en."""

from __future__ import annotations

from decimal import Decimal

import pytest

from jamsos.core.formatting import (
    format_money,
    format_number,
    format_period,
    format_rate,
    language_of,
    render_notes,
)
from jamsos.legal import Note, Period


@pytest.mark.parametrize(
    ("value", "language", "expected"),
    [
        (0, "id", "0"),
        (999, "id", "999"),
        (1000, "id", "1.000"),
        (1234567, "id", "1.234.567"),
        (-1234567, "id", "-1.234.567"),
        (1234567, "en", "1,234,567"),
    ],
)
def test_format_number(value, language, expected):
    assert format_number(value, language) == expected


def test_format_money():
    assert format_money(1234567, "id") == "Rp1.234.567"
    assert format_money(12000, "en") == "Rp12,000"
    assert format_money(0, "id") == "Rp0"
    assert format_money(-5000, "en") == "-Rp5,000"


@pytest.mark.parametrize(
    ("rate", "language", "expected"),
    [
        ("0.0024", "id", "0,24%"),
        ("0.0024", "en", "0.24%"),
        ("0.037", "id", "3,7%"),
        ("0.02", "id", "2%"),
        ("0.000089", "id", "0,0089%"),
        (Decimal("0.5"), "en", "50%"),
        ("12.5", "id", "1.250%"),
        (None, "id", ""),
    ],
)
def test_format_rate(rate, language, expected):
    assert format_rate(rate, language) == expected


def test_format_period_names_the_month():
    assert format_period(Period(2025, 3), "id") == "Maret 2025"
    assert format_period(Period(2025, 3), "en") == "March 2025"


@pytest.mark.parametrize(
    ("code", "expected"),
    [("en-US", "en"), ("EN", "en"), ("id", "id"), ("fr", "id"), (None, "id"), ("", "id")],
)
def test_language_of(code, expected):
    assert language_of(code) == expected


def test_render_notes_groups_numbers_and_translates_engine_words():
    note = Note(
        "bpu_tier",
        {"income_idr": 3550000, "tier_idr": 3500000, "rule": "floor_to_step", "confidence": "low"},
    )
    [text] = render_notes([note], "id")
    assert text.startswith("Penghasilan Rp3.550.000 dihitung pada tingkat Rp3.500.000")
    assert "keyakinan: rendah" in text
    [text] = render_notes([note], "en")
    assert text.startswith("Income Rp3,550,000 is assessed at the Rp3,500,000 tier")
    assert "confidence: low" in text
