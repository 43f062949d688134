"""The payments API and CLI: who may post, status codes, error shapes, statement reports."""

from __future__ import annotations

from datetime import date
from io import StringIO

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command

from jamsos.access.models import AuditEvent, Role
from jamsos.access.services import api_token_issue
from jamsos.billing.identifiers import virtual_account_for
from jamsos.billing.models import Payer, Payment, StatementFile
from jamsos.billing.tests.conftest import invoice_make, payer_make
from jamsos.billing.tests.test_ledger_helpers import billed
from jamsos.membership.services.accounts import user_access_grant

pytestmark = pytest.mark.django_db

BASE = "/api/v1/billing"
DUE = date(2025, 4, 15)


@pytest.fixture
def payer(world) -> Payer:
    payer = payer_make(employer=world.employer)
    billed(invoice_make(payer, "2025-03", due_date=DUE, items=[("PU", "JKK", 900)]))
    return payer


def user(role: str, **grant):
    return user_access_grant(username=f"u-{role}", role=role, **grant).user


@pytest.fixture
def officer(client, world):
    client.force_login(user(Role.BRANCH_OFFICER, branch_office=world.employer.branch_office))
    return client


def body(payer: Payer, **kw):
    return {
        "bank_ref": "BNI-1",
        "virtual_account": payer.virtual_account,
        "amount_idr": 1000,
        "paid_on": "2025-04-10",
        **kw,
    }


def test_post_is_201_then_200_then_409(officer, payer):
    first = officer.post(f"{BASE}/payments", body(payer), content_type="application/json")
    assert first.status_code == 201, first.content
    data = first.json()
    assert (data["allocated_idr"], data["to_credit_idr"], data["already_posted"]) == (
        900,
        100,
        False,
    )
    assert data["allocations"] == [
        {
            "invoice": payer.invoices.get().number,
            "period": "2025-03",
            "kind": "contribution",
            "program": "JKK",
            "amount_idr": 900,
            "from_credit": False,
        }
    ]
    again = officer.post(f"{BASE}/payments", body(payer), content_type="application/json")
    assert again.status_code == 200
    assert again.json()["already_posted"] is True
    clash = officer.post(
        f"{BASE}/payments", body(payer, amount_idr=999), content_type="application/json"
    )
    assert clash.status_code == 409
    assert clash.json()["code"] == "billing.bank_ref_conflict"
    assert Payment.objects.count() == 1
    assert AuditEvent.objects.filter(target_type="billing.payment").get().actor_name == (
        "u-branch_officer"
    )


def test_late_payment_reports_its_penalty(officer, payer):
    response = officer.post(
        f"{BASE}/payments",
        body(payer, amount_idr=900, paid_on="2025-05-20"),
        content_type="application/json",
    )
    assert response.json()["penalties_idr"] == 36  # 900 x 2 months x 2 %
    listed = officer.get(f"{BASE}/payments", {"virtual_account": payer.virtual_account})
    assert [p["penalties_idr"] for p in listed.json()] == [36]


@pytest.mark.parametrize(
    ("change", "status", "code", "field"),
    [
        ({"amount_idr": 0}, 400, "billing.amount_not_positive", "amount"),
        ({"amount_idr": -1}, 400, "billing.amount_not_positive", "amount"),
        ({"amount_idr": 1.5}, 400, "billing.amount_not_positive", "amount"),
        ({"amount_idr": "1000"}, 400, "billing.amount_not_positive", "amount"),
        ({"amount_idr": True}, 400, "billing.amount_not_positive", "amount"),
        ({"currency": "USD"}, 400, "billing.currency_not_idr", "currency"),
        ({"paid_on": "20-04-2025"}, 400, "billing.bad_date", "paid_on"),
        ({"paid_on": "2999-01-01"}, 400, "billing.paid_in_future", "paid_on"),
        ({"bank_ref": ""}, 400, "billing.required", "bank_ref"),
        ({"virtual_account": "8810000000000000"}, 400, "billing.virtual_account_invalid", None),
        (
            {"virtual_account": virtual_account_for("sponsor", 4242)},
            404,
            "billing.virtual_account_unknown",
            "virtual_account",
        ),
    ],
)
def test_bad_input_has_the_error_shape(officer, payer, change, status, code, field):
    response = officer.post(
        f"{BASE}/payments?lang=en", body(payer, **change), content_type="application/json"
    )
    assert response.status_code == status, response.content
    data = response.json()
    assert data["code"] == code
    assert list(data["fields"]) == [field or "virtual_account"]
    assert not Payment.objects.exists()


@pytest.mark.parametrize("role", [Role.EMPLOYER_USER, Role.ANALYST, Role.WORKER])
def test_only_admins_and_branch_officers_post(client, world, payer, role):
    grant = {"employer": world.employer} if role == Role.EMPLOYER_USER else {}
    if role == Role.WORKER:
        grant = {"person": world.bpu_person}
    client.force_login(user(role, **grant))
    response = client.post(f"{BASE}/payments", body(payer), content_type="application/json")
    assert response.status_code == 403
    upload = SimpleUploadedFile("s.csv", b"x")
    assert client.post(f"{BASE}/statements", {"file": upload}).status_code == 403
    assert not Payment.objects.exists()


def test_no_credentials_and_bearer_token(client, payer):
    response = client.post(f"{BASE}/payments", body(payer), content_type="application/json")
    assert response.status_code == 401
    token = api_token_issue(user=user(Role.ADMIN), name="bank-h2h").raw
    response = client.post(
        f"{BASE}/payments",
        body(payer),
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {token}",
    )
    assert response.status_code == 201


def _csv(payer: Payer, *extra: str) -> bytes:
    lines = [
        "bank_ref;virtual_account;amount;currency;paid_on",
        f"S-1;{payer.virtual_account};900;IDR;2025-04-10",
        *extra,
    ]
    return "\n".join(lines).encode("utf-8-sig")


def test_statement_upload(officer, payer):
    dry = officer.post(
        f"{BASE}/statements", {"file": SimpleUploadedFile("s.csv", _csv(payer)), "dry_run": "true"}
    )
    assert dry.status_code == 200
    assert (dry.json()["posted"], dry.json()["dry_run"]) == (1, True)
    assert not Payment.objects.exists()
    posted = officer.post(f"{BASE}/statements", {"file": SimpleUploadedFile("s.csv", _csv(payer))})
    assert posted.status_code == 201, posted.content
    assert (posted.json()["posted"], posted.json()["amount_idr"]) == (1, 900)
    repeated = officer.post(
        f"{BASE}/statements", {"file": SimpleUploadedFile("s2.csv", _csv(payer))}
    )
    assert repeated.status_code == 200
    assert repeated.json()["repeated"] is True
    assert Payment.objects.count() == 1


def test_bad_statement_lists_its_lines(officer, payer):
    content = _csv(payer, f"S-2;{payer.virtual_account};0;IDR;2025-04-10", "S-3;123;5;EUR;x")
    response = officer.post(
        f"{BASE}/statements?lang=en", {"file": SimpleUploadedFile("s.csv", content)}
    )
    assert response.status_code == 400
    data = response.json()
    assert data["code"] == "billing.statement_has_errors"
    assert data["message"] == "The bank statement file has 2 bad lines; nothing was posted."
    assert [(e["line"], e["field"]) for e in data["lines"]] == [
        (3, "amount"),
        (4, "currency"),
        (4, "paid_on"),
        (4, "virtual_account"),
    ]
    assert not Payment.objects.exists()
    assert not StatementFile.objects.exists()


# -- CLI ---------------------------------------------------------------------------------------


def test_cli_pay(payer):
    out = StringIO()
    args = ["--va", payer.virtual_account, "--amount", "1.000", "--ref", "C-1"]
    call_command("billing", "pay", *args, "--date", "2025-04-10", stdout=out)
    assert "Rp 1.000" in out.getvalue()
    assert "Rp 900" in out.getvalue()
    call_command("billing", "pay", *args, "--date", "2025-04-10", stdout=out)
    assert "already posted" in out.getvalue()
    with pytest.raises(CommandError) as caught:
        call_command("billing", "pay", *args, "--date", "2025-04-11", "--lang", "en")
    assert caught.value.returncode == 2
    assert "already used" in str(caught.value)
    with pytest.raises(CommandError):
        call_command("billing", "pay", *args[:-1], "C-2", "--date", "10/04/2025")
    assert Payment.objects.get().channel == "cli"


def test_cli_statement(payer, tmp_path):
    good = tmp_path / "good.csv"
    good.write_bytes(_csv(payer))
    out = StringIO()
    call_command("billing", "statement", str(good), "--dry-run", stdout=out)
    assert "would post 1" in out.getvalue()
    assert not Payment.objects.exists()
    call_command("billing", "statement", str(good), stdout=out)
    assert Payment.objects.count() == 1
    call_command("billing", "statement", str(good), stdout=out)
    assert "already posted" in out.getvalue()
    bad = tmp_path / "bad.csv"
    bad.write_bytes(_csv(payer, f"S-9;{payer.virtual_account};-4;IDR;2025-04-10"))
    out = StringIO()
    with pytest.raises(CommandError) as caught:
        call_command("billing", "statement", str(bad), "--lang", "en", stdout=out)
    assert caught.value.returncode == 2
    assert "billing.amount_not_positive" in out.getvalue()
    assert Payment.objects.count() == 1
    with pytest.raises(CommandError):
        call_command("billing", "statement", str(tmp_path / "missing.csv"))
