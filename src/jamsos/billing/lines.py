"""Billing's reading of the slot registry (:mod:`jamsos.legal.slots`).

The billing run, the invoice pages, the PDFs, the API and the ledger ask this module which
invoice line columns exist, which are billed, how they group into invoice items and page
columns, which ledger account each credits, and why a line's amounts are what they are. Nothing
here lists a program or a slot: every answer is read from the registry when asked, so that a
slot added there (docs/adding-a-program-line.md) is billed, shown and posted without a change
here.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from typing import Any

from jamsos.core.formatting import format_money, format_rate, language_of
from jamsos.legal import Segment, parameters
from jamsos.legal.slots import (
    BaseKind,
    Explanation,
    explain,
    parse_parameters_reference,
    registry,
)

#: The base kinds an invoice line keeps in ``capped_base_idr`` (one per segment at most).
CAPPED_BASES: tuple[BaseKind, ...] = (
    BaseKind.JP_WAGE,
    BaseKind.INCOME_TIER,
    BaseKind.CONTRACT_VALUE,
)


def line_columns() -> dict[str, tuple[str, ...]]:
    """Invoice line column -> the slots adding to it (billed and unbilled)."""
    return registry().line_columns()


def billed_columns() -> tuple[str, ...]:
    """The columns whose sum is a line's total."""
    return registry().billed_columns()


def unbilled_columns() -> tuple[str, ...]:
    """Columns kept on a line but billed to nobody (JKP paid by the government)."""
    return registry().unbilled_columns()


def items() -> tuple[tuple[str, int, tuple[str, ...]], ...]:
    """Invoice items: (program code, rank, billed line columns summed)."""
    return registry().items()


def program_line_columns(code: str) -> tuple[str, ...]:
    """The billed line columns of one program (``JHT``: the employer and worker shares, which
    the worker's JHT account is credited with)."""
    for program, _rank, columns in items():
        if program == code:
            return columns
    return ()


def income_accounts() -> dict[str, tuple[str, ...]]:
    """Ledger income account -> the billed line columns it is credited with."""
    return registry().accounts()


@dataclass(frozen=True)
class ProgramColumn:
    """One program column of the invoice page and PDF: its title and the columns summed."""

    code: str
    title: str
    columns: tuple[str, ...]

    def amount(self, line: Any) -> int:
        return sum(int(getattr(line, column) or 0) for column in self.columns)


def program_columns() -> tuple[ProgramColumn, ...]:
    """The billed programs in invoice order, each titled as the registry says."""
    reg = registry()
    return tuple(
        ProgramColumn(code, reg.program(code).column, columns) for code, _rank, columns in items()
    )


def line_fields() -> tuple[str, ...]:
    """Every amount column of a line, for the API: the kept slot columns, then the total."""
    return (*line_columns(), "total_idr")


# --------------------------------------------------------------------------------------------
# Why a line is what it is

_BASE_WORDS: dict[BaseKind, dict[str, str]] = {
    BaseKind.WAGE: {"id": "upah", "en": "wage"},
    BaseKind.JP_WAGE: {"id": "upah dibatasi", "en": "capped wage"},
    BaseKind.JKP_WAGE: {"id": "upah dibatasi", "en": "capped wage"},
    BaseKind.INCOME_TIER: {"id": "kelas penghasilan", "en": "income bracket"},
    BaseKind.CONTRACT_VALUE: {"id": "nilai kontrak", "en": "contract value"},
    BaseKind.FIXED: {"id": "jumlah tetap", "en": "fixed amount"},
}
_WORDS = {
    "cap": {
        "id": "batas upah {year} {amount}, upah {wage}",
        "en": "{year} cap {amount}, wage {wage}",
    },
    "by_class": {"id": "tarif kelas risiko", "en": "risk-class rate"},
    "by_band": {"id": "tarif per lapisan nilai", "en": "rate by value band"},
    "fixed": {"id": "jumlah tetap", "en": "fixed amount"},
    "may_apply": {"id": "bila memenuhi syarat: {refs}", "en": "if eligible: {refs}"},
}


@dataclass(frozen=True)
class LineExplanation:
    """One non-zero amount of a line, explained."""

    slot: str
    column: str
    label: str
    amount_idr: int
    base_idr: int | None
    rate: str | None  # exact decimal text, None where it depends on the payer or is fixed
    references: tuple[str, ...]
    text: str

    def to_json(self) -> dict[str, Any]:
        return {
            "slot": self.slot,
            "label": self.label,
            "amount_idr": self.amount_idr,
            "base_idr": self.base_idr,
            "rate": self.rate,
            "references": list(self.references),
            "text": self.text,
        }


def _parameters_on(line: Any) -> date:
    parsed = parse_parameters_reference(getattr(line, "parameters_ref", "") or "")
    if parsed is not None:
        return parsed[0]
    from jamsos.legal.periods import Period

    return Period.parse(line.period).legal_date


def _text(expl: Explanation, amount_idr: int, language: str) -> str:
    label = expl.slot.label(language)
    money = format_money(amount_idr, language)
    refs = "; ".join(expl.references)
    if expl.base_idr is None:
        how = _WORDS["fixed"][language]
    else:
        word = _BASE_WORDS[expl.rule.base][language]
        base = format_money(expl.base_idr, language)
        if expl.rate is not None:
            how = f"{format_rate(expl.rate, language)} × {word} {base}"
        elif expl.rule.base is BaseKind.CONTRACT_VALUE:
            how = f"{_WORDS['by_band'][language]} × {word} {base}"
        else:
            how = f"{_WORDS['by_class'][language]} × {word} {base}"
        if expl.cap is not None and expl.uncapped_idr is not None:
            cap = _WORDS["cap"][language].format(
                year=expl.cap.since.year,
                amount=format_money(int(expl.cap.value), language),
                wage=format_money(expl.uncapped_idr, language),
            )
            how = f"{how} ({cap})"
    extra = ""
    if expl.conditional:
        extra = "; " + _WORDS["may_apply"][language].format(refs=", ".join(expl.conditional))
    return f"{label}: {how} = {money} ({refs}{extra})"


def _base(line: Any, slot: Any, segment: Segment) -> int | None:
    """The base to explain a slot with: the bracket kept on the line for a BPU tier, else the
    line's base (the rules cap it again where they cap)."""
    rule = slot.rule(segment)
    if rule is not None and rule.base is BaseKind.INCOME_TIER:
        return line.capped_base_idr  # type: ignore[no-any-return]
    return line.base_idr  # type: ignore[no-any-return]


def line_explanations(line: Any, language: str = "id") -> list[LineExplanation]:
    """Each non-zero slot amount of ``line`` with its base, rate and regulation references,
    read back from the parameters the line names (``parameters_ref``)."""
    language = language_of(language)
    try:
        segment = Segment(line.segment)
    except ValueError:
        return []
    on = _parameters_on(line)
    params = parameters()
    out: list[LineExplanation] = []
    reg = registry()
    for column, keys in line_columns().items():
        amount = int(getattr(line, column, 0) or 0)
        slots = [reg.slot(k) for k in keys if reg.slot(k).rule(segment) is not None]
        if not amount or not slots:
            continue
        found = [explain(slot, segment, on, _base(line, slot, segment), params) for slot in slots]
        expls = [e for e in found if e is not None]
        first = expls[0]
        if len(expls) == 1:
            label, text = first.slot.label(language), _text(first, amount, language)
            references = first.references
        else:  # several lines of one program kept together (the PMI package and its parts)
            label = reg.program(first.slot.program.value).label(language)
            references = tuple(dict.fromkeys(r for e in expls for r in e.references))
            parts = ", ".join(e.slot.label(language) for e in expls)
            text = f"{label}: {parts} = {format_money(amount, language)} ({'; '.join(references)})"
        out.append(
            LineExplanation(
                slot=first.slot.key if len(expls) == 1 else column,
                column=column,
                label=label,
                amount_idr=amount,
                base_idr=first.base_idr,
                rate=None if first.rate is None else format(first.rate.normalize(), "f"),
                references=references,
                text=text,
            )
        )
    return out


def explanations_json(lines: Iterable[Any], language: str = "id") -> list[list[dict[str, Any]]]:
    return [[e.to_json() for e in line_explanations(line, language)] for line in lines]
