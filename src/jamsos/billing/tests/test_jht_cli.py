"""`jamsos billing jht-return` and `jht-statement` from the command line."""

from __future__ import annotations

from datetime import date
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from jamsos.billing.models import JhtEntry, JhtKind
from jamsos.billing.tests.conftest import World


def run(*args: str) -> str:
    out = StringIO()
    call_command("billing", *args, stdout=out)
    return out.getvalue()


def test_jht_return_and_statement(world: World, tmp_path: Path) -> None:
    person = world.bpu_person
    JhtEntry.objects.create(
        person=person,
        kind=JhtKind.CONTRIBUTION,
        period="2015-12",
        amount_idr=10_000_000,
        booked_on=date(2015, 12, 31),
    )
    out = run("jht-return", "--year", "2016")
    assert "Rp 719.000" in out
    with pytest.raises(CommandError, match="sudah dikreditkan"):
        run("jht-return", "--year", "2016")
    with pytest.raises(CommandError, match="belum diketahui"):
        run("jht-return", "--year", "2021")
    target = tmp_path / "jht.pdf"
    statement = run("jht-statement", "--nik", person.nik, "--year", "2016", "--pdf", str(target))
    assert "Rp 10.719.000" in statement
    assert person.nik not in statement
    assert target.read_bytes().startswith(b"%PDF")
    with pytest.raises(CommandError):
        run("jht-statement", "--nik", "3204010101010001")
