"""``jamsos partners ...`` end to end on a small world."""

from __future__ import annotations

import csv
import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from jamsos.partners.models import Agreement, AgreementTarget, EventEnrolment
from jamsos.partners.tests.agreements.world import World


def run(*args: str) -> str:
    out = io.StringIO()
    call_command("partners", *args, stdout=out)
    return out.getvalue()


def test_cli_round_trip(world: World, tmp_path) -> None:
    assert "apindo-bdg" in run("list")
    assert "60,0%" in run("show", "apindo-bdg")
    run(
        "agreements",
        "add",
        "PKS-CLI-1",
        "--title",
        "CLI",
        "--partner",
        "pemkab-bdg",
        "--from",
        "2025-01-01",
        "--to",
        "2025-08-31",
        "--office",
        "KC3204",
        "--budget",
        "5000000",
    )
    assert "active" in run(
        "agreements", "sign", "PKS-CLI-1", "--on", "2025-01-01", "--today", "2025-06-15"
    )
    out = run("agreements", "ending", "--today", "2025-06-15")
    assert "PKS-CLI-1" in out
    assert "( 77 hari/days)" in out
    assert "0 / 10 (0%)" in run(
        "targets",
        "add",
        "PKS-CLI-1",
        "--from",
        "2025-02",
        "--to",
        "2025-03",
        "--enrolments",
        "10",
        "--today",
        "2025-06-15",
    )
    assert "1 PKS berakhir" in run("agreements", "expire", "--today", "2025-09-01")
    assert Agreement.objects.get(number="PKS-CLI-1").status == "expired"
    with pytest.raises(CommandError) as error:
        run(
            "targets",
            "add",
            "PKS-CLI-1",
            "--from",
            "2025-02",
            "--to",
            "2025-03",
            "--enrolments",
            "10",
            "--today",
            "2025-09-01",
        )
    assert "partners.agreement_expired" in str(error.value)
    assert "sudah berakhir" in str(error.value)
    assert AgreementTarget.objects.count() == 1
    out = run(
        "agreements",
        "renew",
        "PKS-CLI-1",
        "--new-number",
        "PKS-CLI-2",
        "--to",
        "2026-08-31",
        "--signed-on",
        "2025-09-01",
        "--today",
        "2025-09-02",
    )
    assert "PKS-CLI-2 2025-09-01..2026-08-31 (active)" in out
    run(
        "events",
        "add",
        "--kind",
        "socialisation",
        "--title",
        "Sosialisasi",
        "--on",
        "2025-01-10",
        "--region",
        "32.04.05",
        "--office",
        "KC3204",
        "--partner",
        "apindo-bdg",
        "--today",
        "2025-06-15",
    )
    # m1 on the day, m2 (10 days) and m3 (26 days) after it, all in Cileunyi.
    assert "3 pendaftaran dikaitkan" in run("events", "attribute")
    assert "(1 on_site, 2 after_event" in run("events", "attribute")
    assert EventEnrolment.objects.count() == 3
    assert "hasil/yield      3" in run("events", "list")
    target = tmp_path / "kartu.csv"
    run("scorecard", "--csv", str(target))
    rows = {r["code"]: r for r in csv.DictReader(target.open())}
    assert rows["apindo-bdg"]["paying_rate_3m"] == "0.6000"
    assert rows["apindo-bdg"]["cost_per_enrolment_idr"] == "3333333"
