"""The messages billing sends (docs/notifications.md): payment received, BPU contribution
reminders and "your protection has lapsed". The two daily senders are registered with the
outbox from :class:`~jamsos.billing.apps.BillingConfig` and run by
``jamsos notifications send-due``; both are set-based (one query for the day's rows, then the
outbox's bulk enqueue) and idempotent (one reminder per invoice, one lapse notice per lapse).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from datetime import date, timedelta
from typing import Any

from django.db.models import F, Min, OuterRef, Subquery

from jamsos.access.scope import Scope
from jamsos.billing.models import (
    BillingRun,
    Invoice,
    InvoiceStatus,
    ItemKind,
    Payer,
    PayerKind,
    Payment,
    RunStatus,
)
from jamsos.billing.selectors import lapsed_memberships
from jamsos.core.clock import today_in_jakarta
from jamsos.membership.models import Membership, Person, Status
from jamsos.notifications.registry import DueSender, register
from jamsos.notifications.services import (
    BulkItem,
    BulkResult,
    Recipient,
    after_commit,
    notify,
    notify_bulk,
)

#: A payment received is told when it was paid within this many days.
RECEIPT_DAYS = 30
#: Reminders go out this many days before a BPU contribution's due date (and on the day).
REMIND_DAYS = 7
BPU = "BPU"
CHUNK = 5000


def payment_received_notify(payment_id: int, paid_on: date) -> None:
    """After the payment's transaction commits, tell a participant who pays for themselves
    that the money came in (one message per payment). Money paid more than
    ``RECEIPT_DAYS`` ago (old statements posted late, a migration of past payments) is not
    news to anyone: no message."""
    if paid_on < today_in_jakarta() - timedelta(days=RECEIPT_DAYS):
        return
    after_commit(lambda: _payment_received(payment_id), what="billing.payment_received")


def payments_received_notify(payments: Iterable[tuple[int, date]]) -> None:
    """:func:`payment_received_notify` for many ``(payment id, value date)`` at once (a bank
    statement): today is read once, one callback after the commit reads the payments of
    participants in chunks and queues their messages with :func:`notify_bulk` (the same
    recipients, context and idempotency keys as one by one)."""
    since = today_in_jakarta() - timedelta(days=RECEIPT_DAYS)
    ids = [pk for pk, paid_on in payments if paid_on >= since]
    if ids:
        after_commit(lambda: _payments_received(ids), what="billing.payment_received")


def _payments_received(ids: list[int]) -> None:
    items: list[BulkItem] = []
    for start in range(0, len(ids), CHUNK):
        found = (
            Payment.objects.select_related("payer", "payer__person")
            .filter(
                pk__in=ids[start : start + CHUNK],
                payer__kind=PayerKind.PARTICIPANT,
                payer__person__isnull=False,
            )
            .order_by("pk")
        )
        items.extend(
            BulkItem(
                _received_recipient(payment, payment.payer.person),
                _received_context(payment, payment.payer.person),
                f"payment:{payment.pk}",
            )
            for payment in found
            if payment.payer.person is not None
        )
    if items:
        notify_bulk("billing.payment_received", items)


def _received_recipient(payment: Payment, person: Person) -> Recipient:
    return Recipient(
        name=person.name,
        phone=person.phone or "",
        person_id=person.pk,
        branch_office_id=payment.payer.branch_office_id,
    )


def _received_context(payment: Payment, person: Person) -> dict[str, Any]:
    return {
        "name": person.name,
        "amount": payment.amount_idr,
        "virtual_account": payment.virtual_account,
        "paid_on": payment.paid_on.isoformat(),
        "bank_ref": payment.bank_ref,
    }


def _payment_received(payment_id: int) -> None:
    payment = Payment.objects.select_related("payer", "payer__person").filter(pk=payment_id).first()
    if payment is None or payment.payer.kind != PayerKind.PARTICIPANT:
        return
    person = payment.payer.person
    if person is None:
        return
    notify(
        "billing.payment_received",
        recipient=_received_recipient(payment, person),
        context=_received_context(payment, person),
        idempotency_key=f"payment:{payment.pk}",
    )


def _bpu_kpj() -> Any:
    return Subquery(
        Membership.objects.filter(
            person_id=OuterRef("payer__person_id"), segment=BPU, status=Status.ACTIVE
        )
        .order_by("-start_date")
        .values("kpj")[:1]
    )


def bpu_due_rows(today: date, days: int = REMIND_DAYS) -> Iterator[dict[str, Any]]:
    """Unpaid BPU invoices of participants paying for themselves with a contribution due
    between ``today`` and ``days`` later: one grouped query, streamed."""
    return (
        Invoice.objects.filter(
            payer__kind=PayerKind.PARTICIPANT,
            status__in=[InvoiceStatus.OPEN, InvoiceStatus.PARTIAL],
            items__kind=ItemKind.CONTRIBUTION,
            items__segment=BPU,
            items__due_date__gte=today,
            items__due_date__lte=today + timedelta(days=days),
            items__paid_idr__lt=F("items__amount_idr"),
        )
        .values(
            "number",
            "period",
            "total_idr",
            "paid_idr",
            person_id=F("payer__person_id"),
            name=F("payer__person__name"),
            phone=F("payer__person__phone"),
            office_id=F("payer__branch_office_id"),
            virtual_account=F("payer__virtual_account"),
        )
        .annotate(due_date=Min("items__due_date"), kpj=_bpu_kpj())
        .order_by("number")
        .iterator(chunk_size=CHUNK)
    )


def bpu_due_reminders(today: date) -> BulkResult:
    """Queue a reminder for each BPU invoice coming due (``REMIND_DAYS``), once per invoice."""
    items = (
        BulkItem(
            recipient=Recipient(
                name=row["name"],
                phone=row["phone"] or "",
                person_id=row["person_id"],
                branch_office_id=row["office_id"],
            ),
            context={
                "name": row["name"],
                "period": row["period"],
                "kpj": row["kpj"] or "-",
                "amount": int(row["total_idr"]) - int(row["paid_idr"]),
                "due_date": row["due_date"].isoformat(),
                "virtual_account": row["virtual_account"],
            },
            idempotency_key=f"invoice:{row['number']}",
        )
        for row in bpu_due_rows(today)
    )
    return notify_bulk("billing.bpu_due", items)


def _latest_billed(today: date) -> str | None:
    return (
        BillingRun.objects.filter(
            status=RunStatus.FINISHED, period__lte=f"{today.year:04d}-{today.month:02d}"
        )
        .order_by("-period")
        .values_list("period", flat=True)
        .first()
    )


def bpu_lapsed_rows(today: date) -> Iterator[list[dict[str, Any]]]:
    """BPU memberships lapsed as of the last month billed, in chunks, each row completed with
    the person and the virtual account (one query per chunk each)."""
    period = _latest_billed(today)
    if period is None:
        return
    rows = lapsed_memberships(Scope.operator("notifications"), period).filter(segment=BPU)
    chunk: list[dict[str, Any]] = []
    for row in rows.iterator(chunk_size=CHUNK):
        chunk.append(dict(row))
        if len(chunk) >= CHUNK:
            yield _completed(chunk)
            chunk = []
    if chunk:
        yield _completed(chunk)


def _completed(chunk: list[dict[str, Any]]) -> list[dict[str, Any]]:
    ids = [row["membership_id"] for row in chunk]
    people: dict[int, int] = dict(
        Membership.objects.filter(pk__in=ids).values_list("pk", "person_id")
    )
    person_ids = set(people.values())
    phones: dict[int, str] = {
        pk: phone or ""
        for pk, phone in Person.objects.filter(pk__in=person_ids).values_list("pk", "phone")
    }
    payers: dict[int, tuple[str, int | None]] = {
        person_id: (va, office)
        for person_id, va, office in Payer.objects.filter(person_id__in=person_ids).values_list(
            "person_id", "virtual_account", "branch_office_id"
        )
        if person_id is not None
    }
    for row in chunk:
        person_id = people.get(row["membership_id"])
        row["person_id"] = person_id
        row["phone"] = phones.get(person_id, "") if person_id is not None else ""
        va, office = payers.get(person_id, ("", None)) if person_id is not None else ("", None)
        row["virtual_account"], row["office_id"] = va, office
    return chunk


def bpu_lapse_notices(today: date) -> BulkResult:
    """Queue "your protection has lapsed" for each lapsed BPU membership, once per lapse (the
    key names the first unpaid month: paying and lapsing again later is a new notice)."""
    total = BulkResult()
    for chunk in bpu_lapsed_rows(today):
        items = [
            BulkItem(
                recipient=Recipient(
                    name=row["name"],
                    phone=row["phone"],
                    person_id=row["person_id"],
                    branch_office_id=row["office_id"],
                ),
                context={
                    "name": row["name"],
                    "kpj": row["kpj"],
                    "months": int(row["months_unpaid"]),
                    "first_unpaid": row["first_unpaid"],
                    "virtual_account": row["virtual_account"] or "-",
                },
                idempotency_key=f"membership:{row['membership_id']}:{row['first_unpaid']}",
            )
            for row in chunk
            if row["person_id"] is not None
        ]
        result = notify_bulk("billing.bpu_lapsed", items)
        total.queued += result.queued
        total.suppressed += result.suppressed
        total.already += result.already
        for channel, count in result.by_channel.items():
            total.by_channel[channel] = total.by_channel.get(channel, 0) + count
    return total


def register_senders() -> None:
    register(
        DueSender(
            name="billing.bpu_due",
            label={"id": "Pengingat iuran BPU", "en": "BPU contribution reminders"},
            run=bpu_due_reminders,
        )
    )
    register(
        DueSender(
            name="billing.bpu_lapsed",
            label={"id": "Pemberitahuan perlindungan tidak aktif", "en": "Lapse notices"},
            run=bpu_lapse_notices,
        )
    )
