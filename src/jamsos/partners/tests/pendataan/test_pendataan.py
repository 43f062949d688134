"""The CLI, the API and the pages of pendataan, with their scoping."""

from __future__ import annotations

from io import StringIO
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import Client

from jamsos.partners.models import Campaign, Prospect
from jamsos.partners.tests.pendataan.world import World

FIXTURES = Path(__file__).parent / "fixtures"


def _client(username: str) -> Client:
    client = Client()
    client.force_login(get_user_model().objects.get(username=username))
    return client


def _cli(*args: str) -> tuple[str, str]:
    out, err = StringIO(), StringIO()
    call_command("pendataan", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_cli_campaign_import_funnel(world: World, tmp_path) -> None:
    out, _ = _cli(
        "campaigns", "add", "cw-2025", "--name", "Cileunyi Wetan", "--village", "32.04.05.2002",
        "--from", "2025-03-01", "--to", "2025-05-31", "--office", "KC3204", "--open",
        "--as", "petugas",
    )  # fmt: skip
    assert "cw-2025: Cileunyi Wetan, Cileunyi Wetan (32.04.05.2002)" in out
    assert Campaign.objects.get(code="cw-2025").status == "running"
    with pytest.raises(CommandError) as err:
        _cli(
            "campaigns", "add", "x-2025", "--name", "X", "--village", "3204052002",
            "--from", "2025-03-01", "--to", "2025-05-31", "--office", "KC3204",
            "--agreement", "PKS/009/2023", "--lang", "en",
        )  # fmt: skip
    assert "has expired (2024-12-31)" in str(err.value)
    _cli("cadres", "add", "--campaign", "cw-2025", "--name", "Bu Iis", "--code", "W1")
    report = tmp_path / "report.csv"
    with pytest.raises(CommandError):
        _cli("import", str(FIXTURES / "pendataan.csv"), "--campaign", "ck-2025",
             "--report", str(report))  # fmt: skip
    assert Prospect.objects.count() == 0
    text = report.read_text(encoding="utf-8-sig")
    assert "4;3204051234;Nik Pendek;ditolak;nik;NIK '3204051234' tidak sah (16 angka)" in text
    out, err = _cli("import", str(FIXTURES / "pendataan.csv"), "--campaign", "ck-2025",
                    "--accept-valid")  # fmt: skip
    assert "csv: 6 baris, 3 disimpan, 0 sudah didata, 3 ditolak" in out
    assert "5\tvillage: kode desa '3204059999' tidak dikenal" in err
    out, _ = _cli("import", str(FIXTURES / "kobo.json"), "--campaign", "ck-2025",
                  "--format", "kobo-json", "--lang", "en")  # fmt: skip
    assert "kobo-json: 3 rows, 3 stored, 0 already listed, 0 refused" in out
    out, _ = _cli("funnel", "--campaign", "ck-2025", "--by", "cadre", "--csv")
    out, _ = _cli("funnel", "--campaign", "ck-2025", "--by", "cadre")
    lines = out.strip().splitlines()
    assert lines[1].split("\t")[:2] == ["jumlah", "6"]
    assert lines[2].split("\t")[:2] == ["K01", "4"]
    out, _ = _cli("follow-up", "--campaign", "ck-2025", "--as", "kader1")
    names = [line.split("\t")[2] for line in out.strip().splitlines()]
    assert names == ["Asep Sunandar", "Dedi Mulyadi", "Siti Rohmah", "Neng Yuli"]
    assert "3204********0101" in out
    with pytest.raises(CommandError):
        _cli("follow-up", "--campaign", "ck-2025", "--as", "lain")
    out, _ = _cli("campaigns", "list", "--as", "kader1")
    assert [line.split("\t")[0] for line in out.strip().splitlines()] == ["ck-2025"]


def test_api(world: World) -> None:
    cadre = _client("kader1")
    r = cadre.get("/api/v1/partners/campaigns")
    assert r.status_code == 200
    assert [c["code"] for c in r.json()] == ["ck-2025"]
    r = cadre.post(
        "/api/v1/partners/campaigns/ck-2025/prospects",
        {"nik": "3204051705900101", "name": "Asep", "consent_contact": True,
         "phone": "081234567801", "estimated_income": 2500000},
        content_type="application/json",
    )  # fmt: skip
    assert r.status_code == 201, r.content
    body = r.json()
    assert (body["nik"], body["cadre"], body["match_status"]) == ("3204********0101", "K01", "new")
    r = cadre.post(
        "/api/v1/partners/campaigns/ck-2025/prospects?lang=en",
        {"nik": "3204051705900000", "name": "Bad"},
        content_type="application/json",
    )
    assert r.status_code == 400
    assert r.json()["code"] == "partners.prospect_invalid"
    with (FIXTURES / "kobo.csv").open("rb") as handle:
        r = cadre.post("/api/v1/partners/campaigns/ck-2025/imports", {"file": handle})
    assert r.status_code == 201
    assert r.json()["counts"]["stored"] == 3
    with (FIXTURES / "odk.json").open("rb") as handle:
        r = cadre.post("/api/v1/partners/campaigns/ck-2025/imports", {"file": handle})
    assert r.status_code == 200
    assert r.json()["counts"]["already_listed"] == 3
    assert Prospect.objects.count() == 4
    r = _client("analis").get("/api/v1/partners/campaigns/ck-2025/funnel")
    assert r.status_code == 200
    assert r.json()[0]["listed"] == 4
    assert _client("analis").get("/api/v1/partners/campaigns/ck-2025/follow-up").status_code == 403
    assert _client("lain").get("/api/v1/partners/campaigns/ck-2025/funnel").status_code == 404
    assert _client("pemberi").get("/api/v1/partners/campaigns").status_code == 403
    leads = cadre.get("/api/v1/partners/campaigns/ck-2025/follow-up").json()
    assert [x["name"] for x in leads] == ["Asep", "Siti Rohmah", "Neng Yuli"]
    r = cadre.post(f"/api/v1/partners/prospects/{leads[0]['id']}/contacted")
    assert r.status_code == 200
    assert r.json()["contacted_on"] is not None


def test_pages(world: World) -> None:
    cadre = _client("kader1")
    page = cadre.get("/mitra/pendataan/")
    assert page.status_code == 200
    assert b"Pendataan Cileunyi Kulon 2025" in page.content
    form = cadre.get("/mitra/pendataan/ck-2025/catat/")
    assert b'inputmode="numeric"' in form.content
    r = cadre.post(
        "/mitra/pendataan/ck-2025/catat/",
        {"nik": "3204051705900101", "name": "Asep", "consent_contact": "yes",
         "phone": "081234567801"},
    )  # fmt: skip
    assert r.status_code == 302
    r = cadre.post("/mitra/pendataan/ck-2025/catat/", {"nik": "123", "name": "X"})
    assert r.status_code == 400
    assert Prospect.objects.count() == 1
    with (FIXTURES / "pendataan.csv").open("rb") as handle:
        r = cadre.post("/mitra/pendataan/ck-2025/impor/", {"file": handle})
    assert r.status_code == 200
    assert b"3204059999" in r.content
    assert Prospect.objects.count() == 1  # refused rows: nothing stored
    page = cadre.get("/mitra/pendataan/ck-2025/tindak-lanjut/")
    assert b"3204********0101" in page.content
    p = Prospect.objects.get()
    r = cadre.post(f"/mitra/pendataan/ck-2025/calon/{p.pk}/contacted/")
    assert r.status_code == 302
    p.refresh_from_db()
    assert p.contacted_on is not None
    detail = _client("analis").get("/mitra/pendataan/ck-2025/")
    assert detail.status_code == 200
    assert b"partners-bars-fill" in detail.content
    assert _client("lain").get("/mitra/pendataan/ck-2025/").status_code == 404
    assert _client("pemberi").get("/mitra/pendataan/").status_code == 403
