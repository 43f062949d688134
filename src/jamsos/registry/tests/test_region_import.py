import csv
import json
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from jamsos.registry.errors import EditionNameInvalid, ImportFileInvalid
from jamsos.registry.models import Kind, Level, Region, RegionEdition
from jamsos.registry.selectors import region_count_by_level, region_get
from jamsos.registry.services import regions_import

GOOD = [
    "32,32,Jawa Barat,,",
    "32.04,3204,Kabupaten Bandung,32,kabupaten",
    "32.73,3273,Kota Bandung,32,kota",
    "32.04.05,320405,Cileunyi,32.04,",
    "32.04.05.2001,3204052001,Cileunyi Kulon,32.04.05,desa",
    "32.73.01.1001,3273011001,Orphan In File,32.73.01,kelurahan",
    "32.73.01,327301,Sukasari,32.73,",
]


def report_rows(result):
    with result.report_path.open(encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def test_a_valid_file_of_mixed_levels_is_written(db, write_csv, tmp_path):
    # given
    path = write_csv("regions.csv", *GOOD)
    # when
    result = regions_import(path=path, edition="test-2025", report_dir=tmp_path / "r")
    # then
    assert result.ok
    assert result.written
    assert result.write.created == {"province": 1, "regency": 2, "district": 2, "village": 2}
    village = Region.objects.get(edition__name="test-2025", code="32.73.01.1001")
    assert village.kind == Kind.KELURAHAN
    assert village.parent.code == "32.73.01"
    assert village.parent.parent.kind == Kind.KOTA
    assert report_rows(result) == []
    summary = json.loads(result.summary_path.read_text())
    assert summary["written"] is True
    assert summary["valid"] == 7


def test_bad_rows_write_nothing_and_each_is_reported_with_its_reason(db, write_csv, tmp_path):
    # given one good row and one of each fault
    path = write_csv(
        "regencies.csv",
        "32,32,Jawa Barat,,",  # line 2: good
        "3X,3X,Bad Code,,",  # line 3: code_format
        "32.99.01,329901,Orphan District,32.99,",  # line 4: orphan
        "32.04,3204,Kabupaten Bandung,32,kabupaten",  # line 5: duplicate (with line 6)
        "32.04,3204,Kabupaten Bandung Lagi,32,kabupaten",  # line 6: duplicate
        "32.73,3274,Kota Bandung,32,kota",  # line 7: code_nodot_mismatch
        "32.74,3274,,32,kota",  # line 8: empty_name
        "32.75,3275,Kota Banjar,33,kota",  # line 9: parent_mismatch
        "32.76,3276,Kota Depok,32,kabupaten",  # line 10: type_mismatch
        "32.04.05,320405,Cileunyi,32.04,",  # line 11: parent rejected (32.04 is a duplicate)
        "32.77,3277,Kota Cimahi,32,kota,extra",  # line 12: field_count
    )
    # when
    result = regions_import(path=path, edition="bad-2025", report_dir=tmp_path)
    # then nothing is written, not even the edition
    assert not result.written
    assert not RegionEdition.objects.filter(name="bad-2025").exists()
    assert not Region.objects.filter(name__in=["Bad Code", "Orphan District"]).exists()
    rows = {int(r["line"]): r for r in report_rows(result)}
    assert {line: rows[line]["reasons"] for line in rows} == {
        3: "code_format",
        4: "orphan",
        5: "duplicate_code",
        6: "duplicate_code",
        7: "code_nodot_mismatch",
        8: "empty_name",
        9: "parent_mismatch",
        10: "type_mismatch",
        11: "parent_rejected",
        12: "field_count",
    }
    assert rows[4]["code"] == "32.99.01"
    assert "32.99" in rows[4]["messages"]
    assert "regencies.csv:5, regencies.csv:6" in rows[5]["messages"]
    assert result.valid == 1
    assert result.rejected == 10
    summary = json.loads(result.summary_path.read_text())
    assert summary["written"] is False
    assert summary["reasons"]["duplicate_code"] == 2


def test_accept_valid_writes_only_the_good_rows(db, write_csv, tmp_path):
    path = write_csv(
        "mixed.csv",
        "32,32,Jawa Barat,,",
        "32.04,3204,Kabupaten Bandung,32,kabupaten",
        "32.04.05,320405,,32.04,",  # empty name
        "32.04.05.2001,3204052001,Cileunyi Kulon,32.04.05,desa",  # its parent is rejected
    )
    result = regions_import(path=path, edition="part-2025", accept_valid=True, report_dir=tmp_path)
    assert result.written
    codes = set(Region.objects.filter(edition__name="part-2025").values_list("code", flat=True))
    assert codes == {"00", "32", "32.04"}
    assert [r["reasons"] for r in report_rows(result)] == ["empty_name", "parent_rejected"]


@pytest.mark.parametrize(
    ("content", "reason"),
    [
        (b"", "empty_file"),
        (b"   \n\n", "empty_file"),
        (b"kode,nama\n32,Jawa Barat\n", "missing_columns"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\xff\xfe", "not_utf8"),
        ("Jawa Barat;32;x\n".encode("utf-16"), "not_utf8"),
        (b"this is not a csv file at all\nreally\n", "missing_columns"),
        (b"code,code_nodot,name,parent_code\n", "no_rows"),
        (b'code,code_nodot,name,parent_code\n"32,32,Jawa', "not_csv"),
    ],
)
def test_unreadable_files_are_refused_whole(db, tmp_path, content, reason):
    # given
    path = tmp_path / "input.csv"
    path.write_bytes(content)
    # when
    result = regions_import(path=path, edition="junk", report_dir=tmp_path / "r")
    # then
    assert not result.written
    assert [p.reasons for p in result.problems] == [[reason]]
    assert report_rows(result)[0]["line"] == "0"
    assert not RegionEdition.objects.filter(name="junk").exists()


def test_a_forced_level_rejects_codes_of_other_levels(db, write_csv, tmp_path):
    path = write_csv(
        "provinces.csv",
        "32,32,Jawa Barat,",
        "32.04,3204,Kabupaten Bandung,32",
        header="code,code_nodot,name,parent_code",
    )
    result = regions_import(path=path, edition="lv", level="province", report_dir=tmp_path)
    assert [p.reasons for p in result.problems] == [["level_mismatch"]]


def test_a_directory_of_the_four_files_is_one_import(db, write_csv, tmp_path):
    # given the four official files (and an unrelated CSV that must be ignored)
    write_csv("provinces.csv", "32,32,Jawa Barat,", header="code,code_nodot,name,parent_code")
    write_csv("regencies.csv", "32.04,3204,Kabupaten Bandung,32,kabupaten")
    write_csv(
        "districts.csv", "32.04.05,320405,Cileunyi,32.04", header="code,code_nodot,name,parent_code"
    )
    write_csv("villages.csv", "32.04.05.2001,3204052001,Cileunyi Kulon,32.04.05,desa")
    write_csv("province_regency_stats.csv", "x", header="code,population_total")
    # when
    result = regions_import(path=tmp_path, edition="dir", report_dir=tmp_path / "r")
    # then
    assert result.ok
    assert len(result.files) == 4
    assert result.write.created_total == 4


def test_importing_the_same_file_twice_changes_nothing(db, write_csv, tmp_path):
    path = write_csv("regions.csv", *GOOD)
    regions_import(path=path, edition="twice", report_dir=tmp_path)
    again = regions_import(path=path, edition="twice", report_dir=tmp_path)
    assert again.written
    assert not again.write.changed
    assert again.write.unchanged == 7


def test_children_can_be_added_to_regions_already_in_the_edition(db, write_csv, tmp_path):
    regions_import(
        path=write_csv("p.csv", "32,32,Jawa Barat,,"), edition="grow", report_dir=tmp_path
    )
    result = regions_import(
        path=write_csv("r.csv", "32.04,3204,Kabupaten Bandung,32,kabupaten"),
        edition="grow",
        report_dir=tmp_path,
    )
    assert result.ok
    assert Region.objects.get(edition__name="grow", code="32.04").parent.code == "32"


def test_a_second_edition_loads_beside_the_first(reference, write_csv, tmp_path):
    # given the packaged edition is current
    before = region_count_by_level(edition=reference)
    path = write_csv(
        "next.csv",
        "32,32,Jawa Barat,,",
        "32.04,3204,Kabupaten Bandung (renamed),32,kabupaten",
        "32.29,3229,Kabupaten Bandung Timur,32,kabupaten",
    )
    # when a later edition is imported
    result = regions_import(
        path=path, edition="kepmendagri-next", decree="Kepmendagri X/2026", report_dir=tmp_path
    )
    # then both editions hold their own rows; the packaged one is untouched and still current
    assert result.written
    assert region_count_by_level(edition=reference) == before
    assert region_get("32.04").name == "Kabupaten Bandung"
    assert region_get("32.04", edition="kepmendagri-next").name == "Kabupaten Bandung (renamed)"
    assert RegionEdition.objects.get(name="kepmendagri-next").decree == "Kepmendagri X/2026"
    assert not RegionEdition.objects.get(name="kepmendagri-next").is_current
    assert Region.objects.filter(code="32.04").count() == 2
    assert Region.objects.get(edition__name="kepmendagri-next", code="32.29").level == Level.REGENCY


def test_make_current_switches_the_default_edition(reference, write_csv, tmp_path):
    path = write_csv("next.csv", "32,32,Jawa Barat,,")
    regions_import(path=path, edition="next", make_current=True, report_dir=tmp_path)
    assert RegionEdition.objects.get(is_current=True).name == "next"
    assert region_get("32").edition.name == "next"


def test_a_missing_path_is_an_application_error(db, tmp_path):
    with pytest.raises(ImportFileInvalid):
        regions_import(path=tmp_path / "nope.csv", edition="x")


def test_the_command_refuses_bad_files_and_prints_the_reasons(db, write_csv, tmp_path):
    path = write_csv("bad.csv", "32,32,Jawa Barat,,", "3X,3X,Bad,,")
    out = StringIO()
    with pytest.raises(CommandError, match="nothing was written"):
        call_command(
            "regions",
            "import",
            str(path),
            "--edition",
            "cmd",
            "--report-dir",
            str(tmp_path),
            stdout=out,
        )
    assert "1 valid, 1 rejected" in out.getvalue()
    assert "bad.csv:3" in out.getvalue()
    out = StringIO()
    call_command(
        "regions",
        "import",
        str(path),
        "--edition",
        "cmd",
        "--report-dir",
        str(tmp_path),
        "--accept-valid",
        stdout=out,
    )
    assert "created 1" in out.getvalue()
    assert Region.objects.filter(edition__name="cmd", code="32").exists()


def test_edition_names_must_be_slugs(db, write_csv, tmp_path):
    path = write_csv("p.csv", "32,32,Jawa Barat,,")
    with pytest.raises(EditionNameInvalid) as caught:
        regions_import(path=path, edition="Kepmendagri 2026", report_dir=tmp_path)
    assert caught.value.fields == {"edition": [caught.value.message]}
