"""Jakon (construction projects, wages not known): JKK and JKM marginally on the contract value.

Permenakertrans 44/2015, now Permenaker 5/2021: each band's rate applies to the part of the
contract value inside that band. One line per band and program, each rounded half up.
"""

from __future__ import annotations

from jamsos.legal.money import discounted
from jamsos.legal.rules.common import Builder
from jamsos.legal.slots import registry
from jamsos.legal.types import ContributionInput, Segment


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
    covid_jkk, _ = b.discount("relief.covid_jkk_discount")
    covid_jkm, _ = b.discount("relief.covid_jkm_discount")
    if covid_jkk or covid_jkm:
        b.note("relief_pp49")
    portions = band_portions(inp.contract_value_idr, bands.value["upper_bounds"])
    # Every Jakon slot of the registry (JKK, JKM): its band rates, after the relief in force.
    for slot in registry().for_segment(Segment.JAKON):
        rule = slot.rule(Segment.JAKON)
        assert rule is not None
        shares = [share for share, _ in rule.discount_shares(b.params, b.on)]
        refs = rule.references(b.params, b.on, {})
        for portion, rate in zip(portions, rule.value(b.params, b.on), strict=True):
            if portion:
                b.rated(
                    slot.program, slot.payer, portion, discounted(rate, *shares), refs, slot.key
                )
