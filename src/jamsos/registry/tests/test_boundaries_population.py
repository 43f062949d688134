import json
from decimal import Decimal

import pytest

from jamsos.registry.errors import ImportFileInvalid
from jamsos.registry.models import Region, RegionBoundary, RegionPopulation
from jamsos.registry.services import boundaries_import, population_import
from jamsos.registry.services.reference import packaged_file

SQUARE = [[[107.0, -7.0], [107.1, -7.0], [107.1, -6.9], [107.0, -6.9], [107.0, -7.0]]]


def feature(code, geometry, **props):
    return {"type": "Feature", "properties": {"code": code, **props}, "geometry": geometry}


def test_packaged_boundaries_cover_every_province_and_regency(reference):
    boundaries = RegionBoundary.objects.filter(region__edition=reference)
    assert boundaries.filter(region__level=1).count() == 38
    assert boundaries.filter(region__level=2).count() == 514
    bandung = boundaries.get(region__code="32.04")
    geometry = json.loads(bandung.geometry)
    assert geometry["type"] == "MultiPolygon"
    assert -8 < bandung.centroid_lat < -6.5
    assert 107 < bandung.centroid_lng < 108


def test_import_reports_unknown_codes_and_invalid_features(reference, tmp_path):
    # given a collection with a polygon, an unknown code, a point and a feature without code
    path = tmp_path / "b.geojson"
    collection = {
        "type": "FeatureCollection",
        "features": [
            feature("32.04.05", {"type": "Polygon", "coordinates": SQUARE}),
            feature("99.99", {"type": "Polygon", "coordinates": SQUARE}),
            feature("32.73", {"type": "Point", "coordinates": [107, -7]}),
            {"type": "Feature", "properties": {}, "geometry": None},
        ],
    }
    path.write_text(json.dumps(collection))
    # when
    result = boundaries_import(path=path, source="test")
    # then
    assert result.sync.created == 1
    assert result.unknown_codes == ["99.99"]
    assert len(result.invalid) == 2
    stored = RegionBoundary.objects.get(region__code="32.04.05", region__edition=reference)
    assert json.loads(stored.geometry) == {"type": "MultiPolygon", "coordinates": [SQUARE]}
    assert stored.centroid_lat == pytest.approx(-6.95)
    assert stored.centroid_lng == pytest.approx(107.05)
    # and a second run changes nothing
    assert not boundaries_import(path=path, source="test").sync.changed


@pytest.mark.parametrize(
    "content",
    ["not json", json.dumps({"type": "Feature"}), json.dumps({"type": "FeatureCollection"})],
)
def test_a_file_that_is_not_a_feature_collection_is_refused(reference, tmp_path, content):
    path = tmp_path / "x.geojson"
    path.write_text(content)
    with pytest.raises(ImportFileInvalid):
        boundaries_import(path=path)


def test_population_is_loaded_for_the_nation_provinces_and_regencies(reference):
    populations = RegionPopulation.objects.filter(region__edition=reference, period="2024-12")
    assert populations.count() == 553
    national = populations.get(region__code="00")
    assert national.total == 284_973_643
    assert national.area_km2 is None
    aceh = populations.get(region__code="11")
    assert (aceh.male, aceh.female, aceh.total) == (2_815_060, 2_808_419, 5_623_479)
    assert aceh.area_km2 == Decimal("56835.019")
    assert sum(p.total for p in populations.filter(region__level=2)) == 284_973_643


def test_population_import_skips_unknown_codes_and_bad_numbers(reference, tmp_path):
    path = tmp_path / "pop.csv"
    path.write_text(
        "code,population_total,population_male,population_female,area_km2\n"
        "32.04,100,50,50,1.5\n"
        "99.99,5,,,\n"
        "32.73,lots,,,\n",
        encoding="utf-8",
    )
    result = population_import(path=path, period="2030-06", source="test")
    assert result.sync.created == 1
    assert result.unknown_codes == ["99.99"]
    assert len(result.invalid) == 1
    row = RegionPopulation.objects.get(period="2030-06")
    assert (row.region.code, row.total) == ("32.04", 100)
    assert Region.objects.get(pk=row.region_id).edition == reference


def test_the_packaged_files_are_shipped_with_the_package():
    for name in (
        "provinces.geo.json",
        "regencies.geo.json",
        "province_regency_stats.csv",
        "sakernas_national.csv",
        "sakernas_2024_08_province.csv",
        "README.md",
    ):
        assert packaged_file(name).is_file(), name
