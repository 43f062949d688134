"""Payments within the caller's scope, and the bounds of money and dates on every path
(docs/billing/payments.md "Who reads and posts which payments" and "Bounds")."""

from __future__ import annotations

from datetime import date
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from jamsos.access.models import Role
from jamsos.access.scope import Scope
from jamsos.billing.bounds import AMOUNT_MAX_IDR, PAID_ON_FIRST
from jamsos.billing.errors import (
    AmountOutOfRange,
    PaidTooEarly,
    StatementHasErrors,
    VirtualAccountUnknown,
)
from jamsos.billing.models import Payer, Payment, PaymentChannel, StatementFile
from jamsos.billing.selectors import payments_of_virtual_account
from jamsos.billing.services.ledger import ledger_check
from jamsos.billing.services.payments import amount_parse, payment_post
from jamsos.billing.services.statements import statement_post
from jamsos.billing.tests.conftest import World, invoice_make, payer_make
from jamsos.billing.tests.test_ledger_helpers import billed
from jamsos.membership.models import BranchOffice
from jamsos.membership.services import branch_office_create
from jamsos.membership.services.accounts import user_access_grant
from jamsos.membership.tests.factories import employer_create

pytestmark = pytest.mark.django_db

BASE = "/api/v1/billing"
DUE = date(2025, 4, 15)
PAID = date(2025, 4, 10)


@pytest.fixture
def home(world: World) -> Payer:
    payer = payer_make(employer=world.employer)
    billed(invoice_make(payer, "2025-03", due_date=DUE, items=[("PU", "JKK", 900)]))
    return payer


@pytest.fixture
def other_office(world: World) -> BranchOffice:
    return branch_office_create(
        code="KC6501", name="Kantor Cabang Bulungan", regencies=[world.regions.bulungan]
    )


@pytest.fixture
def far(world: World, other_office: BranchOffice) -> Payer:
    employer = employer_create(
        village=world.regions.tanjung_palas_hulu, legal_name="PT Kaltara", risk_class=1
    )
    assert employer.branch_office == other_office
    payer = payer_make(employer=employer)
    billed(invoice_make(payer, "2025-03", due_date=DUE, items=[("PU", "JKK", 700)]))
    return payer


def officer_scope(world: World) -> Scope:
    return Scope(
        role=Role.BRANCH_OFFICER,
        branch_office_id=world.employer.branch_office_id,
        actor_name="cabang",
    )


ADMIN = Scope(role=Role.ADMIN, actor_name="admin")


@pytest.fixture
def officer(client, world):
    grant = user_access_grant(
        username="u-cabang", role=Role.BRANCH_OFFICER, branch_office=world.employer.branch_office
    )
    client.force_login(grant.user)
    return client


def body(payer: Payer, **kw):
    return {
        "bank_ref": "BNI-1",
        "virtual_account": payer.virtual_account,
        "amount_idr": 1000,
        "paid_on": PAID.isoformat(),
        **kw,
    }


def _csv(*lines: str) -> bytes:
    return "\n".join(["bank_ref;virtual_account;amount;currency;paid_on", *lines]).encode()


def post(**kw):
    values = {
        "amount_idr": 1000,
        "bank_ref": "B-1",
        "paid_on": PAID,
        "channel": PaymentChannel.API,
        **kw,
    }
    return payment_post(**values)


# --- scope: a branch officer reads and posts only its office's payers --------------------------


def test_officer_reads_only_its_offices_payments_api(officer, home, far):
    # given: a payment on each office's payer
    post(virtual_account=home.virtual_account, bank_ref="H-1", by=ADMIN)
    post(virtual_account=far.virtual_account, bank_ref="F-1", by=ADMIN)
    # when / then: the home payer's payments are read; the far one answers as an unknown VA
    own = officer.get(f"{BASE}/payments", {"virtual_account": home.virtual_account})
    assert own.status_code == 200
    assert [p["bank_ref"] for p in own.json()] == ["H-1"]
    other = officer.get(f"{BASE}/payments", {"virtual_account": far.virtual_account})
    assert other.status_code == 404
    assert other.json()["code"] == "billing.virtual_account_unknown"
    assert "F-1" not in other.content.decode()


def test_officer_cannot_post_to_another_offices_payer_api(officer, home, far):
    response = officer.post(
        f"{BASE}/payments", body(far, bank_ref="F-2"), content_type="application/json"
    )
    assert response.status_code == 404, response.content
    assert response.json()["code"] == "billing.virtual_account_unknown"
    assert not Payment.objects.exists()
    far.refresh_from_db()
    assert far.credit_idr == 0
    mine = officer.post(f"{BASE}/payments", body(home), content_type="application/json")
    assert mine.status_code == 201, mine.content


def test_service_and_selector_refuse_out_of_scope_like_unknown(world, home, far):
    bandung = officer_scope(world)
    with pytest.raises(VirtualAccountUnknown):
        post(virtual_account=far.virtual_account, by=bandung)
    with pytest.raises(VirtualAccountUnknown):
        payments_of_virtual_account(bandung, far.virtual_account)
    assert not Payment.objects.exists()
    post(virtual_account=far.virtual_account, by=ADMIN)
    assert [p.bank_ref for p in payments_of_virtual_account(ADMIN, far.virtual_account)] == ["B-1"]


def test_statement_lines_of_another_office_are_refused_in_dry_run_and_real_run(world, home, far):
    content = _csv(
        f"S-1;{home.virtual_account};900;IDR;2025-04-10",
        f"S-2;{far.virtual_account};700;IDR;2025-04-10",
    )
    bandung = officer_scope(world)
    for dry_run in (True, False):
        with pytest.raises(StatementHasErrors) as caught:
            statement_post(content, name="s.csv", by=bandung, dry_run=dry_run)
        assert [(e.line, e.code) for e in caught.value.lines] == [
            (3, "billing.virtual_account_unknown")
        ]
    assert not Payment.objects.exists()
    assert not StatementFile.objects.exists()
    assert statement_post(content, name="s.csv", by=ADMIN).posted == 2


def test_cli_pay_as_officer_cannot_post_to_another_office(world, home, far):
    user_access_grant(
        username="cabang", role=Role.BRANCH_OFFICER, branch_office=world.employer.branch_office
    )
    args = ["--amount", "700", "--ref", "C-1", "--date", "2025-04-10", "--as", "cabang"]
    with pytest.raises(CommandError) as caught:
        call_command("billing", "pay", "--va", far.virtual_account, *args, "--lang", "en")
    assert "belongs to no payer" in str(caught.value)
    assert not Payment.objects.exists()
    call_command("billing", "pay", "--va", home.virtual_account, *args, stdout=StringIO())
    assert Payment.objects.get().payer == home


# --- bounds: amounts ----------------------------------------------------------------------------


@pytest.mark.parametrize("amount", [AMOUNT_MAX_IDR + 1, 10**18, 2**63, 10**40])
def test_amount_above_the_ceiling_is_refused_by_the_service(home, amount):
    with pytest.raises(AmountOutOfRange) as caught:
        post(virtual_account=home.virtual_account, amount_idr=amount)
    assert caught.value.field == "amount"
    assert caught.value.code == "billing.amount_out_of_range"
    assert "Rp 100.000.000.000" in caught.value.message_in("en")
    assert not Payment.objects.exists()


def test_amount_at_the_ceiling_is_posted_and_the_ledger_checks(home):
    result = post(virtual_account=home.virtual_account, amount_idr=AMOUNT_MAX_IDR)
    assert result.payment.to_credit_idr == AMOUNT_MAX_IDR - 900
    home.refresh_from_db()
    assert isinstance(home.credit_idr, int)
    assert home.credit_idr == AMOUNT_MAX_IDR - 900
    ledger_check()  # neither crashes nor overflows


@pytest.mark.parametrize("amount", [10**18, 2**63, 2**64])
def test_api_answers_400_for_a_huge_amount(officer, home, amount):
    response = officer.post(
        f"{BASE}/payments?lang=en", body(home, amount_idr=amount), content_type="application/json"
    )
    assert response.status_code == 400, response.content
    data = response.json()
    # Beyond 64 bits the one raw-input check refuses the number before the schema reads it.
    expected = "billing.amount_out_of_range" if amount < 2**63 else "input.number_too_large"
    assert data["code"] == expected
    assert any("amount" in field for field in data["fields"])
    assert not Payment.objects.exists()


def test_amount_parse_bounds():
    assert amount_parse("100.000.000.000") == AMOUNT_MAX_IDR
    for text in ("100000000001", "100000000000000000000", "9" * 5000):
        with pytest.raises(AmountOutOfRange):
            amount_parse(text)


def test_statement_with_a_huge_amount_is_refused_by_the_dry_run_as_by_the_real_run(home):
    content = _csv(f"S-1;{home.virtual_account};100000000000000000000;IDR;2025-04-10")
    for dry_run in (True, False):
        with pytest.raises(StatementHasErrors) as caught:
            statement_post(content, name="s.csv", by=ADMIN, dry_run=dry_run)
        assert [(e.line, e.field, e.code) for e in caught.value.lines] == [
            (2, "amount", "billing.amount_out_of_range")
        ]
    assert not Payment.objects.exists()


def test_cli_pay_refuses_a_huge_amount(home):
    with pytest.raises(CommandError) as caught:
        call_command(
            "billing", "pay", "--va", home.virtual_account, "--amount", str(10**18),
            "--ref", "C-1", "--date", "2025-04-10", "--lang", "en",
        )  # fmt: skip
    assert caught.value.returncode == 2
    assert "Rp 100.000.000.000" in str(caught.value)
    assert not Payment.objects.exists()


# --- bounds: payment dates ----------------------------------------------------------------------


@pytest.mark.parametrize("paid_on", [date(1, 1, 1), date(2015, 6, 30)])
def test_payment_dated_before_the_programs_is_refused(home, paid_on):
    with pytest.raises(PaidTooEarly) as caught:
        post(virtual_account=home.virtual_account, paid_on=paid_on)
    assert caught.value.field == "paid_on"
    assert "2015-07-01" in caught.value.message_in("en")
    assert not Payment.objects.exists()


def test_payment_on_the_first_day_is_posted(home):
    assert post(virtual_account=home.virtual_account, paid_on=PAID_ON_FIRST).created


def test_api_statement_and_cli_refuse_an_early_date(officer, home, tmp_path):
    response = officer.post(
        f"{BASE}/payments", body(home, paid_on="0001-01-01"), content_type="application/json"
    )
    assert response.status_code == 400, response.content
    assert response.json()["code"] == "billing.paid_too_early"
    assert "paid_on" in response.json()["fields"]
    content = _csv(f"S-1;{home.virtual_account};900;IDR;0001-01-01")
    for dry_run in (True, False):
        with pytest.raises(StatementHasErrors) as caught:
            statement_post(content, name="s.csv", by=ADMIN, dry_run=dry_run)
        assert [(e.field, e.code) for e in caught.value.lines] == [
            ("paid_on", "billing.paid_too_early")
        ]
    with pytest.raises(CommandError):
        call_command(
            "billing", "pay", "--va", home.virtual_account, "--amount", "900",
            "--ref", "C-1", "--date", "0001-01-01",
        )  # fmt: skip
    assert not Payment.objects.exists()


# --- bounds: reads ------------------------------------------------------------------------------


@pytest.mark.parametrize("as_of", ["0001-01-01", "2015-06-30", "9999-12-31"])
def test_arrears_as_of_out_of_range_is_400(site, as_of):
    response = site.client("admin").get(f"{BASE}/arrears?as_of={as_of}&lang=en")
    assert response.status_code == 400, response.content
    data = response.json()
    assert data["code"] == "billing.date_out_of_range"
    assert "as_of" in data["fields"]


def test_arrears_as_of_in_range_is_answered(site):
    assert site.client("admin").get(f"{BASE}/arrears?as_of=2015-07-01").status_code == 200


@pytest.mark.parametrize("year", [99999, 0, -5, 2014])
def test_jht_year_out_of_range_is_400(site, world, year):
    person = world.worker_a.person
    response = site.client("admin").get(f"{BASE}/jht/{person.pk}?year={year}&lang=en")
    assert response.status_code == 400, response.content
    data = response.json()
    assert data["code"] == "billing.year_out_of_range"
    assert "year" in data["fields"]


def test_jht_year_in_range_is_answered(site, world):
    person = world.worker_a.person
    assert site.client("admin").get(f"{BASE}/jht/{person.pk}?year=2025").status_code == 200
