"""The one rule for the characters of an identifier (NIK, KPJ, NPP, NPWP, phone, virtual account).

People and spreadsheets write numbers with spaces, dots and dashes, paste them with zero-width
characters (U+200B, U+200D, ...) or type them in fullwidth forms (``３１７５``). Those read as
the same ASCII number. Digits of other scripts (Bengali ``১``, Arabic-Indic ``١``, Devanagari
``१``) do not: Python's ``str.isdigit()``, ``int()`` and ``re``'s ``\\d`` accept them, so a NIK
with one of them would be a second, different string for the same person. They are refused.

:func:`compact_identifier` builds on python-stdnum's ``util.clean`` (which turns the many Unicode
dashes into ``-`` and drops the separators asked for) and adds what it leaves: NFKC (fullwidth
and other compatibility forms become ASCII), every Unicode space and every format character
(category ``Cf``: zero-width space, joiner, non-joiner, word joiner, BOM, bidi marks).
:func:`ascii_identifier` then refuses anything that is still not ASCII. Each identifier's own
check (its length, its alphabet, its check digit) comes after, on ASCII text only
(:func:`is_ascii_digits`, never ``str.isdigit()``).
"""

from __future__ import annotations

import unicodedata

from stdnum.util import clean as stdnum_clean

#: What people put between the digits of a number; removed.
SEPARATORS = " -."
ASCII_DIGITS = frozenset("0123456789")


def _dropped(char: str, deletechars: str) -> bool:
    return char in deletechars or char.isspace() or unicodedata.category(char) == "Cf"


#: The ASCII whitespace characters (``str.isspace``); no ASCII character is of category Cf.
_ASCII_SPACES = "".join(chr(c) for c in range(128) if chr(c).isspace())
_ASCII_DELETE: dict[str, dict[int, None]] = {}


def compact_identifier(value: object, *, deletechars: str = SEPARATORS) -> str:
    """``value`` as text without separators, spaces and format characters, NFKC-normalised.

    Never refuses: digits of other scripts stay as they are (see :func:`ascii_identifier`).
    """
    text = "" if value is None else str(value)
    if text.isascii():
        if text.isdigit():  # the usual cell, at once
            return text
        if "`" not in text:
            # ASCII text: NFKC leaves it as it is and stdnum's ``clean`` changes no ASCII
            # character but the grave accent, so only the dropped characters go.
            table = _ASCII_DELETE.get(deletechars)
            if table is None:
                table = _ASCII_DELETE.setdefault(
                    deletechars, dict.fromkeys(map(ord, deletechars + _ASCII_SPACES))
                )
            return text.translate(table)
    text = stdnum_clean(unicodedata.normalize("NFKC", text))
    return "".join(char for char in text if not _dropped(char, deletechars))


def ascii_identifier(value: object, *, deletechars: str = SEPARATORS) -> str | None:
    """The compact ASCII form of ``value`` (:func:`compact_identifier`), or ``None`` when a
    character that is not ASCII remains (a digit of another script, a letter with an accent).

    ``"３１７５ ０４\\u200b41"`` → ``"31750441"``; ``"317504410193000১"`` → ``None``.
    """
    text = compact_identifier(value, deletechars=deletechars)
    return text if text.isascii() else None


def foreign_characters(value: object, *, deletechars: str = SEPARATORS) -> str:
    """The characters of ``value`` that stay non-ASCII after compacting, each once, in order
    (for messages: ``"১"``)."""
    text = compact_identifier(value, deletechars=deletechars)
    return "".join(dict.fromkeys(char for char in text if not char.isascii()))


def is_ascii_digits(text: str) -> bool:
    """True when ``text`` is one or more of ``0``–``9`` only (``"১".isdigit()`` is True)."""
    return bool(text) and text.isascii() and text.isdigit()


def ascii_digits(value: object, *, deletechars: str = SEPARATORS) -> str | None:
    """The ASCII digits of ``value`` when, once compacted, it is digits only; else ``None``."""
    text = ascii_identifier(value, deletechars=deletechars)
    return text if text is not None and is_ascii_digits(text) else None
