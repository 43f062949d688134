"""PU (wage earners through an employer): JKK, JKM, JHT, JP and the JKP funding lines.

PP 44/2015 (JKK, JKM), PP 46/2015 (JHT), PP 45/2015 (JP), Perpres 109/2013 (phasing by employer
size), PP 37/2021 and PP 6/2025 (JKP), PP 49/2020 (COVID relief), PP 7/2025 and PP 36/2025
(JKK discount for labour-intensive industry).
"""

from __future__ import annotations

from decimal import Decimal

from jamsos.legal.errors import LegalInputError
from jamsos.legal.money import apply_rate
from jamsos.legal.rules.common import Builder
from jamsos.legal.slots import When, registry
from jamsos.legal.types import ContributionInput, EmployerSize, Program, Segment

DEFAULT_EMPLOYER_SIZE = EmployerSize.LARGE
DEFAULT_RISK_CLASS = 1
JP_DEFERRAL = "relief.covid_jp_deferral"
LABOUR_INTENSIVE = "relief.labour_intensive_jkk_discount"


def pu_programs(b: Builder, inp: ContributionInput, size: EmployerSize) -> set[Program]:
    """Mandatory programs for the employer size plus the optional ones chosen."""
    available = set(b.value("programs.available").value["PU"])
    mandatory = set(b.value("programs.mandatory").value[f"PU_{size.value}"])
    for program in inp.programs:
        if program is Program.JKP:
            raise LegalInputError(
                "programs",
                "program_not_optional",
                program=program.value,
                reason="JKP follows from the other programs (PP 37/2021)",
            )
        if program.value not in available:
            raise LegalInputError(
                "programs", "program_not_available", program=program.value, segment="PU"
            )
    return {Program(p) for p in mandatory} | set(inp.programs)


def labour_intensive_share(b: Builder, inp: ContributionInput) -> tuple[Decimal, str]:
    """PP 7/2025 / PP 36/2025: the JKK discount share for an eligible employer, else 0."""
    found = b.params.find(LABOUR_INTENSIVE, b.on)
    if found is None:
        return Decimal(0), ""
    value = found.value
    share = Decimal(value["share"])
    eligible = (
        share > 0
        and inp.industry is not None
        and inp.industry.value in value["industries"]
        and inp.worker_count is not None
        and inp.worker_count >= value["min_workers"]
    )
    return (share, found.reference_text) if eligible else (Decimal(0), "")


def jkp_funded(
    b: Builder, inp: ContributionInput, size: EmployerSize, programs: set[Program]
) -> bool:
    """PP 37/2021 Pasal 11, PP 6/2025: JKP funding in force, the worker eligible, and the
    employer holding the programs JKP requires for its size."""
    if b.params.find("jkp.funding", b.on) is None or not inp.jkp_eligible:
        return False
    required = set(b.value("jkp.required_programs").value[size.value])
    return {p.value for p in programs} >= required


def pu_lines(b: Builder, inp: ContributionInput) -> None:
    """Every PU slot of the registry (parameters/slots.yaml) whose condition holds, on the wage:
    JKK by risk class (PP 44/2015 Pasal 16), JKM (Pasal 18), JHT (PP 46/2015 Pasal 16), JP on
    the capped wage (PP 45/2015 Pasal 28-29), the informative JKP funding (PP 37/2021 Pasal 11,
    PP 6/2025); relief as each rule lists it (PP 49/2020, PP 7/2025, PP 36/2025)."""
    assert inp.wage_idr is not None
    wage = inp.wage_idr
    size = inp.employer_size or DEFAULT_EMPLOYER_SIZE
    risk_class = inp.risk_class or DEFAULT_RISK_CLASS
    programs = pu_programs(b, inp, size)

    covid_jkk, _ = b.discount("relief.covid_jkk_discount")
    covid_jkm, _ = b.discount("relief.covid_jkm_discount")
    covid_jp, _ = b.discount(JP_DEFERRAL)
    li_share, li_ref = labour_intensive_share(b, inp)
    if covid_jkk or covid_jkm or covid_jp:
        b.note("relief_pp49")
    if li_share:
        b.note("labour_intensive_discount")
    conditional = {LABOUR_INTENSIVE: (li_share, li_ref)} if li_share else {}
    funded = jkp_funded(b, inp, size, programs)
    if funded and li_share and b.value("jkp.funding").value["from_jkk"]:
        b.note("jkp_recomposition_during_discount")

    deferred: dict[str, int] = {}
    for slot in registry().for_segment(Segment.PU):
        rule = slot.rule(Segment.PU)
        assert rule is not None
        if rule.when is When.PROGRAM_HELD and slot.program not in programs:
            continue
        if rule.when is When.JKP_FUNDED and not funded:
            continue
        line = b.slot_rated(slot, rule, wage, risk_class=risk_class, conditional=conditional)
        if line is not None and covid_jp and JP_DEFERRAL in rule.discounts:
            full = apply_rate(line.base_idr, Decimal(rule.value(b.params, b.on, risk_class)))
            deferred[f"{slot.payer.value}_idr"] = full - line.amount_idr
    if deferred:
        b.note("jp_deferred", **deferred)
