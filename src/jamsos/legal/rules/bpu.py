"""BPU (self-employed and informal workers): JKK and JKM, optional JHT, on the declared income tier.

PP 44/2015 and PP 46/2015; procedures Permenaker 1/2016, then Permenaker 5/2021. BPU have no JP.
"""

from __future__ import annotations

from jamsos.legal.errors import LegalInputError
from jamsos.legal.rules.common import Builder
from jamsos.legal.slots import BaseKind, When, registry
from jamsos.legal.types import ContributionInput, Program, Segment


def income_tier(income_idr: int, tiers: dict[str, object]) -> int:
    """The declared-income tier on which contributions are computed (bpu/income_tiers.yaml)."""
    minimum = int(str(tiers["minimum"]))
    maximum = int(str(tiers["maximum"]))
    step = int(str(tiers["step"]))
    rule = tiers["rule"]
    clamped = min(max(income_idr, minimum), maximum)
    if rule == "floor_to_step":
        return minimum + (clamped - minimum) // step * step
    raise ValueError(f"unknown BPU tier rule {rule!r} in bpu/income_tiers.yaml")


def bpu_lines(b: Builder, inp: ContributionInput) -> None:
    assert inp.income_idr is not None
    available = set(b.value("programs.available").value["BPU"])
    for program in inp.programs:
        if program.value not in available:
            raise LegalInputError(
                "programs", "program_not_available", program=program.value, segment="BPU"
            )
    tiers = b.value("bpu.income_tiers")
    base = income_tier(inp.income_idr, tiers.value)
    b.note(
        "bpu_tier",
        income_idr=inp.income_idr,
        tier_idr=base,
        rule=tiers.value["rule"],
        confidence=tiers.confidence,
    )
    covid_jkk, _ = b.discount("relief.covid_jkk_discount")
    covid_jkm, _ = b.discount("relief.covid_jkm_discount")
    if covid_jkk or covid_jkm:
        b.note("relief_pp49")
    # Every BPU slot of the registry: JKK on the tier, the flat JKM (PP 49/2020 Pasal 12: Rp
    # 6,800 becomes Rp 68 under relief), JHT on the tier when chosen.
    held = set(inp.programs) | {Program(p) for p in b.value("programs.mandatory").value["BPU"]}
    for slot in registry().for_segment(Segment.BPU):
        rule = slot.rule(Segment.BPU)
        assert rule is not None
        if rule.when is When.PROGRAM_HELD and slot.program not in held:
            continue
        if rule.base is BaseKind.FIXED:
            b.slot_fixed(slot, rule)
        else:
            b.slot_rated(slot, rule, base)
