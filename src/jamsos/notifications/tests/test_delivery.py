"""Delivering: e-mail to a real SMTP server, SMS and WhatsApp to a local HTTP server playing
the providers; temporary failures tried again later, refusals failed at once, every try in the
delivery log with addresses masked."""

from __future__ import annotations

import base64
import json
import socket
from datetime import timedelta
from urllib.parse import parse_qs

import pytest
from django.utils import timezone

from jamsos.notifications.models import DeliveryAttempt, Message, MessageStatus
from jamsos.notifications.services import Recipient, notify
from jamsos.notifications.services.delivery import backoff, deliver_due, deliver_message

pytestmark = pytest.mark.django_db

PAID = {
    "name": "Siti Aminah",
    "amount": 150_000,
    "virtual_account": "8888801234567890",
    "paid_on": "2025-05-15",
    "bank_ref": "BNI-0001",
}
PHONE = "+6281234567890"


def _queue(key="p:1", channels=None, **recipient):
    return notify(
        "billing.payment_received",
        recipient=Recipient(**recipient),
        context=PAID,
        idempotency_key=key,
        channels=channels,
    )


def _due_now(message):
    Message.objects.filter(pk=message.pk).update(next_attempt_at=timezone.now())


def test_email_goes_through_a_real_smtp_server(smtp_server):
    m = _queue(email="siti.aminah@example.id", language="en", channels=("email",))
    done = deliver_message(m.pk)
    assert done.status == MessageStatus.SENT
    [envelope] = smtp_server.handler.received
    assert envelope.rcpt_tos == ["siti.aminah@example.id"]
    text = envelope.content.decode()
    assert "Subject: Payment of Rp150,000 received" in text
    assert "Content-Language: en" in text
    m.refresh_from_db()
    assert m.sent_at is not None
    assert m.provider_ref in text  # the Message-ID the server got
    [attempt] = m.deliveries.all()
    assert (attempt.number, attempt.outcome, attempt.provider_status) == (1, "sent", "250")
    # Delivered once: a second call finds nothing to do and the server gets nothing more.
    assert deliver_message(m.pk).tried is False
    assert len(smtp_server.handler.received) == 1


def test_an_smtp_4xx_is_tried_again_later_and_a_5xx_fails(smtp_server):
    smtp_server.handler.refuse.append("451 4.3.0 mailbox busy, try later")
    m = _queue(email="budi@example.id", channels=("email",))
    before = timezone.now()
    done = deliver_message(m.pk)
    m.refresh_from_db()
    assert (done.status, m.status, m.attempts) == ("queued", "queued", 1)
    assert m.next_attempt_at >= before + timedelta(minutes=1)
    assert deliver_message(m.pk).tried is False  # not before its time
    _due_now(m)
    assert deliver_message(m.pk).status == "sent"
    assert [a.outcome for a in m.deliveries.all()] == ["retry", "sent"]
    assert len(smtp_server.handler.received) == 1

    smtp_server.handler.refuse.append("550 5.1.1 no such user")
    bad = _queue(key="p:2", email="nobody@example.id", channels=("email",))
    assert deliver_message(bad.pk).status == "failed"
    bad.refresh_from_db()
    assert bad.last_error.startswith("550")
    assert "nobody@" not in bad.last_error  # masked: n****y@example.id
    assert "n****y@example.id" in bad.deliveries.get().answer


def test_a_server_that_is_not_there_is_a_temporary_failure(settings):
    with socket.socket() as s:  # a port nobody listens on
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", port, 2
    settings.EMAIL_USE_TLS = False
    m = _queue(email="budi@example.id", channels=("email",))
    assert deliver_message(m.pk).status == "queued"
    assert m.deliveries.get().provider_status == "connection"


def test_retries_stop_after_the_last_attempt(settings, provider):
    settings.NOTIFICATIONS = {**settings.NOTIFICATIONS, "MAX_ATTEMPTS": 3}
    provider.answers = [(503, {"message": "down"})] * 3
    m = _queue(phone=PHONE, channels=("sms",))
    outcomes = []
    for _ in range(3):
        _due_now(m)
        outcomes.append(deliver_message(m.pk).status)
    assert outcomes == ["queued", "queued", "failed"]
    assert [a.outcome for a in m.deliveries.order_by("number")] == ["retry", "retry", "failed"]
    assert len(provider.requests) == 3


def test_backoff_grows_and_is_capped():
    assert [backoff(n) for n in (1, 2, 3, 4)] == [
        timedelta(minutes=1),
        timedelta(minutes=4),
        timedelta(minutes=16),
        timedelta(minutes=64),
    ]
    assert backoff(10) == timedelta(hours=6)


def test_sms_goes_to_the_providers_messages_api(provider):
    m = _queue(phone=PHONE, channels=("sms",))
    assert deliver_message(m.pk).status == "sent"
    [request] = provider.requests
    assert request["path"] == "/2010-04-01/Accounts/AC0123456789/Messages.json"
    auth = base64.b64decode(request["headers"]["Authorization"].split()[1]).decode()
    assert auth == "AC0123456789:secret-token"
    form = parse_qs(request["body"])
    assert form["To"] == [PHONE]
    assert form["From"] == ["+15005550006"]
    assert form["Body"][0].startswith("Yth. Siti Aminah, pembayaran Rp150.000")
    m.refresh_from_db()
    assert m.provider_ref.startswith("SM")


def test_whatsapp_sends_the_kinds_template(provider):
    m = _queue(phone=PHONE, language="en", channels=("whatsapp",))
    assert deliver_message(m.pk).status == "sent"
    [request] = provider.requests
    assert request["path"] == "/v21.0/106540352242922/messages"
    assert request["headers"]["Authorization"] == "Bearer wa-token"
    payload = json.loads(request["body"])
    assert payload["to"] == "6281234567890"
    assert payload["template"]["name"] == "jamsos_billing_payment_received"
    assert payload["template"]["language"] == {"code": "en"}
    values = [p["text"] for p in payload["template"]["components"][0]["parameters"]]
    assert values == ["Siti Aminah", "Rp150,000", "8888801234567890", "15 May 2025", "BNI-0001"]
    m.refresh_from_db()
    assert m.provider_ref == "wamid.TEST1"
    # The provider's answer echoes the number: the log keeps it masked.
    answer = m.deliveries.get().answer
    assert "6281234567890" not in answer
    assert "0812****7890" in answer


def test_a_provider_refusal_fails_at_once(provider):
    provider.answers = [(400, {"code": 21211, "message": "Invalid 'To' Phone Number"})]
    m = _queue(phone=PHONE, channels=("sms",))
    assert deliver_message(m.pk).status == "failed"
    attempt = m.deliveries.get()
    assert (attempt.outcome, attempt.provider_status) == ("failed", "400")
    assert "21211" in attempt.answer


def test_rate_limited_is_tried_again(provider):
    provider.answers = [(429, {"error": {"message": "rate limit", "code": 130429}})]
    m = _queue(phone=PHONE, channels=("whatsapp",))
    assert deliver_message(m.pk).status == "queued"
    _due_now(m)
    assert deliver_message(m.pk).status == "sent"


def test_deliver_due_sends_what_is_due_and_skips_the_rest(provider):
    a = _queue(key="a", phone=PHONE, channels=("sms",))
    b = _queue(key="b", phone=PHONE, channels=("sms",))
    Message.objects.filter(pk=b.pk).update(next_attempt_at=timezone.now() + timedelta(hours=1))
    result = deliver_due()
    assert (result.sent, result.retrying, result.failed) == (1, 0, 0)
    a.refresh_from_db()
    b.refresh_from_db()
    assert (a.status, b.status) == ("sent", "queued")


def test_a_message_taken_by_another_worker_is_not_sent_twice(provider):
    m = _queue(phone=PHONE, channels=("sms",))
    Message.objects.filter(pk=m.pk).update(claimed_until=timezone.now() + timedelta(minutes=5))
    assert deliver_message(m.pk).tried is False
    assert provider.requests == []


def test_the_worker_task_delivers_and_schedules_a_retry(settings, provider):
    from jamsos.notifications.tasks import deliver_task

    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    provider.answers = [(500, "oops")]
    m = _queue(phone=PHONE, channels=("sms",))
    result = deliver_task.call(m.pk)
    assert result == "queued"
    from django_tasks_db.models import DBTaskResult

    later = DBTaskResult.objects.get()
    assert later.args_kwargs["args"] == [m.pk]
    assert later.run_after is not None
    assert later.run_after > timezone.now() + timedelta(seconds=50)


def test_without_a_provider_messages_are_written_to_files(settings, tmp_path):
    m = _queue(phone=PHONE, channels=("whatsapp",))
    assert deliver_message(m.pk).status == "sent"
    line = json.loads((tmp_path / "messages" / "whatsapp.jsonl").read_text().splitlines()[0])
    assert line["template"]["name"] == "jamsos_billing_payment_received"


def test_the_delivery_log_is_append_only(provider):
    m = _queue(phone=PHONE, channels=("sms",))
    deliver_message(m.pk)
    attempt = DeliveryAttempt.objects.get()
    from jamsos.core.models import AppendOnlyError

    with pytest.raises(AppendOnlyError):
        attempt.save()


def test_a_one_time_code_is_blanked_from_the_outbox_once_sent(smtp_server):
    m = notify(
        "access.one_time_code",
        recipient=Recipient(email="siti.aminah@example.id"),
        context={"code": "482913", "minutes": 10},
        idempotency_key="otp:1",
        channels=("email",),
    )
    assert "482913" in Message.objects.get(pk=m.pk).body  # until it is sent
    assert deliver_message(m.pk).status == MessageStatus.SENT
    [envelope] = smtp_server.handler.received
    assert "482913" in envelope.content.decode()  # the person got it
    m.refresh_from_db()
    assert "482913" not in m.body
    assert "482913" not in m.subject
    assert m.context["code"] == "******"
