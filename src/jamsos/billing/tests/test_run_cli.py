"""``jamsos billing run | runs``: summary, listing, refusals in Bahasa Indonesia."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from jamsos.billing.models import BillingRun, RunStatus
from jamsos.membership.models import WageReport

pytestmark = pytest.mark.django_db


def jamsos(*args: str) -> str:
    out = StringIO()
    call_command("billing", *args, stdout=out)
    return out.getvalue()


def test_run_prints_the_summary_and_runs_lists_it(world):
    WageReport.objects.filter(membership=world.worker_b).delete()
    text = jamsos("run", "--period", "2025-03", "--as-of", "2025-04-01", "--no-progress")
    run = BillingRun.objects.get()
    assert run.status == RunStatus.FINISHED
    assert "Penagihan 2025-03 selesai" in text
    assert "Program JKK" in text
    assert "wage:required" in text  # worker B has no wage
    assert f"Rp {run.totals['grand_total']:,}".replace(",", ".") in text
    listing = jamsos("runs", "--period", "2025-03")
    assert "finished" in listing
    assert "2025-03" in listing


def test_refusals_speak_bahasa_indonesia(world):
    with pytest.raises(CommandError, match="harus berbentuk TTTT-BB"):
        jamsos("run", "--period", "03-2025")
    with pytest.raises(CommandError, match="Tanggal tagihan harus tanggal"):
        jamsos("run", "--period", "2025-03", "--as-of", "1 April")
    with pytest.raises(CommandError, match="must be YYYY-MM"):
        jamsos("run", "--period", "2025-13", "--lang", "en")
    assert not BillingRun.objects.exists()
