from io import StringIO

import pytest
from django.core.management import call_command

from jamsos.registry.errors import RegionNotFound
from jamsos.registry.models import Level
from jamsos.registry.selectors import (
    region_children,
    region_descendant_counts,
    region_get,
    region_list,
    region_path,
    region_search,
)


def names(regions):
    return [r.name for r in regions]


def test_bandung_finds_the_kabupaten_first(reference):
    hits = region_search("bandung")
    assert hits[0].name == "Kabupaten Bandung"
    assert hits[0].path_names == ["Jawa Barat", "Kabupaten Bandung"]
    assert names(hits[:3]) == ["Kabupaten Bandung", "Kota Bandung", "Kabupaten Bandung Barat"]
    assert len(hits) == 20
    assert [h.level for h in hits] == sorted(h.level for h in hits)


def test_villages_are_found_by_prefix(reference):
    hits = region_search("cileunyi k", level=Level.VILLAGE)
    assert [(h.code, h.name) for h in hits] == [("32.04.05.2001", "Cileunyi Kulon")]
    assert hits[0].path_names == [
        "Jawa Barat",
        "Kabupaten Bandung",
        "Cileunyi",
        "Cileunyi Kulon",
    ]
    assert all(h.level == Level.VILLAGE for h in region_search("sukamaju", level=4))


def test_search_is_case_and_accent_insensitive_and_understands_prefixes(reference):
    assert region_search("KOTA BANDUNG")[0].name == "Kota Bandung"
    assert names(region_search("kota bandung", limit=1)) == ["Kota Bandung"]
    assert names(region_search("kab bandung", limit=2)) == [
        "Kabupaten Bandung",
        "Kabupaten Bandung Barat",
    ]
    assert region_search("kec cileunyi")[0].code == "32.04.05"
    assert region_search("Jakarta Utara")[0].name == "Kota Administrasi Jakarta Utara"


def test_words_inside_a_name_are_found_after_the_prefixes(reference):
    hits = region_search("kulon", level=Level.VILLAGE, limit=100)
    assert "Cileunyi Kulon" in names(hits)


def test_code_prefixes_and_codes_without_dots(reference):
    assert region_search("3204052001")[0].name == "Cileunyi Kulon"
    hits = region_search("32.04.05")
    assert hits[0].code == "32.04.05"
    assert all(h.code.startswith("32.04.05") for h in hits)


def test_nothing_matches_nonsense(reference):
    assert region_search("xqzzy") == []
    assert region_search("   ") == []


def test_search_is_a_bounded_number_of_queries(reference, django_assert_max_num_queries):
    # Time is measured in bench (docs/benchmarks.md); here: no query per candidate row.
    for text in ["b", "su", "bandung", "sukamaju", "cileunyi", "kota ban", "32.04", "xqzzy"]:
        with django_assert_max_num_queries(12):  # a few per level, never one per row
            region_search(text)


def test_path_and_children(reference):
    assert names(region_path("32.04.05.2001")) == [
        "Jawa Barat",
        "Kabupaten Bandung",
        "Cileunyi",
        "Cileunyi Kulon",
    ]
    assert names(region_path("3204")) == ["Jawa Barat", "Kabupaten Bandung"]
    children = region_children("32.04.05")
    assert [c.code for c in children] == sorted(c.code for c in children)
    assert "Cileunyi Kulon" in names(children)
    assert len(region_children("00")) == 38
    assert region_children("32.04.05.2001") == []


def test_descendant_counts(reference):
    assert region_descendant_counts(region_get("32.04")) == {"district": 31, "village": 280}
    assert region_descendant_counts(region_get("00")) == {
        "province": 38,
        "regency": 514,
        "district": 7285,
        "village": 83762,
    }
    assert region_descendant_counts(region_get("32.04.05.2001")) == {}


def test_unknown_codes_raise_region_not_found(reference):
    with pytest.raises(RegionNotFound) as caught:
        region_get("99.99")
    assert caught.value.code == "registry.region_not_found"
    assert caught.value.http_status == 404
    with pytest.raises(RegionNotFound):
        region_path("32.04.99")


def test_region_list_filters(reference):
    assert region_list(level=Level.PROVINCE).count() == 38
    assert region_list(parent="32").count() == 27
    assert region_list(parent="00").count() == 38
    assert region_list(q="bandung", level=Level.REGENCY).count() == 3
    assert region_list(q="32.04.05").count() == 1 + 6  # the district and its villages


def test_search_command_prints_paths(reference):
    out = StringIO()
    call_command("regions", "search", "cileunyi kulon", stdout=out)
    assert "32.04.05.2001" in out.getvalue()
    assert "Jawa Barat › Kabupaten Bandung › Cileunyi › Cileunyi Kulon" in out.getvalue()
    out = StringIO()
    call_command("regions", "search", "xqzzy", stdout=out)
    assert out.getvalue().strip() == "no match"


def test_stats_and_load_commands(reference):
    out = StringIO()
    call_command("regions", "stats", stdout=out)
    assert "83,762" in out.getvalue()
    assert "kepmendagri-2025-2430" in out.getvalue()
    out = StringIO()
    call_command("regions", "load", "--no-progress", stdout=out)
    assert "nothing to do" in out.getvalue()
