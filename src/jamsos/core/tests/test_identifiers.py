"""The one rule for identifiers' characters: one ASCII number, or a refusal.

``identifier_variants.variants`` is the table every entry path's test in the apps uses too:
each way people and files spell a number, and whether it is the same ASCII number or refused.
"""

from __future__ import annotations

import pytest

from jamsos.core.identifiers import (
    ascii_digits,
    ascii_identifier,
    compact_identifier,
    foreign_characters,
    is_ascii_digits,
)
from jamsos.core.tests.identifier_variants import BENGALI, variants

NIK = "3175044101930001"


@pytest.mark.parametrize(("name", "case"), sorted(variants(NIK).items()))
def test_each_spelling_is_the_same_ascii_number_or_refused(
    name: str, case: tuple[str, bool]
) -> None:
    spelling, same = case
    if same:
        assert ascii_identifier(spelling) == NIK
        assert ascii_digits(spelling) == NIK
        assert foreign_characters(spelling) == ""
    else:
        assert ascii_identifier(spelling) is None
        assert ascii_digits(spelling) is None
        assert foreign_characters(spelling)


def test_python_reads_other_scripts_digits_as_digits_so_the_check_is_ascii() -> None:
    bengali = NIK.translate(BENGALI)
    assert bengali.isdigit()  # why isdigit() and int() are never the check
    assert int(bengali) == int(NIK)
    assert not is_ascii_digits(bengali)
    assert is_ascii_digits(NIK)
    assert not is_ascii_digits("")
    assert not is_ascii_digits("12a4")


def test_compact_keeps_what_it_cannot_read_for_the_check_after_it() -> None:
    assert compact_identifier("317504410193000১") == "317504410193000১"
    assert foreign_characters("31৭5 ০4") == "৭০"
    assert compact_identifier("01.234.567.8–901.000") == "012345678901000"  # an en dash
    assert compact_identifier(None) == ""
    assert compact_identifier(3175044101930001) == NIK


def test_letters_stay_for_the_identifiers_own_check() -> None:
    assert ascii_identifier("+62 812-3456-7890") == "+6281234567890"
    assert ascii_identifier("ABC 12") == "ABC12"
    assert ascii_digits("ABC12") is None
    assert ascii_identifier("Ａ１") == "A1"  # fullwidth letters too
    assert ascii_identifier("é1") is None
