"""Which workers the coverage potential counts: the definitions the dashboard can read it by.

The coverage job stores one potential per region and month, the BPS count of employed persons
(``WorkforceFigure`` kind ``employed``, ``formal_employed`` for PU, ``informal_employed`` for
BPU). The agency measures coverage against a smaller potential (employed persons from age 17
with a KTP, minus civil servants and TNI/Polri; reference rules 12.7). The definitions, their
dated factors and sources are data, in ``data/potential_definitions.yaml``: the potential read
under a definition is the stored count times the factor in force for the month (the latest dated
value on or before it; the earliest one before the first). Rate and unprotected workers follow.

Pure functions over the selectors' rows; nothing here reads the database.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any, TypeVar

import yaml

from jamsos.coverage.selectors import rate_of, unprotected_of

DEFINITIONS_FILE = "potential_definitions.yaml"
CONFIDENCES = ("high", "medium", "low")


@dataclass(frozen=True)
class FactorValue:
    """One dated factor of a definition: potential = stored employed count x ``factor``."""

    as_of: str
    factor: Decimal
    how: dict[str, str]
    source: str
    confidence: str
    potential: int | None = None
    base: int | None = None
    base_period: str = ""


@dataclass(frozen=True)
class Definition:
    key: str
    label: dict[str, str]
    includes: dict[str, str]
    excludes: dict[str, str]
    definition_source: str
    confidence: str
    values: tuple[FactorValue, ...]

    def value_for(self, period: str | None) -> FactorValue:
        """The factor in force for ``period`` (YYYY-MM): the latest dated on or before it, the
        earliest when the month is before all of them (or not given: the latest)."""
        if not period:
            return self.values[-1]
        chosen = self.values[0]
        for value in self.values:
            if value.as_of <= period:
                chosen = value
        return chosen

    def text(self, field: str, language: str) -> str:
        texts: dict[str, str] = getattr(self, field)
        return texts.get(language[:2], texts["en"])


def _texts(raw: Any, where: str) -> dict[str, str]:
    if not isinstance(raw, dict) or not raw.get("id") or not raw.get("en"):
        raise ValueError(f"{DEFINITIONS_FILE}: {where} needs an Indonesian and an English text")
    return {"id": str(raw["id"]).strip(), "en": str(raw["en"]).strip()}


def parse(data: dict[str, Any]) -> tuple[str, dict[str, Definition]]:
    """The default key and the definitions of a loaded YAML document, checked."""
    definitions: dict[str, Definition] = {}
    for item in data["definitions"]:
        key = str(item["key"])
        values = []
        for raw in item["values"]:
            confidence = str(raw["confidence"])
            if confidence not in CONFIDENCES:
                raise ValueError(f"{DEFINITIONS_FILE}: {key} {raw['as_of']}: bad confidence")
            factor = Decimal(str(raw["factor"]))
            if factor <= 0:
                raise ValueError(f"{DEFINITIONS_FILE}: {key} {raw['as_of']}: factor must be > 0")
            values.append(
                FactorValue(
                    as_of=str(raw["as_of"]),
                    factor=factor,
                    how=_texts(raw["how"], f"{key} {raw['as_of']} how"),
                    source=str(raw["source"]),
                    confidence=confidence,
                    potential=raw.get("potential"),
                    base=raw.get("base"),
                    base_period=str(raw.get("base_period", "")),
                )
            )
        if not values:
            raise ValueError(f"{DEFINITIONS_FILE}: {key} has no dated value")
        values.sort(key=lambda v: v.as_of)
        definitions[key] = Definition(
            key=key,
            label=_texts(item["label"], f"{key} label"),
            includes=_texts(item["includes"], f"{key} includes"),
            excludes=_texts(item["excludes"], f"{key} excludes"),
            definition_source=str(item["definition_source"]),
            confidence=str(item["confidence"]),
            values=tuple(values),
        )
    default = str(data["default"])
    if default not in definitions:
        raise ValueError(f"{DEFINITIONS_FILE}: default {default!r} is not a definition")
    return default, definitions


@cache
def _loaded() -> tuple[str, dict[str, Definition]]:
    path = Path(str(resources.files("jamsos.coverage").joinpath("data", DEFINITIONS_FILE)))
    return parse(yaml.safe_load(path.read_text(encoding="utf-8")))


def definitions() -> dict[str, Definition]:
    return _loaded()[1]


def default_key() -> str:
    return _loaded()[0]


def definition(key: str | None) -> Definition:
    """The definition named ``key``; the default one for ``None`` or ``""``."""
    return definitions()[key or default_key()]


def scale(potential: int | None, factor: Decimal) -> int | None:
    """The stored potential read under a factor, in whole persons (half up)."""
    if potential is None:
        return None
    if factor == 1:
        return potential
    return int((Decimal(potential) * factor).quantize(Decimal(1), rounding=ROUND_HALF_UP))


Row = TypeVar("Row")


def apply(row: Row, key: str | None, period: str | None = None) -> Row:
    """An area or office row of the selectors with its potential, rate and unprotected workers
    read under the definition ``key`` (the factor of the row's own month, or ``period``)."""
    factor = definition(key).value_for(period or getattr(row, "period", None)).factor
    if factor == 1:
        return row
    potential = scale(row.potential, factor)  # type: ignore[attr-defined]
    active = row.active  # type: ignore[attr-defined]
    return dataclasses.replace(
        row,  # type: ignore[type-var]
        potential=potential,
        rate=rate_of(active, potential),
        unprotected=unprotected_of(active, potential),
    )


def factor_of(key: str | None, period: str | None) -> Decimal:
    return definition(key).value_for(period).factor
