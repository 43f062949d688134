"""BPU (self-employed and informal workers): JKK and JKM, optional JHT, on the declared income tier.

PP 44/2015 and PP 46/2015; procedures Permenaker 1/2016, then Permenaker 5/2021. BPU have no JP.
"""

from __future__ import annotations

from decimal import Decimal

from jamsos.legal.errors import LegalInputError
from jamsos.legal.money import apply_rate, discounted
from jamsos.legal.rules.common import Builder
from jamsos.legal.types import ContributionInput, Payer, Program


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
    covid_jkk, covid_jkk_ref = b.discount("relief.covid_jkk_discount")
    covid_jkm, covid_jkm_ref = b.discount("relief.covid_jkm_discount")
    if covid_jkk or covid_jkm:
        b.note("relief_pp49")

    jkk = b.value("bpu.jkk_rate")
    b.rated(
        Program.JKK,
        Payer.PARTICIPANT,
        base,
        discounted(jkk.value, covid_jkk),
        [jkk.reference_text, covid_jkk_ref],
        "jkk_participant",
    )
    jkm = b.value("bpu.jkm_flat")
    jkm_amount = jkm.value
    reference = jkm.reference_text
    if covid_jkm:
        # PP 49/2020 Pasal 12: Rp 6,800 becomes Rp 68 (the flat amount times 1 - discount).
        jkm_amount = apply_rate(jkm.value, discounted(Decimal(1), covid_jkm))
        reference = f"{reference}; {covid_jkm_ref}"
    b.flat(Program.JKM, Payer.PARTICIPANT, jkm_amount, reference, "jkm_participant")
    if Program.JHT in inp.programs:
        jht = b.value("bpu.jht_rate")
        b.rated(
            Program.JHT, Payer.PARTICIPANT, base, jht.value, [jht.reference_text], "jht_participant"
        )
