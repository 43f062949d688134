"""PMI (Indonesian migrant workers): JKK and JKM packages by placement length, and extension.

Permenaker 18/2018, then Permenaker 4/2023 Pasal 18: pre-placement protection, a package for the
agreement's length (the smallest that covers it), and a monthly amount beyond the longest package.
"""

from __future__ import annotations

from jamsos.legal.rules.common import Builder
from jamsos.legal.types import ContributionInput, Payer, Program


def choose_package(placement_months: int, packages: dict[str, int | None]) -> tuple[int, int, int]:
    """(package months, package amount, extra months beyond it) for a placement length."""
    offered = sorted(
        (int(key.removeprefix("months_")), amount)
        for key, amount in packages.items()
        if amount is not None
    )
    for months, amount in offered:
        if placement_months <= months:
            return months, amount, 0
    months, amount = offered[-1]
    return months, amount, placement_months - months


def pmi_lines(b: Builder, inp: ContributionInput) -> None:
    assert inp.placement_months is not None
    pre = b.value("pmi.pre_placement")
    packages = b.value("pmi.packages")
    extension = b.value("pmi.extension_monthly")
    for value in (pre, packages, extension):
        b.note_confidence(value)
    months, amount, extra = choose_package(inp.placement_months, packages.value)
    b.note("pmi_package", package_months=months, placement_months=inp.placement_months)
    b.flat(Program.JKK_JKM, Payer.PARTICIPANT, pre.value, pre.reference_text, "pmi_pre_placement")
    b.flat(Program.JKK_JKM, Payer.PARTICIPANT, amount, packages.reference_text, "pmi_package")
    if extra:
        b.flat(
            Program.JKK_JKM,
            Payer.PARTICIPANT,
            extension.value * extra,
            f"{extension.reference_text} ({extra} x Rp{extension.value:,})".replace(",", "."),
            "pmi_extension",
        )
