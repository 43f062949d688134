"""Registered population and area per region (Dukcapil, BIG): ``province_regency_stats.csv``."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from django.db import transaction

from jamsos.legal.periods import Period
from jamsos.registry.codes import normalise_code
from jamsos.registry.models import Region, RegionPopulation
from jamsos.registry.services._csv import read_csv_rows
from jamsos.registry.services._sync import SyncResult, sync_rows
from jamsos.registry.services.editions import edition_get

PACKAGED_POPULATION_PERIOD = "2024-12"
PACKAGED_POPULATION_SOURCE = (
    "Ditjen Dukcapil Kemendagri, Data Kependudukan Semester II 2024; area: BIG "
    "B-16.10/DIGD-BIG/IGD.04.04/12/2024 (via cahyadsn/wilayah, MIT)"
)
POPULATION_COLUMNS = ("code", "population_total")


@dataclass
class PopulationImportResult:
    path: str
    period: str
    rows: int
    sync: SyncResult
    unknown_codes: list[str] = field(default_factory=list)
    invalid: list[str] = field(default_factory=list)

    def summary(self) -> str:
        text = f"{self.rows:,} rows for {self.period}: {self.sync.summary()}"
        if self.unknown_codes:
            text += f"; unknown codes: {', '.join(self.unknown_codes[:20])}"
        if self.invalid:
            text += f"; {len(self.invalid)} invalid row(s): " + "; ".join(self.invalid[:10])
        return text


def population_import(
    *, path: Path, period: str, source: str = "", edition: str | None = None
) -> PopulationImportResult:
    """Load ``code,...,population_male,population_female,population_total,area_km2`` rows.

    The national row has code ``00``. Unknown codes and unreadable numbers are reported and
    skipped; re-running the same file changes nothing.
    """
    Period.parse(period)
    target = edition_get(edition)
    rows = read_csv_rows(path, POPULATION_COLUMNS)
    codes = {normalise_code(r["code"]) for r in rows}
    ids = dict(Region.objects.filter(edition=target, code__in=codes).values_list("code", "pk"))
    result = PopulationImportResult(
        path=str(path), period=period, rows=len(rows), sync=SyncResult()
    )
    desired: dict[tuple[int, str], dict[str, Any]] = {}
    for line, row in enumerate(rows, start=2):
        code = normalise_code(row["code"])
        if code not in ids:
            result.unknown_codes.append(code or f"line {line}")
            continue
        try:
            total = int(row["population_total"])
            values: dict[str, Any] = {
                "male": _int_or_none(row.get("population_male")),
                "female": _int_or_none(row.get("population_female")),
                "total": total,
                "area_km2": _decimal_or_none(row.get("area_km2")),
                "source": (source or path.name)[:300],
            }
        except (ValueError, InvalidOperation):
            result.invalid.append(f"line {line} ({code}): not a number")
            continue
        if total < 0:
            result.invalid.append(f"line {line} ({code}): negative population")
            continue
        desired[(ids[code], period)] = values
    with transaction.atomic():
        result.sync = sync_rows(
            RegionPopulation.objects.filter(period=period, region__edition=target),
            key_fields=["region_id", "period"],
            desired=desired,
        )
    return result


def _int_or_none(value: str | None) -> int | None:
    return int(value) if value else None


def _decimal_or_none(value: str | None) -> Decimal | None:
    return Decimal(value).quantize(Decimal("0.001")) if value else None
