"""``jamsos coverage show | targets | published``: output, files, refusals."""

from __future__ import annotations

import csv
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from jamsos.access.models import Role
from jamsos.coverage.models import CoverageTarget, PublishedFigure
from jamsos.coverage.tests.test_selectors import Cov
from jamsos.membership.services.accounts import user_access_grant


def run(*args: str) -> str:
    out = StringIO()
    call_command("coverage", *args, stdout=out)
    return out.getvalue()


def test_show_region_with_children_and_csv(cov: Cov, tmp_path: Path) -> None:
    target = tmp_path / "jabar.csv"
    text = run("show", "--region", "32", "--children", "--csv", str(target))
    assert "Cakupan / coverage 2025-04" in text
    assert "Jawa Barat" in text
    # 250 active of 800: 31,25%; 550 unprotected
    assert "31,25%" in text
    assert "Kabupaten Bandung" in text
    assert "Kota Bandung" in text
    assert "83,33%" in text  # Kota Bandung 100 / 120
    assert "3 baris / rows" in text
    rows = list(csv.DictReader(target.open(encoding="utf-8")))
    assert [(r["code"], r["active"], r["rate"], r["unprotected"]) for r in rows] == [
        ("32", "250", "0.3125", "550"),
        ("32.04", "150", "0.3000", "350"),
        ("32.73", "100", "0.8333", "20"),
    ]


def test_show_slice_english_and_period(cov: Cov) -> None:
    text = run("show", "--region", "3204", "--segment", "BPU", "--lang", "en")
    assert "segment=BPU" in text
    assert "rate     20%" in text  # 60 / 300
    assert "unprotected         240" in text
    march = run("show", "--period", "2025-03")
    assert "2025-03" in march
    assert "1.000" in march  # the nation's potential, grouped the Indonesian way


def test_show_refusals(cov: Cov) -> None:
    user_access_grant(username="cli-cabang", role=Role.BRANCH_OFFICER, branch_office=cov.office)
    with pytest.raises(CommandError) as outside:
        run("show", "--region", "65.01", "--as", "cli-cabang")
    assert outside.value.returncode == 2
    assert "di luar wilayah kerja" in str(outside.value)
    with pytest.raises(CommandError) as bad:
        run("show", "--period", "April")
    assert "TTTT-BB" in str(bad.value)


def test_targets_commands(cov: Cov) -> None:
    assert "1 dibuat / created" in run("targets", "load")
    assert "1 tetap / unchanged" in run("targets", "load")
    created = run(
        "targets", "set", "--level", "2", "--region", "32.04", "--baseline", "2025-03",
        "--target-period", "2025-10", "--target", "300", "--source", "rencana",
    )  # fmt: skip
    assert "dibuat / created" in created
    listing = run("targets", "list", "--region", "32.04")
    assert "selisih/gap 150" in listing
    assert "perlu/needed 25 per bulan/month" in listing
    assert "12,25% majemuk/compound" in listing
    target = CoverageTarget.objects.get(region_code="32.04")
    run("targets", "set", "--id", str(target.pk), "--target", "200")
    assert "selisih/gap 50" in run("targets", "list", "--region", "32.04")
    national = run("targets", "list", "--region", "00")
    assert "70.000.000" in national
    assert "2026-12" in national
    run("targets", "delete", "--id", str(target.pk))
    assert not CoverageTarget.objects.filter(pk=target.pk).exists()
    with pytest.raises(CommandError) as refused:
        run("targets", "set", "--level", "2", "--region", "32", "--baseline", "2025-01",
            "--target-period", "2025-12", "--target", "5")  # fmt: skip
    assert "bukan wilayah tingkat kabupaten/kota" in str(refused.value)


def test_published_commands(cov: Cov) -> None:
    text = run("published", "load")
    assert "110 angka / figures: 110 baru / new" in text
    assert "bpjstk_participants_2023_12_province.csv: 58" in text
    assert "0 baru / new, 0 diubah / updated, 110 tetap / unchanged" in run("published", "load")
    listing = run("published", "list", "--region", "32")
    assert "4.855.121" in listing
    assert "4.960.000" in listing
    assert "3 angka / figures" in listing
    assert "35,68%" in run("published", "list", "--region", "00")
    assert PublishedFigure.objects.count() == 110
