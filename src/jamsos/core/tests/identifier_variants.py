"""How people and files spell one number: the table each identifier entry path is tested with.

``variants(number)`` gives ``{name: (spelling, same)}``: ``same`` when the spelling must read as
``number`` (fullwidth digits, spaces, zero-width characters), otherwise it must be refused
(digits of another script: Bengali, Arabic-Indic, Devanagari).
"""

from __future__ import annotations

FULLWIDTH = str.maketrans("0123456789", "０１２３４５６７８９")
BENGALI = str.maketrans("0123456789", "০১২৩৪৫৬৭৮৯")
ARABIC_INDIC = str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩")


def variants(number: str) -> dict[str, tuple[str, bool]]:
    """``{name: (spelling, same)}``: ``same`` when it reads as ``number``, else refused."""
    return {
        "bengali_last_digit": (number[:-1] + number[-1].translate(BENGALI), False),
        "arabic_indic": (number.translate(ARABIC_INDIC), False),
        "devanagari_digit": (number[:-1] + "१", False),
        "fullwidth": (number.translate(FULLWIDTH), True),
        "spaces": (" ".join(number[i : i + 4] for i in range(0, len(number), 4)), True),
        "no_break_space": (number[:4] + "\u00a0" + number[4:], True),
        "zero_width_space": (number[:5] + "\u200b" + number[5:], True),
        "zero_width_joiner": (number[:-2] + "\u200d" + number[-2:], True),
        "byte_order_mark": ("\ufeff" + number, True),
    }


def variant_params(number: str) -> list[tuple[str, str, bool]]:
    """``(name, spelling, same)`` for ``pytest.mark.parametrize``."""
    return [(name, spelling, same) for name, (spelling, same) in sorted(variants(number).items())]


def refused_params(number: str) -> list[tuple[str, str]]:
    return [(name, spelling) for name, spelling, same in variant_params(number) if not same]


def same_params(number: str) -> list[tuple[str, str]]:
    return [(name, spelling) for name, spelling, same in variant_params(number) if same]
