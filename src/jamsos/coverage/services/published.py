"""Officially reported coverage figures, loaded into :class:`PublishedFigure` (idempotent).

What is loaded, all listed in ``jamsos/coverage/data/published_figures.yaml``:

- the BPJS Ketenagakerjaan province tables of ``shared/data/bpjs/`` (copied unchanged into
  ``jamsos/coverage/data/``, provenance in its README.md), one figure per filled cell of the
  file's measure columns (empty cells, the provinces the source does not give, are skipped);
- the national figures of ``shared/reference/rules.md`` section 8, each with its source.

A figure is keyed on (region, month, segment, measure, source): loading again updates a changed
value and leaves the rest alone, so the second run writes nothing.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from importlib import resources
from pathlib import Path
from typing import Any

import yaml
from django.db import transaction

from jamsos.coverage.errors import FileInvalid
from jamsos.coverage.models import PublishedFigure
from jamsos.legal.periods import Period
from jamsos.registry.codes import normalise_code
from jamsos.registry.models import NATIONAL_CODE

VALUE_FIELDS = ("value", "precision", "source_url", "note")


def packaged_file(name: str) -> Path:
    """A file of ``jamsos/coverage/data/`` (see its README.md)."""
    return Path(str(resources.files("jamsos.coverage").joinpath("data", name)))


@dataclass
class PublishedLoadResult:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    skipped: int = 0
    by_file: dict[str, int] = field(default_factory=dict)

    @property
    def total(self) -> int:
        return self.created + self.updated + self.unchanged

    def summary(self) -> str:
        return (
            f"{self.total} angka / figures: {self.created} baru / new, {self.updated} diubah / "
            f"updated, {self.unchanged} tetap / unchanged; {self.skipped} sel kosong dilewati / "
            "empty cells skipped"
        )


def _fail(path: Path, reason: str) -> FileInvalid:
    return FileInvalid(value=path.name, reason=reason)


def _decimal(text: Any, path: Path, where: str) -> Decimal | None:
    raw = str(text if text is not None else "").strip()
    if not raw:
        return None
    try:
        return Decimal(raw)
    except InvalidOperation:
        raise _fail(path, f"{where}: {raw!r} is not a number") from None


def _period(text: Any, path: Path, where: str) -> str:
    try:
        return str(Period.parse(str(text)))
    except ValueError:
        raise _fail(path, f"{where}: period {text!r} is not YYYY-MM") from None


def _code(text: Any) -> str:
    raw = str(text or "").strip()
    return NATIONAL_CODE if raw in {"", "0", NATIONAL_CODE} else normalise_code(raw)


def _csv_figures(
    path: Path, spec: dict[str, Any], result: PublishedLoadResult
) -> list[dict[str, Any]]:
    try:
        with path.open(encoding="utf-8", newline="") as handle:
            rows = list(csv.DictReader(handle))
    except OSError as exc:
        raise _fail(path, exc.strerror or str(exc)) from None
    measures = list(spec.get("measures") or [])
    needed = {"province_code", "period", *measures}
    missing = needed - set(rows[0].keys() if rows else needed)
    if missing:
        raise _fail(path, "missing columns " + ", ".join(sorted(missing)))
    out = []
    for number, row in enumerate(rows, start=2):
        code = _code(row["province_code"])
        period = _period(row["period"], path, f"line {number}")
        precision = (row.get("value_precision") or "").strip() or str(spec.get("precision", ""))
        if code == NATIONAL_CODE and spec.get("national_precision"):
            precision = str(spec["national_precision"])
        for measure in measures:
            value = _decimal(row.get(measure), path, f"line {number}, {measure}")
            if value is None:
                result.skipped += 1
                continue
            note = " ".join(
                part
                for part in (str(spec.get("note", "")).strip(), (row.get("notes") or "").strip())
                if part
            )
            out.append(
                {
                    "region_code": code,
                    "period": period,
                    "segment": "",
                    "measure": measure,
                    "value": value,
                    "precision": precision[:120],
                    "source": str(spec["source"]).strip()[:300],
                    "source_url": (row.get("source_url") or "").strip(),
                    "note": note,
                }
            )
    return out


def _yaml_figures(path: Path, rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    out = []
    for number, row in enumerate(rows, start=1):
        where = f"figure {number}"
        if not row.get("source") or not row.get("measure"):
            raise _fail(path, f"{where}: source and measure are required")
        value = _decimal(row.get("value"), path, where)
        if value is None:
            raise _fail(path, f"{where}: value is required")
        out.append(
            {
                "region_code": _code(row.get("region_code")),
                "period": _period(row.get("period"), path, where),
                "segment": str(row.get("segment") or "").upper(),
                "measure": str(row["measure"]),
                "value": value,
                "precision": str(row.get("precision") or "")[:120],
                "source": str(row["source"]).strip()[:300],
                "source_url": str(row.get("source_url") or ""),
                "note": str(row.get("note") or "").strip(),
            }
        )
    return out


def _key(row: dict[str, Any]) -> tuple[str, str, str, str, str]:
    return (row["region_code"], row["period"], row["segment"], row["measure"], row["source"])


@transaction.atomic
def published_load(
    *, index: Path | None = None, data_dir: Path | None = None
) -> PublishedLoadResult:
    """Load the figures listed in ``index`` (default: the packaged ``published_figures.yaml``);
    the CSV files it names are read from ``data_dir`` (default: the index's folder).

    Reads every file first and refuses the whole load on a malformed one (nothing written);
    then compares with the stored figures (one query) and writes only the differences.
    """
    index = index or packaged_file("published_figures.yaml")
    data_dir = data_dir or index.parent
    try:
        spec = yaml.safe_load(index.read_text(encoding="utf-8")) or {}
    except (OSError, yaml.YAMLError) as exc:
        raise _fail(index, str(exc).splitlines()[0]) from None
    result = PublishedLoadResult()
    wanted: dict[tuple[str, str, str, str, str], dict[str, Any]] = {}
    for file_spec in spec.get("files") or []:
        path = data_dir / str(file_spec["name"])
        rows = _csv_figures(path, file_spec, result)
        result.by_file[path.name] = len(rows)
        wanted.update({_key(r): r for r in rows})
    figures = _yaml_figures(index, spec.get("figures") or [])
    result.by_file[index.name] = len(figures)
    wanted.update({_key(r): r for r in figures})

    stored = {
        (f.region_code, f.period, f.segment, f.measure, f.source): f
        for f in PublishedFigure.objects.all()
    }
    new, changed = [], []
    for key, row in wanted.items():
        figure = stored.get(key)
        if figure is None:
            new.append(PublishedFigure(**row))
            continue
        if all(getattr(figure, name) == row[name] for name in VALUE_FIELDS):
            result.unchanged += 1
            continue
        for name in VALUE_FIELDS:
            setattr(figure, name, row[name])
        changed.append(figure)
    PublishedFigure.objects.bulk_create(new, batch_size=500)
    if changed:
        PublishedFigure.objects.bulk_update(changed, list(VALUE_FIELDS), batch_size=500)
    result.created, result.updated = len(new), len(changed)
    return result
