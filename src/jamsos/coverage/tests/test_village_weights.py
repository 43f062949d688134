"""District and village potentials split by village type (services/village_weights.py)."""

from __future__ import annotations

from datetime import date

import polars as pl
import pytest

from jamsos.coverage.models import CoverageArea
from jamsos.coverage.services.build import WEIGHTED_METHOD, coverage_build
from jamsos.coverage.services.village_weights import type_fits, village_weights
from jamsos.membership.services import bpu_self_register
from jamsos.membership.tests.factories import person_create
from jamsos.membership.tests.fixtures import Regions
from jamsos.registry.models import Region, RegionPopulation, WorkforceFigure
from jamsos.registry.services.regions import region_row, regions_write


def frame(rows: list[tuple[str, int, str]]) -> pl.DataFrame:
    """Regions from (code, level, kind): the columns the build reads."""
    return pl.DataFrame(
        {
            "code": [c for c, _l, _k in rows],
            "level": [lv for _c, lv, _k in rows],
            "kind": [k for _c, _l, k in rows],
            "regency_code": [c[:5] for c, _l, _k in rows],
            "province_code": [c[:2] for c, _l, _k in rows],
        },
        schema_overrides={"level": pl.Int16},
    )


def test_the_fit_gives_persons_per_kelurahan_and_desa_with_the_nation_as_fallback() -> None:
    regions = frame(
        [
            ("11.01.01.1001", 4, "kelurahan"),
            ("11.01.01.2001", 4, "desa"),
            ("11.01.01.2002", 4, "desa"),
            ("11.71.01.1001", 4, "kelurahan"),
            ("12.01.01.2001", 4, "desa"),  # province 12: one kind only, no fit of its own
        ]
    )
    population = pl.DataFrame({"code": ["11.01", "11.71", "12.01"], "total": [30_000, 20_000, 9]})
    fits = {r["province_code"]: r for r in type_fits(regions, population).to_dicts()}
    # 11.71: a = 20,000; 11.01: a + 2b = 30,000 -> b = 5,000.
    assert (fits["11"]["per_kelurahan"], fits["11"]["per_desa"]) == (20_000, 5_000)
    assert fits["11"]["basis"] == "province"
    assert fits["12"]["basis"] == "nation"
    weights = {r["code"]: r for r in village_weights(regions, population).to_dicts()}
    assert weights["11.01.01.1001"]["weight"] == 20_000
    assert weights["11.01.01.2001"]["weight"] == 5_000
    assert weights["11.01.01.1001"]["by_type"]
    # A regency with one kind of village keeps equal shares.
    assert weights["11.71.01.1001"]["weight"] == 1
    assert not weights["12.01.01.2001"]["by_type"]


def test_without_population_there_is_no_fit() -> None:
    regions = frame([("11.01.01.1001", 4, "kelurahan"), ("11.01.01.2001", 4, "desa")])
    empty = pl.DataFrame(schema={"code": pl.String, "total": pl.Int64})
    assert type_fits(regions, empty).is_empty()
    assert village_weights(regions, empty)["weight"].to_list() == [1, 1]


@pytest.mark.django_db
def test_village_potentials_are_weighted_by_type_and_add_up(regions: Regions) -> None:
    edition = regions.kab_bandung.edition
    regions_write(
        edition=edition,
        rows=[region_row("32.04.06", "Cimenyan"), region_row("32.04.06.1001", "Padasuka")],
    )
    assert Region.objects.get(code="32.04.06.1001", edition=edition).kind == "kelurahan"
    for region, total in ((regions.kab_bandung, 3_839_721), (regions.kota_bandung, 2_591_763)):
        RegionPopulation.objects.create(
            region=region, period="2024-12", total=total, source="Dukcapil Desember 2024"
        )
    WorkforceFigure.objects.create(
        region=regions.kab_bandung,
        kind="employed",
        count=1001,
        period="2024-08",
        source="BPS Sakernas Agustus 2024",
        confidence="medium",
        estimated=True,
    )
    bpu_self_register(
        person=person_create(domicile=regions.cileunyi_kulon),
        declared_income_idr=1_000_000,
        start_date=date(2025, 3, 1),
        today=date(2025, 3, 2),
    )
    coverage_build("2025-03")
    rows = {
        r.region_code: r
        for r in CoverageArea.objects.filter(period="2025-03", segment="", ecosystem="", channel="")
    }
    # Kota Bandung: 2,591,763 per kelurahan; Kabupaten Bandung 1 kelurahan + 2 desa:
    # 3,839,721 = 2,591,763 + 2 b, b = 623,979. 1001 x 2,591,763 // 3,839,721 = 675;
    # 1001 x 623,979 // 3,839,721 = 162 each; the 2 left over to the first villages by code.
    assert rows["32.04.06.1001"].potential == 675
    assert rows["32.04.05.2001"].potential == 163
    assert rows["32.04.05.2002"].potential == 163
    assert rows["32.04.05"].potential == 326
    assert rows["32.04.06"].potential == 675
    assert sum(rows[c].potential or 0 for c in ("32.04.05", "32.04.06")) == 1001
    source = rows["32.04.06.1001"].potential_source
    assert source.startswith(f"{WEIGHTED_METHOD} (kelurahan 2591763 : desa 623979) 32.04")
    assert rows["32.04.06.1001"].potential_estimated
