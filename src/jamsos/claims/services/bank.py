"""The claimant's bank account: a known bank, the account number's format for that bank, and
the account holder's name against the claimant's (docs/claims.md "Payment")."""

from __future__ import annotations

import re
import unicodedata

from jamsos.claims.errors import AccountNameMismatch, AccountNumberInvalid, BankUnknown
from jamsos.claims.rules import BANKS
from jamsos.core.identifiers import ascii_digits, is_ascii_digits

#: Words a bank prints around a name that are not the name (titles, honorifics).
_TITLES = frozenset({"BPK", "BAPAK", "IBU", "SDR", "SDRI", "TN", "NY", "NN", "HJ", "H", "DR", "IR"})


def name_words(name: str) -> list[str]:
    """A name as comparable words: accents folded, upper case, letters only, titles dropped."""
    folded = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode().upper()
    return [w for w in re.split(r"[^A-Z]+", folded) if w and w not in _TITLES]


def names_match(account_name: str, claimant_name: str) -> bool:
    """The holder's name is the claimant's: the same words, or the bank's shorter form (every
    word of the account in the claimant's name, first word equal, banks cut long names)."""
    account, claimant = name_words(account_name), name_words(claimant_name)
    if not account or not claimant:
        return False
    if account == claimant:
        return True
    return account[0] == claimant[0] and set(account) <= set(claimant)


def bank_account_check(
    bank_code: str, account_number: str, account_name: str, claimant: str
) -> str:
    """Check the account; returns the account number as plain digits or raises the refusal."""
    code = (bank_code or "").strip()
    if code not in BANKS:
        choices = ", ".join(f"{c} {n}" for c, (n, _) in BANKS.items())
        raise BankUnknown(value=bank_code, choices=choices)
    name, lengths = BANKS[code]
    digits = ascii_digits(account_number) or ""
    if not is_ascii_digits(digits) or len(digits) not in lengths:
        raise AccountNumberInvalid(
            value=account_number, bank=name, lengths="/".join(str(n) for n in lengths)
        )
    if not names_match(account_name, claimant):
        raise AccountNameMismatch(value=account_name, name=claimant)
    return digits
