from io import StringIO

import pytest
from django.core.management import call_command
from django.db.models import Sum
from hypothesis import given
from hypothesis import strategies as st

from jamsos.registry.errors import ImportFileInvalid, PopulationMissing
from jamsos.registry.models import Confidence, Region, RegionPopulation, WorkforceFigure
from jamsos.registry.selectors import region_get, workforce_for
from jamsos.registry.services import apportion, workforce_estimate, workforce_import
from jamsos.registry.services.workforce import ESTIMATE_SOURCE

PERIOD = "2024-08"
# Province figures missing from the Aug 2024 file (employed): their Dec 2024 populations.
MISSING_EMPLOYED_POPULATION = {
    "15": 3_834_439,
    "16": 9_064_690,
    "17": 2_127_957,
    "19": 1_549_562,
    "72": 3_219_494,
    "81": 1_935_586,
    "91": 1_102_360,
    "93": 562_220,
    "94": 1_369_112,
    "95": 1_470_518,
    "96": 623_186,
}


def figure(code, kind, period=PERIOD):
    return workforce_for(region_get(code), period, kind)


def test_published_province_figures_are_high_confidence(reference):
    employed = figure("32", "employed")
    assert employed.count == 24_420_000
    assert (employed.confidence, employed.estimated) == (Confidence.HIGH, False)
    assert employed.source == "BPS, Sakernas Agustus 2024"
    assert "tribunnews" in employed.source_urls or employed.source_urls.startswith("http")
    assert figure("00", "employed").count == 144_640_000
    assert figure("00", "formal_employed", "2024-02").count == 58_050_000


def test_values_computed_in_the_source_file_are_marked_derived(reference):
    # Sumatera Utara's Aug 2024 figures were back-computed from the Aug 2025 release
    labour_force = figure("12", "labour_force")
    assert labour_force.count == 8_177_000
    assert labour_force.estimated
    assert labour_force.confidence == Confidence.MEDIUM
    assert labour_force.method.startswith("derived in the source file")


def test_formal_split_is_derived_from_the_published_parts(reference):
    # Jawa Barat: employed 24.42 M and formal 11.14 M published -> informal 13.28 M
    informal = figure("32", "informal_employed")
    assert informal.count == 13_280_000
    assert (informal.estimated, informal.confidence) == (True, Confidence.MEDIUM)
    # Maluku Utara: employed 661,490 and formal share 35.24 % only
    assert figure("82", "formal_employed").count == round(661_490 * 0.3524) == 233_109
    assert figure("82", "informal_employed").count == 661_490 - 233_109


def test_missing_provinces_get_the_national_remainder_by_population_share(reference):
    # national employed 144,640,000 minus the 27 provinces with a figure (131,367,939)
    remainder = 144_640_000 - 131_367_939
    assert remainder == 13_272_061
    total_population = sum(MISSING_EMPLOYED_POPULATION.values())
    assert total_population == 26_859_124
    # Jambi: 13,272,061 x 3,834,439 / 26,859,124 = 1,894,734.48
    jambi = figure("15", "employed")
    assert jambi.count in (1_894_734, 1_894_735)
    assert (jambi.estimated, jambi.confidence, jambi.source) == (True, "low", ESTIMATE_SOURCE)
    assert "131,367,939" in jambi.method
    assert "13,272,061" in jambi.method
    # Sulawesi Tengah: 13,272,061 x 3,219,494 / 26,859,124 = 1,590,867.995
    assert figure("72", "employed").count in (1_590_867, 1_590_868)
    # the estimates add up exactly to the remainder
    estimated = WorkforceFigure.objects.filter(
        region__edition=reference,
        region__level=1,
        period=PERIOD,
        kind="employed",
        source=ESTIMATE_SOURCE,
    )
    assert set(estimated.values_list("region__code", flat=True)) == set(MISSING_EMPLOYED_POPULATION)
    assert estimated.aggregate(s=Sum("count"))["s"] == remainder


def test_every_province_kind_adds_up_to_the_national_figure(reference):
    for kind, national in [
        ("working_age", 215_370_000),
        ("labour_force", 152_110_000),
        ("employed", 144_640_000),
        ("formal_employed", 60_810_000),
        ("informal_employed", 83_830_000),
    ]:
        provinces = WorkforceFigure.objects.filter(
            region__edition=reference, region__level=1, period=PERIOD, kind=kind
        )
        assert provinces.count() == 38, kind
        assert provinces.aggregate(s=Sum("count"))["s"] == national, kind


def test_regencies_get_the_province_figure_by_population_share(reference):
    # Kabupaten Bandung: 24,420,000 x 3,839,721 / 51,316,378 (Jawa Barat) = 1,827,213.66
    bandung = figure("32.04", "employed")
    assert bandung.count in (1_827_213, 1_827_214)
    assert bandung.confidence == Confidence.LOW
    regencies = WorkforceFigure.objects.filter(
        region__edition=reference, region__province_code="32", region__level=2, kind="employed"
    )
    assert regencies.count() == 27
    assert regencies.aggregate(s=Sum("count"))["s"] == 24_420_000


def test_formal_estimates_follow_employed_so_the_split_stays_consistent(reference):
    # DKI Jakarta: employed published (5.11 M), formal and informal estimated
    formal = figure("31", "formal_employed").count
    informal = figure("31", "informal_employed").count
    assert abs(formal + informal - 5_110_000) < 5_110_000 * 0.01
    assert "employed figures" in figure("31", "formal_employed").method


def test_districts_and_villages_get_no_estimate(reference):
    assert not WorkforceFigure.objects.filter(region__level__gte=3).exists()


def test_estimate_is_idempotent_and_yields_to_published_figures(reference, tmp_path):
    # given a second run changes nothing
    assert not workforce_estimate(period=PERIOD).sync.changed
    # when Jambi's real figure arrives (long format)
    path = tmp_path / "jambi.csv"
    path.write_text(
        "region_code,period,kind,count,source,confidence\n"
        "15,2024-08,employed,1900000,BPS Provinsi Jambi,high\n",
        encoding="utf-8",
    )
    imported = workforce_import(path=path)
    assert imported.sync.updated == 1
    # then it replaces the estimate, and re-estimating spreads the new remainder over the others
    result = workforce_estimate(period=PERIOD, kinds=["employed"])
    assert result.sync.deleted == 0
    jambi = figure("15", "employed")
    assert (jambi.count, jambi.estimated, jambi.source) == (1_900_000, False, "BPS Provinsi Jambi")
    others = WorkforceFigure.objects.filter(
        region__level=1, period=PERIOD, kind="employed", source=ESTIMATE_SOURCE
    )
    assert others.count() == 10
    assert others.aggregate(s=Sum("count"))["s"] == 13_272_061 - 1_900_000


def test_estimate_needs_population(db, write_csv, tmp_path):
    from jamsos.registry.services import regions_import

    regions_import(
        path=write_csv("p.csv", "32,32,Jawa Barat,,"),
        edition="nopop",
        make_current=True,
        report_dir=tmp_path,
    )
    RegionPopulation.objects.filter(region__edition__name="nopop").delete()
    with pytest.raises(PopulationMissing):
        workforce_estimate(period=PERIOD, edition="nopop")


def test_long_format_rejects_bad_rows_and_unknown_codes(reference, tmp_path):
    path = tmp_path / "long.csv"
    path.write_text(
        "region_code,period,kind,count\n"
        "3204,2024-08,employed,1800000\n"
        "32.04,2024-13,employed,1\n"
        "32.04,2024-08,unemployed,1\n"
        "99.99,2024-08,employed,1\n",
        encoding="utf-8",
    )
    result = workforce_import(path=path, source="BPS Kabupaten Bandung")
    assert result.figures == 1
    assert len(result.invalid) == 2
    assert result.unknown_codes == ["99.99"]
    assert figure("32.04", "employed").source == "BPS Kabupaten Bandung"


def test_a_file_of_another_shape_is_refused(reference, tmp_path):
    path = tmp_path / "x.csv"
    path.write_text("a,b\n1,2\n", encoding="utf-8")
    with pytest.raises(ImportFileInvalid):
        workforce_import(path=path)


def test_the_commands_print_their_summaries(reference):
    out = StringIO()
    call_command("workforce", "estimate", "--period", PERIOD, stdout=out)
    assert "nothing to do" in out.getvalue()
    out = StringIO()
    call_command("workforce", "show", "15", "--period", PERIOD, stdout=out)
    assert "15 Jambi" in out.getvalue()
    assert "estimated" in out.getvalue()
    out = StringIO()
    call_command("workforce", "show", "32.04.05", stdout=out)
    assert "no figures" in out.getvalue()


def test_apportion_by_hand():
    assert apportion(10, {"a": 1, "b": 1, "c": 1}) == {"a": 4, "b": 3, "c": 3}
    assert apportion(100, {"a": 3, "b": 0}) == {"a": 100, "b": 0}
    assert apportion(0, {"a": 5}) == {"a": 0}
    with pytest.raises(ValueError, match="positive sum"):
        apportion(5, {"a": 0})


@given(
    total=st.integers(min_value=0, max_value=10**10),
    weights=st.dictionaries(
        st.integers(0, 50), st.integers(0, 10**8), min_size=1, max_size=20
    ).filter(lambda w: sum(w.values()) > 0),
)
def test_apportion_is_exact_and_within_one_of_the_share(total, weights):
    parts = apportion(total, weights)
    assert sum(parts.values()) == total
    weight_sum = sum(weights.values())
    for key, weight in weights.items():
        assert abs(parts[key] - total * weight / weight_sum) < 1 + 1e-6


def test_no_region_without_edition_is_left(reference):
    assert not Region.objects.filter(edition__isnull=True).exists()
