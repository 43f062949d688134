"""The messages wired into billing and partner work: payment received (after the posting
commits), BPU reminders and lapse notices, enrolment lists waiting, agreements ending."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from jamsos.access.models import Role
from jamsos.access.scope import Scope
from jamsos.billing.models import InvoiceLine, PaymentChannel
from jamsos.billing.services.notices import bpu_due_reminders, bpu_lapse_notices
from jamsos.billing.services.payments import payment_post
from jamsos.billing.tests.conftest import invoice_make, payer_make
from jamsos.core.clock import today_in_jakarta
from jamsos.membership.models import BranchOffice
from jamsos.membership.services import bpu_self_register
from jamsos.membership.services.accounts import user_access_grant
from jamsos.membership.tests.factories import person_create
from jamsos.notifications.models import Message
from jamsos.notifications.services.due import send_due
from jamsos.partners.models import BatchStatus, EnrolmentBatch
from jamsos.partners.services.agreements import agreement_create, agreement_sign
from jamsos.partners.services.notices import agreement_ending_notices, enrolment_waiting_notices
from jamsos.partners.services.partners import partner_create

pytestmark = pytest.mark.django_db
OPERATOR = Scope.operator("test")


@pytest.fixture
def bpu(regions):
    person = person_create(domicile=regions.sukarasa, phone="+6281234567890")
    membership = bpu_self_register(
        person=person,
        declared_income_idr=1_000_000,
        programs=["JHT"],
        start_date=date(2025, 3, 1),
        today=date(2025, 3, 3),
    )
    return membership, payer_make(person=person)


def test_a_posted_payment_tells_the_participant_after_commit(
    bpu, django_capture_on_commit_callbacks
):
    membership, payer = bpu
    today = today_in_jakarta()
    invoice_make(payer, "2025-03", due_date=today, items=[("BPU", "JHT", 20_000)])
    with django_capture_on_commit_callbacks(execute=True):
        result = payment_post(
            virtual_account=payer.virtual_account,
            amount_idr=20_000,
            bank_ref="BNI-777",
            paid_on=today,
            channel=PaymentChannel.CLI,
        )
    message = Message.objects.get(kind="billing.payment_received")
    assert message.idempotency_key == f"billing.payment_received:payment:{result.payment.pk}"
    assert message.person_id == membership.person_id
    assert message.address == "+6281234567890"
    assert "Rp20.000" in message.body
    # Posting the same payment again posts nothing and sends nothing more.
    with django_capture_on_commit_callbacks(execute=True):
        again = payment_post(
            virtual_account=payer.virtual_account,
            amount_idr=20_000,
            bank_ref="BNI-777",
            paid_on=today,
            channel=PaymentChannel.CLI,
        )
    assert again.created is False
    assert Message.objects.count() == 1


def test_a_payment_paid_long_ago_is_no_news(bpu, django_capture_on_commit_callbacks):
    _membership, payer = bpu
    long_ago = today_in_jakarta() - timedelta(days=31)
    invoice_make(payer, "2025-03", due_date=long_ago, items=[("BPU", "JHT", 20_000)])
    with django_capture_on_commit_callbacks(execute=True):
        payment_post(
            virtual_account=payer.virtual_account,
            amount_idr=20_000,
            bank_ref="BNI-OLD",
            paid_on=long_ago,
            channel=PaymentChannel.CLI,
        )
    assert Message.objects.count() == 0


def test_a_payment_rolled_back_sends_nothing(bpu, django_capture_on_commit_callbacks):
    from django.db import transaction

    _membership, payer = bpu
    invoice_make(payer, "2025-03", due_date=today_in_jakarta(), items=[("BPU", "JHT", 20_000)])

    def post_then_fail() -> None:
        with transaction.atomic():
            payment_post(
                virtual_account=payer.virtual_account,
                amount_idr=20_000,
                bank_ref="BNI-778",
                paid_on=today_in_jakarta(),
                channel=PaymentChannel.CLI,
            )
            raise RuntimeError("the caller's work failed")

    with django_capture_on_commit_callbacks(execute=True), pytest.raises(RuntimeError):
        post_then_fail()
    assert Message.objects.count() == 0


def test_bpu_reminders_once_per_invoice_coming_due(bpu):
    membership, payer = bpu
    today = date(2025, 4, 10)
    invoice_make(payer, "2025-04", due_date=date(2025, 4, 15), items=[("BPU", "JHT", 20_000)])
    invoice_make(payer, "2025-05", due_date=date(2025, 5, 15), items=[("BPU", "JHT", 20_000)])
    paid = invoice_make(
        payer, "2025-03", due_date=date(2025, 4, 14), items=[("BPU", "JHT", 20_000)]
    )
    paid.status, paid.paid_idr = "paid", 20_000
    paid.save()
    result = bpu_due_reminders(today)
    assert (result.queued, result.already) == (1, 0)
    message = Message.objects.get(kind="billing.bpu_due")
    assert message.subject == "Iuran April 2025 jatuh tempo 15 April 2025"
    assert membership.kpj in message.body
    assert payer.virtual_account in message.body
    again = bpu_due_reminders(today + timedelta(days=1))
    assert (again.queued, again.already) == (0, 1)


def test_lapse_notice_once_per_lapse(bpu):
    membership, payer = bpu
    for period in ("2025-03", "2025-04", "2025-05"):
        year, month = map(int, period.split("-"))
        invoice_make(
            payer,
            period,
            due_date=date(year, month, 15),
            items=[("BPU", "JHT", 20_000)],
            lines=[(membership, {"base_idr": 1_000_000, "jht_worker_idr": 20_000})],
        )
    assert bpu_lapse_notices(date(2025, 4, 20)).created == 0  # two months unpaid: not yet
    result = bpu_lapse_notices(date(2025, 6, 20))
    assert result.queued == 1
    message = Message.objects.get(kind="billing.bpu_lapsed")
    assert message.idempotency_key.endswith(f"membership:{membership.pk}:2025-03")
    assert "3 bulan sejak Maret 2025" in message.body
    assert bpu_lapse_notices(date(2025, 6, 21)).already == 1
    # Paid up, then lapsed again later: a new lapse, a new notice.
    InvoiceLine.objects.filter(membership=membership).update(paid_on=date(2025, 6, 22))
    for period in ("2025-06", "2025-07", "2025-08"):
        year, month = map(int, period.split("-"))
        invoice_make(
            payer,
            period,
            due_date=date(year, month, 15),
            items=[("BPU", "JHT", 20_000)],
            lines=[(membership, {"base_idr": 1_000_000, "jht_worker_idr": 20_000})],
        )
    assert bpu_lapse_notices(date(2025, 8, 20)).queued == 1


@pytest.fixture
def partner_world(regions):
    office = BranchOffice.objects.get(code="KC3204")
    officer = user_access_grant(
        username="cabang", role=Role.BRANCH_OFFICER, branch_office=office, email="ani@example.id"
    ).user
    partner = partner_create(
        scope=OPERATOR,
        code="apindo-bdg",
        name="APINDO Kabupaten Bandung",
        kind="employer_association",
        region="32.04",
        branch_office="KC3204",
    )
    partner_user = user_access_grant(
        username="mitra", role=Role.PARTNER_USER, partner_ref="apindo-bdg", email="mitra@example.id"
    ).user
    return office, officer, partner, partner_user


def test_agreements_ending_within_90_days_tell_the_office_and_the_partner(partner_world):
    office, officer, partner, _partner_user = partner_world
    agreement = agreement_create(
        scope=OPERATOR,
        number="PKS-001/2025",
        title="Perlindungan pekerja informal",
        partner=partner,
        branch_office="KC3204",
        starts_on=date(2025, 1, 1),
        ends_on=date(2025, 12, 31),
    )
    agreement_sign(
        scope=OPERATOR, agreement=agreement, signed_on=date(2024, 12, 20), today=date(2025, 1, 5)
    )
    assert agreement_ending_notices(date(2025, 9, 1)).created == 0  # 121 days left
    result = agreement_ending_notices(date(2025, 10, 2))
    assert result.queued == 2
    to = set(Message.objects.values_list("address", flat=True))
    assert to == {"ani@example.id", "mitra@example.id"}
    message = Message.objects.get(user=officer)
    assert message.subject == "PKS PKS-001/2025 berakhir 31 Desember 2025"
    assert message.branch_office_id == office.pk
    assert agreement_ending_notices(date(2025, 10, 3)).already == 2


def test_enrolment_lists_waiting_tell_the_offices_officers_once(partner_world):
    office, officer, partner, partner_user = partner_world
    batch = EnrolmentBatch.objects.create(
        partner=partner,
        kind="bulk",
        idempotency_key="k1",
        file_name="pasar-cileunyi.xlsx",
        status=BatchStatus.VALIDATED,
        branch_office=office,
        uploaded_by=partner_user,
        counts={"valid": 1234, "rows": 1300},
    )
    EnrolmentBatch.objects.create(
        partner=partner,
        kind="bulk",
        idempotency_key="k2",
        status=BatchStatus.APPROVED,
        branch_office=office,
        uploaded_by=partner_user,
    )
    result = enrolment_waiting_notices(date(2025, 6, 1))
    assert result.queued == 1
    message = Message.objects.get()
    assert message.user_id == officer.pk
    assert "pasar-cileunyi.xlsx" in message.body
    assert "1.234 baris sah" in message.body
    assert enrolment_waiting_notices(date(2025, 6, 2)).already == 1
    batch.status = BatchStatus.APPROVED
    batch.save()


def test_send_due_runs_every_registered_sender(partner_world):
    names = [run.name for run in send_due(today=date(2025, 6, 1), by=OPERATOR)]
    assert names == [
        "billing.bpu_due",
        "billing.bpu_lapsed",
        "partners.agreement_ending",
        "partners.enrolment_waiting",
    ]
    from jamsos.core.errors import NotPermitted

    with pytest.raises(NotPermitted):
        send_due(today=date(2025, 6, 1), by=Scope(role=Role.BRANCH_OFFICER))


def test_the_demo_outbox_holds_four_messages_once(regions):
    from jamsos.demo.notifications import demo_notifications_build

    for i in range(4):
        person = person_create(domicile=regions.sukarasa, phone=f"+628123456789{i}")
        bpu_self_register(
            person=person,
            declared_income_idr=1_000_000,
            programs=["JHT"],
            start_date=date(2025, 3, 1),
            today=date(2025, 3, 3),
        )
        payer_make(person=person)
    assert demo_notifications_build() == {"messages": 4}
    statuses = sorted(Message.objects.values_list("status", flat=True))
    assert statuses == ["queued", "queued", "queued", "suppressed"]
    assert Message.objects.get(kind="billing.bpu_lapsed").language == "en"
    assert demo_notifications_build() == {"messages": "already there"}
