"""Identifiers: NIK, NPWP, NPP, KPJ and phone numbers. Pure functions, no database.

NIK (Nomor Induk Kependudukan, UU 23/2006 as amended by UU 24/2013), 16 digits::

    PP RR DD  DDMMYY  SSSS
    district  birth   serial (0001 upwards)
              date (women: day + 40)

The year has two digits, so 1925 and 2025 read alike: a NIK is compared with a birth date on day,
month and two-digit year only. python-stdnum (``stdnum.id.nik``) checks the format and the date;
its table of places predates Kalimantan Utara (65) and the Papua provinces of 2022 (93–96), so
the place is checked against the current region edition instead (see ``services.people``).

NPP and KPJ are made here: their real formats are not public (rules.md §7 rates the KPJ format
LOW), so Jamsos uses its own, each with a Luhn check digit that catches every single-digit typo
and most swaps of neighbouring digits:

- NPP (employer): 10 digits = 2-digit province code of the employer's address at registration +
  7-digit serial within the province + Luhn check digit. ``3200000010`` is serial 1 in Jawa Barat.
- KPJ (membership): 11 digits = last two digits of the start year + 8-digit serial within that
  year + Luhn check digit. ``25000000015`` is the first membership starting in 2025.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from functools import lru_cache

import lokal
from stdnum import luhn
from stdnum.exceptions import ValidationError as StdnumValidationError
from stdnum.id import nik as stdnum_nik
from stdnum.id import npwp as stdnum_npwp

from jamsos.core.identifiers import ascii_identifier, compact_identifier, is_ascii_digits

_DOUBLED = (0, 2, 4, 6, 8, 1, 3, 5, 7, 9)
NPP_LENGTH = 10
KPJ_LENGTH = 11
NPP_SERIAL_MAX = 9_999_999
KPJ_SERIAL_MAX = 99_999_999
#: The phone problem of a number with a digit of another script (lokal's problems read in Bahasa
#: Indonesia; this one reads in both).
PHONE_SCRIPT_PROBLEM = "hanya boleh angka 0–9 / digits 0–9 only"


@dataclass(frozen=True, slots=True)
class NikParts:
    """What a well-formed NIK says about its holder."""

    nik: str
    district_code_nodot: str  # first 6 digits, e.g. "320401"
    day: int
    month: int
    year2: int  # two-digit year
    sex: str  # "M" or "F"
    serial: str

    @property
    def birth_text(self) -> str:
        """``17-08-45``: the date as the NIK writes it, without the century."""
        return f"{self.day:02d}-{self.month:02d}-{self.year2:02d}"


def luhn_check_digit(body: str) -> str:
    """The Luhn digit to append to ``body`` (same result as ``stdnum.luhn.calc_check_digit``,
    several times faster: the demo makes millions)."""
    total = 0
    for position, char in enumerate(reversed(body)):
        digit = ord(char) - 48
        total += _DOUBLED[digit] if position % 2 == 0 else digit
    return str(-total % 10)


def nik_compact(value: str) -> str:
    """The NIK without separators, spaces and zero-width characters, fullwidth digits made ASCII
    (``jamsos.core.identifiers.compact_identifier``, which builds on python-stdnum's
    ``compact``); digits of other scripts are kept, so that :func:`nik_parse` refuses them."""
    return compact_identifier(value)


def nik_parse(value: str) -> tuple[NikParts | None, str]:
    """Split a NIK into its parts; ``(None, problem)`` when it cannot be a NIK.

    Problems: ``script`` (a digit or letter that is not ASCII, such as a Bengali ``১``),
    ``format`` (not 16 digits), ``serial`` (0000), ``date`` (digits 7–12 are not a day and month
    that exist in 19YY or 20YY, with women's days 41–71).
    """
    number = nik_compact(value)
    if not number.isascii():
        return None, "script"
    if len(number) != 16 or not is_ascii_digits(number):
        return None, "format"
    if number[12:] == "0000":
        return None, "serial"
    raw_day = int(number[6:8])
    if not (1 <= raw_day <= 31 or 41 <= raw_day <= 71):
        return None, "date"
    if not _nik_date_exists(number[6:12]):
        return None, "date"
    return (
        NikParts(
            nik=number,
            district_code_nodot=number[:6],
            day=raw_day % 40,
            month=int(number[8:10]),
            year2=int(number[10:12]),
            sex="F" if raw_day > 40 else "M",
            serial=number[12:],
        ),
        "",
    )


@lru_cache(maxsize=1 << 16)
def _nik_date_exists(digits: str) -> bool:
    """Whether python-stdnum reads a birth date from a NIK whose digits 7-12 are ``digits``
    (``DDMMYY``); the answer depends on those six digits only, so it is asked once for each
    (a file of 100,000 workers holds some 15,000 birth dates)."""
    try:
        stdnum_nik.get_birth_date(f"000000{digits}0001")
    except StdnumValidationError:
        return False
    return True


def nik_make(*, district_code_nodot: str, birth_date: date, sex: str, serial: int) -> str:
    """The NIK for a district, birth date, sex and serial (1–9999)."""
    if not 1 <= serial <= 9999:
        raise ValueError(f"NIK serial must be 1..9999, got {serial}")
    day = birth_date.day + (40 if sex == "F" else 0)
    return (
        f"{district_code_nodot}{day:02d}{birth_date.month:02d}{birth_date.year % 100:02d}"
        f"{serial:04d}"
    )


def nik_matches_birth_date(parts: NikParts, birth_date: date) -> bool:
    """Day, month and two-digit year agree (the century cannot be read from a NIK)."""
    return (parts.day, parts.month, parts.year2) == (
        birth_date.day,
        birth_date.month,
        birth_date.year % 100,
    )


def phone_normalise(value: str | None) -> tuple[str | None, str]:
    """``(e164 or None, problem)``: None and no problem for an absent number."""
    if value is None or not compact_identifier(value):
        return None, ""
    text = ascii_identifier(value, deletechars=" -.()")
    if text is None:
        return None, PHONE_SCRIPT_PROBLEM
    info = lokal.parse_phone(text)
    if not info.valid or not info.e164:
        problem = "; ".join(issue.message for issue in info.errors) or "format"
        return None, problem
    return str(info.e164), ""


def npwp_normalise(value: str) -> str | None:
    """The 16-digit form of a valid NPWP (15-digit numbers get a leading 0), else None."""
    text = ascii_identifier(value)
    if text is None:
        return None
    try:
        number = str(stdnum_npwp.validate(text))
    except StdnumValidationError:
        return None
    return number if len(number) == 16 else "0" + number


def npwp_make(*, taxpayer_type: int, serial: int, tax_office: int, branch: int = 0) -> str:
    """A well-formed 16-digit NPWP.

    ``0`` + taxpayer type (2) + serial (6) + Luhn check digit + tax office (3) + branch (3).
    """
    body = f"{taxpayer_type:02d}{serial:06d}"
    return f"0{body}{luhn_check_digit(body)}{tax_office:03d}{branch:03d}"


def npp_make(*, province_code: str, serial: int) -> str:
    if not 1 <= serial <= NPP_SERIAL_MAX:
        raise ValueError(f"NPP serial must be 1..{NPP_SERIAL_MAX}, got {serial}")
    body = f"{province_code}{serial:07d}"
    return body + luhn_check_digit(body)


def npp_is_valid(npp: str) -> bool:
    return len(npp) == NPP_LENGTH and is_ascii_digits(npp) and luhn.is_valid(npp)


def kpj_make(*, year: int, serial: int) -> str:
    if not 1 <= serial <= KPJ_SERIAL_MAX:
        raise ValueError(f"KPJ serial must be 1..{KPJ_SERIAL_MAX}, got {serial}")
    body = f"{year % 100:02d}{serial:08d}"
    return body + luhn_check_digit(body)


def kpj_is_valid(kpj: str) -> bool:
    return len(kpj) == KPJ_LENGTH and is_ascii_digits(kpj) and luhn.is_valid(kpj)
