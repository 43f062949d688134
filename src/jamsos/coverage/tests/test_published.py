"""Published figures: what the loader reads from the packaged files, idempotence, refusals."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

from jamsos.coverage.errors import FileInvalid
from jamsos.coverage.models import PublishedFigure
from jamsos.coverage.services.published import packaged_file, published_load

# 2023-12: 28 provinces + the national row, active and non-active (58); 10 provinces empty (20
# cells). 2025-02: 13 provinces + the national row (14). rules.md section 8: 31 figures.
EXPECTED = {
    "bpjstk_participants_2023_12_province.csv": 58,
    "bpjstk_active_2025_02_province_partial.csv": 14,
    "published_figures.yaml": 38,
}


def test_load_counts_and_values(db) -> None:
    result = published_load()
    assert result.by_file == EXPECTED
    assert (result.created, result.updated, result.unchanged, result.skipped) == (110, 0, 0, 20)
    assert PublishedFigure.objects.count() == 110
    aceh = PublishedFigure.objects.get(
        region_code="11", period="2023-12", measure="active_participants"
    )
    assert aceh.value == Decimal("583638")
    assert aceh.precision == "exact persons"
    assert aceh.source_url.startswith("https://spn.or.id/")
    nation_2023 = PublishedFigure.objects.get(
        region_code="00", period="2023-12", measure="inactive_participants"
    )
    assert nation_2023.value == 19_510_000
    assert nation_2023.precision.startswith("rounded to 10k")
    jabar = PublishedFigure.objects.get(region_code="32", period="2025-02")
    assert jabar.value == 4_960_000
    assert "databoks" in jabar.source
    assert not PublishedFigure.objects.filter(region_code="75", period="2023-12").exists()
    ucj = PublishedFigure.objects.get(measure="coverage_rate", period="2025-04")
    assert (ucj.region_code, ucj.period, ucj.value) == ("00", "2025-04", Decimal("0.3568"))
    q1 = PublishedFigure.objects.get(period="2025-03", segment="", measure="active_participants")
    assert q1.value == 40_196_096
    goal = PublishedFigure.objects.get(measure="target_active", period="2026-12")
    assert goal.value == 70_000_000
    assert all(f.source for f in PublishedFigure.objects.all())


def test_load_is_idempotent_and_updates_changes(db) -> None:
    published_load()
    again = published_load()
    assert (again.created, again.updated, again.unchanged) == (0, 0, 110)
    PublishedFigure.objects.filter(region_code="11", measure="active_participants").update(value=1)
    third = published_load()
    assert (third.created, third.updated, third.unchanged) == (0, 1, 109)
    assert (
        PublishedFigure.objects.get(region_code="11", measure="active_participants").value == 583638
    )


def test_bad_file_writes_nothing(db, tmp_path: Path) -> None:
    index = tmp_path / "index.yaml"
    (tmp_path / "bad.csv").write_text(
        "province_code,period,active_participants\n11,2023-12,583638\n12,2023-12,banyak\n",
        encoding="utf-8",
    )
    index.write_text(
        "files:\n  - {name: bad.csv, measures: [active_participants], source: test}\n",
        encoding="utf-8",
    )
    with pytest.raises(FileInvalid) as refused:
        published_load(index=index)
    assert "line 3" in refused.value.message
    assert not PublishedFigure.objects.exists()
    index.write_text(
        "files:\n  - {name: missing.csv, measures: [x], source: t}\n", encoding="utf-8"
    )
    with pytest.raises(FileInvalid):
        published_load(index=index)


def test_packaged_copies_match_the_reference_set() -> None:
    shared = Path(__file__).resolve().parents[5] / "shared" / "data" / "bpjs"
    if not shared.exists():
        pytest.skip("the shared reference data set is not beside the project")
    for name in EXPECTED:
        if name.endswith(".csv"):
            assert packaged_file(name).read_bytes() == (shared / name).read_bytes()


def test_the_agencys_potential_is_loaded_with_its_source(db) -> None:
    """July 2023: 37.4 M active = 37.77 % of the national potential (about 99.0 M, not the
    BPS employed count); Kabupaten Bandung 31.7 % of 435 thousand (shared/seeds/003)."""
    published_load()
    nation = {
        f.measure: f
        for f in PublishedFigure.objects.filter(region_code="00", period="2023-07", segment="")
    }
    assert nation["active_participants"].value == 37_400_000
    assert nation["coverage_rate"].value == Decimal("0.3777")
    assert nation["potential_workforce"].value == 99_020_000
    assert "derived" in nation["potential_workforce"].precision
    bandung = {
        f.measure: f for f in PublishedFigure.objects.filter(region_code="32.04", period="2023-07")
    }
    assert bandung["coverage_rate"].value == Decimal("0.317")
    assert bandung["potential_workforce"].value == 435_000
    assert all("Jabar Ekspres" in f.source for f in bandung.values())
    later = PublishedFigure.objects.get(measure="potential_workforce", period="2025-07")
    assert later.value == 101_810_000
