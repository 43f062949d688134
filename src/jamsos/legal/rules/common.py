"""Helpers shared by the segment rules."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from jamsos.legal.money import apply_rate
from jamsos.legal.params import Parameters, ParamValue
from jamsos.legal.types import Line, Note, Payer, Program


@dataclass
class Builder:
    """Collects lines and notes for one breakdown."""

    params: Parameters
    on: date
    lines: list[Line] = field(default_factory=list)
    notes: list[Note] = field(default_factory=list)

    def value(self, name: str) -> ParamValue:
        return self.params.get(name, self.on)

    def discount(self, name: str) -> tuple[Decimal, str]:
        """A relief share in force (0 when none) and its reference."""
        found = self.params.find(name, self.on)
        if found is None or not found.value:
            return Decimal(0), ""
        return Decimal(found.value), found.reference_text

    def rated(
        self,
        program: Program,
        payer: Payer,
        base_idr: int,
        rate: Decimal,
        references: list[str],
        slot: str,
    ) -> Line:
        line = Line(
            program=program,
            payer=payer,
            base_idr=base_idr,
            rate=rate.normalize() if rate else Decimal(0),
            amount_idr=apply_rate(base_idr, rate),
            reference="; ".join(r for r in references if r),
            slot=slot,
        )
        self.lines.append(line)
        return line

    def flat(
        self, program: Program, payer: Payer, amount_idr: int, reference: str, slot: str
    ) -> Line:
        line = Line(program, payer, amount_idr, None, amount_idr, reference, slot)
        self.lines.append(line)
        return line

    def note(self, code: str, **params: object) -> None:
        self.notes.append(Note(code, dict(params)))

    def note_confidence(self, value: ParamValue) -> None:
        if value.confidence != "high":
            self.note(
                "low_confidence",
                parameter=value.name,
                confidence=value.confidence,
                note=value.note,
            )
