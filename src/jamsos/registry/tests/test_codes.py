import pytest

from jamsos.registry.codes import (
    ancestor_codes,
    fold,
    kind_of,
    level_of,
    looks_like_code,
    normalise_code,
    parent_code_of,
    search_name_of,
)
from jamsos.registry.models import Kind, Level


@pytest.mark.parametrize(
    ("code", "level"),
    [
        ("00", Level.NATIONAL),
        ("32", Level.PROVINCE),
        ("32.04", Level.REGENCY),
        ("32.04.05", Level.DISTRICT),
        ("32.04.05.2001", Level.VILLAGE),
        ("3204", None),
        ("32.4", None),
        ("32.04.05.201", None),
        ("02", None),
        ("", None),
        ("32.04.05.2001.1", None),
    ],
)
def test_level_of_follows_the_dotted_shapes(code, level):
    assert level_of(code) == level


@pytest.mark.parametrize(
    ("code", "kind"),
    [
        ("32", Kind.PROVINSI),
        ("32.04", Kind.KABUPATEN),
        ("32.73", Kind.KOTA),
        ("32.04.05", Kind.KECAMATAN),
        ("91.03.01", Kind.DISTRIK),
        ("32.73.01.1001", Kind.KELURAHAN),
        ("32.04.05.2001", Kind.DESA),
        ("91.03.01.3001", Kind.DESA_ADAT),
    ],
)
def test_kind_of_reads_the_code(code, kind):
    assert kind_of(code, level_of(code)) == kind


def test_ancestors_and_parent():
    assert ancestor_codes("32.04.05.2001") == ("32", "32.04", "32.04.05")
    assert ancestor_codes("32.04") == ("32", "32.04", "")
    assert ancestor_codes("00") == ("", "", "")
    assert parent_code_of("32.04.05.2001") == "32.04.05"
    assert parent_code_of("32") == ""


def test_search_names_are_folded_and_drop_the_regency_form():
    assert search_name_of("Kabupaten Bandung") == "bandung"
    assert search_name_of("Kota Administrasi Jakarta Utara") == "jakarta utara"
    assert search_name_of("Kota") == "kota"
    assert search_name_of("Ma’rang") == "marang"
    assert fold("  Sukamaju-Selatan  ") == "sukamaju selatan"
    assert fold("Bekasí") == "bekasi"


def test_codes_are_recognised_and_normalised():
    assert looks_like_code("3204052001")
    assert looks_like_code("32.04")
    assert not looks_like_code("bandung")
    assert not looks_like_code("...")
    assert normalise_code("3204052001") == "32.04.05.2001"
    assert normalise_code("3204") == "32.04"
    assert normalise_code("32.04.") == "32.04"
    assert normalise_code("00") == "00"
