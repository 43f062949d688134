"""Loading and reading the dated legal parameters (``parameters/**/*.yaml``).

Format (OpenFisca style, one file per parameter)::

    description: JKM contribution for PU participants, share of the monthly wage
    unit: rate                     # or a mapping key -> unit for tables
    keys: [employer, worker]       # only for tables; values then map each key
    values:
      2015-07-01:                  # effective date (berlaku)
        value: 0.003
        reference:
          instrument: PP 44/2015
          article: Pasal 18 ayat (1)
          title: Penyelenggaraan Program Jaminan Kecelakaan Kerja dan Jaminan Kematian
          href: https://...
        confidence: high           # high (default), medium or low; medium/low need a note
        note: why the figure is uncertain

Loading validates every file and fails at once, naming the file and the key, on a value without
a reference, unsorted or duplicate dates, an unknown unit, key or field, or a value that does not
fit its unit. Every read takes a date: there is no "current value".
"""

from __future__ import annotations

import bisect
import functools
import hashlib
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

import yaml

from jamsos.legal.errors import ParameterFileError, ParameterNotFound

PARAMETERS_DIR = Path(__file__).parent / "parameters"

#: Rates must be exact in millionths so that integer arithmetic (bulk and per person) is exact.
RATE_SCALE = 1_000_000

UNITS = frozenset(
    {
        "rate",  # a share of a base, exact decimal in [0, 1]
        "idr",  # whole rupiah
        "idr_exact",  # rupiah as published, sen kept exact (minimum wages): Decimal, 2 places
        "idr_list",  # list of whole rupiah (band bounds)
        "rate_list",  # list of rates (band rates)
        "months",
        "years",  # whole years (ages)
        "count",  # a whole number of things (children, claims, years of school)
        "workers",
        "day_of_month",
        "codes",  # list of codes (programs, industries, segments)
        "code",
        "date",
    }
)
CONFIDENCE = ("high", "medium", "low")
#: Files under ``parameters/`` that are not dated parameters: the bounds, and the registry of
#: contribution lines (read and checked by :mod:`jamsos.legal.slots`).
NOT_PARAMETERS = frozenset({"meta.yaml", "slots.yaml"})
FILE_FIELDS = frozenset({"description", "unit", "keys", "values", "documentation", "label"})
VALUE_FIELDS = frozenset({"value", "reference", "confidence", "note", "note_id"})
REFERENCE_FIELDS = frozenset({"instrument", "article", "title", "href", "source"})


class _Loader(yaml.SafeLoader):
    """SafeLoader that reads decimals as :class:`Decimal` from their text, never as float."""


def _decimal(loader: yaml.SafeLoader, node: yaml.Node) -> Decimal:
    text = str(loader.construct_scalar(node))  # type: ignore[arg-type]
    return Decimal(text.replace("_", ""))


class _DuplicateKey(yaml.YAMLError):
    def __init__(self, key: Any) -> None:
        super().__init__(f"duplicate key {key!r}")
        self.key = key


def _mapping(loader: yaml.SafeLoader, node: yaml.MappingNode) -> dict[Any, Any]:
    """A mapping that refuses a key written twice (PyYAML would keep the last silently)."""
    mapping: dict[Any, Any] = {}
    for key_node, value_node in node.value:
        key = loader.construct_object(key_node, deep=True)
        if key in mapping:
            raise _DuplicateKey(key)
        mapping[key] = loader.construct_object(value_node, deep=True)
    return mapping


_Loader.add_constructor("tag:yaml.org,2002:float", _decimal)
_Loader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _mapping)


@dataclass(frozen=True)
class Reference:
    instrument: str
    article: str = ""
    title: str = ""
    href: str = ""

    def __str__(self) -> str:
        return f"{self.instrument} {self.article}".strip()


@dataclass(frozen=True)
class ParamValue:
    """One dated value of a parameter, with the law that sets it."""

    name: str
    since: date
    value: Any
    reference: Reference
    confidence: str = "high"
    note: str = ""
    #: The note in Bahasa Indonesia (``note_id``), and the figure's name in both languages
    #: (the file's ``label``): what a reader is shown of a value that is not certain.
    note_id: str = ""
    label: tuple[tuple[str, str], ...] = ()

    @property
    def reference_text(self) -> str:
        return str(self.reference)

    def note_in(self, language: str) -> str:
        """The note in ``id`` or ``en`` (the English one when no translation is written)."""
        return self.note_id if language == "id" and self.note_id else self.note

    def label_in(self, language: str) -> str:
        """The figure's name in ``id`` or ``en``; the parameter's name when it has none."""
        return dict(self.label).get(language) or self.name


@dataclass(frozen=True)
class Parameter:
    name: str
    path: str
    description: str
    unit: str | dict[str, str]
    keys: tuple[str, ...] | None
    values: tuple[ParamValue, ...]

    @functools.cached_property
    def dates(self) -> tuple[date, ...]:
        return tuple(v.since for v in self.values)

    def at(self, on: date) -> ParamValue | None:
        """The value in force on ``on``, or None when the parameter starts later."""
        index = bisect.bisect_right(self.dates, on) - 1
        return self.values[index] if index >= 0 else None


class Parameters:
    """All parameters by dotted name: ``pu.jp_wage_cap`` is ``parameters/pu/jp_wage_cap.yaml``."""

    def __init__(
        self, parameters: Mapping[str, Parameter], known_until: date, version: str = ""
    ) -> None:
        self._parameters = dict(parameters)
        self.known_until = known_until
        #: A digest of the files the parameters were read from: a line computed with them
        #: names it (``jamsos.legal.slots.parameters_reference``).
        self.version = version

    def __contains__(self, name: object) -> bool:
        return name in self._parameters

    def __iter__(self) -> Iterator[Parameter]:
        return iter(sorted(self._parameters.values(), key=lambda p: p.name))

    def parameter(self, name: str) -> Parameter:
        try:
            return self._parameters[name]
        except KeyError:
            raise ParameterNotFound(name, "any date") from None

    def find(self, name: str, on: date) -> ParamValue | None:
        """The value in force on ``on``, or None if the parameter was not yet in force."""
        return self.parameter(name).at(on)

    def get(self, name: str, on: date) -> ParamValue:
        """The value in force on ``on``; raises :class:`ParameterNotFound` if none."""
        found = self.find(name, on)
        if found is None:
            raise ParameterNotFound(name, on)
        return found

    def change_dates(self) -> list[date]:
        """Every date on which some parameter changes, sorted."""
        return sorted({d for p in self._parameters.values() for d in p.dates})


def _fail(path: str, key: str, reason: str) -> ParameterFileError:
    return ParameterFileError(path, key, reason)


def _check_scalar(unit: str, value: Any, path: str, key: str) -> Any:
    if value is None:
        return None
    if unit == "rate":
        if isinstance(value, bool) or not isinstance(value, int | Decimal):
            raise _fail(path, key, f"a rate must be a decimal number, got {value!r}")
        rate = Decimal(value)
        if not Decimal(0) <= rate <= Decimal(1):
            raise _fail(path, key, f"a rate must be between 0 and 1, got {rate}")
        scaled = rate * RATE_SCALE
        if scaled != scaled.to_integral_value():
            raise _fail(path, key, f"rate {rate} is finer than 1/{RATE_SCALE}")
        return rate
    if unit == "idr_exact":
        if isinstance(value, bool) or not isinstance(value, int | Decimal) or value < 0:
            raise _fail(path, key, f"idr_exact must be an amount >= 0, got {value!r}")
        amount = Decimal(value)
        if amount != amount.quantize(Decimal("0.01")):
            raise _fail(path, key, f"idr_exact keeps at most two decimals (sen), got {amount}")
        return amount
    if unit in ("idr", "months", "years", "count", "workers", "day_of_month"):
        if isinstance(value, bool) or not isinstance(value, int) or value < 0:
            raise _fail(path, key, f"{unit} must be a whole number >= 0, got {value!r}")
        if unit == "day_of_month" and not 1 <= value <= 31:
            raise _fail(path, key, f"day_of_month must be 1..31, got {value}")
        return value
    if unit in ("idr_list", "rate_list"):
        if not isinstance(value, list) or not value:
            raise _fail(path, key, f"{unit} must be a non-empty list")
        inner = "idr" if unit == "idr_list" else "rate"
        return tuple(_check_scalar(inner, v, path, f"{key}[{i}]") for i, v in enumerate(value))
    if unit == "codes":
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise _fail(path, key, "codes must be a list of strings")
        return tuple(value)
    if unit == "code":
        if not isinstance(value, str):
            raise _fail(path, key, "code must be a string")
        return value
    if unit == "date":
        if not isinstance(value, date):
            raise _fail(path, key, "must be a date YYYY-MM-DD")
        return value
    raise _fail(path, key, f"unknown unit {unit!r}")  # pragma: no cover - units checked earlier


def _parse_reference(raw: Any, path: str, key: str) -> Reference:
    if not isinstance(raw, dict):
        raise _fail(path, key, "every value needs a reference (instrument, article)")
    unknown = set(raw) - REFERENCE_FIELDS
    if unknown:
        raise _fail(path, key, f"unknown reference field(s): {sorted(unknown)}")
    instrument = raw.get("instrument")
    if not isinstance(instrument, str) or not instrument.strip():
        raise _fail(path, key, "reference.instrument is required")
    return Reference(
        instrument=instrument.strip(),
        article=str(raw.get("article") or "").strip(),
        title=str(raw.get("title") or "").strip(),
        href=str(raw.get("href") or "").strip(),
    )


def load_parameter(path: Path, name: str, relpath: str) -> Parameter:
    """Load and validate one parameter file."""
    try:
        raw = yaml.load(path.read_text(encoding="utf-8"), Loader=_Loader)
    except _DuplicateKey as exc:
        raise _fail(relpath, f"values.{exc.key}", "written twice: dates must be unique") from exc
    except (yaml.YAMLError, InvalidOperation) as exc:
        raise _fail(relpath, "(file)", f"not valid YAML: {exc}".replace("\n", " ")) from exc
    if not isinstance(raw, dict):
        raise _fail(relpath, "(file)", "must be a mapping")
    unknown = set(raw) - FILE_FIELDS
    if unknown:
        raise _fail(relpath, "(file)", f"unknown field(s): {sorted(unknown)}")
    description = raw.get("description")
    if not isinstance(description, str) or not description.strip():
        raise _fail(relpath, "description", "is required")
    unit = raw.get("unit")
    keys_raw = raw.get("keys")
    keys: tuple[str, ...] | None = None
    if keys_raw is not None:
        if not isinstance(keys_raw, list) or not all(isinstance(k, str) for k in keys_raw):
            raise _fail(relpath, "keys", "must be a list of names")
        keys = tuple(keys_raw)
    if isinstance(unit, dict):
        if keys is None:
            raise _fail(relpath, "unit", "a unit per key needs a keys list")
        if set(unit) != set(keys):
            raise _fail(relpath, "unit", "must name a unit for each key, and only those")
        for k, u in unit.items():
            if u not in UNITS:
                raise _fail(relpath, f"unit.{k}", f"unknown unit {u!r}")
    elif unit not in UNITS:
        raise _fail(relpath, "unit", f"unknown unit {unit!r}; known: {sorted(UNITS)}")
    label_raw = raw.get("label")
    if label_raw is not None and (
        not isinstance(label_raw, dict)
        or set(label_raw) != {"id", "en"}
        or not all(isinstance(v, str) and v.strip() for v in label_raw.values())
    ):
        raise _fail(relpath, "label", "must give the figure's name as {id: ..., en: ...}")
    label = tuple(sorted((k, v.strip()) for k, v in (label_raw or {}).items()))
    values_raw = raw.get("values")
    if not isinstance(values_raw, dict) or not values_raw:
        raise _fail(relpath, "values", "must map at least one date to a value")

    values: list[ParamValue] = []
    previous: date | None = None
    for since, entry in values_raw.items():
        key = f"values.{since}"
        if not isinstance(since, date):
            raise _fail(relpath, key, "must be a date YYYY-MM-DD")
        if previous is not None and since <= previous:
            raise _fail(relpath, key, f"dates must be sorted and unique (after {previous})")
        previous = since
        if not isinstance(entry, dict):
            raise _fail(relpath, key, "must be a mapping with value and reference")
        unknown = set(entry) - VALUE_FIELDS
        if unknown:
            raise _fail(relpath, key, f"unknown field(s): {sorted(unknown)}")
        if "value" not in entry:
            raise _fail(relpath, key, "value is required")
        reference = _parse_reference(entry.get("reference"), relpath, f"{key}.reference")
        confidence = entry.get("confidence", "high")
        if confidence not in CONFIDENCE:
            raise _fail(relpath, f"{key}.confidence", f"must be one of {CONFIDENCE}")
        note = str(entry.get("note") or "").strip()
        if confidence != "high" and not note:
            raise _fail(relpath, f"{key}.note", f"a {confidence}-confidence value needs a note")
        # Shown to readers in their language (``low_confidence``); the packaged files give both
        # for every uncertain value (legal/tests/test_notes_in_indonesian.py).
        note_id = str(entry.get("note_id") or "").strip()
        value = entry["value"]
        if keys is None:
            assert isinstance(unit, str)
            checked = _check_scalar(unit, value, relpath, f"{key}.value")
        else:
            if not isinstance(value, dict):
                raise _fail(relpath, f"{key}.value", f"must map the keys {list(keys)}")
            if set(value) != set(keys):
                missing, extra = set(keys) - set(value), set(value) - set(keys)
                raise _fail(
                    relpath,
                    f"{key}.value",
                    f"keys differ (missing {sorted(missing)}, unknown {sorted(extra)})",
                )
            checked = {
                k: _check_scalar(
                    unit[k] if isinstance(unit, dict) else str(unit),
                    value[k],
                    relpath,
                    f"{key}.value.{k}",
                )
                for k in keys
            }
        values.append(
            ParamValue(name, since, checked, reference, str(confidence), note, note_id, label)
        )
    return Parameter(name, relpath, description.strip(), unit, keys, tuple(values))


def load_parameters(directory: Path = PARAMETERS_DIR) -> Parameters:
    """Load every parameter file under ``directory`` and the ``meta.yaml`` bounds."""
    loaded: dict[str, Parameter] = {}
    digest = hashlib.sha256()
    for path in sorted(directory.rglob("*.yaml")):
        relpath = path.relative_to(directory).as_posix()
        digest.update(relpath.encode() + b"\0" + path.read_bytes() + b"\0")
        if relpath in NOT_PARAMETERS:
            continue
        name = relpath.removesuffix(".yaml").replace("/", ".")
        loaded[name] = load_parameter(path, name, relpath)
    meta_path = directory / "meta.yaml"
    if not meta_path.exists():
        raise _fail("meta.yaml", "(file)", "is required (known_until)")
    meta = yaml.load(meta_path.read_text(encoding="utf-8"), Loader=_Loader)
    known_until = meta.get("known_until") if isinstance(meta, dict) else None
    if not isinstance(known_until, date):
        raise _fail("meta.yaml", "known_until", "must be a date YYYY-MM-DD")
    return Parameters(loaded, known_until, digest.hexdigest()[:12])


@functools.cache
def parameters() -> Parameters:
    """The packaged parameters, loaded once per process."""
    return load_parameters()
