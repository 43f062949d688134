"""The one interface other apps call to send a message (docs/notifications.md)::

    from jamsos.notifications.services import Recipient, notify, notify_bulk

    notify("billing.payment_received", recipient=Recipient(person_id=..., phone=...),
           context={...}, idempotency_key=f"payment:{payment.pk}")
"""

from jamsos.notifications.services.outbox import (
    BulkItem,
    BulkResult,
    Recipient,
    after_commit,
    notify,
    notify_bulk,
    notify_on_commit,
)

__all__ = [
    "BulkItem",
    "BulkResult",
    "Recipient",
    "after_commit", "notify", "notify_bulk", "notify_on_commit"]
