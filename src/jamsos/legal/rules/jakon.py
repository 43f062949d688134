"""Jakon (construction projects, wages not known): JKK and JKM marginally on the contract value.

Permenakertrans 44/2015, now Permenaker 5/2021: each band's rate applies to the part of the
contract value inside that band. One line per band and program, each rounded half up.
"""

from __future__ import annotations

from decimal import Decimal

from jamsos.legal.money import discounted
from jamsos.legal.rules.common import Builder
from jamsos.legal.types import ContributionInput, Payer, Program


def band_portions(value_idr: int, upper_bounds: tuple[int, ...]) -> list[int]:
    """The part of ``value_idr`` that falls in each band (len(upper_bounds) + 1 bands)."""
    portions: list[int] = []
    lower = 0
    for upper in (*upper_bounds, None):
        top = value_idr if upper is None else min(value_idr, upper)
        portions.append(max(top - lower, 0))
        if upper is None:
            break
        lower = upper
    return portions


def jakon_lines(b: Builder, inp: ContributionInput) -> None:
    assert inp.contract_value_idr is not None
    bands = b.value("jakon.bands")
    b.note_confidence(bands)
    covid_jkk, covid_jkk_ref = b.discount("relief.covid_jkk_discount")
    covid_jkm, covid_jkm_ref = b.discount("relief.covid_jkm_discount")
    if covid_jkk or covid_jkm:
        b.note("relief_pp49")
    portions = band_portions(inp.contract_value_idr, bands.value["upper_bounds"])
    programs: tuple[tuple[Program, str, Decimal, str, str], ...] = (
        (Program.JKK, "jkk_rates", covid_jkk, covid_jkk_ref, "jkk_employer"),
        (Program.JKM, "jkm_rates", covid_jkm, covid_jkm_ref, "jkm_employer"),
    )
    for program, key, discount, discount_ref, slot in programs:
        for portion, rate in zip(portions, bands.value[key], strict=True):
            if portion:
                b.rated(
                    program,
                    Payer.EMPLOYER,
                    portion,
                    discounted(rate, discount),
                    [bands.reference_text, discount_ref],
                    slot,
                )
