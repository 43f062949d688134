"""The serial series of KPJ and NPP numbers: reserved in blocks, read and moved on in bulk."""

from __future__ import annotations

import pytest

from jamsos.membership.identifiers import kpj_make
from jamsos.membership.models import IdentifierSequence
from jamsos.membership.services.sequences import (
    kpj_next,
    serials_advance,
    serials_next,
    serials_reserve,
)

pytestmark = pytest.mark.django_db


def test_blocks_are_consecutive_and_never_given_twice():
    assert serials_reserve(name="kpj:2025", count=3) == range(1, 4)
    assert serials_reserve(name="kpj:2025", count=2) == range(4, 6)
    assert kpj_next(year=2025) == kpj_make(year=2025, serial=6)
    with pytest.raises(ValueError, match="at least 1"):
        serials_reserve(name="kpj:2025", count=0)


def test_a_bulk_writer_reads_the_next_serials_and_moves_the_series_on():
    serials_reserve(name="kpj:2024", count=10)
    serials_reserve(name="kpj:2025", count=4)
    serials_reserve(name="npp:32", count=2)
    assert serials_next(prefix="kpj:") == {"2024": 11, "2025": 5}
    assert serials_next(prefix="npp:") == {"32": 3}
    # 2024 moves on, 2025 is already further than asked and stays, 2026 is new.
    serials_advance(last_values={"kpj:2024": 25, "kpj:2025": 2, "kpj:2026": 7})
    values = dict(IdentifierSequence.objects.values_list("name", "last_value"))
    assert values == {"kpj:2024": 25, "kpj:2025": 4, "kpj:2026": 7, "npp:32": 2}
    assert serials_reserve(name="kpj:2026", count=1) == range(8, 9)
