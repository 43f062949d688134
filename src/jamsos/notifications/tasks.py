"""The task worker's side of the outbox (django-tasks, ADR 0106): deliver one message, or every
message whose time has come, and schedule the next try of a temporary failure."""

from __future__ import annotations

import logging
from datetime import datetime

from django_tasks import task

from jamsos.notifications.services.delivery import deliver_due, deliver_message

log = logging.getLogger("jamsos.notifications")


def _defer_ok() -> bool:
    return bool(deliver_task.get_backend().supports_defer)


@task()
def deliver_task(message_id: int) -> str:
    """Deliver message ``message_id``; a temporary failure is queued again for its next try."""
    done = deliver_message(message_id)
    if done.retry_at is not None and _defer_ok():
        deliver_task.using(run_after=done.retry_at).enqueue(message_id)
    return done.status


@task()
def deliver_due_task() -> int:
    """Deliver every message due (after a bulk enqueue); the next retries come back later."""
    result = deliver_due()
    if result.next_retry_at is not None and _defer_ok():
        _due_at(result.next_retry_at)
    return result.tried


def _due_at(when: datetime) -> None:
    deliver_due_task.using(run_after=when).enqueue()


def enqueue_delivery(message_id: int) -> None:
    """Hand one message to the worker (called after the transaction that queued it commits)."""
    try:
        deliver_task.enqueue(message_id)
    except Exception:  # the sweep (`jamsos notifications deliver`) delivers it later
        log.exception("could not enqueue the delivery of message %s", message_id)


def enqueue_due() -> None:
    try:
        deliver_due_task.enqueue()
    except Exception:
        log.exception("could not enqueue the delivery of due messages")
