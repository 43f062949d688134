"""``jamsos claims ...``: the same services at the command line; a refusal exits with 2."""

from __future__ import annotations

import json
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from jamsos.claims.models import Claim, ClaimStatus
from jamsos.claims.services.documents import document_add
from jamsos.claims.tests.conftest import PDF

pytestmark = pytest.mark.django_db


def _run(*args: str) -> str:
    out = StringIO()
    call_command("claims", *args, stdout=out, stderr=StringIO())
    return out.getvalue()


def test_an_operator_takes_a_claim_from_submission_to_payment(cw, tmp_path):
    nik = cw.person.nik
    common = [
        "--nik",
        nik,
        "--program",
        "JKM",
        "--case",
        "death",
        "--date",
        "2026-10-05",
        "--relationship",
        "spouse",
        "--claimant",
        "Bambang Rahayu",
        "--bank",
        "014",
        "--account",
        "9876543210",
        "--account-name",
        "Bambang Rahayu",
    ]
    assert "eligible" in _run("check", *common)
    assert not Claim.objects.exists()
    number = _run("submit", *common).split(":")[0]
    claim = Claim.objects.get(number=number)
    for kind in ("ktp", "bank_book", "kk", "death_certificate", "heir_statement"):
        document_add(None, number, kind=kind, name="d.pdf", content=PDF)
    assert number in _run("queue")
    _run("verify", number)
    _run("approve", number)
    out = tmp_path / "transfer.csv"
    _run("transfer-file", str(out))
    assert number in out.read_text()
    assert "paid" in _run("pay", number, "--key", "op-1")
    assert "already paid" in _run("pay", number, "--key", "op-1")
    assert Claim.objects.get(pk=claim.pk).status == ClaimStatus.PAID
    shown = json.loads(_run("show", number))
    assert shown["trace"]["lines"]
    assert "JKM" in _run("report")
    with pytest.raises(CommandError) as refused:
        _run("reject", number, "--reason", "x")
    assert refused.value.returncode == 2
