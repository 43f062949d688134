"""PMI (Indonesian migrant workers): JKK and JKM packages by placement length, and extension.

Permenaker 18/2018, then Permenaker 4/2023 Pasal 18: pre-placement protection, a package for the
agreement's length (the smallest that covers it), and a monthly amount beyond the longest package.
"""

from __future__ import annotations

from jamsos.legal.rules.common import Builder
from jamsos.legal.slots import Slot, SlotRule, registry
from jamsos.legal.types import ContributionInput, Segment


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
    """The PMI slots of the registry, each read from its rule's parameter: pre-placement
    (``pmi.pre_placement``), the package covering the placement (``pmi.packages``) and the
    months beyond the longest package (``pmi.extension_monthly``)."""
    assert inp.placement_months is not None
    slots: dict[str, tuple[Slot, SlotRule]] = {}
    for slot in registry().for_segment(Segment.PMI):
        rule = slot.rule(Segment.PMI)
        assert rule is not None
        slots[rule.rate] = (slot, rule)
    pre = b.value("pmi.pre_placement")
    packages = b.value("pmi.packages")
    extension = b.value("pmi.extension_monthly")
    for value in (pre, packages, extension):
        b.note_confidence(value)
    months, amount, extra = choose_package(inp.placement_months, packages.value)
    b.note("pmi_package", package_months=months, placement_months=inp.placement_months)
    amounts = {
        pre.name: (pre.value, pre.reference_text),
        packages.name: (amount, packages.reference_text),
        extension.name: (
            extension.value * extra,
            f"{extension.reference_text} ({extra} x Rp{extension.value:,})".replace(",", "."),
        ),
    }
    for name, (slot, _rule) in slots.items():
        value, reference = amounts[name]
        if name != extension.name or extra:
            b.flat(slot.program, slot.payer, value, reference, slot.key)
