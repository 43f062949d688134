"""PU (wage earners through an employer): JKK, JKM, JHT, JP and the JKP funding lines.

PP 44/2015 (JKK, JKM), PP 46/2015 (JHT), PP 45/2015 (JP), Perpres 109/2013 (phasing by employer
size), PP 37/2021 and PP 6/2025 (JKP), PP 49/2020 (COVID relief), PP 7/2025 and PP 36/2025
(JKK discount for labour-intensive industry).
"""

from __future__ import annotations

from decimal import Decimal

from jamsos.legal.errors import LegalInputError
from jamsos.legal.money import apply_rate, discounted
from jamsos.legal.rules.common import Builder
from jamsos.legal.types import ContributionInput, EmployerSize, Payer, Program

DEFAULT_EMPLOYER_SIZE = EmployerSize.LARGE
DEFAULT_RISK_CLASS = 1


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
    found = b.params.find("relief.labour_intensive_jkk_discount", b.on)
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


def pu_lines(b: Builder, inp: ContributionInput) -> None:
    assert inp.wage_idr is not None
    wage = inp.wage_idr
    size = inp.employer_size or DEFAULT_EMPLOYER_SIZE
    risk_class = inp.risk_class or DEFAULT_RISK_CLASS
    programs = pu_programs(b, inp, size)

    covid_jkk, covid_jkk_ref = b.discount("relief.covid_jkk_discount")
    covid_jkm, covid_jkm_ref = b.discount("relief.covid_jkm_discount")
    covid_jp, covid_jp_ref = b.discount("relief.covid_jp_deferral")
    li_share, li_ref = labour_intensive_share(b, inp)
    if covid_jkk or covid_jkm or covid_jp:
        b.note("relief_pp49")
    if li_share:
        b.note("labour_intensive_discount")

    # JKK: PP 44/2015 Pasal 16 ayat (1), by risk class, no wage cap.
    jkk = b.value("pu.jkk_rate")
    jkk_rate = discounted(jkk.value[f"class_{risk_class}"], covid_jkk, li_share)
    b.rated(
        Program.JKK,
        Payer.EMPLOYER,
        wage,
        jkk_rate,
        [jkk.reference_text, covid_jkk_ref, li_ref],
        "jkk_employer",
    )
    # JKM: PP 44/2015 Pasal 18 ayat (1).
    jkm = b.value("pu.jkm_rate")
    b.rated(
        Program.JKM,
        Payer.EMPLOYER,
        wage,
        discounted(jkm.value, covid_jkm),
        [jkm.reference_text, covid_jkm_ref],
        "jkm_employer",
    )
    # JHT: PP 46/2015 Pasal 16 ayat (1).
    if Program.JHT in programs:
        jht = b.value("pu.jht_rate")
        b.rated(
            Program.JHT,
            Payer.EMPLOYER,
            wage,
            jht.value["employer"],
            [jht.reference_text],
            "jht_employer",
        )
        b.rated(
            Program.JHT, Payer.WORKER, wage, jht.value["worker"], [jht.reference_text], "jht_worker"
        )
    # JP: PP 45/2015 Pasal 28 ayat (3) on min(wage, cap) (Pasal 29); PP 49/2020 Pasal 17 deferral.
    if Program.JP in programs:
        jp = b.value("pu.jp_rate")
        cap = b.value("pu.jp_wage_cap")
        b.note_confidence(cap)
        base = min(wage, cap.value)
        refs = [f"{jp.reference_text}; {cap.reference.instrument} Pasal 29", covid_jp_ref]
        employer = b.rated(
            Program.JP,
            Payer.EMPLOYER,
            base,
            discounted(jp.value["employer"], covid_jp),
            refs,
            "jp_employer",
        )
        worker = b.rated(
            Program.JP,
            Payer.WORKER,
            base,
            discounted(jp.value["worker"], covid_jp),
            refs,
            "jp_worker",
        )
        if covid_jp:
            b.note(
                "jp_deferred",
                employer_idr=apply_rate(base, jp.value["employer"]) - employer.amount_idr,
                worker_idr=apply_rate(base, jp.value["worker"]) - worker.amount_idr,
            )
    # JKP funding: PP 37/2021 Pasal 11, PP 6/2025. Informative; no payer pays more.
    funding = b.params.find("jkp.funding", b.on)
    if funding is None or not inp.jkp_eligible:
        return
    required = set(b.value("jkp.required_programs").value[size.value])
    if not {p.value for p in programs} >= required:
        return
    cap_jkp = b.value("jkp.contribution_wage_cap")
    b.note_confidence(cap_jkp)
    base = min(wage, cap_jkp.value)
    ref = funding.reference_text
    b.rated(
        Program.JKP, Payer.GOVERNMENT, base, funding.value["government"], [ref], "jkp_government"
    )
    if funding.value["from_jkk"] and li_share:
        b.note("jkp_recomposition_during_discount")
    if funding.value["from_jkk"]:
        b.rated(
            Program.JKP,
            Payer.RECOMPOSED,
            base,
            funding.value["from_jkk"],
            [f"{ref} (rekomposisi JKK)"],
            "jkp_recomposed_jkk",
        )
    if funding.value["from_jkm"]:
        b.rated(
            Program.JKP,
            Payer.RECOMPOSED,
            base,
            funding.value["from_jkm"],
            [f"{ref} (rekomposisi JKM)"],
            "jkp_recomposed_jkm",
        )
