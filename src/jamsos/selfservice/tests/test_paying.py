"""A BPU worker paying for themselves: amount, virtual account and invoices at registration,
months ahead, a bank payment posted by the command line, protection until the months paid."""

from __future__ import annotations

from datetime import date
from io import StringIO

import pytest
from django.core.management import call_command

from jamsos.access.models import Role, UserAccess
from jamsos.billing.errors import AdvanceMonthsOutOfRange, AdvancePastParameters, NotSelfPaying
from jamsos.billing.identifiers import virtual_account_valid
from jamsos.billing.models import Invoice, InvoiceLine, Payer
from jamsos.billing.selectors import protected_until
from jamsos.billing.services.participants import participant_bill
from jamsos.membership.services import bpu_self_register
from jamsos.membership.tests.factories import person_create
from jamsos.selfservice.payment import QR_HEADER, payment_details, qr_svg

pytestmark = pytest.mark.django_db

TODAY = date(2026, 3, 3)


@pytest.fixture
def registered(regions):
    person = person_create(domicile=regions.sukarasa, today=TODAY)
    return bpu_self_register(
        person=person,
        declared_income_idr=1_000_000,
        programs=["JKK", "JKM", "JHT"],
        today=TODAY,
    )


def test_registration_issues_the_virtual_account_and_the_first_invoice_at_once(registered):
    payer = Payer.objects.get(person=registered.person)
    assert virtual_account_valid(payer.virtual_account)
    invoice = Invoice.objects.get(payer=payer)
    assert invoice.period == "2026-03"
    assert invoice.total_idr == 36_800  # JKK 10,000 + JKM 6,800 + JHT 20,000 (rules.md 3)
    assert invoice.due_date == date(2026, 3, 16)  # the 15th is a Sunday: next working day
    assert invoice.run_id is None
    assert UserAccess.objects.get(person=registered.person).role == Role.WORKER
    # Nothing is paid yet: not protected.
    assert protected_until(registered, today=TODAY) is None


def test_paying_three_months_ahead_by_the_command_line_protects_until_their_end(registered):
    details = payment_details(registered, months=3, today=TODAY)
    assert [d.period for d in details.due] == ["2026-03", "2026-04", "2026-05"]
    assert details.amount_idr == 3 * 36_800
    assert details.monthly_idr == 36_800
    assert details.qr_text.splitlines()[0] == QR_HEADER
    assert f"VA:{details.virtual_account}" in details.qr_text
    assert "<svg" in qr_svg(details.qr_text)
    # Asking again issues nothing new.
    again = payment_details(registered, months=3, today=TODAY)
    assert again.amount_idr == details.amount_idr
    assert Invoice.objects.filter(payer__person=registered.person).count() == 3

    call_command(
        "billing", "pay", "--va", details.virtual_account, "--amount", str(details.amount_idr),
        "--ref", "BNI-0001", "--date", TODAY.isoformat(), stdout=StringIO(),
    )  # fmt: skip

    paid = InvoiceLine.objects.filter(membership=registered, paid_on__isnull=False)
    assert sorted(paid.values_list("period", flat=True)) == ["2026-03", "2026-04", "2026-05"]
    assert protected_until(registered, today=TODAY) == date(2026, 5, 31)
    # The next months start after the paid ones.
    following = payment_details(registered, months=1, today=TODAY)
    assert [d.period for d in following.due] == ["2026-06"]


def test_months_ahead_are_limited_by_the_law_and_the_known_parameters(registered):
    before = Invoice.objects.count()
    with pytest.raises(AdvanceMonthsOutOfRange) as error:
        participant_bill(registered, months=13)
    assert error.value.field == "months"
    with pytest.raises(AdvanceMonthsOutOfRange):
        participant_bill(registered, months=0)
    # March to December 2026 are the months whose parameters are known (meta.yaml).
    with pytest.raises(AdvancePastParameters) as past:
        participant_bill(registered, months=11)
    assert "10" in past.value.message_in("en")
    assert Invoice.objects.count() == before


def test_a_sponsored_membership_is_not_billed_to_the_worker(regions):
    person = person_create(domicile=regions.sukarasa, today=TODAY)
    sponsored = bpu_self_register(
        person=person,
        declared_income_idr=1_000_000,
        channel="branch",
        sponsor_name="Pemkab Bandung",
        sponsor_kind="regional_budget",
        sponsor_ref="APBD-1",
        today=TODAY,
    )
    with pytest.raises(NotSelfPaying):
        participant_bill(sponsored)
    assert not Payer.objects.filter(person=person).exists()


def test_the_command_line_issues_and_shows_the_months_ahead(registered):
    out = StringIO()
    call_command("participant", "bill", "--kpj", registered.kpj, "--months", "2", stdout=out)
    text = out.getvalue()
    payer = Payer.objects.get(person=registered.person)
    assert f"VA {payer.virtual_account}" in text
    assert "2026-04  2026-04-15" in text
    assert "73.600" in text
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="1 sampai 12"):
        call_command("participant", "bill", "--kpj", registered.kpj, "--months", "13")
