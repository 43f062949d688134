"""The registry of contribution lines ("slots"): ``parameters/slots.yaml``, loaded and checked.

A slot is one program and payer (JKK paid by the employer, JHT worker share, JKP paid by the
government, ...). Each slot says how it is computed for each segment (a :class:`SlotRule`: the
base, the rate parameter, the relief that reduces it, the cap), how it is labelled, which
ledger account it credits when billed and which invoice line column keeps it. Both computation
paths interpret the same rules (:mod:`jamsos.legal.rules` per person, :mod:`jamsos.legal.bulk`
in Polars), and billing, its pages, PDFs, API and ledger iterate over the same registry.

Adding a line is a change here (and a billing migration when it needs its own invoice line
column): see docs/adding-a-program-line.md.
"""

from __future__ import annotations

import contextlib
import functools
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import date
from decimal import Decimal
from enum import StrEnum
from pathlib import Path
from typing import Any

import yaml

from jamsos.legal.errors import ParameterFileError
from jamsos.legal.money import apply_rate, discounted
from jamsos.legal.params import PARAMETERS_DIR, Parameters, ParamValue, parameters
from jamsos.legal.types import Payer, Program, Segment

SLOTS_FILE = PARAMETERS_DIR / "slots.yaml"
_RELPATH = "slots.yaml"


class BaseKind(StrEnum):
    """What a rate applies to."""

    WAGE = "wage"  # PU: the wage
    JP_WAGE = "jp_wage"  # PU: the wage capped by the rule's cap (JP)
    JKP_WAGE = "jkp_wage"  # PU: the wage capped by the rule's cap (JKP funding)
    INCOME_TIER = "income_tier"  # BPU: the declared income bracket
    CONTRACT_VALUE = "contract_value"  # JAKON: the contract value, marginally by band
    FIXED = "fixed"  # an amount, not a rate (BPU JKM, PMI)


class When(StrEnum):
    """When a segment's line is computed."""

    ALWAYS = "always"
    PROGRAM_HELD = "program_held"  # the program is mandatory for the payer or chosen
    JKP_FUNDED = "jkp_funded"  # JKP funding in force and its conditions met (PP 37/2021)


#: Bases capped by the rule's ``cap`` parameter.
CAPPED = frozenset({BaseKind.JP_WAGE, BaseKind.JKP_WAGE})
#: The base kinds each segment's rules may use.
SEGMENT_BASES: dict[Segment, frozenset[BaseKind]] = {
    Segment.PU: frozenset({BaseKind.WAGE, BaseKind.JP_WAGE, BaseKind.JKP_WAGE}),
    Segment.BPU: frozenset({BaseKind.INCOME_TIER, BaseKind.FIXED}),
    Segment.JAKON: frozenset({BaseKind.CONTRACT_VALUE}),
    Segment.PMI: frozenset({BaseKind.FIXED}),
}
RISK_CLASS_KEY = "class_{risk_class}"
#: Relief that applies to eligible payers only; who is eligible is code (PP 7/2025 and PP
#: 36/2025: ``rules/pu.py`` labour_intensive_share, the bulk path's PU profile).
CONDITIONAL_DISCOUNTS = frozenset({"relief.labour_intensive_jkk_discount"})


@dataclass(frozen=True)
class SlotRule:
    """How one segment computes a slot's line."""

    segment: Segment
    base: BaseKind
    rate: str  # the parameter holding the rate (or the fixed amount, or the bands)
    key: str | None = None  # its key in a table; RISK_CLASS_KEY for the JKK risk class
    discounts: tuple[str, ...] = ()  # relief in force for everyone
    conditional_discounts: tuple[str, ...] = ()  # relief for eligible payers only
    cap: str | None = None
    cap_article: str = ""
    reference_note: str = ""
    when: When = When.ALWAYS

    def __hash__(self) -> int:
        # Rules key the cache of :func:`resolved`: hash their fields once, not on every line.
        cached: int | None = self.__dict__.get("_hash")
        if cached is None:
            cached = hash(tuple(getattr(self, f) for f in self.__dataclass_fields__))
            object.__setattr__(self, "_hash", cached)
        return cached

    # -- reading the parameters at a date (one definition for both paths) -----------------

    def value(self, params: Parameters, on: date, risk_class: int | None = None) -> Any:
        """The rate (or amount, or band rates) in force, or None when the parameter is not."""
        found = params.find(self.rate, on)
        if found is None:
            return None
        if self.key is None:
            return found.value
        key = self.key.format(risk_class=risk_class) if "{" in self.key else self.key
        return found.value[key]

    def discount_shares(self, params: Parameters, on: date) -> list[tuple[Decimal, str]]:
        """The relief shares in force (non-zero) with their references, in rule order."""
        out: list[tuple[Decimal, str]] = []
        for name in self.discounts:
            found = params.find(name, on)
            if found is not None and found.value:
                out.append((Decimal(found.value), found.reference_text))
        return out

    def rate_at(
        self,
        params: Parameters,
        on: date,
        *,
        risk_class: int | None = None,
        extra: Sequence[Decimal] = (),
    ) -> Decimal | None:
        """The rate after the relief in force and ``extra`` discounts; None when not in force."""
        value = self.value(params, on, risk_class)
        if value is None:
            return None
        shares = [share for share, _ in self.discount_shares(params, on)]
        return discounted(Decimal(value), *shares, *extra)

    def fixed_at(self, params: Parameters, on: date) -> int | None:
        """A fixed amount after the relief in force (PP 49/2020: Rp 6,800 becomes Rp 68)."""
        value = self.value(params, on)
        if value is None:
            return None
        shares = [share for share, _ in self.discount_shares(params, on)]
        return apply_rate(int(value), discounted(Decimal(1), *shares)) if shares else int(value)

    def cap_at(self, params: Parameters, on: date) -> ParamValue | None:
        return params.find(self.cap, on) if self.cap else None

    def rate_reference(self, params: Parameters, on: date) -> str:
        """The rate parameter's reference, with the cap's article where the rule quotes it."""
        found = params.find(self.rate, on)
        text = found.reference_text if found else ""
        cap = self.cap_at(params, on)
        if cap is not None and self.cap_article:
            text = f"{text}; {cap.reference.instrument} {self.cap_article}"
        if self.reference_note:
            text = f"{text} ({self.reference_note})"
        return text

    def references(
        self, params: Parameters, on: date, conditional: Mapping[str, tuple[Decimal, str]]
    ) -> list[str]:
        """Every reference of a line: the rate (and cap), the relief in force, the eligible
        payer's conditional relief."""
        refs = [self.rate_reference(params, on)]
        refs += [ref for _, ref in self.discount_shares(params, on)]
        refs += [conditional[n][1] for n in self.conditional_discounts if n in conditional]
        return refs


@dataclass(frozen=True)
class Resolved:
    """A rule read at a date: what the per-person path needs for each line, read once."""

    value: Any  # the rate (or amount, or band rates); None when not in force
    rate: Decimal | None  # the rate after the relief in force, normalised (rated bases only)
    cap: ParamValue | None
    references: tuple[str, ...]  # the rate's (with the cap's article), then the relief's

    @property
    def reference_text(self) -> str:
        return "; ".join(r for r in self.references if r)


@functools.lru_cache(maxsize=65_536)
def resolved(rule: SlotRule, params: Parameters, on: date, risk_class: int | None) -> Resolved:
    """:class:`SlotRule`'s readings at ``on``, cached: a month's parameters never change."""
    value = rule.value(params, on, risk_class)
    rate = None
    if value is not None and rule.base not in (BaseKind.FIXED, BaseKind.CONTRACT_VALUE):
        rate = rule.rate_at(params, on, risk_class=risk_class)
        rate = rate.normalize() if rate else Decimal(0)
    refs = tuple(rule.references(params, on, {}))
    return Resolved(value, rate, rule.cap_at(params, on), refs)


@dataclass(frozen=True)
class ProgramInfo:
    code: str
    label_id: str
    label_en: str
    column: str  # short column title on invoice pages and PDFs

    def label(self, language: str = "id") -> str:
        return self.label_en if language == "en" else self.label_id


@dataclass(frozen=True)
class Slot:
    """One contribution line: a program and its payer."""

    key: str
    program: Program
    payer: Payer
    label_id: str
    label_en: str
    account: str | None  # ledger account credited when billed; None: not billed
    line_column: str | None  # the InvoiceLine column the amount adds to; None: not kept
    rules: tuple[SlotRule, ...]

    @property
    def billed(self) -> bool:
        return self.account is not None

    def rule(self, segment: Segment) -> SlotRule | None:
        for rule in self.rules:
            if rule.segment is segment:
                return rule
        return None

    def label(self, language: str = "id") -> str:
        return self.label_en if language == "en" else self.label_id


@dataclass(frozen=True)
class Registry:
    programs: tuple[ProgramInfo, ...]
    slots: tuple[Slot, ...]

    @property
    def keys(self) -> tuple[str, ...]:
        return tuple(s.key for s in self.slots)

    def slot(self, key: str) -> Slot:
        for slot in self.slots:
            if slot.key == key:
                return slot
        raise KeyError(key)

    def program(self, code: str) -> ProgramInfo:
        for program in self.programs:
            if program.code == code:
                return program
        raise KeyError(code)

    def for_segment(self, segment: Segment) -> tuple[Slot, ...]:
        """The slots a segment computes, in registry order."""
        by_segment: dict[Segment, tuple[Slot, ...]] | None = self.__dict__.get("_by_segment")
        if by_segment is None:
            by_segment = {
                seg: tuple(s for s in self.slots if s.rule(seg) is not None) for seg in Segment
            }
            object.__setattr__(self, "_by_segment", by_segment)
        return by_segment[segment]

    def line_columns(self) -> dict[str, tuple[str, ...]]:
        """Invoice line column -> the slots adding to it, in registry order."""
        out: dict[str, tuple[str, ...]] = {}
        for slot in self.slots:
            if slot.line_column:
                out[slot.line_column] = (*out.get(slot.line_column, ()), slot.key)
        return out

    def billed_columns(self) -> tuple[str, ...]:
        """The invoice line columns that make up a line's total (billed slots only)."""
        return tuple(c for c, keys in self.line_columns().items() if self.slot(keys[0]).billed)

    def unbilled_columns(self) -> tuple[str, ...]:
        return tuple(c for c in self.line_columns() if c not in self.billed_columns())

    def items(self) -> tuple[tuple[str, int, tuple[str, ...]], ...]:
        """Invoice items by program: (program code, rank, billed line columns summed)."""
        columns: dict[str, list[str]] = {}
        for slot in self.slots:
            if slot.billed and slot.line_column:
                found = columns.setdefault(slot.program.value, [])
                if slot.line_column not in found:
                    found.append(slot.line_column)
        order = [p.code for p in self.programs]
        ranked = sorted(columns, key=order.index)
        return tuple((code, rank, tuple(columns[code])) for rank, code in enumerate(ranked, 1))

    def accounts(self) -> dict[str, tuple[str, ...]]:
        """Ledger account -> the billed line columns whose amounts it is credited with."""
        out: dict[str, list[str]] = {}
        for slot in self.slots:
            if slot.account and slot.line_column:
                found = out.setdefault(slot.account, [])
                if slot.line_column not in found:
                    found.append(slot.line_column)
        return {account: tuple(cols) for account, cols in out.items()}

    def with_slot(self, slot: Slot, *, after: str | None = None) -> Registry:
        """A registry with one more slot (after ``after``, else last), checked."""
        slots = list(self.slots)
        index = self.keys.index(after) + 1 if after else len(slots)
        slots.insert(index, slot)
        registry = replace(self, slots=tuple(slots))
        _check(registry, None)
        return registry


# --------------------------------------------------------------------------------------------
# Explaining a computed line


def parameters_reference(legal_date: date, params: Parameters | None = None) -> str:
    """``"2025-03-31@1a2b3c4d5e6f"``: the date the parameters were read at and their version."""
    params = params or parameters()
    return f"{legal_date.isoformat()}@{params.version}"


def parse_parameters_reference(text: str) -> tuple[date, str] | None:
    """(date, version) of :func:`parameters_reference`, or None when ``text`` is not one."""
    day, _, version = text.partition("@")
    try:
        return date.fromisoformat(day), version
    except ValueError:
        return None


@dataclass(frozen=True)
class Explanation:
    """Why a slot's amount is what it is: base (after its cap), rate, references."""

    slot: Slot
    rule: SlotRule
    base_idr: int | None  # the base the rate was applied to; None for a fixed amount
    uncapped_idr: int | None  # the base before the cap, when the cap bit
    rate: Decimal | None  # None where it depends on the payer (risk class, bands) or is fixed
    cap: ParamValue | None
    references: tuple[str, ...]
    conditional: tuple[str, ...]  # references of relief that applies to eligible payers only


def explain(
    slot: Slot,
    segment: Segment,
    on: date,
    base_idr: int | None,
    params: Parameters | None = None,
) -> Explanation | None:
    """How ``slot`` is computed for ``segment`` with the parameters in force on ``on`` and the
    line's base (the capped base where the rule caps it), or None when the segment has no rule.
    """
    params = params or parameters()
    rule = slot.rule(segment)
    if rule is None:
        return None
    cap = rule.cap_at(params, on)
    base, uncapped = base_idr, None
    if cap is not None and base_idr is not None:
        base = min(base_idr, int(cap.value))
        uncapped = base_idr if base_idr > base else None
    rate: Decimal | None = None
    if rule.base is BaseKind.FIXED:
        base = None
    elif rule.key != RISK_CLASS_KEY and rule.base is not BaseKind.CONTRACT_VALUE:
        rate = rule.rate_at(params, on)
    conditional = []
    for name in rule.conditional_discounts:
        found = params.find(name, on)
        if found is not None and found.value:
            conditional.append(found.reference_text)
    refs = tuple(r for r in rule.references(params, on, {}) if r)
    return Explanation(slot, rule, base, uncapped, rate, cap, refs, tuple(conditional))


# --------------------------------------------------------------------------------------------
# Loading


def _fail(key: str, reason: str) -> ParameterFileError:
    return ParameterFileError(_RELPATH, key, reason)


def _labels(raw: Any, key: str) -> tuple[str, str]:
    if not isinstance(raw, dict) or set(raw) != {"id", "en"}:
        raise _fail(f"{key}.label", "must be {id: ..., en: ...}")
    if not all(isinstance(v, str) and v.strip() for v in raw.values()):
        raise _fail(f"{key}.label", "labels must be non-empty text")
    return str(raw["id"]).strip(), str(raw["en"]).strip()


_RULE_FIELDS = frozenset(
    {"base", "rate", "key", "discounts", "conditional_discounts", "cap", "cap_article"}
    | {"reference_note", "when"}
)
_SLOT_FIELDS = frozenset({"program", "payer", "label", "account", "line_column", "rules"})


def _enum(kind: Any, value: Any, key: str) -> Any:
    try:
        return kind(value)
    except ValueError:
        raise _fail(key, f"unknown {value!r}; known: {[v.value for v in kind]}") from None


def _names(raw: Any, key: str) -> tuple[str, ...]:
    if raw is None:
        return ()
    if not isinstance(raw, list) or not all(isinstance(n, str) for n in raw):
        raise _fail(key, "must be a list of parameter names")
    return tuple(raw)


def _rule(segment: Segment, raw: Any, key: str) -> SlotRule:
    if not isinstance(raw, dict):
        raise _fail(key, "must be a mapping")
    unknown = set(raw) - _RULE_FIELDS
    if unknown:
        raise _fail(key, f"unknown field(s): {sorted(unknown)}")
    if not isinstance(raw.get("rate"), str):
        raise _fail(f"{key}.rate", "the rate parameter is required")
    return SlotRule(
        segment=segment,
        base=_enum(BaseKind, raw.get("base"), f"{key}.base"),
        rate=raw["rate"],
        key=str(raw["key"]) if raw.get("key") is not None else None,
        discounts=_names(raw.get("discounts"), f"{key}.discounts"),
        conditional_discounts=_names(
            raw.get("conditional_discounts"), f"{key}.conditional_discounts"
        ),
        cap=str(raw["cap"]) if raw.get("cap") else None,
        cap_article=str(raw.get("cap_article") or ""),
        reference_note=str(raw.get("reference_note") or ""),
        when=_enum(When, raw.get("when", "always"), f"{key}.when"),
    )


def _slot(name: Any, raw: Any) -> Slot:
    key = f"slots.{name}"
    if not isinstance(name, str) or not name.isidentifier() or name != name.lower():
        raise _fail(key, "a slot key is a lower-case identifier (a column name)")
    if not isinstance(raw, dict):
        raise _fail(key, "must be a mapping")
    unknown = set(raw) - _SLOT_FIELDS
    if unknown:
        raise _fail(key, f"unknown field(s): {sorted(unknown)}")
    label_id, label_en = _labels(raw.get("label"), key)
    account = raw.get("account")
    if account is not None and not (isinstance(account, str) and account.isdigit()):
        raise _fail(f"{key}.account", "an account code is digits in quotes, or null")
    column = raw.get("line_column")
    if column is not None and not (isinstance(column, str) and column.isidentifier()):
        raise _fail(f"{key}.line_column", "must be a column name or null")
    rules_raw = raw.get("rules")
    if not isinstance(rules_raw, dict) or not rules_raw:
        raise _fail(f"{key}.rules", "must map at least one segment to its rule")
    rules = tuple(
        _rule(_enum(Segment, seg, f"{key}.rules"), rule, f"{key}.rules.{seg}")
        for seg, rule in rules_raw.items()
    )
    return Slot(
        key=name,
        program=_enum(Program, raw.get("program"), f"{key}.program"),
        payer=_enum(Payer, raw.get("payer"), f"{key}.payer"),
        label_id=label_id,
        label_en=label_en,
        account=account,
        line_column=column,
        rules=rules,
    )


def _check(registry: Registry, params: Parameters | None) -> None:
    """Cross-checks: unique keys, known programs, bases fit their segment, caps where capped,
    one column per payer side, parameters that exist (when ``params`` is given)."""
    keys = registry.keys
    if len(set(keys)) != len(keys):
        raise _fail("slots", "a slot key is written twice")
    codes = {p.code for p in registry.programs}
    by_column: dict[str, bool] = {}
    for slot in registry.slots:
        key = f"slots.{slot.key}"
        if slot.program.value not in codes:
            raise _fail(f"{key}.program", f"{slot.program.value} is not under programs")
        if slot.payer in (Payer.GOVERNMENT, Payer.RECOMPOSED) and slot.billed:
            raise _fail(f"{key}.account", f"a {slot.payer.value} line is not billed")
        if slot.line_column:
            billed = by_column.setdefault(slot.line_column, slot.billed)
            if billed != slot.billed:
                raise _fail(f"{key}.line_column", "billed and unbilled slots share a column")
        for rule in slot.rules:
            where = f"{key}.rules.{rule.segment.value}"
            if rule.base not in SEGMENT_BASES[rule.segment]:
                raise _fail(f"{where}.base", f"{rule.base.value} is not a {rule.segment} base")
            if (rule.base in CAPPED) != (rule.cap is not None):
                raise _fail(f"{where}.cap", "a capped base needs a cap, and only it")
            unknown = set(rule.conditional_discounts) - CONDITIONAL_DISCOUNTS
            if unknown or (rule.conditional_discounts and rule.segment is not Segment.PU):
                raise _fail(
                    f"{where}.conditional_discounts",
                    f"only {sorted(CONDITIONAL_DISCOUNTS)} for PU (eligibility is code)",
                )
            if params is None:
                continue
            for name in (rule.rate, *rule.discounts, *rule.conditional_discounts, rule.cap):
                if name is not None and name not in params:
                    raise _fail(where, f"unknown parameter {name!r}")


def load_slots(path: Path = SLOTS_FILE, params: Parameters | None = None) -> Registry:
    """Load and check the registry; every parameter a rule names must exist in ``params``."""
    raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    if not isinstance(raw, dict) or set(raw) != {"programs", "slots"}:
        raise _fail("(file)", "must have programs and slots, and only them")
    programs_raw = raw["programs"]
    if not isinstance(programs_raw, dict):
        raise _fail("programs", "must map program codes to labels")
    programs = []
    for code, entry in programs_raw.items():
        _enum(Program, code, f"programs.{code}")
        if not isinstance(entry, dict) or not isinstance(entry.get("column"), str):
            raise _fail(f"programs.{code}", "needs label and column")
        label_id, label_en = _labels(entry.get("label"), f"programs.{code}")
        programs.append(ProgramInfo(code, label_id, label_en, entry["column"]))
    slots_raw = raw["slots"]
    if not isinstance(slots_raw, dict) or not slots_raw:
        raise _fail("slots", "must map slot keys to slots")
    registry = Registry(tuple(programs), tuple(_slot(n, s) for n, s in slots_raw.items()))
    _check(registry, params or parameters())
    return registry


@functools.cache
def _packaged() -> Registry:
    return load_slots()


_override: list[Registry] = []


def registry() -> Registry:
    """The registry in use: the packaged one, or the one :func:`using` put in place."""
    return _override[-1] if _override else _packaged()


@contextlib.contextmanager
def using(extended: Registry) -> Iterator[Registry]:
    """Compute with another registry for the duration of the block (tests, extensions)."""
    _override.append(extended)
    try:
        yield extended
    finally:
        _override.pop()
