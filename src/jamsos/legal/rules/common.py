"""Helpers shared by the segment rules."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from jamsos.legal.money import HALF, apply_rate, discounted, rate_ppm
from jamsos.legal.params import RATE_SCALE, Parameters, ParamValue
from jamsos.legal.slots import Slot, SlotRule, resolved
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

    def slot_rated(
        self,
        slot: Slot,
        rule: SlotRule,
        base_idr: int,
        *,
        risk_class: int | None = None,
        conditional: dict[str, tuple[Decimal, str]] | None = None,
    ) -> Line | None:
        """The line of a rated slot as its rule defines it: the base (capped where the rule
        caps it), the rate after relief, the references. None when the rate is zero."""
        found = resolved(rule, self.params, self.on, risk_class)
        rate = found.rate
        if rate is None or not found.value:
            return None
        cap = found.cap
        if cap is not None:
            if cap.confidence != "high":
                self.note_confidence(cap)
            base_idr = min(base_idr, cap.value)
        elif rule.cap is not None:
            return None
        reference = found.reference_text
        if conditional and rule.conditional_discounts:
            applied = [conditional[n] for n in rule.conditional_discounts if n in conditional]
            if applied:
                rate = discounted(rate, *(share for share, _ in applied)).normalize()
                reference = "; ".join(r for r in (reference, *(ref for _, ref in applied)) if r)
        line = Line(
            slot.program,
            slot.payer,
            base_idr,
            rate if rate else Decimal(0),
            (base_idr * rate_ppm(rate) + HALF) // RATE_SCALE,
            reference,
            slot.key,
        )
        self.lines.append(line)
        return line

    def slot_fixed(self, slot: Slot, rule: SlotRule) -> Line | None:
        """The line of a fixed-amount slot, after the relief in force."""
        amount = rule.fixed_at(self.params, self.on)
        if amount is None:
            return None
        reference = "; ".join(r for r in rule.references(self.params, self.on, {}) if r)
        return self.flat(slot.program, slot.payer, amount, reference, slot.key)

    def note(self, code: str, **params: object) -> None:
        self.notes.append(Note(code, dict(params)))

    def note_confidence(self, value: ParamValue) -> None:
        if value.confidence != "high" and not any(
            n.code == "low_confidence" and n.params.get("parameter") == value.name
            for n in self.notes
        ):
            self.note(
                "low_confidence",
                parameter=value.name,
                confidence=value.confidence,
                note=value.note,
                # What the reader is shown, in their language (render_note picks one).
                figure={lang: value.label_in(lang) for lang in ("id", "en")},
                note_text={lang: value.note_in(lang) for lang in ("id", "en")},
            )
