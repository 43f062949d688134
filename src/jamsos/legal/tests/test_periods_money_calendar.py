"""Contribution periods, rupiah arithmetic and Indonesian working days."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import holidays as python_holidays
import pytest
from lokal import holidays as lokal_holidays

from jamsos.legal.calendar import (
    is_working_day,
    next_working_day,
    previous_working_day,
    public_holidays,
)
from jamsos.legal.errors import LegalInputError
from jamsos.legal.money import apply_rate, discounted, rate_ppm
from jamsos.legal.periods import FIRST_PERIOD, Period

# --- Period -----------------------------------------------------------------------------------


def test_parse_and_print() -> None:
    period = Period.parse("2025-03")
    assert period == Period(2025, 3)
    assert str(period) == "2025-03"
    assert str(Period(987, 1)) == "0987-01"
    assert Period.parse(" 2025-03 ") == Period(2025, 3)


@pytest.mark.parametrize(
    "text",
    ["2025-3", "2025-13", "2025-00", "2025/03", "03-2025", "2025-03-01", "", "abcd-ef", "20251-03"],
)
def test_parse_rejects_bad_text(text: str) -> None:
    with pytest.raises(ValueError, match=r"YYYY-MM|month"):
        Period.parse(text)


def test_parse_rejects_non_text() -> None:
    with pytest.raises(ValueError, match="YYYY-MM"):
        Period.parse(202503)  # type: ignore[arg-type]


def test_month_out_of_range() -> None:
    with pytest.raises(ValueError, match=r"1\.\.12"):
        Period(2025, 13)
    with pytest.raises(ValueError, match=r"1\.\.12"):
        Period(2025, 0)


@pytest.mark.parametrize(
    ("period", "first", "last"),
    [
        (Period(2025, 3), date(2025, 3, 1), date(2025, 3, 31)),
        (Period(2025, 2), date(2025, 2, 1), date(2025, 2, 28)),
        (Period(2024, 2), date(2024, 2, 1), date(2024, 2, 29)),
        (Period(2025, 4), date(2025, 4, 1), date(2025, 4, 30)),
        (Period(2025, 12), date(2025, 12, 1), date(2025, 12, 31)),
    ],
)
def test_first_last_and_legal_date(period: Period, first: date, last: date) -> None:
    assert period.first_day == first
    assert period.last_day == last
    assert period.legal_date == last


def test_legal_date_puts_mid_month_changes_in_their_month() -> None:
    """A value dated 2021-02-02 (PP 37/2021) or 2025-02-07 (PP 6/2025) governs February."""
    assert Period(2021, 2).legal_date >= date(2021, 2, 2) > Period(2021, 1).legal_date
    assert Period(2025, 2).legal_date >= date(2025, 2, 7) > Period(2025, 1).legal_date


def test_index_next_and_order() -> None:
    assert Period(2025, 12).next() == Period(2026, 1)
    assert Period(2025, 3).next() == Period(2025, 4)
    assert Period.from_index(Period(2025, 12).index) == Period(2025, 12)
    assert Period(2026, 1).index - Period(2025, 12).index == 1
    assert Period(2025, 2) < Period(2025, 3) < Period(2026, 1)
    assert sorted([Period(2026, 1), Period(2015, 7), Period(2025, 12)])[0] == FIRST_PERIOD


# --- Money ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("base", "rate", "expected"),
    [
        (5_000_000, "0.0024", 12_000),  # exact
        (625, "0.0024", 2),  # 1.5 -> 2: a half rounds up
        (1_875, "0.0024", 5),  # 4.5 -> 5
        (5_000_625, "0.02", 100_013),  # 100,012.5 -> 100,013
        (5_000_625, "0.037", 185_023),  # 185,023.125 -> 185,023
        (4_321_987, "0.0127", 54_889),  # 54,889.2349 -> 54,889
        (4_321_987, "0.003", 12_966),  # 12,965.961 -> 12,966
        (8_939_700, "0.0002", 1_788),  # 1,787.94 -> 1,788
        (1, "0.0017", 0),  # 0.0017 -> 0
        (0, "0.02", 0),
        (1, "0.5", 1),  # 0.5 -> 1
        (10_547_400, "1", 10_547_400),
    ],
)
def test_apply_rate_rounds_half_up(base: int, rate: str, expected: int) -> None:
    assert apply_rate(base, Decimal(rate)) == expected


def test_rate_ppm() -> None:
    assert rate_ppm(Decimal("0.0024")) == 2400
    assert rate_ppm(Decimal("0.000024")) == 24
    assert rate_ppm(Decimal("1")) == 1_000_000
    with pytest.raises(ValueError, match="finer"):
        rate_ppm(Decimal("0.0000001"))
    with pytest.raises(ValueError, match="finer"):
        apply_rate(1_000_000, Decimal("0.00240005"))


@pytest.mark.parametrize(
    ("rate", "discounts", "expected"),
    [
        ("0.0024", ["0.99"], "0.000024"),  # PP 49/2020 JKK class I
        ("0.003", ["0.99"], "0.00003"),  # PP 49/2020 JKM
        ("0.02", ["0.99"], "0.0002"),  # PP 49/2020 JP paid
        ("0.0089", ["0.5"], "0.00445"),  # PP 7/2025 class III
        ("0.0174", ["0.5"], "0.0087"),  # PP 7/2025 class V
        ("0.0024", ["0.99", "0.5"], "0.000012"),  # discounts multiply
        ("0.0024", [], "0.0024"),
        ("0.0024", ["0"], "0.0024"),
        ("0.0024", ["1"], "0"),
    ],
)
def test_discounted(rate: str, discounts: list[str], expected: str) -> None:
    got = discounted(Decimal(rate), *(Decimal(d) for d in discounts))
    assert got == Decimal(expected)


def test_discounted_is_exact_and_plain() -> None:
    got = discounted(Decimal("0.0024"), Decimal("0.99"))
    assert got.as_tuple().exponent == -6  # 0.000024, no trailing zeros
    assert rate_ppm(got) == 24


# --- Working days ---------------------------------------------------------------------------


def test_weekends_are_not_working_days() -> None:
    assert not is_working_day(date(2025, 6, 14))  # Saturday
    assert not is_working_day(date(2025, 6, 15))  # Sunday
    assert is_working_day(date(2025, 6, 16))  # Monday
    assert is_working_day(date(2025, 4, 15))  # Tuesday


def test_2019_holidays_come_from_python_holidays() -> None:
    assert 2019 not in lokal_holidays.HOLIDAY_YEARS
    assert public_holidays(2019) == frozenset(python_holidays.country_holidays("ID", years=2019))
    assert not is_working_day(date(2019, 6, 5))  # Idul Fitri 1440 H, Wednesday
    assert not is_working_day(date(2019, 4, 17))  # general election day, Wednesday
    assert not is_working_day(date(2019, 12, 25))  # Christmas, Wednesday
    assert is_working_day(date(2019, 12, 26))


def test_2026_holidays_come_from_lokal() -> None:
    assert 2026 in lokal_holidays.HOLIDAY_YEARS
    official = {
        date.fromisoformat(h.date)
        for h in lokal_holidays.get_holidays(2026).holidays
        if h.type == "libur_nasional"
    }
    assert public_holidays(2026) == frozenset(official)
    assert not is_working_day(date(2026, 3, 19))  # Nyepi, Thursday
    assert not is_working_day(date(2026, 8, 17))  # Proklamasi Kemerdekaan, Monday
    assert not is_working_day(date(2026, 2, 17))  # Imlek, Tuesday


def test_cuti_bersama_is_a_working_day_for_payments() -> None:
    # 20 Mar 2026 (Friday) is cuti bersama for Idulfitri in the SKB 3 Menteri, not libur nasional.
    cuti = [
        h
        for h in lokal_holidays.get_holidays(2026).holidays
        if h.date == "2026-03-20" and h.type == "cuti_bersama"
    ]
    assert cuti
    assert is_working_day(date(2026, 3, 20))


def test_years_without_holiday_data_are_refused() -> None:
    with pytest.raises(LegalInputError) as excinfo:
        public_holidays(2014)
    assert (excinfo.value.field, excinfo.value.code) == ("period", "no_holiday_data")


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        (date(2025, 4, 15), date(2025, 4, 15)),  # a working day is itself
        (date(2025, 6, 15), date(2025, 6, 16)),  # Sunday -> Monday
        (date(2025, 3, 15), date(2025, 3, 17)),  # Saturday -> Monday
        (date(2026, 8, 15), date(2026, 8, 18)),  # Sat, Sun, Independence Day Mon -> Tue
        (date(2018, 6, 15), date(2018, 6, 18)),  # Idul Fitri Fri and Sat, Sun -> Mon
        (date(2019, 12, 25), date(2019, 12, 26)),  # Christmas -> Thursday
        (date(2022, 4, 15), date(2022, 4, 18)),  # Good Friday, weekend -> Monday
    ],
)
def test_next_working_day(day: date, expected: date) -> None:
    assert next_working_day(day) == expected


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        (date(2020, 9, 30), date(2020, 9, 30)),  # a working day is itself
        (date(2021, 1, 30), date(2021, 1, 29)),  # Saturday -> Friday
        (date(2021, 2, 28), date(2021, 2, 26)),  # Sunday -> Friday
        (date(2026, 8, 17), date(2026, 8, 14)),  # Independence Day Monday -> Friday
        (date(2019, 4, 19), date(2019, 4, 18)),  # Good Friday -> Thursday
        (date(2026, 3, 19), date(2026, 3, 18)),  # Nyepi -> Wednesday (cuti bersama, working)
    ],
)
def test_previous_working_day(day: date, expected: date) -> None:
    assert previous_working_day(day) == expected
