"""A few messages in the demo's outbox (docs/notifications.md): a payment received, a
contribution reminder, a lapse notice and one not sent because its person turned the channel
off, to BPU members of the demo population. The task worker writes them under var/messages/."""

from __future__ import annotations

from typing import Any

from jamsos.billing.models import Payer, PayerKind
from jamsos.core.clock import today_in_jakarta
from jamsos.membership.models import Membership
from jamsos.notifications.models import Message, Preference
from jamsos.notifications.services import Recipient, notify


def demo_notifications_build() -> dict[str, Any]:
    """Once: four messages to four BPU members who pay for themselves (idempotent keys)."""
    if Message.objects.filter(idempotency_key__contains=":demo:").exists():
        return {"messages": "already there"}
    payers = list(
        Payer.objects.filter(kind=PayerKind.PARTICIPANT, person__phone__isnull=False)
        .select_related("person")
        .order_by("id")[:4]
    )
    if len(payers) < 4:
        return {"messages": 0}
    today = today_in_jakarta()
    made = []
    for index, payer in enumerate(payers):
        person = payer.person
        assert person is not None
        kpj = (
            Membership.objects.filter(person=person, segment="BPU")
            .values_list("kpj", flat=True)
            .first()
        ) or "-"
        recipient = Recipient(
            name=person.name,
            phone=person.phone or "",
            person_id=person.pk,
            branch_office_id=payer.branch_office_id,
        )
        if index == 0:
            kind, context = (
                "billing.payment_received",
                {
                    "name": person.name,
                    "amount": 36_800,
                    "virtual_account": payer.virtual_account,
                    "paid_on": today.isoformat(),
                    "bank_ref": "DEMO-NOTICE-1",
                },
            )
        elif index == 1:
            kind, context = (
                "billing.bpu_due",
                {
                    "name": person.name,
                    "period": f"{today.year:04d}-{today.month:02d}",
                    "kpj": kpj,
                    "amount": 36_800,
                    "due_date": today.isoformat(),
                    "virtual_account": payer.virtual_account,
                },
            )
        elif index == 2:
            Preference.objects.get_or_create(person=person, defaults={"language": "en"})
            kind, context = (
                "billing.bpu_lapsed",
                {
                    "name": person.name,
                    "kpj": kpj,
                    "months": 3,
                    "first_unpaid": "2025-02",
                    "virtual_account": payer.virtual_account,
                },
            )
        else:
            Preference.objects.update_or_create(
                person=person, defaults={"whatsapp_off": True, "sms_off": True}
            )
            kind, context = (
                "billing.payment_received",
                {
                    "name": person.name,
                    "amount": 36_800,
                    "virtual_account": payer.virtual_account,
                    "paid_on": today.isoformat(),
                    "bank_ref": "DEMO-NOTICE-2",
                },
            )
        made.append(
            notify(kind, recipient=recipient, context=context, idempotency_key=f"demo:{index}")
        )
    return {"messages": len(made)}
