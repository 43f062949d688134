"""Virtual account numbers (nomor virtual account) of payers.

Format, 16 digits: ``88`` (the scheme's biller prefix) + one digit for the payer kind (1 employer,
2 participant, 3 sponsor) + the payer number zero-padded to 12 digits + a Luhn check digit
(python-stdnum's ``luhn``), so that a mistyped digit or two swapped neighbours are refused before
any lookup. Documented in docs/billing/payments.md.
"""

from __future__ import annotations

from stdnum import luhn
from stdnum.exceptions import ValidationError

from jamsos.core.identifiers import compact_identifier, is_ascii_digits

PREFIX = "88"
KIND_DIGIT = {"employer": "1", "participant": "2", "sponsor": "3"}
LENGTH = 16


def virtual_account_for(kind: str, number: int) -> str:
    """The virtual account of payer ``number`` (1 .. 10**12 - 1) of ``kind``."""
    if not 0 < number < 10**12:
        raise ValueError(f"payer number out of range: {number}")
    body = f"{PREFIX}{KIND_DIGIT[str(getattr(kind, 'value', kind))]}{number:012d}"
    return body + luhn.calc_check_digit(body)


def virtual_account_valid(value: str) -> bool:
    """True when ``value`` has the format (ASCII digits only) and its check digit is right."""
    text = virtual_account_compact(value)
    if len(text) != LENGTH or not is_ascii_digits(text) or not text.startswith(PREFIX):
        return False
    if text[2] not in KIND_DIGIT.values():
        return False
    try:
        luhn.validate(text)
    except ValidationError:
        return False
    return True


def virtual_account_compact(value: str) -> str:
    """Without spaces, dots, dashes and zero-width characters; fullwidth digits made ASCII; the
    digits of other scripts kept, so that :func:`virtual_account_valid` refuses them
    (``jamsos.core.identifiers``)."""
    return compact_identifier(value)
