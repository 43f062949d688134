"""Delivering queued messages: one try at a time, recorded in the delivery log.

A message is taken with a lease (``claimed_until``, one conditional UPDATE), so two workers
never send it at once; the try is made outside any transaction, then recorded with the
message's new state in one. A temporary failure (a network error, an SMTP 4xx, an HTTP 429 or
5xx) is tried again after a growing pause (1, 4, 16, 64 minutes, then every 6 hours) up to
``NOTIFICATIONS["MAX_ATTEMPTS"]`` tries; a refusal (an SMTP 5xx, an HTTP 4xx) fails at once.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from jamsos.access.audit import audit_record
from jamsos.access.models import AuditAction
from jamsos.access.scope import Scope
from jamsos.notifications.kinds import kind_get
from jamsos.notifications.models import (
    AttemptOutcome,
    DeliveryAttempt,
    Message,
    MessageStatus,
)
from jamsos.notifications.policy import NOTIFICATIONS
from jamsos.notifications.providers import Outcome, Outgoing, send

LEASE = timedelta(minutes=5)
FIRST_PAUSE = timedelta(minutes=1)
LONGEST_PAUSE = timedelta(hours=6)


def max_attempts() -> int:
    return int(getattr(settings, "NOTIFICATIONS", {}).get("MAX_ATTEMPTS", 6))


def backoff(attempt: int) -> timedelta:
    """The pause after failed try number ``attempt`` (1-based): 1, 4, 16, 64 min, ..., 6 h."""
    pause: timedelta = FIRST_PAUSE * (4 ** max(attempt - 1, 0))
    return min(pause, LONGEST_PAUSE)


@dataclass(frozen=True)
class Delivered:
    """What one call did: the message's state after it, and when to try again (if at all)."""

    status: str
    retry_at: datetime | None = None
    tried: bool = True


def _claim(message_id: int, now: datetime) -> bool:
    free = Q(claimed_until__isnull=True) | Q(claimed_until__lt=now)
    return bool(
        Message.objects.filter(
            free, pk=message_id, status=MessageStatus.QUEUED, next_attempt_at__lte=now
        ).update(claimed_until=now + LEASE)
    )


def deliver_message(message_id: int) -> Delivered:
    """Try to deliver one queued message whose time has come; nothing if it is not due, not
    queued, or being tried by another worker."""
    now = timezone.now()
    if not _claim(message_id, now):
        status = Message.objects.filter(pk=message_id).values_list("status", flat=True).first()
        return Delivered(status or "missing", tried=False)
    message = Message.objects.get(pk=message_id)
    kind = kind_get(message.kind)
    if kind is None:
        outcome = Outcome(False, "kind", f"unknown message kind {message.kind}")
    else:
        outcome = send(
            Outgoing(
                kind=kind,
                channel=message.channel,
                address=message.address,
                language=message.language,
                subject=message.subject,
                body=message.body,
                context=dict(message.context),
                idempotency_key=message.idempotency_key,
            )
        )
    return _record(message, outcome)


def _record(message: Message, outcome: Outcome) -> Delivered:
    now = timezone.now()
    number = message.attempts + 1
    retry_at: datetime | None = None
    if outcome.sent:
        result = AttemptOutcome.SENT
        message.status, message.sent_at = MessageStatus.SENT, now
        message.provider_ref, message.last_error = outcome.ref, ""
        message.next_attempt_at = None
    elif outcome.transient and number < max_attempts():
        result = AttemptOutcome.RETRY
        retry_at = now + backoff(number)
        message.next_attempt_at = retry_at
        message.last_error = f"{outcome.status} {outcome.answer}".strip()[:300]
    else:
        result = AttemptOutcome.FAILED
        message.status, message.next_attempt_at = MessageStatus.FAILED, None
        message.last_error = f"{outcome.status} {outcome.answer}".strip()[:300]
    message.attempts = number
    message.claimed_until = None
    blanked = _blank_secrets(message) if result != AttemptOutcome.RETRY else []
    with transaction.atomic():
        DeliveryAttempt.objects.create(
            message=message,
            number=number,
            at=now,
            outcome=result,
            provider_status=outcome.status,
            answer=outcome.answer,
            duration_ms=outcome.duration_ms,
        )
        message.save(
            update_fields=[
                "status", "sent_at", "provider_ref", "last_error", "next_attempt_at",
                "attempts", "claimed_until", *blanked,
            ]
        )  # fmt: skip
    return Delivered(message.status, retry_at)


def _blank_secrets(message: Message) -> list[str]:
    """Blank the kind's secret parameters (a one-time code) in the stored subject, body and
    context once nothing more will be sent; the fields changed."""
    kind = kind_get(message.kind)
    if kind is None or not kind.secret:
        return []
    for name in kind.secret:
        value = str(message.context.get(name, ""))
        if value:
            message.subject = message.subject.replace(value, "******")
            message.body = message.body.replace(value, "******")
            message.context = {**message.context, name: "******"}
    return ["subject", "body", "context"]


@dataclass
class DueResult:
    sent: int = 0
    retrying: int = 0
    failed: int = 0
    next_retry_at: datetime | None = None

    @property
    def tried(self) -> int:
        return self.sent + self.retrying + self.failed


def due_ids(limit: int | None = None) -> list[int]:
    query = (
        Message.objects.filter(status=MessageStatus.QUEUED, next_attempt_at__lte=timezone.now())
        .order_by("next_attempt_at", "id")
        .values_list("pk", flat=True)
    )
    return list(query[:limit] if limit else query)


def deliver_due(*, limit: int | None = None, by: Scope | None = None) -> DueResult:
    """Deliver every queued message whose time has come (at most ``limit``), oldest first."""
    NOTIFICATIONS.require(by, "outbox.send")
    result = DueResult()
    for pk in due_ids(limit):
        done = deliver_message(pk)
        if not done.tried:
            continue
        if done.status == MessageStatus.SENT:
            result.sent += 1
        elif done.status == MessageStatus.FAILED:
            result.failed += 1
        else:
            result.retrying += 1
            if done.retry_at and (
                result.next_retry_at is None or done.retry_at < result.next_retry_at
            ):
                result.next_retry_at = done.retry_at
    return result


def message_retry(message: Message, *, by: Scope | None) -> Message:
    """Queue a failed message again for one more try (an administrator's decision, audited)."""
    NOTIFICATIONS.require(by, "outbox.send")
    with transaction.atomic():
        updated = Message.objects.filter(pk=message.pk, status=MessageStatus.FAILED).update(
            status=MessageStatus.QUEUED, next_attempt_at=timezone.now(), claimed_until=None
        )
        if updated:
            audit_record(by, AuditAction.UPDATE, message, detail={"retry": message.kind})
    message.refresh_from_db()
    return message
