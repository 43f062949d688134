"""The claims demo: ``setup_demo`` files claims of every demo program in every state, through
the claims services, on a small population; the pages show them to the demo accounts."""

from __future__ import annotations

from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command

from jamsos.billing.services.ledger import ledger_check
from jamsos.claims.models import Claim
from jamsos.demo.claims import CASES, JKP_CASE, STATES, demo_claims_build

WORKERS = 3000


@pytest.mark.django_db
def test_the_demo_holds_claims_of_every_program_in_every_state(client, settings, tmp_path):
    settings.VAR_DIR = tmp_path
    out = StringIO()
    call_command("setup_demo", workers=WORKERS, verbosity=0, stdout=out)
    assert "demo claims" in out.getvalue()
    programs = {program for program, *_ in (*CASES, JKP_CASE)}
    seen = set(Claim.objects.values_list("program", "status"))
    assert {(p, s) for p in programs for s in STATES} <= seen, out.getvalue()
    # A job loss is claimed by a member with 12 or more paid months in the 24 before it.
    for claim in Claim.objects.filter(program="JKP").exclude(status="rejected"):
        assert claim.eligible
        in_24 = claim.eligibility["facts"]["months_in_last_24"]
        assert in_24 >= 12
        assert claim.request["contribution_months"] == in_24
    assert all(c.trace["lines"] for c in Claim.objects.exclude(status="rejected"))
    assert ledger_check().ok
    assert demo_claims_build() == {"claims": "already built"}
    client.force_login(get_user_model().objects.get(username="demo-cabang"))
    assert client.get("/klaim/antrean/").status_code == 200
    client.force_login(get_user_model().objects.get(username="demo-peserta"))
    assert "JKK" in client.get("/klaim/").content.decode()
