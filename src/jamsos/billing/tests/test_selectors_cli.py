"""`jamsos billing lapsed` and `arrears` from the command line."""

from __future__ import annotations

import csv
from datetime import date, timedelta
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from jamsos.access.models import AuditEvent
from jamsos.billing.tests.conftest import World, invoice_make, payer_make


def run(*args: str) -> str:
    out = StringIO()
    call_command("billing", *args, stdout=out)
    return out.getvalue()


def _unpaid_months(world: World) -> None:
    payer = payer_make(employer=world.employer)
    for month in (3, 4, 5):
        invoice_make(
            payer,
            f"2025-{month:02d}",
            due_date=date(2025, month + 1, 15),
            items=[("PU", "JKK", 10)],
            lines=[(world.worker_a, {"jkk_idr": 10})],
        )


def test_lapsed_lists_and_exports(world: World, tmp_path: Path) -> None:
    _unpaid_months(world)
    out = run("lapsed", "--period", "2025-05")
    assert world.worker_a.kpj in out
    assert "1 kepesertaan nonaktif" in out
    assert "0 kepesertaan" in run("lapsed", "--period", "2025-04")
    assert "0 kepesertaan" in run("lapsed", "--period", "2025-05", "--office", "KC9999")
    target = tmp_path / "lapsed.csv"
    run("lapsed", "--period", "2025-05", "--csv", str(target))
    rows = list(csv.DictReader(target.open(encoding="utf-8")))
    assert [(r["kpj"], r["months_unpaid"]) for r in rows] == [(world.worker_a.kpj, "3")]
    assert AuditEvent.objects.filter(target_type="billing.lapsed").exists()
    with pytest.raises(CommandError, match="TTTT-BB"):
        run("lapsed", "--period", "May")


def test_arrears_totals_and_csv(world: World, tmp_path: Path) -> None:
    payer = payer_make(employer=world.employer)
    invoice_make(payer, "2025-01", due_date=date(2025, 2, 15), items=[("PU", "JKK", 1_500)])
    out = run("arrears", "--date", (date(2025, 2, 15) + timedelta(days=31)).isoformat())
    assert "31-60" in out
    assert "Rp 1.500" in out
    target = tmp_path / "arrears.csv"
    run("arrears", "--date", "2025-06-30", "--office", "KC3204", "--csv", str(target))
    rows = list(csv.DictReader(target.open(encoding="utf-8")))
    assert rows[0]["d90_plus"] == "1500"
    with pytest.raises(CommandError):
        run("arrears", "--date", "2025-06-30", "--office", "KC9999")
    with pytest.raises(CommandError):
        run("arrears", "--date", "nope")


def test_arrears_filters(world: World, tmp_path: Path) -> None:
    employer = payer_make(employer=world.employer)
    person = payer_make(person=world.bpu_person)
    invoice_make(employer, "2025-01", due_date=date(2025, 2, 15), items=[("PU", "JKK", 1_500)])
    invoice_make(person, "2025-05", due_date=date(2025, 6, 15), items=[("BPU", "JHT", 20_000)])
    day = ["--date", "2025-06-30"]
    assert "2 pembayar" in run("arrears", *day)
    only_bpu = run("arrears", *day, "--kind", "bpu")
    assert "1 pembayar" in only_bpu
    assert "Rp 20.000" in only_bpu
    assert "Rp 1.500" in run("arrears", *day, "--age", "d90_plus")
    assert "0 pembayar" in run("arrears", *day, "--min", "100.000")
    target = tmp_path / "bpu.csv"
    run("arrears", *day, "--kind", "bpu", "--csv", str(target))
    rows = list(csv.DictReader(target.open(encoding="utf-8")))
    assert [int(r["payer_id"]) for r in rows] == [person.pk]
    event = AuditEvent.objects.filter(target_type="billing.arrears").latest("pk")
    assert event.detail["filters"] == {"kind": "bpu"}
    with pytest.raises(CommandError, match="Jumlah terkecil"):
        run("arrears", *day, "--min", "banyak")
