"""Recording listed workers: the form, CSV/XLSX uploads, KoboToolbox/ODK exports; bad input
writes nothing unless accept_valid; re-imports never duplicate; scoping."""

from __future__ import annotations

from pathlib import Path

import pytest

from jamsos.membership.errors import NotPermitted
from jamsos.partners.models import Prospect
from jamsos.partners.selectors.pendataan import CampaignNotFound
from jamsos.partners.services.prospects import (
    AlreadyListed,
    ProspectInvalid,
    prospect_record,
    prospects_import,
    report_rows,
)
from jamsos.partners.services.xlsform import WrongColumns, detect_format
from jamsos.partners.tests.pendataan.world import TODAY, World

FIXTURES = Path(__file__).parent / "fixtures"
NIK_A, NIK_B, NIK_C, NIK_D = (
    "3204051705900101",
    "3204054302850102",
    "3204050908920104",
    "3204053012790103",
)


def _import(world: World, name: str, **kwargs):
    return prospects_import(
        scope=kwargs.pop("scope", world.officer),
        campaign="ck-2025",
        content=(FIXTURES / name).read_bytes(),
        file_name=name,
        today=TODAY,
        **kwargs,
    )


def test_form_record_validated_and_matched(world: World) -> None:
    p = prospect_record(
        scope=world.cadre_user,
        campaign="ck-2025",
        values={
            "nik": NIK_A,
            "name": " asep   Sunandar ",
            "phone": "0812-3456-7801",
            "consent_contact": "ya",
            "estimated_income": "2.500.000",
            "ecosystem": "pasar",
        },
        today=TODAY,
    )
    assert (p.name, p.phone, p.estimated_income_idr, p.village.code, p.cadre.code) == (
        "asep Sunandar",
        "+6281234567801",
        2_500_000,
        "32.04.05.2001",
        "K01",  # the signed-in cadre
    )
    assert (p.source, p.match_status, p.match_reason) == ("form", "new", "new")
    with pytest.raises(AlreadyListed):
        prospect_record(
            scope=world.officer,
            campaign="ck-2025",
            values={"nik": NIK_A, "name": "X", "consent_contact": "no"},
            today=TODAY,
        )


@pytest.mark.parametrize(
    ("values", "field", "english"),
    [
        ({"nik": "320405170590", "name": "X"}, "nik", "NIK '320405170590' is invalid"),
        ({"nik": NIK_A, "name": ""}, "name", "name is required"),
        (
            {"nik": NIK_A, "name": "X", "phone": "081234567801", "consent_contact": "no"},
            "phone",
            "a phone is stored only with consent",
        ),
        (
            {"nik": NIK_A, "name": "X", "village_code": "3273011001"},
            "village",
            "outside the campaign's district",
        ),
        ({"nik": NIK_A, "name": "X", "village_code": "3204059999"}, "village", "unknown"),
        ({"nik": NIK_A, "name": "X", "estimated_income": "-5"}, "income", "whole rupiah"),
        ({"nik": NIK_A, "name": "X", "birth_date": "1991-05-17"}, "birth_date", "agree"),
        ({"nik": NIK_A, "name": "X", "cadre_code": "K77"}, "cadre", "not in the campaign"),
    ],
)
def test_form_refusals(world: World, values, field, english) -> None:
    with pytest.raises(ProspectInvalid) as err:
        prospect_record(scope=world.officer, campaign="ck-2025", values=values, today=TODAY)
    assert err.value.field == field
    assert english in err.value.message_in("en")
    assert Prospect.objects.count() == 0


def test_csv_bad_rows_write_nothing_unless_accept_valid(world: World) -> None:
    result = _import(world, "pendataan.csv")
    assert result.written is False
    assert Prospect.objects.count() == 0
    assert [(r.line, r.status) for r in result.rows] == [
        (2, "valid"),
        (3, "valid"),
        (4, "invalid"),
        (5, "invalid"),
        (6, "invalid"),
        (7, "valid"),
    ]
    problems = {r.line: [(p.field, p.message("en")) for p in r.problems] for r in result.rows}
    assert problems[4] == [("nik", "NIK '3204051234' is invalid")]
    assert problems[5] == [("village", "village code '3204059999' is unknown")]
    assert problems[6] == [("nik", "same NIK as row 2")]
    report = report_rows(result, "id")
    assert report[0][:4] == ["baris", "nik", "nama", "status"]
    assert report[1][1] == "3204********0101"  # NIK masked
    assert report[3][1:6] == [
        "3204051234",
        "Nik Pendek",
        "ditolak",
        "nik",
        "NIK '3204051234' tidak sah (16 angka)",
    ]
    accepted = _import(world, "pendataan.csv", accept_valid=True)
    assert accepted.written is True
    assert accepted.counts["stored"] == 3
    assert accepted.counts["invalid"] == 3
    stored = {p.nik: p for p in Prospect.objects.all()}
    assert sorted(stored) == sorted([NIK_A, NIK_B, NIK_D])
    assert stored[NIK_A].phone == "+6281234567801"
    assert stored[NIK_A].birth_date.isoformat() == "1990-05-17"
    assert stored[NIK_B].village.code == "32.04.05.2001"  # default: the campaign's village
    assert stored[NIK_B].consent_contact is False
    assert stored[NIK_B].phone == ""
    assert stored[NIK_D].village.code == "32.04.05.2002"
    assert stored[NIK_D].estimated_income_idr == 3_000_000
    assert stored[NIK_D].cadre.code == "K01"
    assert {p.source for p in stored.values()} == {"upload"}
    # again: nothing new; the three (and row 6, whose NIK is row 2's) are already listed
    again = _import(world, "pendataan.csv", accept_valid=True)
    assert (again.counts["stored"], again.counts["already_listed"], again.counts["invalid"]) == (
        0,
        4,
        2,
    )
    assert Prospect.objects.count() == 3


def test_xlsx_same_as_csv(world: World) -> None:
    result = _import(world, "pendataan.xlsx", accept_valid=True)
    assert result.file_format == "xlsx"
    assert [(r.line, r.status) for r in result.rows] == [
        (3, "stored"),
        (4, "stored"),
        (5, "invalid"),
        (6, "invalid"),
        (7, "invalid"),
        (8, "stored"),
    ]


def test_kobo_and_odk_exports_idempotent_across_formats(world: World) -> None:
    first = _import(world, "kobo.csv")
    assert first.file_format == "kobo-csv"
    assert first.counts["stored"] == 3, [(r.line, r.problems) for r in first.rows]
    refs = sorted(Prospect.objects.values_list("source_ref", flat=True))
    assert refs == [f"0b6c5e2a-8f5d-4a4e-9b1d-6f3b8c1a000{i}" for i in (1, 2, 3)]
    siti = Prospect.objects.get(source_ref__endswith="0001")
    assert (siti.name, siti.ecosystem, siti.estimated_income_idr, siti.cadre.code) == (
        "Siti Rohmah",
        "umkm",
        1_800_000,
        "K01",
    )
    assert siti.source == "xlsform_csv"
    for name, fmt in (("kobo.json", "kobo-json"), ("odk.json", "odk-json"), ("kobo.csv", None)):
        again = _import(world, name)
        assert again.file_format == (fmt or "kobo-csv")
        assert again.counts["already_listed"] == 3
        assert again.counts["stored"] == 0
    assert Prospect.objects.count() == 3


def test_odk_json_alone(world: World) -> None:
    result = _import(world, "odk.json")
    assert result.counts["stored"] == 3
    neng = Prospect.objects.get(name="Neng Yuli")
    assert (neng.village.code, neng.phone, neng.source) == (
        "32.04.05.2002",
        "+6285722223333",
        "xlsform_json",
    )


def test_wrong_columns_refuse_the_file(world: World) -> None:
    with pytest.raises(WrongColumns) as err:
        prospects_import(
            scope=world.officer,
            campaign="ck-2025",
            content=b"npp;upah;kode\n1;2;3\n",
            file_name="salah.csv",
            today=TODAY,
        )
    assert "nik" in err.value.message_in("en")
    assert Prospect.objects.count() == 0


def test_detect_format() -> None:
    assert detect_format((FIXTURES / "kobo.csv").read_bytes()) == "kobo-csv"
    assert detect_format((FIXTURES / "kobo.json").read_bytes()) == "kobo-json"
    assert detect_format((FIXTURES / "odk.json").read_bytes()) == "odk-json"
    assert detect_format((FIXTURES / "pendataan.csv").read_bytes()) == "csv"
    assert detect_format((FIXTURES / "pendataan.xlsx").read_bytes()) == "xlsx"


def test_scoping(world: World) -> None:
    with pytest.raises(CampaignNotFound):
        _import(world, "kobo.csv", scope=world.other_user)
    with pytest.raises(NotPermitted):
        _import(world, "kobo.csv", scope=world.analyst)
    with pytest.raises(NotPermitted):
        _import(world, "kobo.csv", scope=world.employer_user)
    assert Prospect.objects.count() == 0
