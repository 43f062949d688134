"""Putting messages in the outbox: texts in the reader's language, one message per event,
channel choices and opt-out, and the kinds that cannot be opted out of."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model

from jamsos.notifications.errors import UnknownKind
from jamsos.notifications.kinds import kind_get, render
from jamsos.notifications.models import Message, MessageStatus, Preference
from jamsos.notifications.services import BulkItem, Recipient, notify, notify_bulk

PAID = {
    "name": "Siti Aminah",
    "amount": 1_234_567,
    "virtual_account": "8888801234567890",
    "paid_on": "2025-05-15",
    "bank_ref": "BNI-0001",
}


def test_texts_are_written_the_readers_way():
    kind = kind_get("billing.payment_received")
    subject_id, body_id = render(kind, PAID, "id")
    subject_en, body_en = render(kind, PAID, "en")
    assert subject_id == "Pembayaran Rp1.234.567 diterima"
    assert "15 Mei 2025" in body_id
    assert subject_en == "Payment of Rp1,234,567 received"
    assert "15 May 2025" in body_en
    due = render(
        kind_get("billing.bpu_due"),
        {
            "name": "A",
            "period": "2025-03",
            "kpj": "25000000001",
            "amount": 36_800,
            "due_date": "2025-03-17",
            "virtual_account": "1",
        },
        "id",
    )
    assert due[0] == "Iuran Maret 2025 jatuh tempo 17 Maret 2025"


def test_a_missing_value_is_a_bug_of_the_caller():
    with pytest.raises(ValueError, match="bank_ref"):
        render(kind_get("billing.payment_received"), {**PAID, "bank_ref": None}, "id")
    with pytest.raises(ValueError, match="amount"):
        render(kind_get("billing.payment_received"), {"name": "x"}, "id")


def test_every_kind_renders_in_both_languages():
    from jamsos.notifications.kinds import kinds

    samples = {
        "text": "x",
        "money": 1000,
        "number": 3,
        "date": "2025-01-31",
        "period": "2025-01",
    }
    names = {k.name for k in kinds()}
    assert {"access.one_time_code", "claims.status_changed", "billing.bpu_lapsed"} <= names
    for kind in kinds():
        context = {name: samples[t] for name, t in kind.params}
        for language in ("id", "en"):
            subject, body = render(kind, context, language)
            assert subject
            assert "{" not in body


def test_a_text_given_in_both_languages_is_read_in_the_readers():
    kind = kind_get("claims.status_changed")
    context = {
        "name": "Budi",
        "program": "JKK",
        "claim": "K-1",
        "status": {"id": "disetujui", "en": "approved"},
        "note": "",
    }
    assert render(kind, context, "id")[0] == "Klaim K-1: disetujui"
    assert render(kind, context, "en")[0] == "Claim K-1: approved"


@pytest.mark.django_db
def test_the_same_event_makes_one_message(django_capture_on_commit_callbacks):
    recipient = Recipient(name="Siti", phone="+6281234567890")
    with django_capture_on_commit_callbacks() as callbacks:
        first = notify(
            "billing.payment_received", recipient=recipient, context=PAID, idempotency_key="p:1"
        )
        again = notify(
            "billing.payment_received", recipient=recipient, context=PAID, idempotency_key="p:1"
        )
    assert again.pk == first.pk
    assert Message.objects.count() == 1
    assert len(callbacks) == 1  # one delivery handed to the worker, not two
    assert first.idempotency_key == "billing.payment_received:p:1"
    assert first.channel == "whatsapp"  # the kind's first channel, configured ("file")
    assert first.language == "id"
    assert first.status == MessageStatus.QUEUED


@pytest.mark.django_db
def test_an_unknown_kind_is_refused():
    with pytest.raises(UnknownKind) as info:
        notify("billing.nothing", recipient=Recipient(), context={}, idempotency_key="k")
    assert info.value.code == "notifications.unknown_kind"


@pytest.mark.django_db
def test_language_from_the_choice_on_file_else_the_callers_else_indonesian(regions):
    from jamsos.membership.tests.factories import person_create

    person = person_create(domicile=regions.sukarasa)
    r = Recipient(name="x", phone="+6281234567890", person_id=person.pk)
    assert (
        notify("billing.payment_received", recipient=r, context=PAID, idempotency_key="a").language
        == "id"
    )
    r_en = Recipient(name="x", phone="+6281234567890", person_id=person.pk, language="en")
    m = notify("billing.payment_received", recipient=r_en, context=PAID, idempotency_key="b")
    assert m.language == "en"
    assert m.subject == "Payment of Rp1,234,567 received"
    Preference.objects.create(person=person, language="id")
    m = notify("billing.payment_received", recipient=r_en, context=PAID, idempotency_key="c")
    assert m.language == "id"  # the person's own choice wins over the caller's guess
    assert m.subject.startswith("Pembayaran")


@pytest.mark.django_db
def test_opt_out_moves_to_the_next_channel_and_at_last_suppresses(regions):
    from jamsos.membership.tests.factories import person_create

    person = person_create(domicile=regions.sukarasa)
    pref = Preference.objects.create(person=person, whatsapp_off=True, email="siti@example.id")
    r = Recipient(name="x", phone="+6281234567890", person_id=person.pk)
    m = notify("billing.payment_received", recipient=r, context=PAID, idempotency_key="1")
    assert (m.channel, m.address) == ("sms", "+6281234567890")
    pref.sms_off = True
    pref.save()
    m = notify("billing.payment_received", recipient=r, context=PAID, idempotency_key="2")
    assert (m.channel, m.address) == ("email", "siti@example.id")
    pref.email_off = True
    pref.save()
    m = notify("billing.payment_received", recipient=r, context=PAID, idempotency_key="3")
    assert (m.status, m.reason, m.channel, m.address) == ("suppressed", "opted_out", "", "")
    # A one-time code and a lapse notice still go out: they cannot be opted out of.
    code = notify(
        "access.one_time_code",
        recipient=r,
        context={"code": "493817", "minutes": 5},
        idempotency_key="otp:1",
    )
    assert (code.status, code.channel) == ("queued", "sms")
    lapsed = notify(
        "billing.bpu_lapsed",
        recipient=r,
        context={
            "name": "x",
            "kpj": "25000000001",
            "months": 3,
            "first_unpaid": "2025-03",
            "virtual_account": "1",
        },
        idempotency_key="lapse:1",
    )
    assert lapsed.status == "queued"


@pytest.mark.django_db
def test_no_address_is_recorded_not_sent():
    m = notify("billing.payment_received", recipient=Recipient(), context=PAID, idempotency_key="n")
    assert (m.status, m.reason) == ("suppressed", "no_address")


@pytest.mark.django_db
def test_a_channel_without_a_provider_is_skipped(settings):
    settings.NOTIFICATIONS = {**settings.NOTIFICATIONS, "WHATSAPP_PROVIDER": "", "SMS_PROVIDER": ""}
    r = Recipient(phone="+6281234567890", email="budi@example.id")
    m = notify("billing.payment_received", recipient=r, context=PAID, idempotency_key="e")
    assert m.channel == "email"


@pytest.mark.django_db
def test_a_user_account_is_a_recipient_by_its_email():
    user = get_user_model().objects.create_user("officer", email="petugas@example.id")
    Preference.objects.create(user=user, language="en")
    m = notify(
        "partners.agreement_ending",
        recipient=Recipient.of_user(user),
        context={"number": "PKS/1", "partner": "Koperasi", "ends_on": "2025-09-30", "days": 90},
        idempotency_key="x",
    )
    assert (m.channel, m.address, m.language) == ("email", "petugas@example.id", "en")
    assert m.subject == "Agreement PKS/1 ends on 30 September 2025"


@pytest.mark.django_db
def test_bulk_enqueue_is_set_based_and_idempotent(
    regions, django_assert_max_num_queries, django_capture_on_commit_callbacks
):
    from jamsos.membership.tests.factories import person_create

    people = [person_create(domicile=regions.sukarasa) for _ in range(3)]
    Preference.objects.create(person=people[0], language="en")
    Preference.objects.create(person=people[1], whatsapp_off=True, sms_off=True)
    items = [
        BulkItem(
            recipient=Recipient(name=f"W{i}", phone=f"+62812000{i:05d}", person_id=p.pk),
            context={**PAID, "name": f"W{i}"},
            idempotency_key=f"bulk:{i}",
        )
        for i, p in enumerate(people)
    ] + [
        BulkItem(
            recipient=Recipient(name=f"N{i}", phone=f"+62813{i:07d}"),
            context={**PAID, "name": f"N{i}"},
            idempotency_key=f"many:{i}",
        )
        for i in range(2000)
    ]
    with django_capture_on_commit_callbacks() as callbacks, django_assert_max_num_queries(8):
        result = notify_bulk("billing.payment_received", items)
    assert (result.queued, result.suppressed, result.already) == (2002, 1, 0)
    assert len(callbacks) == 1  # one delivery task for the lot
    by_key = {
        m.idempotency_key: m for m in Message.objects.filter(idempotency_key__contains="bulk:")
    }
    assert by_key["billing.payment_received:bulk:0"].language == "en"
    assert by_key["billing.payment_received:bulk:1"].reason == "opted_out"
    assert by_key["billing.payment_received:bulk:2"].subject.startswith("Pembayaran")
    again = notify_bulk("billing.payment_received", items)
    assert (again.queued, again.already) == (0, 2003)
    assert Message.objects.count() == 2003
