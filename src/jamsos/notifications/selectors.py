"""Reading the outbox: scoped to the caller (an administrator every message, a branch officer
those about its office)."""

from __future__ import annotations

from typing import Any

from django.db.models import Count, QuerySet

from jamsos.access.models import Role
from jamsos.access.scope import Scope
from jamsos.core.masking import mask_email, mask_phone
from jamsos.notifications.errors import MessageNotFound
from jamsos.notifications.models import DeliveryAttempt, Message
from jamsos.notifications.policy import NOTIFICATIONS


def messages_visible(scope: Scope) -> QuerySet[Message]:
    NOTIFICATIONS.require(scope, "outbox.view")
    query = Message.objects.all()
    if scope.role == Role.ADMIN:
        return query
    return query.filter(branch_office_id=scope.branch_office_id)


def outbox_list(
    scope: Scope, *, status: str = "", kind: str = "", channel: str = ""
) -> QuerySet[Message]:
    query = messages_visible(scope)
    if status:
        query = query.filter(status=status)
    if kind:
        query = query.filter(kind=kind)
    if channel:
        query = query.filter(channel=channel)
    return query.order_by("-created_at", "-id")


def outbox_counts(scope: Scope) -> dict[str, int]:
    rows = messages_visible(scope).order_by().values("status").annotate(n=Count("id"))
    return {str(row["status"]): int(row["n"]) for row in rows}


def message_get(scope: Scope, pk: int) -> Message:
    found = messages_visible(scope).filter(pk=pk).first()
    if found is None:
        raise MessageNotFound()
    return found


def message_attempts(message: Message) -> QuerySet[DeliveryAttempt]:
    return message.deliveries.order_by("number")


def masked_address(message: Message) -> str:
    """The address as pages, the CLI and logs show it."""
    if message.channel == "email" or "@" in message.address:
        return mask_email(message.address)
    return mask_phone(message.address)


def message_row(message: Message) -> dict[str, Any]:
    return {
        "message": message,
        "address": masked_address(message),
    }
