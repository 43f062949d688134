"""Putting messages in the outbox: one (:func:`notify`) or many at once (:func:`notify_bulk`).

A message is rendered when it is queued, in the recipient's language (their choice on file,
else the one the caller gives, else Bahasa Indonesia), and goes through the first of the
kind's channels (or the caller's) that is configured, has an address, and is not turned off by
the recipient. A kind that may not be opted out of ignores the last condition. When no channel
is left the message is still written, ``suppressed`` with the reason, so the outbox shows it.

The idempotency key names the event (``payment:<id>``, ``bpu_due:<invoice>``); with the kind
it makes the message's key, unique in the table: the same event asked again returns the
message already made and sends nothing more.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from itertools import islice
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone

from jamsos.core import bulkwrite
from jamsos.notifications.errors import UnknownKind
from jamsos.notifications.kinds import Kind, kind_get, render
from jamsos.notifications.models import Message, MessageStatus, Preference
from jamsos.notifications.providers import channel_available
from jamsos.notifications.tasks import enqueue_delivery, enqueue_due

BULK_CHUNK = 5000
log = logging.getLogger("jamsos.notifications")


@dataclass(frozen=True)
class Recipient:
    """Who a message goes to: a person (``person_id``) or a user account (``user_id``), with
    the addresses known to the caller. The person's or user's choices on file (language,
    e-mail, channels turned off) are read by the outbox."""

    name: str = ""
    email: str = ""
    phone: str = ""
    language: str = ""
    person_id: int | None = None
    user_id: int | None = None
    branch_office_id: int | None = None

    @classmethod
    def of_user(cls, user: Any, *, branch_office_id: int | None = None) -> Recipient:
        """A Django user account as a recipient (its e-mail address)."""
        name = (user.get_full_name() or user.get_username()) if user else ""
        return cls(
            name=name,
            email=user.email or "",
            user_id=user.pk,
            branch_office_id=branch_office_id,
        )


@dataclass(frozen=True)
class BulkItem:
    recipient: Recipient
    context: dict[str, Any]
    idempotency_key: str


@dataclass
class BulkResult:
    queued: int = 0
    suppressed: int = 0
    already: int = 0
    by_channel: dict[str, int] = field(default_factory=dict)

    @property
    def created(self) -> int:
        return self.queued + self.suppressed


@dataclass(frozen=True)
class _Plan:
    channel: str
    address: str
    language: str
    reason: str


def _kind(name: str) -> Kind:
    found = kind_get(name)
    if found is None:
        raise UnknownKind(value=name)
    return found


def message_key(kind: str, idempotency_key: str) -> str:
    return f"{kind}:{idempotency_key}"[:160]


def plan(
    kind: Kind, recipient: Recipient, pref: Preference | None, channels: Sequence[str] | None
) -> _Plan:
    """The channel, address and language of one message (no database access)."""
    language = (pref.language if pref else "") or recipient.language or "id"
    language = "en" if language == "en" else "id"
    email = (pref.email if pref else "") or recipient.email
    opted_out = False
    for channel in channels or kind.channels:
        if not channel_available(channel):
            continue
        address = email if channel == "email" else recipient.phone
        if not address:
            continue
        if pref is not None and pref.is_off(channel) and not kind.required:
            opted_out = True
            continue
        return _Plan(channel, address, language, "")
    return _Plan("", "", language, "opted_out" if opted_out else "no_address")


def _preference(recipient: Recipient) -> Preference | None:
    if recipient.person_id is not None:
        return Preference.objects.filter(person_id=recipient.person_id).first()
    if recipient.user_id is not None:
        return Preference.objects.filter(user_id=recipient.user_id).first()
    return None


def notify(
    kind: str,
    *,
    recipient: Recipient,
    context: dict[str, Any],
    idempotency_key: str,
    channels: tuple[str, ...] | None = None,
) -> Message:
    """Queue one message of ``kind`` to ``recipient`` and have the task worker deliver it once
    the caller's transaction commits. The same ``(kind, idempotency_key)`` again returns the
    message made the first time and queues nothing."""
    found = _kind(kind)
    key = message_key(kind, idempotency_key)
    existing = Message.objects.filter(idempotency_key=key).first()
    if existing is not None:
        return existing
    chosen = plan(found, recipient, _preference(recipient), channels)
    subject, body = render(found, context, chosen.language)
    message = Message(
        kind=kind,
        idempotency_key=key,
        channel=chosen.channel,
        language=chosen.language,
        address=chosen.address,
        person_id=recipient.person_id,
        user_id=recipient.user_id,
        branch_office_id=recipient.branch_office_id,
        subject=subject[:200],
        body=body,
        context=_jsonable(context),
        status=MessageStatus.SUPPRESSED if chosen.reason else MessageStatus.QUEUED,
        reason=chosen.reason,
        created_at=timezone.now(),
        next_attempt_at=None if chosen.reason else timezone.now(),
    )
    try:
        with transaction.atomic():
            message.save()
    except IntegrityError:
        # Queued by another process a moment ago under the same key.
        return Message.objects.get(idempotency_key=key)
    if message.status == MessageStatus.QUEUED:
        pk = message.pk
        transaction.on_commit(lambda: enqueue_delivery(pk))
    return message


def after_commit(build: Callable[[], Any], *, what: str = "") -> None:
    """Run ``build`` (which calls :func:`notify` or :func:`notify_bulk`) once the caller's
    transaction commits, in a transaction of its own; nothing if the caller's rolls back. The
    one call a domain service adds after writing what a message is about: a failure to queue
    is logged, never raised into the work already committed."""

    def queue() -> None:
        try:
            with transaction.atomic():
                build()
        except Exception:
            log.exception("could not queue the message of %s", what or build)

    transaction.on_commit(queue)


def notify_on_commit(kind: str, **arguments: Any) -> None:
    """:func:`notify` with ``arguments`` once the caller's transaction commits."""
    after_commit(lambda: notify(kind, **arguments), what=kind)


def _jsonable(context: dict[str, Any]) -> dict[str, Any]:
    return {k: v if isinstance(v, str | int | dict | list) else str(v) for k, v in context.items()}


def _chunks(items: Iterable[BulkItem], size: int) -> Iterator[list[BulkItem]]:
    iterator = iter(items)
    while chunk := list(islice(iterator, size)):
        yield chunk


def _preferences(chunk: list[BulkItem]) -> tuple[dict[int, Preference], dict[int, Preference]]:
    person_ids = [i.recipient.person_id for i in chunk if i.recipient.person_id is not None]
    user_ids = [i.recipient.user_id for i in chunk if i.recipient.user_id is not None]
    by_person: dict[int, Preference] = {}
    by_user: dict[int, Preference] = {}
    for start in range(0, len(person_ids), 900):
        for p in Preference.objects.filter(person_id__in=person_ids[start : start + 900]):
            by_person[p.person_id] = p  # type: ignore[index]
    for start in range(0, len(user_ids), 900):
        for p in Preference.objects.filter(user_id__in=user_ids[start : start + 900]):
            by_user[p.user_id] = p  # type: ignore[index]
    return by_person, by_user


_BULK_FIELDS = (
    "kind", "idempotency_key", "channel", "language", "address", "person_id", "user_id",
    "branch_office_id", "subject", "body", "context", "status", "reason", "attempts",
    "next_attempt_at", "provider_ref", "last_error", "created_at",
)  # fmt: skip


def notify_bulk(
    kind: str,
    items: Iterable[BulkItem],
    *,
    channels: tuple[str, ...] | None = None,
    progress: Callable[[int], None] | None = None,
) -> BulkResult:
    """Queue many messages of one kind set-based: per chunk of 5,000, one query for the keys
    already in the outbox, one per 900 recipients for their choices, one bulk insert (COPY on
    PostgreSQL); then one task to deliver them, once the caller's transaction commits."""
    found = _kind(kind)
    result = BulkResult()
    now = timezone.now()
    stamp = bulkwrite.timestamp_text(now)
    for chunk in _chunks(items, BULK_CHUNK):
        keys = list(dict.fromkeys(message_key(kind, i.idempotency_key) for i in chunk))
        seen = {row[0] for row in bulkwrite.rows_where_in(Message, ["idempotency_key"], "idempotency_key", keys)}
        by_person, by_user = _preferences(chunk)
        rows: list[tuple[Any, ...]] = []
        for item in chunk:
            key = message_key(kind, item.idempotency_key)
            if key in seen:
                result.already += 1
                continue
            seen.add(key)
            r = item.recipient
            pref = (
                by_person.get(r.person_id)
                if r.person_id is not None
                else (by_user.get(r.user_id) if r.user_id is not None else None)
            )
            chosen = plan(found, r, pref, channels)
            subject, body = render(found, item.context, chosen.language)
            status = MessageStatus.SUPPRESSED if chosen.reason else MessageStatus.QUEUED
            if chosen.reason:
                result.suppressed += 1
            else:
                result.queued += 1
                result.by_channel[chosen.channel] = result.by_channel.get(chosen.channel, 0) + 1
            rows.append(
                (
                    kind, key, chosen.channel, chosen.language, chosen.address, r.person_id,
                    r.user_id, r.branch_office_id, subject[:200], body,
                    bulkwrite.json_text(_jsonable(item.context)), status.value, chosen.reason, 0,
                    None if chosen.reason else stamp, "", "", stamp,
                )
            )  # fmt: skip
        bulkwrite.insert(Message, _BULK_FIELDS, rows)
        if progress is not None:
            progress(len(chunk))
    if result.queued:
        transaction.on_commit(enqueue_due)
    return result
